// `zoom-scim plan [--tenant <name>] [--json] [--after <seq>]`: a tenant's preview plan from the store (ZOOM_SCIM_DB),
// no Zoom credentials needed. `zoom-scim apply [--tenant <name>]`: sends it to Zoom with the tenant's Zoom app (the
// server's configuration), in order, under the rate limiter and the breaker, with a progress bar on a terminal;
// after a crash or a stop, running it again takes up where it stopped. `zoom-scim plan skip <seq>`: a failed step
// is not to be sent (the next apply goes on past it).
import { loadConfig } from "../config/load.js";
import { DEFAULT_TENANT, type AppConfig, type TenantConfig } from "../config/types.js";
import { createLogger } from "../http/logger.js";
import { stringifyExact } from "../lib/exact-json.js";
import { AuditRecorder } from "../provisioning/audit/recorder.js";
import { applyPlan, type ApplyOutcome } from "../provisioning/preview/plan-apply.js";
import { MAX_DETAILED_STEPS, formatPlanReport, planReport } from "../provisioning/preview/plan-report.js";
import { PreviewLedger } from "../provisioning/preview/preview-ledger.js";
import { isSkipRefusal, skipStep } from "../provisioning/preview/plan-skip.js";
import { buildTenant } from "../server.js";
import { openStore } from "../store/open-store.js";
import type { ResourceStore } from "../store/types.js";
import type { ProvisioningTenant } from "../provisioning/provisioning-tenant.js";
import { operator } from "./operator.js";
import { progressBar } from "./progress.js";

export const PLAN_USAGE = "zoom-scim plan [--tenant <name>] [--json] [--after <seq>] | zoom-scim plan skip <seq> [--tenant <name>]";
export const APPLY_USAGE = "zoom-scim apply [--tenant <name>] [--json]";

interface Streams {
  out: (text: string) => void;
  err: (text: string) => void;
  tty?: boolean;
}

interface Parsed {
  tenant: string;
  json: boolean;
  after?: number;
}

function parse(args: string[], usage: string, allowAfter: boolean, err: (text: string) => void): Parsed | undefined {
  const parsed: Parsed = { tenant: DEFAULT_TENANT, json: false };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    if (arg === "--json") parsed.json = true;
    else if (arg === "--tenant" && args[i + 1]) parsed.tenant = args[(i += 1)] ?? DEFAULT_TENANT;
    else if (allowAfter && arg === "--after" && args[i + 1] !== undefined && /^\d+$/.test(args[i + 1] ?? ""))
      parsed.after = Number(args[(i += 1)]);
    else {
      err(`Unknown argument "${arg ?? ""}". Usage: ${usage}\n`);
      return undefined;
    }
  }
  return parsed;
}

function tenantIn(config: AppConfig, name: string, err: (text: string) => void): TenantConfig | undefined {
  const tenant = config.tenants.find((t) => t.name === name);
  if (!tenant) err(`No tenant "${name}" in the configuration; tenants: ${config.tenants.map((t) => t.name).join(", ")}.\n`);
  return tenant;
}

export async function runPlanCommand(args: string[], env: NodeJS.ProcessEnv, streams: Streams): Promise<number> {
  if (args[0] === "skip") return runSkip(args.slice(1), env, streams);
  const parsed = parse(args, PLAN_USAGE, true, streams.err);
  if (!parsed) return 2;
  const config = loadConfig(env);
  const tenantConfig = tenantIn(config, parsed.tenant, streams.err);
  if (!tenantConfig) return 2;
  const store = await openStore(config.storePath);
  try {
    const tenant = { name: tenantConfig.name, mode: tenantConfig.options.mode, ledger: new PreviewLedger(tenantConfig.name, store) };
    // --json has every step; a terminal shows the first page (--after pages on).
    const report = await planReport(tenant, { ...(parsed.after !== undefined ? { after: parsed.after } : {}), limit: MAX_DETAILED_STEPS });
    streams.out(parsed.json ? `${stringifyExact(report, 2)}\n` : formatPlanReport(report));
    return 0;
  } finally {
    await store.close();
  }
}

/** The tenant as the server builds it, audited as the server's writes are (SCIM_AUDIT=off records nothing). */
function auditedTenant(
  config: AppConfig,
  tenantConfig: TenantConfig,
  store: ResourceStore,
): { tenant: ProvisioningTenant; audit: AuditRecorder } {
  // Warnings (a Zoom error) to stderr: stdout carries the output, JSON included.
  const logger = createLogger("warn", process.stderr);
  const audit = new AuditRecorder(config.audit?.enabled === false ? undefined : store.audit, logger);
  return { tenant: buildTenant(tenantConfig, store, logger, true, undefined, audit), audit };
}

/** `plan skip <seq>`: a failed step is not to be sent; the next apply goes on past it. */
async function runSkip(args: string[], env: NodeJS.ProcessEnv, streams: Streams): Promise<number> {
  const [seqText, ...rest] = args;
  const parsed = parse(rest, PLAN_USAGE, false, streams.err);
  if (!parsed) return 2;
  if (seqText === undefined || !/^\d{1,16}$/.test(seqText)) {
    streams.err(`plan skip needs the failed step's number (zoom-scim plan lists it). Usage: ${PLAN_USAGE}\n`);
    return 2;
  }
  const config = loadConfig(env);
  const tenantConfig = tenantIn(config, parsed.tenant, streams.err);
  if (!tenantConfig) return 2;
  const store = await openStore(config.storePath);
  try {
    // No Zoom call: the tenant is built for its store and audit.
    const { tenant, audit } = auditedTenant(config, tenantConfig, store);
    try {
      await skipStep(tenant, Number(seqText), { actor: `cli:${operator()}`, requestId: null });
    } catch (error) {
      if (!isSkipRefusal(error)) throw error;
      streams.err(`${error.detail}\n`);
      return 1;
    }
    await audit.idle();
    streams.out(`tenant ${tenant.name}: step ${seqText} skipped; it will not be sent to Zoom\n`);
    return 0;
  } finally {
    await store.close();
  }
}

export function formatApply(outcome: ApplyOutcome): string {
  const lines = [
    `tenant ${outcome.tenant}: ${outcome.applied} step(s) sent to Zoom` +
      (outcome.confirmed > 0 ? `, ${outcome.confirmed} found done already (cut off by a crash)` : "") +
      `, ${outcome.remaining} left`,
  ];
  if (outcome.stopped)
    lines.push(
      `  stopped at step ${outcome.stopped.seq} (${outcome.stopped.status}): ${outcome.stopped.detail}`,
      "  nothing after it was sent; run apply again once it is resolved",
    );
  return `${lines.join("\n")}\n`;
}

/** Answers the exit code: 0 when the whole plan is applied, 1 when it stopped part-way, 2 for a usage problem. */
export async function runApplyCommand(args: string[], env: NodeJS.ProcessEnv, streams: Streams): Promise<number> {
  const parsed = parse(args, APPLY_USAGE, false, streams.err);
  if (!parsed) return 2;
  const config = loadConfig(env);
  if (config.sandbox) {
    streams.err(
      "apply sends the plan with the tenant's Zoom app: sandbox mode has none outside the server (use POST /admin/plan/apply there).\n",
    );
    return 2;
  }
  const tenantConfig = tenantIn(config, parsed.tenant, streams.err);
  if (!tenantConfig) return 2;
  const store = await openStore(config.storePath);
  try {
    const { tenant, audit } = auditedTenant(config, tenantConfig, store);
    const bar = streams.tty ? progressBar(streams.err) : undefined;
    const outcome = await applyPlan(tenant, {
      actor: `cli:${operator()}`,
      requestId: null,
      ...(bar ? { onProgress: (done: number, total: number) => bar("apply", done, total) } : {}),
    });
    await audit.idle();
    streams.out(parsed.json ? `${JSON.stringify(outcome, null, 2)}\n` : formatApply(outcome));
    return outcome.stopped ? 1 : 0;
  } finally {
    await store.close();
  }
}
