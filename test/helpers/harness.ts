// Starts a Zoom simulator and a zoom-scim server in this process, over real HTTP, for end-to-end tests.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config/load.js";
import type { AppConfig, TenantConfig } from "../../src/config/types.js";
import { hashToken } from "../../src/config/token-hash.js";
import { createLogger, type Logger } from "../../src/http/logger.js";
import { startServer, type RunningServer } from "../../src/server.js";
import { startSimulator, type RunningSimulator, type SimulatorOptions } from "../../src/simulator/index.js";

export const TOKEN = "test-token-0123456789abcdef";

export interface ScimAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
  text: string;
}

export interface SimCall {
  seq: number;
  method: string;
  path: string;
  query: string;
  status: number;
  category: string;
  /** The x-zm-trackingid of the simulator's answer. */
  trackingId?: string;
}

export interface Harness {
  sim: RunningSimulator;
  server: RunningServer;
  storeDir: string;
  base: string;
  scim(
    method: string,
    path: string,
    body?: unknown,
    options?: { token?: string | null; headers?: Record<string, string>; raw?: string },
  ): Promise<ScimAnswer>;
  /** Zoom calls logged by the simulator after `since` (a seq from `mark()`), OAuth excluded. */
  callsSince(since: number): Promise<SimCall[]>;
  mark(): Promise<number>;
  simPost(path: string, body?: unknown): Promise<Record<string, unknown>>;
  simGet(path: string): Promise<{ status: number; body: Record<string, unknown> }>;
  simDelete(path: string): Promise<void>;
  restartServer(overrides?: Partial<AppConfig>): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  simulator?: SimulatorOptions;
  env?: Record<string, string>;
  tenants?: (sim: RunningSimulator) => TenantConfig[];
  zoomRateLimit?: boolean;
  /** zoom-scim's logger (default: silent, or TEST_LOG_LEVEL). */
  logger?: Logger;
}

/** The environment of a zoom-scim (a second server, a CLI command) on `sim`'s account with the default token. */
export function simEnv(sim: RunningSimulator): Record<string, string> {
  return {
    ZOOM_ACCOUNT_ID: sim.accountId,
    ZOOM_CLIENT_ID: sim.clientId,
    ZOOM_CLIENT_SECRET: sim.clientSecret,
    ZOOM_API_URL: sim.apiUrl,
    ZOOM_OAUTH_URL: sim.oauthUrl,
    SCIM_BEARER_TOKEN: TOKEN,
    HOST: "127.0.0.1",
    PORT: "0",
    LOG_LEVEL: "silent",
  };
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const sim = await startSimulator({ port: 0, rateLimits: false, ...options.simulator });
  const storeDir = mkdtempSync(join(tmpdir(), "zoom-scim-test-"));
  const baseConfig = loadConfig({
    ...simEnv(sim),
    ZOOM_SCIM_DB: join(storeDir, "store.sqlite"),
    // Off unless a test is about it: other tests deactivate more users of their small accounts than it allows.
    SCIM_BREAKER_MAX_CHANGES: "0",
    ...options.env,
  });
  let config: AppConfig = { ...baseConfig, tenants: [...baseConfig.tenants, ...(options.tenants?.(sim) ?? [])] };
  const logger = options.logger ?? createLogger(process.env.TEST_LOG_LEVEL ?? "silent");
  const serverOptions = { logger, zoomRateLimit: options.zoomRateLimit ?? false };
  let server = await startServer(config, serverOptions);

  const harness: Harness = {
    sim,
    server,
    storeDir,
    get base() {
      return `${server.url}/scim/v2`;
    },
    async scim(method, path, body, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.token !== null) headers.authorization = `Bearer ${opts.token ?? TOKEN}`;
      let payload: string | undefined = opts.raw;
      if (body !== undefined) {
        payload = JSON.stringify(body);
        headers["content-type"] ??= "application/scim+json";
      }
      // "/Users…" is relative to the default tenant's base; "/healthz", "/acme/scim/v2/…" to the server root.
      const fromRoot = path.startsWith("/healthz") || path.includes("/scim/v2") || path.startsWith("/webhooks");
      const url = path.startsWith("http") ? path : `${server.url}${fromRoot ? "" : "/scim/v2"}${path}`;
      const response = await fetch(url, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
      const text = await response.text();
      let parsed: Record<string, unknown>;
      try {
        parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      } catch {
        parsed = {};
      }
      return { status: response.status, headers: response.headers, body: parsed, text };
    },
    async mark() {
      const log = (await (await fetch(`${sim.baseUrl}/_sim/calls`)).json()) as { calls: SimCall[] };
      return log.calls.at(-1)?.seq ?? 0;
    },
    async callsSince(since) {
      const log = (await (await fetch(`${sim.baseUrl}/_sim/calls?since=${since}`)).json()) as { calls: SimCall[] };
      return log.calls.filter((c) => c.category !== "oauth");
    },
    async simPost(path, body) {
      const response = await fetch(`${sim.baseUrl}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body ?? {}),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`simulator ${path} answered ${response.status}: ${text}`);
      return text ? (JSON.parse(text) as Record<string, unknown>) : {};
    },
    async simGet(path) {
      const response = await fetch(`${sim.baseUrl}${path}`);
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    },
    async simDelete(path) {
      const response = await fetch(`${sim.baseUrl}${path}`, { method: "DELETE" });
      if (!response.ok) throw new Error(`simulator DELETE ${path} answered ${response.status}: ${await response.text()}`);
    },
    async restartServer(overrides = {}) {
      await server.close();
      config = { ...config, ...overrides };
      server = await startServer(config, serverOptions);
      harness.server = server;
    },
    async close() {
      await server.close();
      await sim.close();
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** A tenant of `sim`'s Zoom account with the default options (autoCreate users), to pass to namedTenant. */
export function simTenantBase(sim: RunningSimulator, options: Partial<TenantConfig["options"]> = {}): TenantConfig {
  return {
    name: "x",
    zoom: {
      accountId: sim.accountId,
      clientId: sim.clientId,
      clientSecret: sim.clientSecret,
      apiUrl: sim.apiUrl,
      oauthUrl: sim.oauthUrl,
      plan: "pro",
    },
    bearerTokens: [],
    options: {
      mode: "live",
      createAction: "autoCreate",
      defaultUserType: 1,
      onDuplicate: "fail",
      deleteMode: "deactivate",
      signOutOnDeactivate: false,
      snapshotTtlMs: 30_000,
      reconcileIntervalMs: 60_000,
      breaker: { maxChanges: 0, maxPercent: 5, windowMs: 900_000 },
      zoomPhone: false,
      licenceAddOns: false,
      phoneDeprovision: "release",
      ...options,
    },
  };
}

/** A tenant served under /{name}/scim/v2 by the same simulator, opened by `token`. */
export function namedTenant(
  base: AppConfig["tenants"][number],
  name: string,
  token: string,
  options: Partial<TenantConfig["options"]> = {},
): TenantConfig {
  return { ...base, name, bearerTokens: [{ name: "token-1", sha256: hashToken(token) }], options: { ...base.options, ...options } };
}
