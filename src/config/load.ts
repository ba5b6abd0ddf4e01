// Reads configuration from the environment and the optional tenants file, and says exactly what to fix
// when something is wrong. Nothing here talks to Zoom.
import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { httpConfig } from "./http.js";
import { hashToken } from "./token-hash.js";
import {
  DEFAULT_AUDIT_SETTINGS,
  DEFAULT_TENANT,
  DEFAULT_TENANT_OPTIONS,
  type AppConfig,
  type BearerToken,
  type TenantConfig,
  type TenantOptions,
  type ZoomAppConfig,
} from "./types.js";
import type { ZoomCreateAction, ZoomPlan, ZoomUserType } from "../zoom/types.js";

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is not valid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export const ZOOM_DEFAULT_API_URL = "https://api.zoom.us/v2";
export const ZOOM_DEFAULT_OAUTH_URL = "https://zoom.us/oauth/token";

const PLANS: readonly ZoomPlan[] = ["free", "pro", "business"];
const CREATE_ACTIONS: readonly ZoomCreateAction[] = ["create", "autoCreate", "custCreate", "ssoCreate"];
const USER_TYPES: readonly ZoomUserType[] = [1, 2, 4];
const TENANT_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const RESERVED_TENANT_NAMES = new Set(["scim", "healthz", "readyz", "metrics", "webhooks", "admin", "_sim"]);

type Env = Record<string, string | undefined>;

class Problems {
  readonly list: string[] = [];
  add(message: string): void {
    this.list.push(message);
  }
}

function oneOf<T extends string | number>(problems: Problems, where: string, raw: unknown, allowed: readonly T[], fallback: T): T {
  if (raw === undefined || raw === "") return fallback;
  const match = allowed.find((value) => String(value).toLowerCase() === String(raw).toLowerCase());
  if (match === undefined) problems.add(`${where} is "${String(raw)}"; use one of: ${allowed.join(", ")}`);
  return match ?? fallback;
}

function bool(problems: Problems, where: string, raw: unknown, fallback: boolean): boolean {
  if (raw === undefined || raw === "") return fallback;
  if (typeof raw === "boolean") return raw;
  const text = String(raw).toLowerCase();
  if (["true", "1", "yes", "on"].includes(text)) return true;
  if (["false", "0", "no", "off"].includes(text)) return false;
  problems.add(`${where} is "${String(raw)}"; use true or false`);
  return fallback;
}

function positiveNumber(problems: Problems, where: string, raw: unknown, fallback: number, { allowZero = false } = {}): number {
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    problems.add(`${where} is "${String(raw)}"; use a ${allowZero ? "non-negative" : "positive"} number`);
    return fallback;
  }
  return value;
}

function url(problems: Problems, where: string, raw: unknown, fallback: string): string {
  const value = raw === undefined || raw === "" ? fallback : String(raw);
  try {
    const parsed = new URL(value);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error("not http");
  } catch {
    problems.add(`${where} is "${value}"; use an http(s) URL such as ${fallback}`);
  }
  return value.replace(/\/+$/, "");
}

/** The Zoom client's queue bound when one is configured (unset: the client's default, 5 s). */
function queueWait(problems: Problems, where: string, raw: unknown): { maxQueueWaitMs?: number } {
  if (raw === undefined || raw === "") return {};
  return { maxQueueWaitMs: positiveNumber(problems, where, raw, 5) * 1000 };
}

/** Tenant options from an object whose keys are the option names (file) or from env twins. */
function tenantOptions(problems: Problems, where: string, raw: Record<string, unknown>): TenantOptions {
  const d = DEFAULT_TENANT_OPTIONS;
  return {
    mode: oneOf(problems, `${where}${where ? "mode" : "SCIM_MODE"}`, raw.mode, ["live", "preview"] as const, d.mode),
    createAction: oneOf(problems, `${where}createAction`, raw.createAction, CREATE_ACTIONS, d.createAction),
    defaultUserType: oneOf(
      problems,
      `${where}defaultUserType`,
      raw.defaultUserType === undefined ? undefined : Number(raw.defaultUserType),
      USER_TYPES,
      d.defaultUserType,
    ),
    onDuplicate: oneOf(problems, `${where}onDuplicate`, raw.onDuplicate, ["fail", "adopt"] as const, d.onDuplicate),
    deleteMode: oneOf(problems, `${where}deleteMode`, raw.deleteMode, ["deactivate", "disassociate", "delete"] as const, d.deleteMode),
    signOutOnDeactivate: bool(problems, `${where}signOutOnDeactivate`, raw.signOutOnDeactivate, d.signOutOnDeactivate),
    snapshotTtlMs:
      positiveNumber(problems, `${where}snapshotTtlSeconds`, raw.snapshotTtlSeconds, d.snapshotTtlMs / 1000, { allowZero: true }) * 1000,
    reconcileIntervalMs:
      positiveNumber(problems, `${where}reconcileIntervalSeconds`, raw.reconcileIntervalSeconds, d.reconcileIntervalMs / 1000, {
        allowZero: true,
      }) * 1000,
    breaker: {
      maxChanges: Math.floor(
        positiveNumber(problems, `${where}breakerMaxChanges`, raw.breakerMaxChanges, d.breaker.maxChanges, { allowZero: true }),
      ),
      maxPercent: positiveNumber(problems, `${where}breakerMaxPercent`, raw.breakerMaxPercent, d.breaker.maxPercent, { allowZero: true }),
      windowMs: positiveNumber(problems, `${where}breakerWindowSeconds`, raw.breakerWindowSeconds, d.breaker.windowMs / 1000) * 1000,
    },
    zoomPhone: bool(problems, `${where}zoomPhone`, raw.zoomPhone, d.zoomPhone),
    licenceAddOns: bool(problems, `${where}licenceAddOns`, raw.licenceAddOns, d.licenceAddOns),
    phoneDeprovision: oneOf(problems, `${where}phoneDeprovision`, raw.phoneDeprovision, ["release", "keep"] as const, d.phoneDeprovision),
  };
}

function defaultTenantFromEnv(problems: Problems, env: Env, sandbox: boolean): { tenant: TenantConfig; sandboxToken?: string } {
  const options = tenantOptions(problems, "", {
    mode: env.SCIM_MODE,
    createAction: env.ZOOM_CREATE_ACTION,
    defaultUserType: env.ZOOM_DEFAULT_USER_TYPE,
    onDuplicate: env.SCIM_ON_DUPLICATE,
    deleteMode: env.SCIM_DELETE_MODE,
    signOutOnDeactivate: env.SCIM_SIGN_OUT_ON_DEACTIVATE,
    snapshotTtlSeconds: env.SCIM_SNAPSHOT_TTL_SECONDS,
    reconcileIntervalSeconds: env.SCIM_RECONCILE_INTERVAL_SECONDS,
    breakerMaxChanges: env.SCIM_BREAKER_MAX_CHANGES,
    breakerMaxPercent: env.SCIM_BREAKER_MAX_PERCENT,
    breakerWindowSeconds: env.SCIM_BREAKER_WINDOW_SECONDS,
    zoomPhone: env.SCIM_ZOOM_PHONE,
    licenceAddOns: env.SCIM_LICENCE_ADD_ONS,
    phoneDeprovision: env.SCIM_PHONE_DEPROVISION,
  });
  const zoom: ZoomAppConfig = {
    accountId: env.ZOOM_ACCOUNT_ID ?? "",
    clientId: env.ZOOM_CLIENT_ID ?? "",
    clientSecret: env.ZOOM_CLIENT_SECRET ?? "",
    apiUrl: url(problems, "ZOOM_API_URL", env.ZOOM_API_URL, ZOOM_DEFAULT_API_URL),
    oauthUrl: url(problems, "ZOOM_OAUTH_URL", env.ZOOM_OAUTH_URL, ZOOM_DEFAULT_OAUTH_URL),
    plan: oneOf(problems, "ZOOM_PLAN", env.ZOOM_PLAN, PLANS, "pro"),
    ...queueWait(problems, "ZOOM_MAX_QUEUE_WAIT_SECONDS", env.ZOOM_MAX_QUEUE_WAIT_SECONDS),
  };
  let token = env.SCIM_BEARER_TOKEN;
  let sandboxToken: string | undefined;
  if (!token && sandbox) token = `sandbox-${randomBytes(18).toString("base64url")}`;
  if (sandbox) sandboxToken = token;
  if (!token)
    problems.add(
      "SCIM_BEARER_TOKEN is not set; set it to the secret your identity provider will send as 'Authorization: Bearer …' (32+ random characters)",
    );
  else if (!sandbox && token.length < 16) problems.add("SCIM_BEARER_TOKEN is shorter than 16 characters; use a long random secret");
  const webhookSecretToken = webhookSecret(problems, "ZOOM_WEBHOOK_SECRET_TOKEN", env.ZOOM_WEBHOOK_SECRET_TOKEN);
  return {
    tenant: {
      name: DEFAULT_TENANT,
      zoom,
      bearerTokens: token ? [{ name: positionalTokenName(0), sha256: hashToken(token) }] : [],
      webhookSecretToken,
      options,
    },
    sandboxToken,
  };
}

/** SCIM_METRICS_TOKEN, kept only as its digest (as bearer tokens are); unset: /metrics is open. */
function metricsToken(problems: Problems, raw: string | undefined): string | undefined {
  if (raw === undefined || raw === "") return undefined;
  if (raw.length < 16) problems.add("SCIM_METRICS_TOKEN is shorter than 16 characters; use a long random secret (or leave it unset)");
  return hashToken(raw);
}

/** Zoom's secret tokens are 22 characters; anything short is a paste gone wrong, not a secret. */
function webhookSecret(problems: Problems, where: string, raw: unknown): string | undefined {
  if (raw === undefined || raw === "") return undefined;
  if (typeof raw !== "string" || raw.trim().length < 8) {
    problems.add(
      `${where} must be the Secret Token of the Zoom app's event subscription (Zoom Marketplace → your app → Feature → Event Subscriptions)`,
    );
    return undefined;
  }
  return raw.trim();
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

const SHA256_HEX = /^[0-9a-f]{64}$/i;
const TOKEN_NAME = /^[\w.@:-]{1,64}$/;

/** A token given as a bare digest is known by its position: token-1, token-2 … */
const positionalTokenName = (index: number): string => `token-${index + 1}`;

/**
 * A tenant's tokens: `bearerTokens` (and the older `bearerTokenSha256`), each entry a SHA-256 hex digest or
 * {name, sha256, notAfter?}. Names are what logs and the audit show, so they must be unique and never the token.
 */
function tokensOf(problems: Problems, where: string, body: Record<string, unknown>): BearerToken[] {
  const lists = [body.bearerTokens, body.bearerTokenSha256].filter((list) => list !== undefined);
  const entries = lists.flatMap((list) => (Array.isArray(list) ? (list as unknown[]) : [Symbol.for("not a list")]));
  const tokens: BearerToken[] = [];
  const fix = `${where}bearerTokens must be a list of SHA-256 hex digests of its bearer tokens, or of {"name", "sha256", "notAfter"} (make a digest with: zoom-scim hash-token <token>)`;
  if (entries.length === 0) problems.add(fix);
  for (const [index, entry] of entries.entries()) {
    const object = record(entry);
    const sha256 = typeof entry === "string" ? entry : object?.sha256;
    const name = object ? object.name : positionalTokenName(index);
    if (typeof sha256 !== "string" || !SHA256_HEX.test(sha256)) {
      problems.add(`${fix}; entry ${index + 1} is not`);
      continue;
    }
    if (typeof name !== "string" || !TOKEN_NAME.test(name)) {
      problems.add(`${where}bearer token entry ${index + 1} needs a "name" of up to 64 letters, digits, _ . @ : or -`);
      continue;
    }
    if (tokens.some((t) => t.name === name)) problems.add(`${where}two bearer tokens are named "${name}"; give each its own name`);
    let notAfterMs: number | undefined;
    if (object?.notAfter !== undefined) {
      notAfterMs = typeof object.notAfter === "string" ? Date.parse(object.notAfter) : NaN;
      if (!Number.isFinite(notAfterMs))
        problems.add(`${where}bearer token "${name}": notAfter must be an ISO 8601 date-time such as 2027-01-31T00:00:00Z`);
    }
    tokens.push({ name, sha256: sha256.toLowerCase(), ...(notAfterMs !== undefined ? { notAfterMs } : {}) });
  }
  return tokens;
}

function tenantFromFile(problems: Problems, name: string, raw: unknown, env: Env): TenantConfig | undefined {
  const where = `tenant "${name}": `;
  if (!TENANT_NAME.test(name) || RESERVED_TENANT_NAMES.has(name)) {
    problems.add(`${where}the name must be lower-case letters, digits, - or _ (and not ${[...RESERVED_TENANT_NAMES].join(", ")})`);
    return undefined;
  }
  const body = record(raw);
  const zoomRaw = record(body?.zoom);
  if (!body || !zoomRaw) {
    problems.add(`${where}needs an object with a "zoom" object (accountId, clientId, clientSecret or clientSecretEnv)`);
    return undefined;
  }
  const secretEnv = typeof zoomRaw.clientSecretEnv === "string" ? zoomRaw.clientSecretEnv : undefined;
  const clientSecret = typeof zoomRaw.clientSecret === "string" ? zoomRaw.clientSecret : secretEnv ? env[secretEnv] : undefined;
  for (const key of ["accountId", "clientId"] as const) {
    if (typeof zoomRaw[key] !== "string" || zoomRaw[key] === "") problems.add(`${where}zoom.${key} is missing`);
  }
  if (!clientSecret)
    problems.add(`${where}zoom.clientSecret is missing${secretEnv ? ` (environment variable ${secretEnv} is empty)` : ""}`);
  const bearerTokens = tokensOf(problems, where, body);
  const webhookEnv = typeof body.webhookSecretTokenEnv === "string" ? body.webhookSecretTokenEnv : undefined;
  if (webhookEnv && !env[webhookEnv]) problems.add(`${where}webhookSecretTokenEnv names ${webhookEnv}, which is empty`);
  const webhookSecretToken = webhookSecret(
    problems,
    `${where}webhookSecretToken`,
    body.webhookSecretToken ?? (webhookEnv ? env[webhookEnv] : undefined),
  );
  return {
    name,
    webhookSecretToken,
    zoom: {
      accountId: String(zoomRaw.accountId ?? ""),
      clientId: String(zoomRaw.clientId ?? ""),
      clientSecret: clientSecret ?? "",
      apiUrl: url(problems, `${where}zoom.apiUrl`, zoomRaw.apiUrl, ZOOM_DEFAULT_API_URL),
      oauthUrl: url(problems, `${where}zoom.oauthUrl`, zoomRaw.oauthUrl, ZOOM_DEFAULT_OAUTH_URL),
      plan: oneOf(problems, `${where}zoom.plan`, zoomRaw.plan, PLANS, "pro"),
      ...queueWait(problems, `${where}zoom.maxQueueWaitSeconds`, zoomRaw.maxQueueWaitSeconds),
    },
    bearerTokens,
    options: tenantOptions(problems, where, body),
  };
}

function tenantsFile(problems: Problems, path: string, env: Env): TenantConfig[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    problems.add(`ZOOM_SCIM_CONFIG: cannot read ${path} as JSON (${(error as Error).message})`);
    return [];
  }
  const tenants = record(record(parsed)?.tenants);
  if (!tenants) {
    problems.add(`ZOOM_SCIM_CONFIG: ${path} must hold {"tenants": {"<name>": {…}}}`);
    return [];
  }
  return Object.entries(tenants).flatMap(([name, raw]) => tenantFromFile(problems, name, raw, env) ?? []);
}

/** Builds the configuration; throws ConfigError listing every problem at once. */
export function loadConfig(env: Env = process.env): AppConfig {
  const problems = new Problems();
  const zoomKeys = ["ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET"] as const;
  const given = zoomKeys.filter((key) => env[key]);
  const sandbox = given.length === 0 && !env.ZOOM_SCIM_CONFIG;
  if (given.length > 0 && given.length < zoomKeys.length) {
    problems.add(
      `${zoomKeys.filter((key) => !env[key]).join(", ")} missing: set all three Zoom Server-to-Server OAuth credentials, or none for sandbox mode`,
    );
  }

  const tenants: TenantConfig[] = [];
  let sandboxToken: string | undefined;
  if (sandbox || given.length > 0) {
    const fromEnv = defaultTenantFromEnv(problems, env, sandbox);
    tenants.push(fromEnv.tenant);
    sandboxToken = fromEnv.sandboxToken;
  }
  if (env.ZOOM_SCIM_CONFIG) {
    for (const tenant of tenantsFile(problems, env.ZOOM_SCIM_CONFIG, env)) {
      if (tenants.some((t) => t.name === tenant.name))
        problems.add(`tenant "${tenant.name}" is defined twice (environment and file, or twice in the file)`);
      else tenants.push(tenant);
    }
  }

  const config: AppConfig = {
    host: env.HOST || "0.0.0.0",
    port: positiveNumber(problems, "PORT", env.PORT, 8080, { allowZero: true }),
    sandbox,
    storePath: env.ZOOM_SCIM_DB || "data/zoom-scim.sqlite",
    logLevel: oneOf(problems, "LOG_LEVEL", env.LOG_LEVEL, ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const, "info"),
    publicUrl: env.PUBLIC_URL ? url(problems, "PUBLIC_URL", env.PUBLIC_URL, "https://scim.example.com") : undefined,
    http: httpConfig((message) => problems.add(message), env),
    tenants,
    sandboxToken,
    audit: {
      enabled: bool(problems, "SCIM_AUDIT", env.SCIM_AUDIT, DEFAULT_AUDIT_SETTINGS.enabled),
      retentionDays: positiveNumber(
        problems,
        "SCIM_AUDIT_RETENTION_DAYS",
        env.SCIM_AUDIT_RETENTION_DAYS,
        DEFAULT_AUDIT_SETTINGS.retentionDays,
      ),
    },
    metricsTokenHash: metricsToken(problems, env.SCIM_METRICS_TOKEN),
  };
  if (problems.list.length > 0) throw new ConfigError(problems.list);
  return config;
}
