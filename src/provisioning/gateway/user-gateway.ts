// The one way into Zoom user state. Users, groups, the reconciler and the webhook handler read and change Zoom
// users only through here: lookups by id or email, the snapshot behind lists, pending users' ids, id aliases
// (SCIM ids in, SCIM ids out), invitation records and the drain of changes deferred while a user was pending.
import { randomUUID } from "node:crypto";
import { mapConcurrent } from "../../lib/concurrency.js";
import type { DeferredChange, ResourceStore } from "../../store/types.js";
import type {
  ZoomCreatedUser,
  ZoomCreateUserRequest,
  ZoomDeleteAction,
  ZoomListedUser,
  ZoomUser,
  ZoomUserStatus,
} from "../../zoom/types.js";
import { isZoomEmail, isZoomUserId } from "../../zoom/index.js";
import { notFound, type ScimError } from "../../scim/errors.js";
import { isExpiredInvitation, isZoomNotFound, isZoomUserGone, scimErrorFromZoom } from "../zoom-errors.js";
import { DeferredQueue, type DrainOptions, type DrainResult } from "./deferred-drain.js";
import { Invitations, lapsedUser } from "./invitations.js";
import { ResourceLocks } from "./resource-locks.js";
import { UserAliases } from "./user-aliases.js";
import { UserDirectory } from "./user-directory.js";
import { ZoomUserCalls } from "./user-calls.js";
import { ListedUsers } from "./user-listing.js";
import { UserSnapshotCache, indexOfUser, type SnapshotOptions, type UserSnapshot } from "./user-snapshot.js";
import type { IdentifiedZoomUser } from "./user-state.js";
import type { AcceptanceOutcome, GatewayOptions, LifecycleView, LoadedUser, LoadOptions } from "./gateway-types.js";

export type { AcceptanceOutcome, GatewayOptions, LifecycleView, LoadedUser, LoadOptions } from "./gateway-types.js";

/** A lapsed user with the groups it was added to while Zoom did not hold it. */
function withGroups<U extends { group_ids?: string[] | undefined }>(user: U, desired: readonly string[] | undefined): U {
  if (!desired || desired.length === 0) return user;
  return { ...user, group_ids: [...new Set([...(user.group_ids ?? []), ...desired])] };
}

/** Drains for a page of listed users run this many at a time. */
const DRAIN_CONCURRENCY = 4;

export class ZoomUserGateway extends ZoomUserCalls {
  readonly invitations: Invitations;
  /** Per-resource write serialisation for the tenant's users and groups (resource-locks.ts). */
  readonly locks: ResourceLocks;
  /** The account's id ⇄ email pairs as last seen (managers are named by email in Zoom, by id in SCIM). */
  readonly directory = new UserDirectory();
  private readonly tenant: string;
  private readonly store: ResourceStore;
  private readonly cache: UserSnapshotCache;
  private readonly queue: DeferredQueue;

  constructor(options: GatewayOptions) {
    const coordination = options.store.coordination;
    super(options.zoom, new UserAliases(options.tenant, options.store.lifecycle, coordination.shared));
    this.tenant = options.tenant;
    this.store = options.store;
    this.invitations = new Invitations(options.tenant, options.store.lifecycle);
    this.locks = new ResourceLocks(options.tenant);
    this.cache = new UserSnapshotCache(
      options.tenant,
      { listAllUsers: (status) => this.listAllUsers(status), getUser: (email) => this.getUser(email) },
      options.store,
      options.snapshotTtlMs,
      coordination.shared ? { coordination, origin: randomUUID() } : undefined,
    );
    this.queue = new DeferredQueue({
      tenant: options.tenant,
      lifecycle: options.store.lifecycle,
      lookup: (id) => this.lookup(id),
      markExpired: (id) => this.invitations.markExpired(id),
      apply: options.applyDeferred,
      // One drain of a user at a time across replicas: each change reaches Zoom once, in order.
      exclusive: async (id, work) => {
        const outcome = await coordination.withLock(`drain\n${options.tenant}\n${id}`, work);
        if (!outcome.acquired) throw new Error("store: the drain lock was not granted");
        return outcome.value;
      },
      shared: coordination.shared,
    });
  }

  // ---- The snapshot behind lists and filters --------------------------------------------------------------

  /** Every Zoom user, from one shared scan kept for the snapshot TTL (longer for a walk's later pages). */
  snapshot(options: SnapshotOptions = {}): Promise<UserSnapshot> {
    return this.cache.snapshot(options);
  }

  /** The user's details (fields only Zoom's GET of one user returns) if read within DETAIL_STALENESS_MS. */
  detailsOf(id: string): ZoomUser | undefined {
    return this.cache.detailsOf(id);
  }

  /** The snapshot only if one is loaded and fresh (never calls Zoom). */
  peek(): UserSnapshot | undefined {
    return this.cache.peek();
  }

  /** When the snapshot held now (fresh or not) was scanned (epoch ms); undefined before the first scan. */
  snapshotTakenAt(): number | undefined {
    return this.cache.takenAt();
  }

  /** Records what a write left a user as, so lists agree without rescanning Zoom (on every replica). */
  remember(user: IdentifiedZoomUser): void {
    this.directory.note(user);
    this.cache.upsert(user);
    void this.cache.publish(user.id, user).catch(() => undefined);
  }

  invalidate(): void {
    this.cache.invalidate();
  }

  /** A snapshot taken now (one scan), for when many users must be judged and per-user reads would cost more. */
  refreshSnapshot(): Promise<UserSnapshot> {
    this.cache.invalidate();
    return this.cache.snapshot();
  }

  // ---- What Zoom says of users feeds the directory -------------------------------------------------------

  override async getUser(idOrEmail: string): Promise<ZoomUser> {
    const user = await super.getUser(idOrEmail);
    this.directory.note(user);
    return user;
  }

  override async listAllUsers(status: ZoomUserStatus): Promise<ZoomListedUser[]> {
    const users = await super.listAllUsers(status);
    await this.directory.noteAll(users);
    return users;
  }

  override async changeUserEmail(id: string, email: string): Promise<void> {
    await super.changeUserEmail(id, email);
    this.directory.note({ id, email });
  }

  override async deleteUser(id: string, action: ZoomDeleteAction): Promise<void> {
    await super.deleteUser(id, action);
    this.directory.forget(id);
  }

  // ---- Lookups ----------------------------------------------------------------------------------------------

  /** A Zoom user by id, or undefined; emails are not ids (Zoom would accept them, SCIM must not). */
  async fetch(id: string): Promise<ZoomUser | undefined> {
    // Nothing shaped unlike a Zoom id reaches Zoom's URLs: it names no user.
    if (!isZoomUserId(id)) return undefined;
    try {
      return await this.getUser(id);
    } catch (error) {
      // An expired invitation (1120) is no user Zoom can act on either.
      if (isZoomUserGone(error)) {
        this.directory.forget(id);
        return undefined;
      }
      throw error;
    }
  }

  /** Zoom's user by id or email, "expired" for an invitation Zoom answers 1120 for, undefined when unknown. */
  async lookup(idOrEmail: string): Promise<ZoomUser | "expired" | undefined> {
    if (!isZoomUserId(idOrEmail) && !isZoomEmail(idOrEmail)) return undefined;
    try {
      return await this.getUser(idOrEmail);
    } catch (error) {
      if (isExpiredInvitation(error)) return "expired";
      if (isZoomNotFound(error)) {
        if (isZoomEmail(idOrEmail)) this.directory.forgetEmail(idOrEmail);
        else this.directory.forget(idOrEmail);
        return undefined;
      }
      throw error;
    }
  }

  /** The user with this SCIM id, or undefined when neither Zoom nor the lifecycle knows it. */
  async find(id: string, options: LoadOptions = {}): Promise<LoadedUser | undefined> {
    if (!isZoomUserId(id)) return undefined;
    const found = options.zoomUser ?? (await this.lookup(id));
    let invitation = await this.invitations.get(id);
    let user: (ZoomUser & IdentifiedZoomUser) | undefined;
    let drainError: ScimError | undefined;
    let nothingWaits = false;

    if (found === "expired") {
      invitation = await this.invitations.markExpired(id);
      if (invitation) user = lapsedUser(invitation);
    } else if (found === undefined) {
      // Zoom holds no user after a cancelled invitation; any other record without a Zoom user is stale.
      if (invitation?.state === "cancelled") user = lapsedUser(invitation);
    } else if (found.status === "pending") {
      await this.invitations.put(found, "pending", invitation);
      user = found;
    } else if (options.apply === false) {
      user = found;
    } else {
      user = found;
      const drained = await this.drain(id, { force: options.force === true, user: found });
      if (drained.user) user = drained.user;
      drainError = drained.error;
      nothingWaits = drained.state === "applied" && drained.remaining === 0;
      // Accepted: the invitation record is done with once nothing waits.
      if (invitation && drained.state === "applied") {
        await this.invitations.remove(id);
        invitation = undefined;
      }
    }
    if (!user) return undefined;
    if (user.invitation) user = await this.withDesiredGroups(user);
    // The snapshot holds Zoom's users only; lapsed invitations are laid over it from the store (listed).
    // What Zoom's GET answered: kept for filters on attributes its list lacks, and laid into the snapshot.
    if (!user.invitation) this.cache.rememberDetails(user);
    return {
      user,
      stored: await this.store.get(this.tenant, "User", id),
      // A drain that left nothing waiting has said so: no second read.
      deferred: nothingWaits ? [] : await this.store.lifecycle.listDeferredChanges(this.tenant, id),
      invitation,
      ...(drainError ? { drainError } : {}),
    };
  }

  /** A lapsed user's groups: those its invitation recorded, and those it was added to since (desired membership). */
  private async withDesiredGroups<U extends ZoomUser>(user: U): Promise<U> {
    return withGroups(user, await this.store.lifecycle.listDesiredGroups(this.tenant, user.id));
  }

  /** The user as SCIM shows it, or a 404 when there is no such user or it was deleted through SCIM. */
  async load(id: string, options: LoadOptions = {}): Promise<LoadedUser> {
    if (await this.store.getTombstone(this.tenant, "User", id)) throw notFound(`User ${id} not found (it was deleted)`);
    const loaded = await this.find(id, options);
    if (!loaded) throw notFound(`User ${id} not found`);
    return loaded;
  }

  /** Every invitation record and waiting change of the tenant (two store reads), for lists. */
  async lifecycleView(): Promise<LifecycleView> {
    const lifecycle = this.store.lifecycle;
    const [invitations, changes, desired] = await Promise.all([
      lifecycle.listInvitations(this.tenant),
      lifecycle.listDeferredChanges(this.tenant),
      lifecycle.listAllDesiredMembers(this.tenant),
    ]);
    const deferred = new Map<string, DeferredChange[]>();
    for (const change of changes) {
      const list = deferred.get(change.userId);
      if (list) list.push(change);
      else deferred.set(change.userId, [change]);
    }
    const desiredGroups = new Map<string, string[]>();
    for (const { groupId, userId } of desired) desiredGroups.set(userId, [...(desiredGroups.get(userId) ?? []), groupId]);
    return { invitations: new Map(invitations.map((i) => [i.id, i])), deferred, desiredGroups };
  }

  /**
   * The snapshot's users with the lifecycle laid over them, without copying the list: expired invitations show as
   * such (Zoom's list calls them pending), cancelled ones are added, accepted users with changes due get them applied,
   * and users in `deleted` (deleted through SCIM) are skipped.
   */
  async listed(snapshot: UserSnapshot, view: LifecycleView, deleted: ReadonlySet<string>): Promise<ListedUsers> {
    const substitutes = new Map<string, IdentifiedZoomUser>();
    const appended: IdentifiedZoomUser[] = [];
    for (const invitation of view.invitations.values()) {
      const listed = snapshot.byId.get(invitation.id);
      // Zoom's list shows a lapsed invitation as pending (an expired one stays listed; so may one whose
      // cancellation Zoom answered 1120 for).
      if (listed && invitation.state !== "pending" && listed.status === "pending")
        substitutes.set(listed.id, withGroups({ ...listed, invitation: invitation.state }, view.desiredGroups?.get(listed.id)));
      else if (!listed && invitation.state === "cancelled" && !deleted.has(invitation.id))
        appended.push(withGroups(lapsedUser(invitation), view.desiredGroups?.get(invitation.id)));
    }
    const toDrain = [...view.deferred.keys()].filter((id) => {
      const listed = snapshot.byId.get(id);
      return listed !== undefined && listed.status !== "pending";
    });
    await mapConcurrent(toDrain, DRAIN_CONCURRENCY, async (id) => {
      const drained = await this.drain(id);
      const user = substitutes.get(id) ?? snapshot.byId.get(id);
      if (drained.user && user) substitutes.set(id, { ...user, ...drained.user });
      const remaining = await this.store.lifecycle.listDeferredChanges(this.tenant, id);
      if (remaining.length === 0) view.deferred.delete(id);
      else view.deferred.set(id, remaining);
    });
    // Positions are taken after the drains (which may have written users): the page is sliced right after.
    const skipped: number[] = [];
    for (const id of deleted) {
      const listed = snapshot.byId.get(id);
      const at = listed ? indexOfUser(snapshot.users, listed) : -1;
      if (at >= 0) skipped.push(at);
    }
    return new ListedUsers(snapshot.users, substitutes, appended, skipped);
  }

  // ---- The pending lifecycle ----------------------------------------------------------------------------

  /** Applies a user's deferred changes if Zoom now shows it active; one drain per user at a time. */
  async drain(id: string, options: DrainOptions = {}): Promise<DrainResult> {
    if (this.locks.holds("User", id)) return this.queue.drain(id, options);
    // Applying changes writes the user: it takes the user's write lock (reads with nothing waiting do not).
    if ((await this.store.lifecycle.listDeferredChanges(this.tenant, id)).length === 0) {
      // Nothing waits and no drain runs here: what the queue would answer, without its locks and second read.
      if (!this.queue.busy(id)) return { state: "applied", remaining: 0, ...(options.user ? { user: options.user } : {}) };
      return this.queue.drain(id, options);
    }
    // A write that ran first leaves the caller's read of the user stale: the queue reads it again then.
    const fresh = this.locks.busy("User", id) ? { ...options, user: undefined } : options;
    return this.locks.run("User", id, () => this.queue.drain(id, fresh));
  }

  /**
   * Something suggests a pending user has accepted its invitation (a webhook, the reconciler's scan): Zoom is
   * asked, never the suggestion believed. One Zoom get, plus the deferred changes' own calls once it is active.
   */
  async noticeAcceptance(id: string): Promise<{ outcome: AcceptanceOutcome; result?: DrainResult }> {
    const [invitation, deferred] = await Promise.all([this.invitations.get(id), this.store.lifecycle.listDeferredChanges(this.tenant, id)]);
    if (!invitation && deferred.length === 0) return { outcome: "nothing to do" };
    if (invitation?.state === "cancelled") return { outcome: "nothing to do" };
    const found = await this.lookup(id);
    if (found === "expired") {
      await this.invitations.markExpired(id);
      return { outcome: "pending" };
    }
    if (!found) {
      // Removed in Zoom itself: an invitation record without waiting changes has nothing left to say.
      if (deferred.length === 0) await this.invitations.remove(id);
      return { outcome: "gone" };
    }
    if (found.status === "pending") return { outcome: "pending" };
    this.remember(found);
    const result = await this.drain(id, { user: found });
    if (result.state === "applied") await this.invitations.remove(id);
    return { outcome: result.state, result };
  }

  /** The SCIM id of the user Zoom knows as `zoomId` (a webhook names Zoom's id). */
  async scimIdOf(zoomId: string): Promise<string> {
    await this.aliases.ready();
    return this.aliases.scimId(zoomId);
  }

  /** Zoom cannot deactivate a pending user: cancelling its invitation (disassociate) is what keeps it out. */
  async cancelInvitation<U extends ZoomUser & IdentifiedZoomUser>(user: U): Promise<U> {
    try {
      await this.deleteUser(user.id, "disassociate");
    } catch (error) {
      // Already gone (or expired: 1120) is what was asked.
      if (!isZoomUserGone(error)) throw scimErrorFromZoom(error, "cancelling the pending user's invitation");
    }
    await this.store.transaction(async (tx) => {
      await this.invitations.put(user, "cancelled");
      await tx.lifecycle.removeAlias(this.tenant, user.id);
    });
    await this.aliases.drop(user.id);
    this.cache.remove(user.id);
    await this.cache.publish(user.id, null);
    return { ...user, invitation: "cancelled" };
  }

  /** A fresh invitation (or create) standing for SCIM user `id`: the SCIM id stays, mapped to Zoom's new user. */
  async createFor(id: string, request: ZoomCreateUserRequest): Promise<ZoomCreatedUser> {
    const created = await this.zoom.createUser(request);
    await this.aliases.set(id, created.id);
    return created;
  }

  /** An applied plan made Zoom's `zoomId` for planned user `plannedId` (the snapshot keeps it: a list walk must not lose it). */
  adoptZoomId(plannedId: string, zoomId: string): Promise<void> {
    return this.aliases.adopt(plannedId, zoomId);
  }

  /** The user is gone from Zoom: so are its store record, invitation, waiting changes and id alias, together. */
  async forget(id: string): Promise<void> {
    await this.store.transaction(async (tx) => {
      await tx.remove(this.tenant, "User", id);
      await tx.lifecycle.forgetUser(this.tenant, id);
    });
    await this.aliases.drop(id);
    this.directory.forget(id);
    this.cache.remove(id);
    await this.cache.publish(id, null);
  }

  /** The email of the user with SCIM id `id` (a manager to name), from the directory, else one Zoom get. */
  async emailOf(id: string): Promise<string | undefined> {
    return this.directory.emailOf(id) ?? (await this.fetch(id))?.email;
  }

  /** The SCIM id of the user Zoom holds with this email: the snapshot, the directory, else one Zoom get. */
  async idOfEmail(email: string): Promise<string | undefined> {
    const known = this.peek()?.byEmail.get(email.toLowerCase())?.id ?? this.directory.idOf(email);
    if (known) return known;
    const found = await this.lookup(email);
    return found && found !== "expired" ? found.id : undefined;
  }
}
