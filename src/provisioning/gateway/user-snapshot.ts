// One tenant's view of every Zoom user: a single scan of Zoom's three status lists at the largest page size,
// kept for a short while and updated by our own writes, so list and filter requests don't rescan Zoom per page.
import { mapConcurrent } from "../../lib/concurrency.js";
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

const order = (a: IdentifiedZoomUser, b: IdentifiedZoomUser): number => {
  const ca = a.user_created_at ?? a.created_at ?? "";
  const cb = b.user_created_at ?? b.created_at ?? "";
  return ca < cb ? -1 : ca > cb ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
};

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

export class UserSnapshotCache {
  private current: UserSnapshot | undefined;
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
  async snapshot(): Promise<UserSnapshot> {
    if (this.current && Date.now() - this.current.takenAt < this.ttlMs) {
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
    this.write((snapshot) => {
      const previous = snapshot.byId.get(user.id);
      if (previous) {
        snapshot.byEmail.delete(previous.email.toLowerCase());
        Object.assign(previous, user);
        snapshot.byEmail.set(previous.email.toLowerCase(), previous);
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

  remove(id: string): void {
    // A pending user Zoom still lists (an expired invitation) must not be resolved back to a removed id.
    for (const [email, known] of this.pendingIds) if (known === id) this.pendingIds.delete(email);
    this.write((snapshot) => {
      const previous = snapshot.byId.get(id);
      if (!previous) return;
      snapshot.byId.delete(id);
      snapshot.byEmail.delete(previous.email.toLowerCase());
      snapshot.users = snapshot.users.filter((u) => u.id !== id);
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
    const users: IdentifiedZoomUser[] = [];
    const unresolved: ZoomListedUser[] = [];
    for (const [index, list] of lists.entries()) {
      const status = STATUSES[index];
      for (const listed of list) {
        const user = { ...listed, status: status ?? listed.status };
        if (user.id) users.push(user as IdentifiedZoomUser);
        else unresolved.push(user);
      }
    }
    users.push(...(await this.resolvePending(unresolved)));
    users.sort(order);
    const snapshot: UserSnapshot = {
      users,
      byId: new Map(users.map((u) => [u.id, u])),
      byEmail: new Map(users.map((u) => [u.email.toLowerCase(), u])),
      takenAt: startedAt,
    };
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
