// Helpers for the audit trail's end-to-end tests: reading it through /admin/audit (every page) and through the CLI
// as a separate process, and matching an entry's Zoom calls with the simulator's own log of them.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { zoomPathTemplate } from "../../src/provisioning/audit/zoom-calls.js";
import type { AuditEntry } from "../../src/store/types.js";
import type { Harness, SimCall } from "./harness.js";

/** Every entry /admin/audit answers for `query`, following `next` page by page. */
export async function auditViaApi(
  h: Harness,
  tenantPath: string,
  token: string,
  query: Record<string, string> = {},
): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  let cursor: string | null = null;
  do {
    const params = new URLSearchParams({ ...query, ...(cursor ? { cursor } : {}) });
    const answer = await h.scim("GET", `${h.server.url}${tenantPath}/admin/audit?${params.toString()}`, undefined, { token });
    assert.equal(answer.status, 200, answer.text);
    entries.push(...(answer.body.entries as AuditEntry[]));
    cursor = answer.body.next as string | null;
  } while (cursor);
  return entries;
}

/** Runs `zoom-scim audit …` as its own process on the store, with no Zoom credentials in its environment. */
export function auditViaCli(store: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "audit", ...args], {
      env: { PATH: process.env.PATH ?? "", ZOOM_SCIM_DB: store },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** The simulator's log of calls as an audit entry lists them: path template, status, tracking id. */
export function asAudited(calls: SimCall[]): { method: string; path: string; status: number; trackingId?: string }[] {
  return calls.map((c) => ({
    method: c.method,
    path: zoomPathTemplate(c.path.replace(/^\/v2/, "")),
    status: c.status,
    ...(c.trackingId ? { trackingId: c.trackingId } : {}),
  }));
}

/** An entry's changes as {attribute: [before, after]}, for compact assertions. */
export function changesOf(entry: AuditEntry | undefined): Record<string, [unknown, unknown]> {
  return Object.fromEntries((entry?.changes ?? []).map((c) => [c.attribute, [c.before, c.after]]));
}
