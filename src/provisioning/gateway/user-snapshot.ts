// One tenant's view of every Zoom user: a single scan of Zoom's three status lists at the largest page size,
// kept for a short while and updated by our own writes, so list and filter requests don't rescan Zoom per page.
import { isDeepStrictEqual } from "node:util";
import { LRUCache } from "lru-cache";
import { mapConcurrent } from "../../lib/concurrency.js";
import { forEachYielding, sortYielding } from "../../lib/yielding.js";
import type { CoordinationStore, JsonObject, ResourceStore } from "../../store/types.js";
import type { ZoomListedUser, ZoomUser, ZoomUserStatus } from "../../zoom/types.js";
import { isZoomUserGone } from "../zoom-errors.js";
import type { IdentifiedZoomUser } from "./user-state.js";

/** What the snapshot reads from Zoom, with user ids already in SCIM terms (the gateway provides it). */
export interface SnapshotSource {
  listAllUsers(status: ZoomUserStatus): Promise<ZoomListedUser[]>;
  getUser(email: string): Promise<ZoomUser>;
}

export interface UserSnapshot {
  /** Every user with a known id, in a stable order (creation time, then id). */
  users: IdentifiedZoomUser[];
  byId: Map<string, IdentifiedZoomUser>;
  byEmail: Map<string, IdentifiedZoomUser>;
  takenAt: number;
}

type Overlay = { at: number; apply(snapshot: UserSnapshot): void };

/** Replicas sharing the store tell each other what their writes left users as (store table user_events). */
export interface SnapshotSharing {
  coordination: CoordinationStore;
  /** This gateway's own name: its events are already in its snapshot. */
  origin: string;
}

/** Events older than this are pruned: a snapshot that old has been rescanned anyway. */
const EVENT_RETENTION_MS = 10 * 60_000;

const STATUSES: readonly ZoomUserStatus[] = ["active", "inactive", "pending"];
/** Pending users are listed without id; at most this many are resolved by email at once. */
const PENDING_LOOKUP_CONCURRENCY = 4;

/** Object.assign of the fields whose values differ: an unchanged field keeps the snapshot's own (old) value. */
function assignChanged(target: IdentifiedZoomUser, source: IdentifiedZoomUser): void {
  const into = target as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(source)) {
    if (into[key] !== value && !isDeepStrictEqual(into[key], value)) into[key] = value;
  }
}

const order = (a: IdentifiedZoomUser, b: IdentifiedZoomUser): number => {
  const ca = a.user_created_at ?? a.created_at ?? "";
  const cb = b.user_created_at ?? b.created_at ?? "";
  return ca < cb ? -1 : ca > cb ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
};

/**
 * A walk's later pages (startIndex > 1) are served from the snapshot its first page used for up to this long, so that
 * a slow import is not rescanned halfway (which would cost a scan and could shift users between pages). Our own
 * writes still update it at once; only changes made in Zoom itself may be this old on such a page.
 */
export const WALK_PIN_MS = 10 * 60_000;

/** Details (the fields only Zoom's GET of one user returns) read within this long judge filters that need them. */
export const DETAIL_STALENESS_MS = 15 * 60_000;
/** At most this many users' details are kept (about 1 KiB each). */
const MAX_DETAILS = 20_000;

/** Listed fields nothing reads (a PMI is a boxed number per user): left out of the 100,000 records kept. */
const UNREAD_FIELDS = new Set(["pmi", "verified", "last_login_time", "plan_united_type", "host_key"]);

/** A listed user as the snapshot keeps it: its list's status, no unread fields, one string for its creation time. */
function slim(entry: ZoomListedUser, status: ZoomUserStatus | undefined): ZoomListedUser {
  const user: Record<string, unknown> = {};
  for (const key of Object.keys(entry)) if (!UNREAD_FIELDS.has(key)) user[key] = entry[key as keyof ZoomListedUser];
  if (entry.created_at !== undefined && entry.created_at === entry.user_created_at) user.created_at = entry.user_created_at;
  user.status = status ?? entry.status;
  return user as unknown as ZoomListedUser;
}

/** Where `user` goes in a list kept in `order` (binary search). */
function insertionIndex(users: readonly IdentifiedZoomUser[], user: IdentifiedZoomUser): number {
  let low = 0;
  let high = users.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (order(users[mid] as IdentifiedZoomUser, user) <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Where the user with `user`'s id sits in `users`, or -1 (binary search on its order key, then a scan of ties). */
export function indexOfUser(users: readonly IdentifiedZoomUser[], user: IdentifiedZoomUser): number {
  const at = insertionIndex(users, user) - 1;
  if (users[at]?.id === user.id) return at;
  // Its key changed since it was placed (it should not: creation times do not move): find it the slow way.
  return users.findIndex((u) => u.id === user.id);
}

export interface SnapshotOptions {
  /** A walk's later page: a snapshot up to WALK_PIN_MS old serves it (see WALK_PIN_MS). */
  continuing?: boolean;
}

export class UserSnapshotCache {
  private current: UserSnapshot | undefined;
  /** Users' details as Zoom's GET last answered them, with when (see DETAIL_STALENESS_MS). */
  private readonly details = new LRUCache<string, ZoomUser>({ max: MAX_DETAILS, ttl: DETAIL_STALENESS_MS });
  private refreshing: Promise<UserSnapshot> | undefined;
  private overlays: Overlay[] = [];
  /** Pending users' ids learned by email (Zoom's list omits them). */
  private readonly pendingIds = new Map<string, string>();

  constructor(
    private readonly tenant: string,
    private readonly zoom: SnapshotSource,
    private readonly store: ResourceStore,
    private readonly ttlMs: number,
    private readonly sharing?: SnapshotSharing,
  ) {}

  /** The last user event applied (or that the last scan started after). */
  private seenEvent = 0;
  private lastPrune = 0;

  /**
   * The snapshot if it is fresh, else one refresh shared by every caller. With sharing, the other replicas' writes
   * since the last use are laid over it first (one store read), so a list sees them at once: the bound is zero.
   */
  async snapshot(options: SnapshotOptions = {}): Promise<UserSnapshot> {
    const maxAge = options.continuing && this.ttlMs > 0 ? Math.max(this.ttlMs, WALK_PIN_MS) : this.ttlMs;
    if (this.current && Date.now() - this.current.takenAt < maxAge) {
      await this.catchUp();
      return this.current;
    }
    this.refreshing ??= this.refresh().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /** The snapshot only if one is loaded and fresh (never triggers a scan). */
  peek(): UserSnapshot | undefined {
    return this.current && Date.now() - this.current.takenAt < this.ttlMs ? this.current : undefined;
  }

  /** When the snapshot held now was scanned, fresh or not (epoch ms); undefined when none is held. */
  takenAt(): number | undefined {
    return this.current?.takenAt;
  }

  invalidate(): void {
    this.current = undefined;
  }

  /** Records a user we created or changed, in the snapshot and in any scan still running. */
  upsert(user: IdentifiedZoomUser): void {
    // Details kept for filters follow our own writes too (a title just changed is judged as changed).
    const known = this.details.get(user.id, { updateAgeOnGet: false });
    if (known) this.details.set(user.id, { ...known, ...user }, { noUpdateTTL: true });
    this.place(user);
  }

  /**
   * What Zoom's GET of one user answered: its details serve filters on attributes Zoom's list lacks for a while
   * (DETAIL_STALENESS_MS), and the snapshot takes it as upsert would (without a merged copy made only to be replaced).
   */
  rememberDetails(user: IdentifiedZoomUser): void {
    const known = this.details.get(user.id, { updateAgeOnGet: false });
    // The same details again (the usual case) renew the entry kept: the new copy then dies young instead of being
    // promoted into a large heap, where every read of a user otherwise left work for the major collector.
    this.details.set(user.id, known && isDeepStrictEqual(known, user) ? known : user);
    this.place(user);
  }

  private place(user: IdentifiedZoomUser): void {
    this.write((snapshot) => {
      const previous = snapshot.byId.get(user.id);
      if (previous) {
        snapshot.byEmail.delete(previous.email.toLowerCase());
        const at = order(previous, { ...previous, ...user }) === 0 ? -1 : indexOfUser(snapshot.users, previous);
        assignChanged(previous, user);
        snapshot.byEmail.set(previous.email.toLowerCase(), previous);
        // A new order key (rare): moved to its place, still without a sort.
        if (at >= 0) {
          snapshot.users.splice(at, 1);
          snapshot.users.splice(insertionIndex(snapshot.users, previous), 0, previous);
        }
      } else {
        const copy = { ...user };
        snapshot.byId.set(copy.id, copy);
        snapshot.byEmail.set(copy.email.toLowerCase(), copy);
        // Inserted in place: re-sorting the whole list per write made every create O(N log N).
        snapshot.users.splice(insertionIndex(snapshot.users, copy), 0, copy);
      }
    });
    if (user.status === "pending") this.pendingIds.set(user.email.toLowerCase(), user.id);
  }

  /** The user's details read from Zoom within DETAIL_STALENESS_MS, if any. */
  detailsOf(id: string): ZoomUser | undefined {
    return this.details.get(id);
  }

  remove(id: string): void {
    this.details.delete(id);
    // A pending user Zoom still lists (an expired invitation) must not be resolved back to a removed id.
    for (const [email, known] of this.pendingIds) if (known === id) this.pendingIds.delete(email);
    this.write((snapshot) => {
      const previous = snapshot.byId.get(id);
      if (!previous) return;
      snapshot.byId.delete(id);
      snapshot.byEmail.delete(previous.email.toLowerCase());
      const at = indexOfUser(snapshot.users, previous);
      if (at >= 0) snapshot.users.splice(at, 1);
    });
  }

  /** Tells the other replicas what a write left the user as (null: gone). */
  async publish(id: string, user: IdentifiedZoomUser | null): Promise<void> {
    if (!this.sharing) return;
    const { coordination, origin } = this.sharing;
    await coordination.addUserEvent(this.tenant, origin, id, user as unknown as JsonObject | null, Date.now());
  }

  private async catchUp(): Promise<void> {
    if (!this.sharing) return;
    const { coordination, origin } = this.sharing;
    const events = await coordination.userEventsSince(this.tenant, this.seenEvent);
    for (const event of events) {
      this.seenEvent = Math.max(this.seenEvent, event.seq);
      if (event.origin === origin) continue;
      if (event.state === null) this.remove(event.userId);
      else this.upsert(event.state as unknown as IdentifiedZoomUser);
    }
    if (Date.now() - this.lastPrune > EVENT_RETENTION_MS / 10) {
      this.lastPrune = Date.now();
      await coordination.pruneUserEvents(Date.now() - EVENT_RETENTION_MS);
    }
  }

  private write(apply: (snapshot: UserSnapshot) => void): void {
    if (this.current) apply(this.current);
    if (this.refreshing) this.overlays.push({ at: Date.now(), apply });
  }

  private async refresh(): Promise<UserSnapshot> {
    const startedAt = Date.now();
    this.overlays = [];
    // Events from before the scan are in what Zoom lists; later ones are applied at the next use.
    const seen = this.sharing ? await this.sharing.coordination.lastUserEvent(this.tenant) : 0;
    const lists = await Promise.all(STATUSES.map((status) => this.zoom.listAllUsers(status)));
    const listed: IdentifiedZoomUser[] = [];
    const unresolved: ZoomListedUser[] = [];
    // In steps that yield: at 100,000 users one pass over them holds the event loop for hundreds of milliseconds.
    for (const [index, list] of lists.entries()) {
      const status = STATUSES[index];
      await forEachYielding(list, (entry) => {
        const user = slim(entry, status);
        if (user.id) listed.push(user as IdentifiedZoomUser);
        else unresolved.push(user);
      });
    }
    listed.push(...(await this.resolvePending(unresolved)));
    const users = await sortYielding(listed, order);
    const byId = new Map<string, IdentifiedZoomUser>();
    const byEmail = new Map<string, IdentifiedZoomUser>();
    await forEachYielding(users, (user) => {
      byId.set(user.id, user);
      byEmail.set(user.email.toLowerCase(), user);
    });
    const snapshot: UserSnapshot = { users, byId, byEmail, takenAt: startedAt };
    // Writes that finished while the scan ran may be missing from Zoom's pages: apply them again.
    for (const overlay of this.overlays) if (overlay.at >= startedAt) overlay.apply(snapshot);
    this.overlays = [];
    this.current = snapshot;
    this.seenEvent = Math.max(this.seenEvent, seen);
    await this.catchUp();
    return snapshot;
  }

  /** Finds ids for pending users: first from what we learned or stored, then one Zoom get by email each. */
  private async resolvePending(pending: ZoomListedUser[]): Promise<IdentifiedZoomUser[]> {
    const resolved: IdentifiedZoomUser[] = [];
    const toFetch: ZoomListedUser[] = [];
    for (const user of pending) {
      const email = user.email.toLowerCase();
      const known =
        this.pendingIds.get(email) ?? (await this.store.findUsersByEmail(this.tenant, email)).find((r) => r.email === email)?.id;
      if (known) resolved.push({ ...user, id: known });
      else toFetch.push(user);
    }
    const found = await mapConcurrent(toFetch, PENDING_LOOKUP_CONCURRENCY, async (user) => {
      try {
        const full = await this.zoom.getUser(user.email);
        this.pendingIds.set(user.email.toLowerCase(), full.id);
        return { ...user, id: full.id } as IdentifiedZoomUser;
      } catch (error) {
        if (isZoomUserGone(error)) return undefined;
        throw error;
      }
    });
    for (const user of found) if (user) resolved.push(user);
    return resolved;
  }
}
