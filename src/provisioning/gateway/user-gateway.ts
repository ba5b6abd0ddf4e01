// Users as the pending lifecycle sees them: Zoom's user, or zoom-scim's record of an invitation Zoom no longer
// answers for, with the changes still waiting for Zoom. A read that finds an accepted user with waiting changes
// applies them first (one of the three ways acceptance is noticed, with webhooks and the reconciler).
import type { DeferredChange, Invitation, StoredResource } from "../../store/types.js";
import type { ZoomUser } from "../../zoom/types.js";
import { notFound, type ScimError } from "../../scim/errors.js";
import type { ScimTenant } from "../tenant.js";
import { lookupZoomUser } from "../users/user-render.js";
import type { IdentifiedZoomUser } from "../users/user-view.js";
import { applyDeferredChanges } from "./deferred-drain.js";
import { lapsedUser, markExpired, putInvitation } from "./invitations.js";

export interface LoadedUser {
  /** Zoom's user, or the recorded one (with `invitation` set) when its invitation expired or was cancelled. */
  user: ZoomUser & IdentifiedZoomUser;
  stored: StoredResource | undefined;
  /** Changes accepted and not yet applied by Zoom, in order. */
  deferred: DeferredChange[];
  invitation: Invitation | undefined;
  /** Why waiting changes of an accepted user could not be applied just now. */
  drainError?: ScimError;
}

export interface LoadOptions {
  /** A write is waiting: retry failed changes now instead of after their backoff. */
  force?: boolean;
  /** Apply waiting changes of an accepted user (default true; a DELETE does not). */
  apply?: boolean;
  /** Zoom's user when the caller has just read it (a lookup by email): saves a get. */
  zoomUser?: ZoomUser;
}

/** The user with this SCIM id, or undefined when neither Zoom nor the lifecycle knows it. */
export async function findUser(tenant: ScimTenant, id: string, options: LoadOptions = {}): Promise<LoadedUser | undefined> {
  if (id.includes("@") || id.trim() === "") return undefined;
  const lifecycle = tenant.store.lifecycle;
  const found = options.zoomUser ?? (await lookupZoomUser(tenant, id));
  let invitation = await lifecycle.getInvitation(tenant.name, id);
  let user: (ZoomUser & IdentifiedZoomUser) | undefined;
  let drainError: ScimError | undefined;

  if (found === "expired") {
    invitation = await markExpired(tenant, id);
    if (invitation) user = lapsedUser(invitation);
  } else if (found === undefined) {
    // Zoom holds no user after a cancelled invitation; any other record without a Zoom user is stale.
    if (invitation?.state === "cancelled") user = lapsedUser(invitation);
  } else if (found.status === "pending") {
    await putInvitation(tenant, found, "pending", invitation);
    user = found;
  } else if (options.apply === false) {
    user = found;
  } else {
    user = found;
    const drained = await applyDeferredChanges(tenant, id, { force: options.force === true, user: found });
    if (drained.user) user = drained.user;
    drainError = drained.error;
    // Accepted: the invitation record is done with once nothing waits.
    if (invitation && drained.state === "applied") {
      await lifecycle.removeInvitation(tenant.name, id);
      invitation = undefined;
    }
  }
  if (!user) return undefined;
  // The snapshot holds Zoom's users only; lapsed invitations are laid over it from the store (withLifecycle).
  if (!user.invitation) tenant.users.upsert(user);
  return {
    user,
    stored: await tenant.store.get(tenant.name, "User", id),
    deferred: await lifecycle.listDeferredChanges(tenant.name, id),
    invitation,
    ...(drainError ? { drainError } : {}),
  };
}

/** The user as SCIM shows it, or a 404 when there is no such user or it was deleted through SCIM. */
export async function loadUser(tenant: ScimTenant, id: string, options: LoadOptions = {}): Promise<LoadedUser> {
  if (await tenant.store.getTombstone(tenant.name, "User", id)) throw notFound(`User ${id} not found (it was deleted)`);
  const loaded = await findUser(tenant, id, options);
  if (!loaded) throw notFound(`User ${id} not found`);
  return loaded;
}

export interface LifecycleView {
  invitations: Map<string, Invitation>;
  deferred: Map<string, DeferredChange[]>;
}

/** Every invitation record and waiting change of the tenant (two store reads), for lists. */
export async function lifecycleView(tenant: ScimTenant): Promise<LifecycleView> {
  const lifecycle = tenant.store.lifecycle;
  const [invitations, changes] = await Promise.all([lifecycle.listInvitations(tenant.name), lifecycle.listDeferredChanges(tenant.name)]);
  const deferred = new Map<string, DeferredChange[]>();
  for (const change of changes) {
    const list = deferred.get(change.userId);
    if (list) list.push(change);
    else deferred.set(change.userId, [change]);
  }
  return { invitations: new Map(invitations.map((i) => [i.id, i])), deferred };
}

/** Drains for a page of listed users run this many at a time. */
const DRAIN_CONCURRENCY = 4;

/**
 * Zoom's listed users with the lifecycle laid over them: expired invitations show as such (Zoom's list calls them
 * pending), cancelled ones are added, and accepted users with changes due get them applied.
 */
export async function withLifecycle(tenant: ScimTenant, users: readonly IdentifiedZoomUser[], view: LifecycleView): Promise<IdentifiedZoomUser[]> {
  const result: IdentifiedZoomUser[] = [];
  const seen = new Set<string>();
  const toDrain: number[] = [];
  for (const user of users) {
    seen.add(user.id);
    const invitation = view.invitations.get(user.id);
    // Zoom's list shows a lapsed invitation as pending (an expired one stays listed; so may one whose
    // cancellation Zoom answered 1120 for).
    if (invitation && invitation.state !== "pending" && user.status === "pending") result.push({ ...user, invitation: invitation.state });
    else result.push(user);
    if (user.status !== "pending" && view.deferred.has(user.id)) toDrain.push(result.length - 1);
  }
  for (const invitation of view.invitations.values()) {
    if (invitation.state === "cancelled" && !seen.has(invitation.id)) result.push(lapsedUser(invitation));
  }
  for (let i = 0; i < toDrain.length; i += DRAIN_CONCURRENCY) {
    await Promise.all(
      toDrain.slice(i, i + DRAIN_CONCURRENCY).map(async (index) => {
        const user = result[index];
        if (!user) return;
        const drained = await applyDeferredChanges(tenant, user.id);
        if (drained.user) result[index] = { ...user, ...drained.user };
        const remaining = await tenant.store.lifecycle.listDeferredChanges(tenant.name, user.id);
        if (remaining.length === 0) view.deferred.delete(user.id);
        else view.deferred.set(user.id, remaining);
      }),
    );
  }
  return result;
}
