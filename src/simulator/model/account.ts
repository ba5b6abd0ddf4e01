// One Zoom account: its users, groups and roles, plus the operations that keep the
// user ↔ group mirrors consistent. Pure state: no HTTP, no rate limits, no events.
import { createHash } from "node:crypto";
import { newId, newPmi } from "../ids.js";
import { GroupStore, groupNameKey, type GroupRecord } from "./groups.js";
import { PhoneSystem } from "./phone.js";
import { ROLE_MEMBER, ROLE_OWNER, RoleStore } from "./roles.js";
import { UserStore, emailKey, type CreateAction, type UserProfile, type UserRecord, type UserStatus, type UserType } from "./users.js";

export interface NewUser {
  email: string;
  first_name?: string;
  last_name?: string;
  display_name?: string;
  type: UserType;
  status: UserStatus;
  role_id?: string;
  id?: string;
  creation: CreateAction | "seed";
  profile?: UserProfile;
  invitationExpired?: boolean;
}

/** Login types Zoom reports: 100 Zoom work email, 101 SSO, 99 API user. */
function loginTypesFor(creation: CreateAction | "seed"): number[] {
  if (creation === "ssoCreate") return [101];
  if (creation === "custCreate") return [99];
  return [100];
}

export class Account {
  readonly users = new UserStore();
  readonly groups = new GroupStore();
  readonly roles = new RoleStore();
  readonly phone = new PhoneSystem();
  /** Emails that hold a Zoom account elsewhere: creating them answers 400/1009. */
  readonly externalEmails = new Set<string>();
  owner!: UserRecord;

  constructor(
    readonly accountId: string,
    ownerEmail: string,
    now: number,
  ) {
    this.reset(ownerEmail, now);
  }

  /** Empties the account, keeping only its owner (whose id is stable across resets). */
  reset(ownerEmail: string, now: number): void {
    this.users.clear();
    this.groups.clear();
    this.roles.clear();
    this.externalEmails.clear();
    this.phone.reset();
    const ownerId = createHash("sha256").update(`owner:${this.accountId}`).digest("base64url").slice(0, 22);
    this.owner = this.createUser(
      {
        email: ownerEmail,
        first_name: "Account",
        last_name: "Owner",
        type: 2,
        status: "active",
        role_id: ROLE_OWNER,
        id: ownerId,
        creation: "seed",
      },
      now,
      true,
    );
  }

  createUser(input: NewUser, now: number, lowercase: boolean): UserRecord {
    const email = lowercase ? input.email.toLowerCase() : input.email;
    const first = input.first_name ?? "";
    const last = input.last_name ?? "";
    const pending = input.status === "pending";
    const user: UserRecord = {
      seq: this.users.nextSeq(),
      id: input.id ?? newId(),
      email,
      emailKey: emailKey(email),
      first_name: first,
      last_name: last,
      display_name: input.display_name ?? `${first} ${last}`.trim(),
      type: input.type,
      status: input.status,
      role_id: input.role_id ?? ROLE_MEMBER,
      createdAt: now,
      verified: pending ? 0 : 1,
      profile: { language: "en-US", ...input.profile },
      groupIds: [],
      loginTypes: loginTypesFor(input.creation),
      creation: input.creation,
      invitationExpired: input.invitationExpired ?? false,
      emailChanges: [],
      ssoSignOuts: 0,
    };
    if (!pending) user.pmi = newPmi();
    this.users.add(user);
    return user;
  }

  /** Pending → active: what accepting the invitation does. */
  activateInvited(user: UserRecord): void {
    this.users.setStatus(user, "active");
    user.verified = 1;
    user.invitationExpired = false;
    if (user.pmi === undefined) user.pmi = newPmi();
  }

  deleteUser(user: UserRecord): void {
    for (const groupId of user.groupIds) this.groups.get(groupId)?.members.delete(user.id);
    user.groupIds = [];
    // Deleting a user frees its numbers and calling plans for others.
    this.phone.release(user.id, true);
    this.users.remove(user);
  }

  createGroup(name: string, now: number, id?: string): GroupRecord {
    const group: GroupRecord = {
      seq: this.groups.nextSeq(),
      id: id ?? newId(),
      name,
      nameKey: groupNameKey(name),
      members: new Map(),
      createdAt: now,
    };
    this.groups.add(group);
    return group;
  }

  deleteGroup(group: GroupRecord): void {
    for (const userId of group.members.keys()) {
      const user = this.users.getById(userId);
      if (user) user.groupIds = user.groupIds.filter((g) => g !== group.id);
    }
    this.groups.remove(group);
  }

  /** Adds a membership; false when the user already was a member. */
  addMember(group: GroupRecord, user: UserRecord): boolean {
    if (group.members.has(user.id)) return false;
    group.members.set(user.id, this.groups.nextJoinSeq());
    user.groupIds.push(group.id);
    return true;
  }

  removeMember(group: GroupRecord, user: UserRecord): boolean {
    if (!group.members.delete(user.id)) return false;
    user.groupIds = user.groupIds.filter((g) => g !== group.id);
    return true;
  }

  /** Members as Zoom reports them: pending users wait outside until they accept. */
  visibleMemberCount(group: GroupRecord): number {
    let n = 0;
    for (const userId of group.members.keys()) {
      if (this.users.getById(userId)?.status !== "pending") n += 1;
    }
    return n;
  }

  roleMemberCount(roleId: string): number {
    let n = 0;
    for (const user of this.users.all()) if (user.role_id === roleId && user.status !== "pending") n += 1;
    return n;
  }
}
