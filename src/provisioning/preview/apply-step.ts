// One step of `apply`: through the breaker (the tenant's own settings), marked `sending` before its call and `done`
// after it, an audit entry of kind "plan-apply". A step in doubt (cut off by a crash, or failed without a clear
// answer from Zoom) is checked before it is sent again: a create is looked up in Zoom (the user by email, the group
// by name); other calls are idempotent in Zoom and are sent again. A removal finding its object gone is done.
// A step Zoom refused outright is sent again as it is by the next apply (and refused again until Zoom or the step
// changes: an admin may skip it). A create applied gives its planned id to Zoom's: for later steps (IdMap), for
// the IdP (the gateway's user aliases, the group aliases), and for the objects the plan holds (rekeyed).
import { ScimError } from "../../scim/errors.js";
import { ZoomApiError } from "../../zoom/errors.js";
import { stringifyExact } from "../../lib/exact-json.js";
import type { DestructiveChange } from "../guardrails/destructive.js";
import type { ProvisioningTenant } from "../provisioning-tenant.js";
import { isZoomNotFound, scimErrorFromZoom, unlessNotFound } from "../zoom-errors.js";
import { runAudited, type AuditedAction } from "../audit/recorder.js";
import { currentAuditScope } from "../audit/scope.js";
import { describeCall, sendCall, usersTouched, withZoomIds, type AppliedIds, type PlannedCall } from "./planned-call.js";
import type { PlannedStep } from "./preview-ledger.js";

export interface StepCounts {
  applied: number;
  confirmed: number;
}

/** Planned ids → Zoom's, from the creates applied so far (this apply's and earlier ones'). */
export class IdMap implements AppliedIds {
  readonly users = new Map<string, string>();
  readonly groups = new Map<string, string>();
  user = (id: string): string => this.users.get(id) ?? id;
  group = (id: string): string => this.groups.get(id) ?? id;
  note(step: PlannedStep, zoomId: string): void {
    if (step.call.op === "createUser") this.users.set(step.call.id, zoomId);
    if (step.call.op === "createGroup") this.groups.set(step.call.id, zoomId);
  }
}

/** Whether a failed call may have taken effect: Zoom's own refusal (a 4xx, or our queue's 429) says it did not. */
const mayHaveReached = (error: unknown): boolean => !(error instanceof ZoomApiError && error.status < 500);

/** Sends one step; answers why the apply must stop, or undefined when the step is done. */
export async function applyStep(
  tenant: ProvisioningTenant,
  step: PlannedStep,
  ids: IdMap,
  by: { actor: string; requestId: string | null },
  counts: StepCounts,
): Promise<{ seq: number; status: number; detail: string } | undefined> {
  const store = tenant.store.plan;
  const call = withZoomIds(step.call, ids);
  const { method, path } = describeCall(call);
  const what = `plan step ${step.seq} (${method} ${path})`;
  try {
    await runAudited(tenant.audit, {
      init: stepAuditInit(tenant, step, by, ids),
      work: async () => {
        const changes: DestructiveChange[] = step.destructive ? [{ kind: step.destructive, count: usersTouched(step.call) }] : [];
        const zoomId = await tenant.applyBreaker.guard(changes, `applying ${what}`, async () => {
          const confirmed = step.inDoubt ? await madeAlready(tenant, call) : undefined;
          if (confirmed !== undefined) {
            counts.confirmed += 1;
            return confirmed.zoomId;
          }
          await store.markStep(step.seq, "sending", new Date().toISOString());
          const sent = await sendSettled(tenant, call);
          counts.applied += 1;
          return sent.zoomId;
        });
        await recordDone(tenant, step, ids, zoomId);
        const scope = currentAuditScope();
        if (scope) scope.detail = `${what} of the preview plan applied`;
      },
      outcome: () => "applied",
      doing: `applying ${what}`,
    });
    return undefined;
  } catch (error) {
    const scim = scimErrorFromZoom(error, `applying ${what}`);
    // The breaker refused before anything was sent: the step stays as it was, to be applied after a release.
    if (!(error instanceof ScimError && scim.status === 503)) {
      const inDoubt = step.inDoubt || mayHaveReached(error);
      await store.markStep(step.seq, "failed", new Date().toISOString(), { error: scim.detail, result: JSON.stringify({ inDoubt }) });
    }
    return { seq: step.seq, status: scim.status, detail: scim.detail };
  }
}

/** A create in doubt: whether Zoom holds it already (the user by email, the group by name). */
async function madeAlready(tenant: ProvisioningTenant, call: PlannedCall): Promise<{ zoomId: string } | undefined> {
  if (call.op === "createUser") {
    const user = await unlessNotFound(tenant.liveZoom.getUser(call.request.user_info.email));
    return user ? { zoomId: user.id } : undefined;
  }
  if (call.op === "createGroup") {
    const lower = call.name.toLowerCase();
    const group = (await tenant.liveZoom.listAllGroups()).find((g) => g.name.toLowerCase() === lower);
    return group ? { zoomId: group.id } : undefined;
  }
  return undefined;
}

const REMOVALS: ReadonlySet<PlannedCall["op"]> = new Set([
  "deleteUser",
  "deleteGroup",
  "removeGroupMember",
  "unassignRole",
  "unassignCallingPlan",
  "unassignPhoneNumber",
]);

/** Zoom has no such object (or member): what a removal asked for (4131: the user is not a member). */
const gone = (error: unknown): boolean => isZoomNotFound(error) || (error instanceof ZoomApiError && error.code === 4131);

/**
 * Sends the call. A removal that finds its object gone is done: sent again after a crash, retried by the Zoom
 * client after an answer was lost, or removed by hand in Zoom meanwhile, the object is not there, as planned.
 */
async function sendSettled(tenant: ProvisioningTenant, call: PlannedCall): Promise<{ zoomId?: string }> {
  try {
    return await sendCall(tenant.liveZoom, call);
  } catch (error) {
    if (REMOVALS.has(call.op) && gone(error)) return {};
    throw error;
  }
}

/** The step is done: what a create's id names is moved to Zoom's, the objects it made true go. */
async function recordDone(tenant: ProvisioningTenant, step: PlannedStep, ids: IdMap, zoomId: string | undefined): Promise<void> {
  const store = tenant.store.plan;
  const call = step.call;
  if (zoomId !== undefined) {
    ids.note(step, zoomId);
    // The objects first: a write planned meanwhile under the IdP's id finds them under Zoom's once the alias exists.
    if (call.op === "createUser") {
      await store.rekeyUser(tenant.name, call.id, zoomId);
      await tenant.users.adoptZoomId(call.id, zoomId);
    }
    if (call.op === "createGroup") {
      await store.rekeyGroup(tenant.name, call.id, zoomId);
      await tenant.groupAliases.set(call.id, zoomId);
    }
  }
  if (call.op === "deleteGroup") await tenant.groupAliases.drop(call.group);
  await tenant.store.transaction(async () => {
    const outcome = zoomId !== undefined ? { result: JSON.stringify({ zoomId }) } : {};
    await store.markStep(step.seq, "done", new Date().toISOString(), outcome);
    // A create's password is Zoom's now: the plan keeps none.
    if (call.op === "createUser" && call.request.user_info.password !== undefined) {
      const { password: _sent, ...info } = call.request.user_info;
      await store.rewriteCall(step.seq, stringifyExact({ ...call, request: { ...call.request, user_info: info } }));
    }
    await store.forgetObjectsUpTo(tenant.name, step.seq);
  });
}

function userNameOf(call: PlannedCall): string | null {
  if (call.op === "createUser") return call.request.user_info.email;
  if (call.op === "changeUserEmail") return call.email;
  return null;
}

/** The audit entry of something done to a step (applied, skipped): the step's call, as Zoom gets (or got) it. */
export function stepAuditInit(
  tenant: ProvisioningTenant,
  step: PlannedStep,
  by: { actor: string; requestId: string | null },
  ids: AppliedIds = { user: (id) => id, group: (id) => id },
): AuditedAction<void>["init"] {
  const { method, path } = describeCall(withZoomIds(step.call, ids));
  return {
    tenant: tenant.name,
    kind: "plan-apply",
    actor: by.actor,
    client: null,
    requestId: by.requestId,
    originRequestId: null,
    method,
    route: path,
    resourceType: step.resourceType,
    resourceId: step.resourceId,
    userName: userNameOf(step.call),
  };
}
