// Applies a user's deferred changes to Zoom once it has accepted its invitation: each entry once, in the order
// they were accepted, each planned against Zoom's user as it is by then (so a repeated attempt after a crash or a
// half-way failure sends only what is missing). A failure stops the queue (later entries must not overtake it),
// is recorded with its error and retried with backoff.
import type { DeferredChange } from "../../store/types.js";
import type { ZoomUser } from "../../zoom/types.js";
import { ScimError } from "../../scim/errors.js";
import type { ScimTenant } from "../tenant.js";
import { scimErrorFromZoom } from "../zoom-errors.js";
import { deepClone } from "../../scim/users/json-path.js";
import { applyDesired } from "../users/user-apply.js";
import { lookupZoomUser, renderUser } from "../users/user-render.js";
import { applyDelta, deltaPaths, nextAttemptAt } from "../users/deferred-delta.js";
import { markExpired } from "./invitations.js";

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

/** Drains per user run one after another, whatever triggered them (webhook, read, reconciler, write). */
const queues = new WeakMap<ScimTenant, Map<string, Promise<DrainResult>>>();

export function applyDeferredChanges(tenant: ScimTenant, id: string, options: DrainOptions = {}): Promise<DrainResult> {
  let running = queues.get(tenant);
  if (!running) {
    running = new Map();
    queues.set(tenant, running);
  }
  const previous = running.get(id);
  // A caller's own read of the user may be stale once an earlier drain has run: read again then.
  const next = (previous ?? Promise.resolve(undefined)).then(
    () => drain(tenant, id, previous ? { ...options, user: undefined } : options),
    () => drain(tenant, id, { ...options, user: undefined }),
  );
  running.set(id, next);
  const forget = (): void => {
    if (running.get(id) === next) running.delete(id);
  };
  next.then(forget, forget);
  return next;
}

async function drain(tenant: ScimTenant, id: string, options: DrainOptions): Promise<DrainResult> {
  const lifecycle = tenant.store.lifecycle;
  const entries = await lifecycle.listDeferredChanges(tenant.name, id);
  const first = entries[0];
  if (!first) return { state: "applied", remaining: 0, ...(options.user ? { user: options.user } : {}) };
  if (!options.force && Date.parse(first.nextAttemptAt) > Date.now()) return { state: "waiting", remaining: entries.length };

  const found = options.user ?? (await lookupZoomUser(tenant, id));
  if (found === "expired") {
    await markExpired(tenant, id);
    return { state: "pending", remaining: entries.length };
  }
  if (!found) return { state: "gone", remaining: entries.length };
  if (found.status === "pending") return { state: "pending", user: found, remaining: entries.length };

  let user = found;
  for (const [index, entry] of entries.entries()) {
    try {
      user = await applyEntry(tenant, user, entry);
    } catch (error) {
      const base = scimErrorFromZoom(error, `applying a change accepted while the user was pending (${deltaPaths(entry.change).join(", ")})`);
      const detail = `A change accepted on ${entry.createdAt} while user ${id} was pending could not be applied to Zoom: ${base.detail}`;
      await lifecycle.recordDeferredFailure(tenant.name, entry.seq, detail, nextAttemptAt(new Date(), entry.attempts + 1, base.retryAfterSeconds));
      const failure = new ScimError(base.status, base.scimType, detail, { retryAfterSeconds: base.retryAfterSeconds, cause: error });
      return { state: "failed", user, error: failure, remaining: entries.length - index };
    }
    // Removed as soon as it is applied: each entry reaches Zoom once.
    await lifecycle.removeDeferredChange(tenant.name, entry.seq);
  }
  await lifecycle.removeInvitation(tenant.name, id);
  return { state: "applied", user, remaining: 0 };
}

/** One entry: Zoom's current view with the entry laid over it is the desired user. Status is never deferred. */
async function applyEntry(tenant: ScimTenant, user: ZoomUser, entry: DeferredChange): Promise<ZoomUser> {
  const stored = await tenant.store.get(tenant.name, "User", user.id);
  // The base URL only shapes $ref links, which are neither compared nor sent to Zoom.
  const view = await renderUser(tenant, user, stored, "");
  const desired = applyDelta(deepClone(view), entry.change);
  desired.active = view.active;
  return (await applyDesired(tenant, user, desired, stored, view, "")).user;
}
