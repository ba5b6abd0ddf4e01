// `zoom-scim breaker status|release [--tenant <name>] [--json]`: the circuit breaker for destructive changes, read
// and released in the store (ZOOM_SCIM_DB) without Zoom credentials, so an admin can act while the server runs;
// every replica sees the release at its next destructive request.
import { existsSync } from "node:fs";
import { loadConfig } from "../config/load.js";
import { DEFAULT_TENANT, DEFAULT_TENANT_OPTIONS, type BreakerSettings } from "../config/types.js";
import { CircuitBreaker, type BreakerStatus } from "../provisioning/guardrails/breaker.js";
import { isPostgresUrl, openStore } from "../store/open-store.js";
import { operator } from "./operator.js";
import { AuditRecorder } from "../provisioning/audit/recorder.js";
import { breakerAudit } from "../provisioning/audit/breaker-entries.js";

export const BREAKER_USAGE = "zoom-scim breaker status|release [--tenant <name>] [--json]";

/**
 * The tenant's breaker settings from the server's configuration (the defaults when it cannot be read here), or
 * the configured tenants' names when it has no such tenant: a mistyped name must not "release" nothing.
 */
function settingsOf(env: NodeJS.ProcessEnv, tenant: string): BreakerSettings | string[] {
  let tenants;
  try {
    tenants = loadConfig(env).tenants;
  } catch {
    return DEFAULT_TENANT_OPTIONS.breaker;
  }
  return tenants.find((t) => t.name === tenant)?.options.breaker ?? tenants.map((t) => t.name);
}

export function formatBreakerStatus(status: BreakerStatus): string {
  const lines = [`tenant ${status.tenant}: ${!status.enabled ? "breaker off" : status.open ? `OPEN since ${status.openedAt}` : "closed"}`];
  if (status.open && status.reason) lines.push(`  why: ${status.reason}`);
  const limit = status.threshold === null ? "" : ` (limit ${status.threshold})`;
  lines.push(`  ${status.changesInWindow} destructive change(s) counted in the last ${status.windowSeconds / 60} minutes${limit}`);
  if (status.releasedAt) lines.push(`  last released ${status.releasedAt} by ${status.releasedBy ?? "unknown"}`);
  if (status.open) lines.push(`  release it: zoom-scim breaker release --tenant ${status.tenant}`);
  return `${lines.join("\n")}\n`;
}

/** Prints with `out`, problems with `err`; answers the exit code. */
export async function runBreakerCommand(
  args: string[],
  env: NodeJS.ProcessEnv,
  out: (text: string) => void,
  err: (text: string) => void = out,
): Promise<number> {
  const [action, ...rest] = args;
  let tenant = DEFAULT_TENANT;
  let json = false;
  for (let i = 0; i < rest.length; i += 1) {
    const arg = rest[i];
    if (arg === "--json") json = true;
    else if (arg === "--tenant" && rest[i + 1]) tenant = rest[(i += 1)] ?? DEFAULT_TENANT;
    else {
      err(`Unknown argument "${arg ?? ""}". Usage: ${BREAKER_USAGE}\n`);
      return 2;
    }
  }
  if (action !== "status" && action !== "release") {
    err(`Say what to do with the breaker. Usage: ${BREAKER_USAGE}\n`);
    return 2;
  }
  const settings = settingsOf(env, tenant);
  if (Array.isArray(settings)) {
    err(`No tenant "${tenant}" in the configuration; tenants: ${settings.join(", ")}.\n`);
    return 2;
  }
  const path = env.ZOOM_SCIM_DB || "data/zoom-scim.sqlite";
  if (!isPostgresUrl(path) && (path === ":memory:" || !existsSync(path))) {
    err(
      `No store at ${path}: set ZOOM_SCIM_DB to the server's database (sandbox mode keeps its store in memory; use /admin/breaker there).\n`,
    );
    return 2;
  }
  const store = await openStore(path);
  const audit = new AuditRecorder(store.audit);
  try {
    // No Zoom here: the threshold shown is the absolute one (the server also applies the account's percentage).
    const breaker = new CircuitBreaker({
      tenant,
      settings,
      coordination: store.coordination,
      activeUsers: () => Promise.resolve(undefined),
      // A release is an audit entry, written before the store closes.
      observer: breakerAudit(audit),
    });
    const status = action === "release" ? await breaker.release(`cli:${operator()}`) : await breaker.status();
    await audit.idle();
    out(json ? `${JSON.stringify(status, null, 2)}\n` : formatBreakerStatus(status));
    return 0;
  } finally {
    await store.close();
  }
}
