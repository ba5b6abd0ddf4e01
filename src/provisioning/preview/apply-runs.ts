// The applies this process runs in the background (POST /admin/plan/apply): one per tenant at a time, their
// progress for GET /admin/plan, and a stop for shutdown (the step under way finishes; the rest waits for the
// next apply, which takes up where this one stopped).
import type { ProvisioningTenant } from "../provisioning-tenant.js";
import { applyPlan, type ApplyOptions, type ApplyOutcome } from "./plan-apply.js";

export interface ApplyProgressView {
  startedAt: string;
  done: number;
  total: number;
  /** The outcome, once the apply has ended (kept until the next one starts). */
  outcome?: ApplyOutcome;
  error?: string;
}

interface Run {
  view: ApplyProgressView;
  promise: Promise<ApplyOutcome> | undefined;
  stop: AbortController;
}

export class ApplyRuns {
  private readonly runs = new Map<string, Run>();

  /** The tenant's current (or last) apply in this process. */
  progress(tenant: string): ApplyProgressView | undefined {
    return this.runs.get(tenant)?.view;
  }

  running(tenant: string): boolean {
    return this.runs.get(tenant)?.promise !== undefined;
  }

  /** Starts an apply unless one runs here already (undefined); `onEnd` hears how it ended. */
  start(
    tenant: ProvisioningTenant,
    options: Omit<ApplyOptions, "onProgress" | "signal">,
    onEnd: (run: ApplyProgressView) => void,
  ): Promise<ApplyOutcome> | undefined {
    if (this.running(tenant.name)) return undefined;
    const stop = new AbortController();
    const view: ApplyProgressView = { startedAt: new Date().toISOString(), done: 0, total: 0 };
    const run: Run = { view, promise: undefined, stop };
    this.runs.set(tenant.name, run);
    const promise = applyPlan(tenant, {
      ...options,
      signal: stop.signal,
      onProgress: (done, total) => {
        view.done = done;
        view.total = total;
      },
    });
    run.promise = promise;
    promise.then(
      (outcome) => {
        view.outcome = outcome;
        run.promise = undefined;
        onEnd(view);
      },
      (error: unknown) => {
        view.error = error instanceof Error ? error.message : String(error);
        run.promise = undefined;
        onEnd(view);
      },
    );
    return promise;
  }

  /** Asks every apply to stop after its current step, and waits for them. */
  async stopAll(): Promise<void> {
    const running = [...this.runs.values()].filter((run) => run.promise !== undefined);
    for (const run of running) run.stop.abort();
    await Promise.allSettled(running.map((run) => run.promise));
  }
}
