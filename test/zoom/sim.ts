// Test helpers: a simulator per suite, its control plane over HTTP, and a client wired to it.

import { randomUUID } from "node:crypto";
import { startSimulator, type SimulatorOptions } from "../../src/simulator/index.js";
import { createZoomClient, type ZoomCallRecord, type ZoomClient, type ZoomClientConfig } from "../../src/zoom/index.js";

export type Sim = Awaited<ReturnType<typeof startSimulator>>;

export interface SimCall {
  seq: number;
  method: string;
  path: string;
  query: string;
  status: number;
  category: string;
  code?: number;
  /** What the call came to when an `applyFirst` fault replaced its answer. */
  appliedStatus?: number;
  /** The x-zm-trackingid of the answer. */
  trackingId?: string;
}

/** A simulator on a free port, with an account id of its own so that suites never share a rate limiter. */
export function startSim(options: SimulatorOptions = {}): Promise<Sim> {
  return startSimulator({ port: 0, accountId: `acct-${randomUUID()}`, ...options });
}

export async function control<T = unknown>(sim: Sim, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${sim.baseUrl}/_sim${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as T & { error?: string };
  if (!res.ok) throw new Error(`control ${method} ${path} failed (${res.status}): ${json.error ?? ""}`);
  return json;
}

export async function simCalls(sim: Sim): Promise<SimCall[]> {
  return (await control<{ calls: SimCall[] }>(sim, "GET", "/calls")).calls;
}

export async function clearCalls(sim: Sim): Promise<void> {
  await control(sim, "DELETE", "/calls");
}

export async function addFault(sim: Sim, rule: Record<string, unknown>): Promise<void> {
  await control(sim, "POST", "/faults", rule);
}

export async function clearFaults(sim: Sim): Promise<void> {
  await control(sim, "DELETE", "/faults");
}

export interface TestClient {
  client: ZoomClient;
  records: ZoomCallRecord[];
}

/** A client of the simulator's app that keeps every onCall record. Fast retries keep the suite quick. */
export function clientFor(sim: Sim, overrides: Partial<ZoomClientConfig> = {}): TestClient {
  const records: ZoomCallRecord[] = [];
  const client = createZoomClient({
    apiUrl: sim.apiUrl,
    oauthUrl: sim.oauthUrl,
    accountId: sim.accountId,
    clientId: sim.clientId,
    clientSecret: sim.clientSecret,
    plan: "pro",
    retryBaseDelayMs: 20,
    onCall: (record) => records.push(record),
    ...overrides,
  });
  return { client, records };
}

/** Runs `fn` and returns what it threw; fails when it did not throw. */
export async function rejection(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}
