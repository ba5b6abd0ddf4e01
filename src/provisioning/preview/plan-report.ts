// What `zoom-scim plan` and GET /admin/plan show: the steps not yet applied, summarised (users touched per kind
// of change, destructive changes per breaker kind) and in detail, one entry per resource with the Zoom calls it
// would get in order. Passwords a create would send are never shown.
import type { PlanStepState } from "../../store/types.js";
import type { ZoomGroup, ZoomUser } from "../../zoom/types.js";
import type { TenantMode } from "../../config/types.js";
import { stringifyExact } from "../../lib/exact-json.js";
import { describeCall, type CallDescription, type PlannedCall, type StepCategory } from "./planned-call.js";
import { UNAPPLIED, type PlannedStep, type PreviewLedger } from "./preview-ledger.js";

/** The most steps one report details (the summary counts them all); `after` pages on. */
export const MAX_DETAILED_STEPS = 5_000;

export interface PlannedCallView extends CallDescription {
  seq: number;
  state: PlanStepState;
  destructive: string | null;
  plannedAt: string;
  error: string | null;
}

export interface PlannedResource {
  resourceType: "User" | "Group";
  id: string;
  /** The user's email or the group's name, as the plan leaves it (absent when the plan does not hold it). */
  name?: string;
  calls: PlannedCallView[];
}

export interface PlanReport {
  tenant: string;
  mode: "live" | "preview";
  generatedAt: string;
  steps: Record<PlanStepState, number>;
  /** Users (or groups) touched per kind of change, over every step not yet applied. */
  summary: Partial<Record<StepCategory, number>>;
  /** Destructive changes per breaker kind, as `apply` will count them. */
  destructive: Record<string, number>;
  resources: PlannedResource[];
  /** The seq to pass as `after` for the next page of detail; absent on the last page. */
  next?: number;
}

const redacted = (call: PlannedCall, description: CallDescription): CallDescription => {
  if (call.op !== "createUser" || call.request.user_info.password === undefined) return description;
  return { ...description, body: { ...call.request, user_info: { ...call.request.user_info, password: "(not shown)" } } };
};

/** What a report needs of a tenant: the CLI makes one from the store alone (no Zoom call is needed). */
export interface PlannedTenant {
  name: string;
  mode: TenantMode;
  ledger: PreviewLedger;
}

export async function planReport(tenant: PlannedTenant, page: { after?: number; limit?: number } = {}): Promise<PlanReport> {
  const ledger = tenant.ledger;
  const limit = Math.min(Math.max(1, page.limit ?? MAX_DETAILED_STEPS), MAX_DETAILED_STEPS);
  // The summary is the store's sums; only the page of detail is read (a 100,000-user push is never read whole).
  const [steps, sums, detail] = await Promise.all([
    ledger.counts(),
    ledger.summary(),
    ledger.steps({ states: UNAPPLIED, afterSeq: page.after ?? 0, limit: limit + 1 }),
  ]);
  const summary: Partial<Record<StepCategory, number>> = {};
  const destructive: Record<string, number> = {};
  for (const sum of sums) {
    const category = sum.category as StepCategory;
    summary[category] = (summary[category] ?? 0) + sum.touched;
    if (sum.destructive) destructive[sum.destructive] = (destructive[sum.destructive] ?? 0) + sum.touched;
  }
  const shown = detail.slice(0, limit);
  const idsOf = (type: "User" | "Group"): string[] => [
    ...new Set(shown.filter((step) => step.resourceType === type).map((step) => step.resourceId)),
  ];
  const [users, groups] = await Promise.all([
    ledger.some<ZoomUser>("user", idsOf("User")),
    ledger.some<ZoomGroup>("group", idsOf("Group")),
  ]);
  const names = new Map<string, string>();
  for (const user of users) if (user.email) names.set(`User ${user.key}`, user.email);
  for (const group of groups) if (group.body) names.set(`Group ${group.key}`, group.body.name);
  const report: PlanReport = {
    tenant: tenant.name,
    mode: tenant.mode,
    generatedAt: new Date().toISOString(),
    steps,
    summary,
    destructive,
    resources: byResource(shown, names),
  };
  const last = shown.at(-1);
  if (last && detail.length > limit) report.next = last.seq;
  return report;
}

function byResource(steps: readonly PlannedStep[], names: ReadonlyMap<string, string>): PlannedResource[] {
  const resources = new Map<string, PlannedResource>();
  for (const step of steps) {
    const key = `${step.resourceType} ${step.resourceId}`;
    let resource = resources.get(key);
    if (!resource) {
      const name = names.get(key) ?? (step.call.op === "createGroup" ? step.call.name : undefined);
      resource = { resourceType: step.resourceType, id: step.resourceId, ...(name !== undefined ? { name } : {}), calls: [] };
      resources.set(key, resource);
    }
    resource.calls.push({
      seq: step.seq,
      state: step.state,
      destructive: step.destructive,
      plannedAt: step.plannedAt,
      error: step.error,
      ...redacted(step.call, describeCall(step.call)),
    });
  }
  return [...resources.values()];
}

/** The plan as a terminal shows it: the summary, then each resource's calls. */
export function formatPlanReport(report: PlanReport): string {
  const unapplied = report.steps.planned + report.steps.sending + report.steps.failed;
  const skipped = report.steps.skipped > 0 ? `, ${report.steps.skipped} skipped` : "";
  const lines = [
    `tenant ${report.tenant} (${report.mode} mode), ${report.generatedAt}: ${unapplied} Zoom call${unapplied === 1 ? "" : "s"} planned, ` +
      `${report.steps.done} applied${skipped}${report.steps.failed > 0 ? `, ${report.steps.failed} failed (apply sends them again, or skip them)` : ""}`,
  ];
  const summary = Object.entries(report.summary).map(([category, count]) => `${count} ${category}`);
  if (summary.length > 0) lines.push(`summary: ${summary.join(", ")}`);
  const destructive = Object.entries(report.destructive).map(([kind, count]) => `${count} ${kind}`);
  if (destructive.length > 0) lines.push(`destructive (counted by the breaker on apply): ${destructive.join(", ")}`);
  for (const resource of report.resources) {
    lines.push(`${resource.resourceType} ${resource.name ?? resource.id}${resource.name ? ` (${resource.id})` : ""}`);
    for (const call of resource.calls) {
      const body = call.body === undefined ? "" : ` ${stringifyExact(call.body)}`;
      const flags = [call.destructive, call.state !== "planned" ? call.state : undefined, call.error ?? undefined].filter(Boolean);
      lines.push(`  ${call.seq}. ${call.method} ${call.path}${body}${flags.length > 0 ? `  [${flags.join("; ")}]` : ""}`);
    }
  }
  if (report.next !== undefined) lines.push(`… more steps after ${report.next} (--after ${report.next}, or --json)`);
  return `${lines.join("\n")}\n`;
}
