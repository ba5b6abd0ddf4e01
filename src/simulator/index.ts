// The Zoom API simulator: a stateful fake of Zoom's REST API (users, groups, roles) and its
// Server-to-Server OAuth endpoint, with a control plane under /_sim/. See docs/simulator.md.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { KNOWN_SCOPES } from "./api/operations.js";
import { createControlHandler } from "./control/control-plane.js";
import { applySeed, demoSeed, type SeedRequest, type SeedResult } from "./control/seed.js";
import { DEFAULTS, type SimulatorOptions } from "./options.js";
import { createRequestHandler } from "./server.js";
import { Simulator } from "./sim.js";

export type { SimulatorOptions, SimPlan, LimitOverrides, SimDelays, RateCategory } from "./options.js";
export type { SeedRequest, SeedResult, SeedUser, SeedGroup, SeedRole } from "./control/seed.js";
export type { CallRecord, CallCategory } from "./call-log.js";
export type { FaultRuleInput } from "./faults.js";
export { DEFAULTS, PLAN_LIMITS, USER_CREATES_PER_DAY } from "./options.js";
export { KNOWN_SCOPES, OPERATIONS } from "./api/operations.js";
export { demoSeed } from "./control/seed.js";
export { signWebhook } from "./webhooks.js";

export interface RunningSimulator {
  baseUrl: string;
  apiUrl: string;
  oauthUrl: string;
  accountId: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
  /** In-process seeding (same effect as `POST /_sim/seed`). */
  seed(request: SeedRequest): SeedResult;
  /** In-process reset (same effect as `POST /_sim/reset`). */
  reset(): void;
}

function urlHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const sim = new Simulator(options, [...KNOWN_SCOPES]);
  const server = createServer({ keepAlive: true }, createRequestHandler(sim, createControlHandler(sim)));
  server.keepAliveTimeout = 65_000;
  const host = options.host ?? DEFAULTS.host;
  const address = await listen(server, options.port ?? DEFAULTS.port, host);
  const baseUrl = `http://${urlHost(host)}:${address.port}`;
  sim.baseUrl = baseUrl;
  let closing: Promise<void> | undefined;
  return {
    baseUrl,
    apiUrl: `${baseUrl}/v2`,
    oauthUrl: `${baseUrl}/oauth/token`,
    accountId: sim.config.accountId,
    clientId: sim.config.clientId,
    clientSecret: sim.config.clientSecret,
    seed: (request) => applySeed(sim, request),
    reset: () => sim.reset(),
    close() {
      closing ??= new Promise<void>((resolve) => {
        sim.shutdown();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** Seeds a running in-process simulator; without a request, with the sandbox demo data. */
export function seed(target: RunningSimulator, request: SeedRequest = demoSeed()): SeedResult {
  return target.seed(request);
}
