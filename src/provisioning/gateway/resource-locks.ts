// Read-modify-write of one resource, safe against concurrent writes of it. Within this process, writes of one
// resource run one at a time (a lock per tenant, kind and id); across processes, the store write is guarded by the
// version that was read, and a write that lost the race is re-read and re-applied, a few times, before the client
// is told to retry. Zoom holds no versions: the Zoom part relies on the re-run planning against Zoom's state anew.
import { AsyncLocalStorage } from "node:async_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { KeyedMutex } from "../../lib/concurrency.js";
import { StoreConflictError } from "../../store/errors.js";
import { ScimError } from "../../scim/errors.js";

/** What is locked: a user or group by id, or a userName a create is under way for. */
export type LockedKind = "User" | "Group" | "UserName";

/** Re-runs after a lost race before answering 409. */
export const CONFLICT_RETRIES = 3;

/** A StoreConflictError, also when a step wrapped it as the cause of its own error. */
export function isStoreConflict(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof StoreConflictError) return true;
  }
  return false;
}

export class ResourceLocks {
  private readonly mutex = new KeyedMutex();
  /** The keys the current async context holds: a nested write of the same resource joins, it does not deadlock. */
  private readonly held = new AsyncLocalStorage<ReadonlySet<string>>();

  constructor(private readonly tenant: string) {}

  /** Runs `work` holding the resource's lock (at once when this context holds it already). */
  run<T>(kind: LockedKind, id: string, work: () => Promise<T>): Promise<T> {
    const key = this.key(kind, id);
    const held = this.held.getStore();
    if (held?.has(key)) return work();
    return this.mutex.run(key, () => this.held.run(new Set([...(held ?? []), key]), work));
  }

  /**
   * One read-modify-write: `work` must read what it changes itself (it may run again). The outermost write of a
   * resource retries; a nested one lets the conflict reach it.
   */
  write<T>(kind: Exclude<LockedKind, "UserName">, id: string, work: () => Promise<T>): Promise<T> {
    if (this.holds(kind, id)) return work();
    return this.run(kind, id, () => retryOnConflict(`${kind} ${id}`, work));
  }

  /** Whether any work holds or waits for the resource's lock. */
  busy(kind: LockedKind, id: string): boolean {
    return this.mutex.has(this.key(kind, id));
  }

  /** Whether the current async context holds the resource's lock. */
  holds(kind: LockedKind, id: string): boolean {
    return this.held.getStore()?.has(this.key(kind, id)) === true;
  }

  private key(kind: LockedKind, id: string): string {
    return `${this.tenant}\u0000${kind}\u0000${kind === "UserName" ? id.toLowerCase() : id}`;
  }

  /** Resources with a write queued or running (for tests and metrics). */
  get size(): number {
    return this.mutex.size;
  }
}

/** Runs `work` again after a lost race (with a short random pause, so two processes stop colliding), then 409. */
export async function retryOnConflict<T>(what: string, work: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isStoreConflict(error)) throw error;
      if (attempt >= CONFLICT_RETRIES) {
        throw new ScimError(
          409,
          undefined,
          `${what} was changed by a concurrent request while this one was being applied (${attempt + 1} attempts): the concurrent change won, ` +
            "and this request's stored part was not written (what it asked of Zoom may have been applied). Read the resource and retry the request.",
          { cause: error },
        );
      }
      await sleep(Math.random() * 10 * 2 ** attempt);
    }
  }
}
