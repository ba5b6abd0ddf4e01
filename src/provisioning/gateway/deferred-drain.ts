// Applies a user's deferred changes to Zoom once it has accepted its invitation: each entry once, in the order
// they were accepted, each planned against Zoom's user as it is by then (so a repeated attempt after a crash or a
// half-way failure sends only what is missing). A failure stops the queue (later entries must not overtake it),
// is recorded with its error and retried with backoff.
import { KeyedMutex } from "../../lib/concurrency.js";
import type { DeferredChange, LifecycleStore } from "../../store/types.js";
import type { ZoomUser } from "../../zoom/types.js";
import { ScimError } from "../../scim/errors.js";
import { scimErrorFromZoom } from "../zoom-errors.js";
import { deltaPaths } from "../mapping/zoom-held.js";

export type DrainState =
  /** Nothing is left to apply. */
  | "applied"
  /** The user is still pending in Zoom (or its invitation expired): nothing can be applied yet. */
  | "pending"
  /** The next entry is backing off after a failure. */
  | "waiting"
  /** An entry failed now; see `error`. */
  | "failed"
  /** Zoom has no such user. */
  | "gone";

export interface DrainResult {
  state: DrainState;
  /** Zoom's user as it stands after the attempt, when it was read. */
  user?: ZoomUser;
  error?: ScimError;
  remaining: number;
}

export interface DrainOptions {
  /** Ignore backoff: a SCIM write to the user is waiting on the queue. */
  force?: boolean;
  /** Zoom's user when the caller has just read it (saves a get). */
  user?: ZoomUser;
}

/** Applies one deferred entry to an active Zoom user; answers Zoom's user after it. Provided by the user domain. */
export type DeferredApplier = (user: ZoomUser, entry: DeferredChange) => Promise<ZoomUser>;

export interface DrainDeps {
  tenant: string;
  lifecycle: LifecycleStore;
  lookup(id: string): Promise<ZoomUser | "expired" | undefined>;
  markExpired(id: string): Promise<unknown>;
  apply: DeferredApplier;
  /** Runs a user's drain as the only one across the processes sharing the store. */
  exclusive<T>(id: string, work: () => Promise<T>): Promise<T>;
  /** Another replica may have drained while this one waited for the lock: the caller's read of the user is then stale. */
  shared: boolean;
}

export class DeferredQueue {
  /** Drains per user run one after another, whatever triggered them (webhook, read, reconciler, write). */
  private readonly running = new KeyedMutex();

  constructor(private readonly deps: DrainDeps) {}

  /** Whether a drain of the user is running or waiting in this process. */
  busy(id: string): boolean {
    return this.running.has(id);
  }

  drain(id: string, options: DrainOptions = {}): Promise<DrainResult> {
    // A caller's own read of the user may be stale once an earlier drain has run: read again then.
    const queued = this.running.has(id);
    return this.running.run(id, () => this.deps.exclusive(id, () => this.drainNow(id, queued ? { ...options, user: undefined } : options)));
  }

  private async drainNow(id: string, options: DrainOptions): Promise<DrainResult> {
    const { lifecycle, tenant } = this.deps;
    const entries = await lifecycle.listDeferredChanges(tenant, id);
    const first = entries[0];
    if (!first) return { state: "applied", remaining: 0, ...(options.user ? { user: options.user } : {}) };
    if (!options.force && Date.parse(first.nextAttemptAt) > Date.now()) return { state: "waiting", remaining: entries.length };

    const found = options.user ?? (await this.deps.lookup(id));
    if (found === "expired") {
      await this.deps.markExpired(id);
      return { state: "pending", remaining: entries.length };
    }
    if (!found) return { state: "gone", remaining: entries.length };
    if (found.status === "pending") return { state: "pending", user: found, remaining: entries.length };

    let user = found;
    for (const [index, entry] of entries.entries()) {
      try {
        user = await this.deps.apply(user, entry);
      } catch (error) {
        const base = scimErrorFromZoom(
          error,
          `applying a change accepted while the user was pending (${deltaPaths(entry.change).join(", ")})`,
        );
        const detail = `A change accepted on ${entry.createdAt} while user ${id} was pending could not be applied to Zoom: ${base.detail}`;
        await lifecycle.recordDeferredFailure(
          tenant,
          entry.seq,
          detail,
          nextAttemptAt(new Date(), entry.attempts + 1, base.retryAfterSeconds),
        );
        const failure = new ScimError(base.status, base.scimType, detail, { retryAfterSeconds: base.retryAfterSeconds, cause: error });
        return { state: "failed", user, error: failure, remaining: entries.length - index };
      }
      // Removed as soon as it is applied: each entry reaches Zoom once.
      await lifecycle.removeDeferredChange(tenant, entry.seq);
    }
    await lifecycle.removeInvitation(tenant, id);
    return { state: "applied", user, remaining: 0 };
  }
}

const BACKOFF_BASE_MS = 5_000;
const BACKOFF_MAX_MS = 3_600_000;

/** When a failed entry is next tried: 5 s doubling per attempt up to an hour, never before Zoom's Retry-After. */
export function nextAttemptAt(now: Date, attempts: number, retryAfterSeconds?: number): Date {
  const exponential = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
  const wait = Math.max(exponential, (retryAfterSeconds ?? 0) * 1000);
  return new Date(now.getTime() + wait);
}
