// The account's users by id and by email, as zoom-scim last saw them: what turns a manager's email (all Zoom keeps
// of a manager) into the manager's SCIM id for a read, and a manager's id into the email a write sends, without a
// Zoom call each time. Fed by every user the gateway reads, lists, creates or changes, and emptied of users it
// removes; an entry older than the TTL is forgotten, so a change made in Zoom itself shows within it.
import { LRUCache } from "lru-cache";
import { forEachYielding } from "../../lib/yielding.js";

/** How long an id ⇄ email pair is believed without Zoom confirming it (a read, a list or a write renews it). */
export const DIRECTORY_TTL_MS = 10 * 60_000;
/** Pairs kept at most (the least recently used go first): an account of 100,000 users fits. */
const MAX_ENTRIES = 100_000;

export class UserDirectory {
  private readonly idByEmail: LRUCache<string, string>;
  private readonly emailById: LRUCache<string, string>;

  /** `now` (ms) stands in for the clock the TTL is measured by (tests). */
  constructor(options: { ttlMs?: number; now?: () => number } = {}) {
    const { now } = options;
    const base = { max: MAX_ENTRIES, ttl: options.ttlMs ?? DIRECTORY_TTL_MS, ...(now ? { perf: { now }, ttlResolution: 0 } : {}) };
    this.idByEmail = new LRUCache<string, string>(base);
    this.emailById = new LRUCache<string, string>(base);
  }

  /** Zoom holds user `id` with this email now. */
  note(user: { id?: string | undefined; email?: string | undefined }): void {
    if (!user.id || !user.email) return;
    const email = user.email.toLowerCase();
    const before = this.emailById.get(user.id)?.toLowerCase();
    // The user's old email names nobody now (unless someone else took it since, which a note of theirs says).
    if (before !== undefined && before !== email && this.idByEmail.get(before) === user.id) this.idByEmail.delete(before);
    const holder = this.idByEmail.get(email);
    if (holder !== undefined && holder !== user.id) this.emailById.delete(holder);
    this.idByEmail.set(email, user.id);
    // As Zoom spells it: the email a write sends as someone's manager is shown back as it was sent.
    this.emailById.set(user.id, user.email);
  }

  /** A whole list, in steps that yield: noting 100,000 users at once held the event loop for about 100 ms. */
  async noteAll(users: readonly { id?: string | undefined; email?: string | undefined }[]): Promise<void> {
    await forEachYielding(users, (user) => this.note(user));
  }

  /** User `id` is gone from Zoom. */
  forget(id: string): void {
    const email = this.emailById.get(id)?.toLowerCase();
    this.emailById.delete(id);
    if (email !== undefined && this.idByEmail.get(email) === id) this.idByEmail.delete(email);
  }

  /** Zoom holds no user with this email. */
  forgetEmail(email: string): void {
    const id = this.idByEmail.get(email.toLowerCase());
    if (id !== undefined) this.forget(id);
  }

  idOf(email: string): string | undefined {
    return this.idByEmail.get(email.toLowerCase());
  }

  emailOf(id: string): string | undefined {
    return this.emailById.get(id);
  }
}
