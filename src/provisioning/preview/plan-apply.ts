// `apply`: sends a tenant's plan to Zoom, step by step in plan order (apply-step.ts sends one), and stops at the
// first step Zoom or the breaker refuses. Only one apply of a tenant runs at a time, in any process: it holds a
// lease in the store, renewed while it runs (a renewal that fails stops it after the step under way); a crashed
// apply's lease runs out after LEASE_MS, and the next apply waits that long for it.
import { randomUUID } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { ScimError } from "../../scim/errors.js";
import type { ProvisioningTenant } from "../provisioning-tenant.js";
import { applyStep, IdMap } from "./apply-step.js";

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
  // Lost the lease (the store unreachable, or so slow another apply took it over): stop before the next step.
  const lost = new AbortController();
  let renewal: Promise<void> = Promise.resolve();
  const renew = setInterval(() => {
    renewal = take().then(
      (held) => void (held || lost.abort()),
      () => lost.abort(),
    );
  }, LEASE_MS / 4);
  const signal = options.signal ? AbortSignal.any([options.signal, lost.signal]) : lost.signal;
  try {
    const outcome = await run(tenant, { ...options, signal });
    if (lost.signal.aborted && outcome.remaining > 0 && !outcome.stopped)
      outcome.stopped = { seq: 0, status: 409, detail: "The apply lost its lease in the store and stopped; run apply again." };
    return outcome;
  } finally {
    clearInterval(renew);
    await renewal;
    await plan.dropLease(tenant.name, holder);
  }
}

async function run(tenant: ProvisioningTenant, options: ApplyOptions): Promise<ApplyOutcome> {
  const ledger = tenant.preview.ledger;
  const ids = new IdMap();
  // Earlier applies' creates: later steps name them by their planned ids.
  for (const category of ["user creates", "group creates"] as const) {
    for (const step of await ledger.steps({ states: ["done"], category })) if (step.zoomId !== null) ids.note(step, step.zoomId);
  }
  await forgetSettled(tenant);
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
    await forgetSettled(tenant);
  } finally {
    // Reads go to Zoom again for what the plan made true: no snapshot or cached list may keep the planned ids.
    tenant.users.invalidate();
    tenant.forgetGroups();
  }
  return result;
}

/**
 * Forgets the objects whose every step is settled (applied or skipped, none waiting before them): Zoom says
 * what they are now. A crash may have left some, and a skipped last step leaves its own.
 */
async function forgetSettled(tenant: ProvisioningTenant): Promise<void> {
  const store = tenant.store.plan;
  const [settled, [waiting]] = await Promise.all([store.maxSeq(tenant.name, ["done", "skipped"]), tenant.preview.ledger.unappliedSteps(1)]);
  await store.forgetObjectsUpTo(tenant.name, waiting ? Math.min(settled, waiting.seq - 1) : settled);
}
