// `apply`: sends a tenant's plan to Zoom, step by step in plan order, through the tenant's rate limiter (its Zoom
// client) and its breaker (with the tenant's own settings, even while its writes are only planned), each step an
// audit entry of kind "plan-apply". A step is marked `sending` before its call and `done` after it, so a crash
// leaves at most one step in doubt: the next apply checks in Zoom whether a create in doubt was made (by email,
// by name) before making it, and sends any other step again (each is idempotent in Zoom, a removal of what is
// already gone counting as done). Only one apply of a tenant runs at a time, in any process: it holds a lease in
// the store, renewed while it runs; a crashed apply's lease runs out after LEASE_MS, and the next apply waits for it.
import { randomUUID } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { ScimError } from "../../scim/errors.js";
import type { DestructiveChange } from "../guardrails/destructive.js";
import type { ProvisioningTenant } from "../provisioning-tenant.js";
import { isZoomNotFound, scimErrorFromZoom } from "../zoom-errors.js";
import { runAudited } from "../audit/recorder.js";
import { currentAuditScope } from "../audit/scope.js";
import { describeCall, sendCall, usersTouched, withZoomIds, type AppliedIds, type PlannedCall } from "./planned-call.js";
import type { PlannedStep } from "./preview-ledger.js";

/** Steps read from the store at a time: a plan of a 100,000-user push is never held whole. */
const BATCH = 500;
/** How long an apply's lease lasts unrenewed; it is renewed every LEASE_MS / 4. */
export const LEASE_MS = 10_000;

export type ApplyProgress = (done: number, total: number) => void;

export interface ApplyOutcome {
  tenant: string;
  /** Steps sent to Zoom by this apply. */
  applied: number;
  /** Steps in doubt after a crash that Zoom showed done already (not sent again). */
  confirmed: number;
  /** Steps not applied (after a stop). */
  remaining: number;
  /** Why the apply stopped before the end: a Zoom refusal or the breaker; nothing after that step was sent. */
  stopped?: { seq: number; status: number; detail: string };
}

export interface ApplyOptions {
  actor: string;
  requestId: string | null;
  onProgress?: ApplyProgress;
  /** Stops the apply after the step under way (shutdown); what is left waits for the next apply. */
  signal?: AbortSignal;
}

class IdMap implements AppliedIds {
  readonly users = new Map<string, string>();
  readonly groups = new Map<string, string>();
  user = (id: string): string => this.users.get(id) ?? id;
  group = (id: string): string => this.groups.get(id) ?? id;
  note(step: PlannedStep, zoomId: string): void {
    if (step.call.op === "createUser") this.users.set(step.call.id, zoomId);
    if (step.call.op === "createGroup") this.groups.set(step.call.id, zoomId);
  }
}

export async function applyPlan(tenant: ProvisioningTenant, options: ApplyOptions): Promise<ApplyOutcome> {
  const plan = tenant.store.plan;
  const holder = randomUUID();
  const take = (): Promise<boolean> => plan.takeLease(tenant.name, holder, Date.now(), Date.now() + LEASE_MS);
  // A lease left by a crashed apply runs out within LEASE_MS: wait that long, never for one that is being renewed.
  const giveUpAt = Date.now() + LEASE_MS + 1_000;
  while (!(await take())) {
    if (Date.now() > giveUpAt)
      throw new ScimError(
        409,
        undefined,
        `Another apply of tenant "${tenant.name}" is running; wait for it to finish, then look at the plan again.`,
      );
    await delay(250);
  }
  let renewal: Promise<boolean> = Promise.resolve(true);
  const renew = setInterval(() => void (renewal = take().catch(() => false)), LEASE_MS / 4);
  try {
    return await run(tenant, options);
  } finally {
    clearInterval(renew);
    await renewal;
    await plan.dropLease(tenant.name, holder);
  }
}

async function run(tenant: ProvisioningTenant, options: ApplyOptions): Promise<ApplyOutcome> {
  const ledger = tenant.preview.ledger;
  const ids = new IdMap();
  let lastDone = 0;
  for (const step of await ledger.steps({ states: ["done"] })) {
    if (step.zoomId !== null) ids.note(step, step.zoomId);
    lastDone = step.seq;
  }
  // Objects the applied steps already made true in Zoom (a crash may have left some).
  await tenant.store.plan.forgetObjectsUpTo(tenant.name, lastDone);
  const result: ApplyOutcome = { tenant: tenant.name, applied: 0, confirmed: 0, remaining: 0 };
  let total = await ledger.unappliedCount();
  let done = 0;
  options.onProgress?.(0, total);
  try {
    for (;;) {
      const batch = await ledger.unappliedSteps(BATCH);
      if (batch.length === 0) break;
      for (const step of batch) {
        if (options.signal?.aborted) {
          result.remaining = await ledger.unappliedCount();
          return result;
        }
        const stop = await applyStep(tenant, step, ids, options, result);
        if (stop) {
          result.stopped = stop;
          result.remaining = await ledger.unappliedCount();
          return result;
        }
        done += 1;
        // Steps planned while the apply runs (a preview tenant still taking writes) are applied too.
        total = Math.max(total, done);
        options.onProgress?.(done, total);
      }
      total = done + (await ledger.unappliedCount());
    }
  } finally {
    // Reads go to Zoom again for what the plan made true: no snapshot or cached list may keep the planned ids.
    tenant.users.invalidate();
    tenant.forgetGroups();
  }
  return result;
}

/** Sends one step; answers why the apply must stop, or undefined when the step is done. */
async function applyStep(
  tenant: ProvisioningTenant,
  step: PlannedStep,
  ids: IdMap,
  options: ApplyOptions,
  result: ApplyOutcome,
): Promise<ApplyOutcome["stopped"] | undefined> {
  const store = tenant.store.plan;
  const call = withZoomIds(step.call, ids);
  const { method, path } = describeCall(call);
  const what = `plan step ${step.seq} (${method} ${path})`;
  try {
    await runAudited(tenant.audit, {
      init: {
        tenant: tenant.name,
        kind: "plan-apply",
        actor: options.actor,
        client: null,
        requestId: options.requestId,
        originRequestId: null,
        method,
        route: path,
        resourceType: step.resourceType,
        resourceId: step.resourceId,
        userName: userNameOf(step.call),
      },
      work: async () => {
        const changes: DestructiveChange[] = step.destructive ? [{ kind: step.destructive, count: usersTouched(step.call) }] : [];
        const admission = await tenant.applyBreaker.admit(changes, `applying ${what}`);
        let zoomId: string | undefined;
        try {
          // A step that failed may have reached Zoom (a timeout) as one cut off by a crash may have.
          const inDoubt = step.state !== "planned";
          const confirmed = inDoubt ? await madeAlready(tenant, call) : undefined;
          if (confirmed !== undefined) {
            zoomId = confirmed.zoomId;
            result.confirmed += 1;
          } else {
            await store.markStep(step.seq, "sending", new Date().toISOString());
            zoomId = (await sendAgainSafely(tenant, call, inDoubt)).zoomId;
            result.applied += 1;
          }
        } catch (error) {
          await admission.settle([]);
          throw error;
        }
        await admission.settle(changes);
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
      await store.markStep(step.seq, "failed", new Date().toISOString(), { error: scim.detail });
    }
    return { seq: step.seq, status: scim.status, detail: scim.detail };
  }
}

/** A create in doubt after a crash: whether Zoom holds it already (the user by email, the group by name). */
async function madeAlready(tenant: ProvisioningTenant, call: PlannedCall): Promise<{ zoomId: string } | undefined> {
  if (call.op === "createUser") {
    try {
      return { zoomId: (await tenant.liveZoom.getUser(call.request.user_info.email)).id };
    } catch (error) {
      if (isZoomNotFound(error)) return undefined;
      throw error;
    }
  }
  if (call.op === "createGroup") {
    const lower = call.name.toLowerCase();
    const group = (await tenant.liveZoom.listAllGroups()).find((g) => g.name.toLowerCase() === lower);
    return group ? { zoomId: group.id } : undefined;
  }
  return undefined;
}

/** Sends the call; a removal sent again after a crash that finds its object gone is done. */
async function sendAgainSafely(tenant: ProvisioningTenant, call: PlannedCall, inDoubt: boolean): Promise<{ zoomId?: string }> {
  try {
    return await sendCall(tenant.liveZoom, call);
  } catch (error) {
    const removal = call.op === "deleteUser" || call.op === "deleteGroup" || call.op === "removeGroupMember";
    if (inDoubt && removal && isZoomNotFound(error)) return {};
    throw error;
  }
}

/** The step is done: a create's id is kept (for later steps and for the IdP's id), the objects it made true go. */
async function recordDone(tenant: ProvisioningTenant, step: PlannedStep, ids: IdMap, zoomId: string | undefined): Promise<void> {
  const store = tenant.store.plan;
  if (zoomId !== undefined) {
    ids.note(step, zoomId);
    if (step.call.op === "createUser") {
      await tenant.users.adoptZoomId(step.call.id, zoomId);
      await store.rekeyUser(tenant.name, step.call.id, zoomId);
    }
    if (step.call.op === "createGroup") {
      await tenant.groupAliases.set(step.call.id, zoomId);
      await store.rekeyGroup(tenant.name, step.call.id, zoomId);
    }
  }
  await tenant.store.transaction(async () => {
    await store.markStep(step.seq, "done", new Date().toISOString(), zoomId !== undefined ? { result: JSON.stringify({ zoomId }) } : {});
    await store.forgetObjectsUpTo(tenant.name, step.seq);
  });
}

function userNameOf(call: PlannedCall): string | null {
  if (call.op === "createUser") return call.request.user_info.email;
  if (call.op === "changeUserEmail") return call.email;
  return null;
}
