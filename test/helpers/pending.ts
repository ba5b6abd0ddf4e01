// Helpers for the pending-lifecycle end-to-end tests: Zoom's state from the simulator, polling, webhooks on and off,
// the admin report.
import assert from "node:assert/strict";
import type { Harness, SimCall } from "./harness.js";

export const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
export const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const ZOOM_EXT = "urn:ietf:params:scim:schemas:extension:zoom:1.0:User";
export const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const SECRET = "zoom-webhook-secret-0123456789";

export type Json = Record<string, unknown>;
export const patch = (...operations: Json[]) => ({ schemas: [PATCH], Operations: operations });
export const status = (resource: Json): unknown => (resource[ZOOM_EXT] as Json | undefined)?.status;
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Zoom's user as the simulator holds it (pending included), profile fields flattened. */
export async function zoomUser(h: Harness, idOrEmail: string): Promise<Json | undefined> {
  const answer = await h.simGet(`/_sim/users/${encodeURIComponent(idOrEmail)}`);
  return answer.status === 200 ? { ...answer.body, ...(answer.body.profile as Json | undefined) } : undefined;
}

export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** Points the simulator's signed webhooks at the server (its port changes on restart), or stops them. */
export async function webhooksTo(h: Harness, on: boolean): Promise<void> {
  const response = await fetch(`${h.sim.baseUrl}/_sim/config`, {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ webhook: on ? { url: `${h.server.url}/webhooks/zoom`, secretToken: SECRET } : null }),
  });
  assert.equal(response.status, 200, await response.text());
}

/** The Zoom writes among calls, as "METHOD /path". */
export const writes = (calls: SimCall[]) => calls.filter((c) => c.method !== "GET").map((c) => `${c.method} ${c.path}`);

export async function createPending(h: Harness, email: string, extra: Json = {}): Promise<string> {
  const created = await h.scim("POST", "/Users", {
    schemas: [CORE],
    userName: email,
    name: { givenName: "Pen", familyName: "Ding" },
    ...extra,
  });
  assert.equal(created.status, 201, created.text);
  assert.equal(status(created.body), "pending");
  return String(created.body.id);
}

/** The admin report's entry for a user, if it has anything outstanding. */
export async function outstanding(h: Harness, id: string, tenantPath = ""): Promise<Json | undefined> {
  const report = await h.scim("GET", `${h.server.url}${tenantPath}/admin/pending`);
  assert.equal(report.status, 200, report.text);
  return (report.body.users as Json[]).find((u) => u.id === id);
}
