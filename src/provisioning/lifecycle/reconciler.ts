// The third way acceptance is noticed, for accounts without webhooks: every tenant's outstanding users (open
// invitations, changes due) are compared with Zoom's pending list at its interval. An idle tenant costs nothing;
// one with outstanding users costs one list call per 2,000 pending users, plus one get per user that left it.
import { randomUUID } from "node:crypto";
import { mapConcurrent } from "../../lib/concurrency.js";
import { auditAcceptance } from "../audit/background.js";
import type { Tenant } from "../tenant.js";

export interface ReconcilerLogger {
  info(object: Record<string, unknown>, message: string): void;
  warn(object: Record<string, unknown>, message: string): void;
}

export interface ReconcileReport {
  checked: number;
  applied: string[];
  failed: string[];
  /** Another replica's pass was under way: this one did nothing. */
  skipped?: boolean;
}

/**
 * How a pass ended, for whoever watches (metrics): "ok" (nothing failed, whether or not anything was due),
 * "failed" (some users' changes were not applied; retried with backoff), "error" (the pass itself threw), or
 * "skipped" (another replica's pass held the lock).
 */
export type ReconcileOutcome = "ok" | "failed" | "error" | "skipped";

export type ReconcileObserver = (tenant: string, outcome: ReconcileOutcome) => void;

/** Users whose acceptance is checked at once. */
const CONCURRENCY = 4;

/**
 * One pass over a tenant, by one replica at a time: a replica that finds another's pass under way skips its own
 * (the lock dies with its holder's connection, so the next interval's pass goes to a live replica).
 */
export async function reconcileTenant(tenant: Tenant, logger?: ReconcilerLogger): Promise<ReconcileReport> {
  const outcome = await tenant.store.coordination.withLock(`reconcile\n${tenant.name}`, () => reconcileNow(tenant, logger), {
    wait: false,
  });
  return outcome.acquired ? outcome.value : { checked: 0, applied: [], failed: [], skipped: true };
}

async function reconcileNow(tenant: Tenant, logger?: ReconcilerLogger): Promise<ReconcileReport> {
  const lifecycle = tenant.store.lifecycle;
  const report: ReconcileReport = { checked: 0, applied: [], failed: [] };
  const [invitations, changes] = await Promise.all([lifecycle.listInvitations(tenant.name), lifecycle.listDeferredChanges(tenant.name)]);
  const emails = new Map<string, string | undefined>();
  for (const invitation of invitations) if (invitation.state === "pending") emails.set(invitation.id, invitation.email);
  const lapsed = new Set(invitations.filter((i) => i.state !== "pending").map((i) => i.id));
  const now = Date.now();
  const heads = new Set<string>();
  for (const change of changes) {
    // Only the head of a user's queue (its first entry) decides whether the user is due.
    if (heads.has(change.userId)) continue;
    heads.add(change.userId);
    if (emails.has(change.userId) || lapsed.has(change.userId)) continue;
    if (Date.parse(change.nextAttemptAt) <= now)
      emails.set(change.userId, (await tenant.store.get(tenant.name, "User", change.userId))?.email ?? undefined);
  }
  if (emails.size === 0) return report;

  // Zoom lists pending users without ids, but with emails: who is still on the list has not accepted.
  const stillPending = new Set((await tenant.users.listAllUsers("pending")).map((u) => u.email.toLowerCase()));
  // The audit links every user's entry of this pass, and the deferred changes it applies, to the pass.
  const passId = `reconcile-${randomUUID()}`;
  const due = [...emails].filter(([, email]) => email === undefined || !stillPending.has(email.toLowerCase())).map(([id]) => id);
  await mapConcurrent(due, CONCURRENCY, async (id) => {
    report.checked += 1;
    try {
      const { outcome, result } = await auditAcceptance(
        tenant,
        id,
        { kind: "reconciler", requestId: passId, what: "reconciler pass: the user is no longer on Zoom's pending list" },
        () => tenant.users.noticeAcceptance(id),
      );
      if (outcome === "applied") report.applied.push(id);
      if (outcome === "failed") {
        report.failed.push(id);
        logger?.warn(
          { tenant: tenant.name, userId: id, detail: result?.error?.detail },
          "deferred change not applied; retried with backoff",
        );
      }
    } catch (error) {
      report.failed.push(id);
      logger?.warn(
        { tenant: tenant.name, userId: id, err: error instanceof Error ? error.message : String(error) },
        "reconciling a pending user failed",
      );
    }
  });
  if (report.applied.length > 0) logger?.info({ tenant: tenant.name, users: report.applied }, "deferred changes applied after acceptance");
  return report;
}

/** Runs reconcileTenant for every tenant at its interval; stops with the server. */
export class Reconciler {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Map<Tenant, Promise<unknown>>();
  private stopped = false;

  constructor(
    private readonly tenants: readonly Tenant[],
    private readonly logger?: ReconcilerLogger,
    private readonly observer?: ReconcileObserver,
  ) {}

  start(): void {
    for (const tenant of this.tenants) {
      const interval = tenant.options.reconcileIntervalMs;
      if (interval <= 0) continue;
      const timer = setInterval(() => void this.run(tenant), interval);
      // The reconciler never keeps the process alive on its own.
      timer.unref();
      this.timers.push(timer);
    }
  }

  /** A pass, unless one is still running for the tenant (a slow Zoom must not pile passes up). */
  run(tenant: Tenant): Promise<unknown> {
    const running = this.running.get(tenant);
    if (running || this.stopped) return running ?? Promise.resolve();
    const pass = reconcileTenant(tenant, this.logger)
      .then((report) => this.observer?.(tenant.name, report.skipped ? "skipped" : report.failed.length > 0 ? "failed" : "ok"))
      .catch((error: unknown) => {
        this.observer?.(tenant.name, "error");
        this.logger?.warn({ tenant: tenant.name, err: error instanceof Error ? error.message : String(error) }, "reconciler pass failed");
      })
      .finally(() => this.running.delete(tenant));
    this.running.set(tenant, pass);
    return pass;
  }

  /** A pass over every tenant now (what the timers do at their intervals). */
  async runAll(): Promise<void> {
    await Promise.all(this.tenants.map((tenant) => this.run(tenant)));
  }

  /** Stops the timers and waits for passes under way (the store closes after). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    await Promise.all(this.running.values());
  }
}
