// `zoom-scim drift [--tenant <name>] [--json] [--fix KIND]`: what the IdPs last set (the store, ZOOM_SCIM_DB)
// against Zoom now, read with the tenant's own Zoom app (the server's configuration); `--fix` restores one kind.
// A progress bar on a terminal (stderr), none in a pipe.
import { loadConfig } from "../config/load.js";
import { DEFAULT_TENANT } from "../config/types.js";
import { createLogger } from "../http/logger.js";
import { DRIFT_KINDS, FIXABLE_KINDS, type DriftKind, type DriftReport } from "../provisioning/guardrails/drift.js";
import { driftReport } from "../provisioning/guardrails/drift-collect.js";
import { fixDrift, type FixOutcome } from "../provisioning/guardrails/drift-fix.js";
import { buildTenant } from "../server.js";
import { AuditRecorder } from "../provisioning/audit/recorder.js";
import { openStore } from "../store/open-store.js";
import { operator } from "./operator.js";
import { progressBar } from "./progress.js";

export const DRIFT_USAGE = `zoom-scim drift [--tenant <name>] [--json] [--fix ${FIXABLE_KINDS.join("|")}]`;

/** Rows of each list a terminal shows; --json has them all. */
const SHOWN = 50;

interface Streams {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether `err` is a terminal (a progress bar is drawn there). */
  tty?: boolean;
}

const show = (value: unknown): string => (value === null || value === undefined ? "(none)" : JSON.stringify(value));

function section(lines: string[], title: string, rows: string[]): void {
  lines.push(`${title}: ${rows.length}`);
  for (const row of rows.slice(0, SHOWN)) lines.push(`  ${row}`);
  if (rows.length > SHOWN) lines.push(`  … and ${rows.length - SHOWN} more (--json lists them all)`);
}

export function formatDriftReport(report: DriftReport): string {
  const lines = [
    `tenant ${report.tenant}, ${report.generatedAt}: ${report.zoomUsers} Zoom users (${report.managedUsers} managed through SCIM), ` +
      `${report.zoomGroups} Zoom groups (${report.managedGroups} managed)`,
  ];
  section(
    lines,
    "attributes changed in Zoom",
    report.attributes.map((d) => `${d.userName}: ${d.attribute} is ${show(d.zoom)} in Zoom, the IdP set ${show(d.idp)}`),
  );
  section(
    lines,
    "status differs",
    report.status.map((d) => `${d.userName}: ${d.idp} through SCIM, ${d.zoom} in Zoom`),
  );
  section(
    lines,
    "Zoom users no IdP manages",
    report.unmanagedUsers.map((u) => `${u.email} (${u.status ?? "unknown"})`),
  );
  section(
    lines,
    "Zoom groups no IdP manages",
    report.unmanagedGroups.map((g) => g.name),
  );
  section(
    lines,
    "group memberships changed in Zoom",
    report.memberships.map((d) => `${d.groupName}: ${d.userName ?? d.userId} ${d.change}`),
  );
  return `${lines.join("\n")}\n`;
}

export function formatFix(fix: FixOutcome): string {
  const lines = [`fixed ${fix.kind}: ${fix.applied.length} applied, ${fix.skipped.length} skipped, ${fix.notApplied} not applied`];
  for (const row of fix.applied) lines.push(`  applied: ${row}`);
  for (const row of fix.skipped) lines.push(`  skipped: ${row}`);
  if (fix.error) lines.push(`  stopped: ${fix.error}`);
  return `${lines.join("\n")}\n`;
}

/** Answers the exit code: 0, 1 when a fix stopped part-way, 2 for a usage or configuration problem. */
export async function runDriftCommand(args: string[], env: NodeJS.ProcessEnv, streams: Streams): Promise<number> {
  const { out, err } = streams;
  let tenantName = DEFAULT_TENANT;
  let json = false;
  let fix: DriftKind | undefined;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    if (arg === "--json") json = true;
    else if (arg === "--tenant" && args[i + 1]) tenantName = args[(i += 1)] ?? DEFAULT_TENANT;
    else if (arg === "--fix" && args[i + 1]) {
      const kind = args[(i += 1)] as DriftKind;
      if (!FIXABLE_KINDS.includes(kind)) {
        err(
          `--fix takes one of ${FIXABLE_KINDS.join(", ")}` +
            (DRIFT_KINDS.includes(kind) ? ` ("${kind}" is listed only: no IdP said what it should be).\n` : ".\n"),
        );
        return 2;
      }
      fix = kind;
    } else {
      err(`Unknown argument "${arg ?? ""}". Usage: ${DRIFT_USAGE}\n`);
      return 2;
    }
  }
  const config = loadConfig(env);
  if (config.sandbox) {
    err("drift reads Zoom with the tenant's Zoom app: sandbox mode has none outside the server (use GET /admin/drift there).\n");
    return 2;
  }
  const tenantConfig = config.tenants.find((t) => t.name === tenantName);
  if (!tenantConfig) {
    err(`No tenant "${tenantName}" in the configuration; tenants: ${config.tenants.map((t) => t.name).join(", ")}.\n`);
    return 2;
  }
  const store = await openStore(config.storePath);
  try {
    // Warnings (a Zoom error) to stderr: stdout carries the report, JSON included.
    const logger = createLogger("warn", process.stderr);
    // A fix is audited as the server's writes are (SCIM_AUDIT=off records nothing).
    const audit = new AuditRecorder(config.audit?.enabled === false ? undefined : store.audit, logger);
    const tenant = buildTenant(tenantConfig, store, logger, true, undefined, audit);
    const progress = streams.tty ? progressBar(err) : undefined;
    const report = await driftReport(tenant, progress);
    if (!fix) {
      out(json ? `${JSON.stringify(report, null, 2)}\n` : formatDriftReport(report));
      return 0;
    }
    const outcome = await fixDrift(tenant, report, fix, { actor: `cli:${operator()}`, requestId: null });
    out(json ? `${JSON.stringify(outcome, null, 2)}\n` : formatFix(outcome));
    return outcome.error ? 1 : 0;
  } finally {
    await store.close();
  }
}
