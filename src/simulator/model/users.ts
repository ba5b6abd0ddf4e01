// The account's users, indexed by id and by lower-cased email, with one creation-ordered list
// per status so that listing is a binary search plus a slice even at 100,000 users.

export type UserStatus = "active" | "inactive" | "pending";
export type UserType = 1 | 2 | 4 | 99;
export type CreateAction = "create" | "autoCreate" | "custCreate" | "ssoCreate";

export const USER_STATUSES: readonly UserStatus[] = ["active", "inactive", "pending"];

export interface PhoneNumber {
  code?: string;
  country?: string;
  label?: string;
  number?: string;
}

export interface CustomAttribute {
  key?: string;
  name?: string;
  value?: string;
}

/** Profile fields `PATCH /users/{userId}` may set beyond names and type. */
export interface UserProfile {
  dept?: string;
  company?: string;
  job_title?: string;
  cost_center?: string;
  location?: string;
  language?: string;
  timezone?: string;
  manager?: string;
  phone_numbers?: PhoneNumber[];
  pronouns?: string;
  pronouns_option?: number;
  custom_attributes?: CustomAttribute[];
  host_key?: string;
  vanity_name?: string;
  cms_user_id?: string;
  use_pmi?: boolean;
  about_me?: string;
  linkedin_url?: string;
  division_ids?: string[];
  /** Exact: codes past 2^53 arrive as bigint. */
  zoom_one_type?: number | bigint;
  plan_united_type?: string;
  zoom_phone?: boolean;
  /** Add-ons of `/users/{userId}/settings` and their capacity. */
  add_ons?: Partial<Record<"webinar" | "large_meeting" | "zoom_events", number>>;
  license_info_list?: { license_type: string; license_option: number; subscription_id: string }[];
}

export interface UserRecord {
  seq: number;
  id: string;
  email: string;
  emailKey: string;
  first_name: string;
  last_name: string;
  display_name: string;
  type: UserType;
  status: UserStatus;
  role_id: string;
  createdAt: number;
  pmi?: number;
  verified: 0 | 1;
  profile: UserProfile;
  groupIds: string[];
  loginTypes: number[];
  creation: CreateAction | "seed";
  invitationExpired: boolean;
  /** Times (ms) of email changes, for the 3-per-24-hours rule. */
  emailChanges: number[];
  ssoSignOuts: number;
  lastLoginAt?: number;
}

export function emailKey(email: string): string {
  return email.toLowerCase();
}

/** Index of the first record whose seq is greater than `seq` in a seq-sorted list. */
function firstAfter(list: UserRecord[], seq: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as UserRecord).seq <= seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class UserStore {
  private readonly byId = new Map<string, UserRecord>();
  private readonly byEmail = new Map<string, UserRecord>();
  private readonly lists: Record<UserStatus, UserRecord[]> = { active: [], inactive: [], pending: [] };
  private seq = 0;

  nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  size(): number {
    return this.byId.size;
  }

  count(status: UserStatus): number {
    return this.lists[status].length;
  }

  /** All users in creation order. */
  all(): IterableIterator<UserRecord> {
    return this.byId.values();
  }

  byStatus(status: UserStatus): readonly UserRecord[] {
    return this.lists[status];
  }

  getById(id: string): UserRecord | undefined {
    return this.byId.get(id);
  }

  getByEmail(email: string): UserRecord | undefined {
    return this.byEmail.get(emailKey(email));
  }

  /** Zoom's `{userId}` path parameter: an id or an email (matched case-insensitively). */
  find(idOrEmail: string): UserRecord | undefined {
    return idOrEmail.includes("@") ? this.getByEmail(idOrEmail) : this.byId.get(idOrEmail);
  }

  add(user: UserRecord): void {
    this.byId.set(user.id, user);
    this.byEmail.set(user.emailKey, user);
    const list = this.lists[user.status];
    const last = list[list.length - 1];
    if (!last || last.seq < user.seq) list.push(user);
    else list.splice(firstAfter(list, user.seq), 0, user);
  }

  remove(user: UserRecord): void {
    this.byId.delete(user.id);
    this.byEmail.delete(user.emailKey);
    this.unlist(user);
  }

  setStatus(user: UserRecord, status: UserStatus): void {
    if (user.status === status) return;
    this.unlist(user);
    user.status = status;
    const list = this.lists[status];
    list.splice(firstAfter(list, user.seq), 0, user);
  }

  setEmail(user: UserRecord, email: string): void {
    this.byEmail.delete(user.emailKey);
    user.email = email;
    user.emailKey = emailKey(email);
    this.byEmail.set(user.emailKey, user);
  }

  /**
   * One page of a status list after the cursor `afterSeq`; `filter` narrows it (role_id).
   * `hasMore` tells whether a matching user follows the page.
   */
  page(
    status: UserStatus,
    afterSeq: number,
    limit: number,
    filter?: (u: UserRecord) => boolean,
  ): { items: UserRecord[]; hasMore: boolean } {
    const list = this.lists[status];
    const start = firstAfter(list, afterSeq);
    if (!filter) {
      const items = list.slice(start, start + limit);
      return { items, hasMore: start + limit < list.length };
    }
    const items: UserRecord[] = [];
    for (let i = start; i < list.length; i++) {
      const u = list[i] as UserRecord;
      if (!filter(u)) continue;
      if (items.length === limit) return { items, hasMore: true };
      items.push(u);
    }
    return { items, hasMore: false };
  }

  clear(): void {
    this.byId.clear();
    this.byEmail.clear();
    for (const status of USER_STATUSES) this.lists[status] = [];
  }

  private unlist(user: UserRecord): void {
    const list = this.lists[user.status];
    const i = firstAfter(list, user.seq - 1);
    if (list[i] === user) list.splice(i, 1);
  }
}
