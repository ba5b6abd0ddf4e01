// The users a list shows, without copying the snapshot: Zoom's users in snapshot order with the lifecycle laid over
// them (lapsed invitations in place, drained users as they now are), users deleted through SCIM skipped, cancelled
// invitations Zoom no longer lists at the end. A page costs O(page + deleted users in the snapshot), not O(account).
import type { IdentifiedZoomUser } from "./user-state.js";

export class ListedUsers {
  /** Positions in `users` that a list skips (users deleted through SCIM that Zoom still lists), ascending. */
  private readonly skipped: number[];
  private readonly skip: Set<number>;

  constructor(
    /** The snapshot's list, in its order (read when a page is taken, so a write just made shows). */
    private readonly users: readonly IdentifiedZoomUser[],
    /** What a listed user shows instead of Zoom's record, by id. */
    private readonly substitutes: ReadonlyMap<string, IdentifiedZoomUser>,
    /** Users only zoom-scim knows (cancelled invitations), after Zoom's. */
    private readonly appended: readonly IdentifiedZoomUser[],
    skippedPositions: readonly number[],
  ) {
    this.skipped = [...new Set(skippedPositions)].sort((a, b) => a - b);
    this.skip = new Set(this.skipped);
  }

  get total(): number {
    return this.users.length - this.skipped.length + this.appended.length;
  }

  /** The users at list positions [start, start + count) (0-based). */
  slice(start: number, count: number): IdentifiedZoomUser[] {
    const page: IdentifiedZoomUser[] = [];
    if (count <= 0 || start >= this.total) return page;
    // The snapshot position of list position `start`: every skipped position at or before it moves it one on.
    let at = start;
    for (const position of this.skipped) {
      if (position <= at) at += 1;
      else break;
    }
    for (; at < this.users.length && page.length < count; at++) {
      if (this.skip.has(at)) continue;
      page.push(this.shown(this.users[at] as IdentifiedZoomUser));
    }
    const listed = this.users.length - this.skipped.length;
    for (let i = Math.max(0, start - listed); i < this.appended.length && page.length < count; i++)
      page.push(this.appended[i] as IdentifiedZoomUser);
    return page;
  }

  /**
   * The same list over a copy of the snapshot's array (one memory copy of references, no per-user work): for a pass
   * that yields, so that a write meanwhile cannot shift positions under it.
   */
  pinned(): ListedUsers {
    return new ListedUsers(this.users.slice(), this.substitutes, this.appended, this.skipped);
  }

  /** Every listed user (O(account)): for filters and sorts, which must see them all anyway. */
  all(): IdentifiedZoomUser[] {
    return this.slice(0, this.total);
  }

  private shown(user: IdentifiedZoomUser): IdentifiedZoomUser {
    return this.substitutes.get(user.id) ?? user;
  }
}
