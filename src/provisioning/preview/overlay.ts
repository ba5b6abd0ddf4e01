// Pure: what Zoom would answer once the planned calls were made. Each function takes Zoom's answer (or the state a
// planned call leaves) and the objects the plan holds, and answers as Zoom would: the same shapes, pending users
// listed without their id, removed objects gone.
import type {
  ZoomCreateUserRequest,
  ZoomFeatureSettings,
  ZoomGroup,
  ZoomGroupMember,
  ZoomListedUser,
  ZoomPhoneUser,
  ZoomRoleMember,
  ZoomUser,
  ZoomUserStatus,
  ZoomUserUpdate,
} from "../../zoom/types.js";
import { isLicenceDowngrade, isRoleDemotion, type DestructiveKind } from "../guardrails/destructive.js";
import type { Held } from "./preview-ledger.js";

export type HeldUser = Held<ZoomUser>;

const LISTED_FIELDS = [
  "id",
  "email",
  "first_name",
  "last_name",
  "display_name",
  "type",
  "status",
  "role_id",
  "dept",
  "timezone",
  "group_ids",
  "user_created_at",
  "created_at",
  "last_login_time",
  "verified",
  "pmi",
] as const satisfies readonly (keyof ZoomListedUser)[];

/** The user as `GET /users` lists it: the list's fields, and no id while pending (as Zoom lists them). */
export function listedForm(user: ZoomUser): ZoomListedUser {
  const out: Record<string, unknown> = {};
  for (const field of LISTED_FIELDS) if (user[field] !== undefined) out[field] = user[field];
  if (user.status === "pending") delete out.id;
  return out as unknown as ZoomListedUser;
}

/** Zoom's list of users of one status, with the plan's users in their planned state. */
export function overlayUserList(real: readonly ZoomListedUser[], held: readonly HeldUser[], status: ZoomUserStatus): ZoomListedUser[] {
  const byId = new Map(held.map((user) => [user.key, user]));
  const byEmail = new Map(held.filter((user) => user.email !== null).map((user) => [user.email as string, user]));
  const out: ZoomListedUser[] = [];
  const seen = new Set<string>();
  for (const user of real) {
    const mine = user.id !== undefined ? byId.get(user.id) : byEmail.get(user.email.toLowerCase());
    if (!mine) {
      out.push(user);
      continue;
    }
    seen.add(mine.key);
    if (mine.body && (mine.body.status ?? "active") === status) out.push(listedForm(mine.body));
  }
  // The plan's creates, and users the plan moves into this status from another.
  for (const user of held) {
    if (!seen.has(user.key) && user.body && (user.body.status ?? "active") === status) out.push(listedForm(user.body));
  }
  return out;
}

/** The user a planned create leaves: what Zoom shows of a user it has just created. */
export function createdUser(id: string, request: ZoomCreateUserRequest, now: Date): ZoomUser {
  const info = request.user_info;
  const created = now.toISOString().replace(/\.\d{3}Z$/, "Z");
  const user: ZoomUser = {
    id,
    email: info.email,
    type: info.type,
    status: request.action === "create" ? "pending" : "active",
    role_id: "2",
    role_name: "Member",
    created_at: created,
    user_created_at: created,
    group_ids: [],
    verified: request.action === "create" ? 0 : 1,
    // Zoom gives a new user the default language (docs/zoom-behaviour.md).
    language: "en-US",
  };
  if (info.first_name !== undefined) user.first_name = info.first_name;
  if (info.last_name !== undefined) user.last_name = info.last_name;
  user.display_name = info.display_name ?? [info.first_name, info.last_name].filter((part) => part).join(" ");
  return user;
}

const COPIED_FIELDS = [
  "first_name",
  "last_name",
  "display_name",
  "type",
  "dept",
  "company",
  "job_title",
  "cost_center",
  "location",
  "language",
  "timezone",
  "manager",
  "phone_numbers",
  "pronouns",
  "zoom_one_type",
  "plan_united_type",
] as const satisfies readonly (keyof ZoomUserUpdate & keyof ZoomUser)[];

/** The user after `PATCH /users/{userId}`: given fields replaced, custom attributes merged by key. */
export function updatedUser(user: ZoomUser, update: ZoomUserUpdate): ZoomUser {
  const out: Record<string, unknown> = { ...user };
  for (const field of COPIED_FIELDS) if (update[field] !== undefined) out[field] = update[field];
  if (update.display_name === undefined && (update.first_name !== undefined || update.last_name !== undefined)) {
    out.display_name = [out.first_name, out.last_name].filter((part) => typeof part === "string" && part !== "").join(" ");
  }
  if (update.custom_attributes) {
    const merged = new Map((user.custom_attributes ?? []).map((attribute) => [attribute.key ?? attribute.name, attribute]));
    for (const attribute of update.custom_attributes) merged.set(attribute.key ?? attribute.name, attribute);
    out.custom_attributes = [...merged.values()];
  }
  if (update.group_id !== undefined) out.group_ids = [...new Set([...(user.group_ids ?? []), update.group_id])];
  return out as unknown as ZoomUser;
}

/** What of a profile update the breaker counts: a licence taken away. */
export function updateDestructiveness(user: ZoomUser, update: ZoomUserUpdate): DestructiveKind | null {
  if (update.type !== undefined && isLicenceDowngrade(user.type, update.type)) return "licence-downgrade";
  const hadOne = user.zoom_one_type !== undefined && BigInt(user.zoom_one_type) !== 0n;
  if (update.zoom_one_type !== undefined && hadOne && BigInt(update.zoom_one_type) === 0n) return "licence-downgrade";
  const hadUnited = user.plan_united_type !== undefined && user.plan_united_type !== "none";
  if (update.plan_united_type === "none" && hadUnited) return "licence-downgrade";
  if (update.feature?.zoom_phone === false) return "phone-removal";
  return null;
}

/** A role change the breaker counts. */
export const roleDestructiveness = (from: string | undefined, to: string): DestructiveKind | null =>
  isRoleDemotion(from, to) ? "role-demotion" : null;

/** Feature settings after a PATCH; the breaker counts an add-on or Zoom Phone taken away. */
export function updatedFeatures(
  current: ZoomFeatureSettings,
  feature: ZoomFeatureSettings,
): { features: ZoomFeatureSettings; destructive: DestructiveKind | null } {
  const features = { ...current, ...feature };
  let destructive: DestructiveKind | null = null;
  if (current.zoom_phone === true && feature.zoom_phone === false) destructive = "phone-removal";
  else if ((["webinar", "large_meeting", "zoom_events"] as const).some((key) => current[key] === true && feature[key] === false))
    destructive = "licence-downgrade";
  return { features, destructive };
}

/**
 * Zoom's refusal of a feature change on this user, as Zoom words it (docs/zoom-behaviour.md: add-ons are for
 * Licensed users only; webinar and Zoom Events exclude each other), or undefined when Zoom takes it.
 */
export function featureRefusal(
  user: ZoomUser,
  current: ZoomFeatureSettings,
  feature: ZoomFeatureSettings,
): { code: number; message: string } | undefined {
  const licensed = user.type === 2;
  if (feature.webinar === true && !licensed)
    return { code: 1122, message: "Webinar feature can only be enabled for Licensed or On-prem users." };
  if (feature.large_meeting === true && !licensed)
    return { code: 1108, message: "Only Licensed or On-prem users can enable the large meeting feature." };
  if (feature.zoom_events === true && !licensed)
    return { code: 1206, message: "You can only enable the Zoom Events feature for Licensed or On-prem users." };
  const after = { ...current, ...feature };
  if (feature.webinar === true && after.zoom_events === true)
    return { code: 1204, message: "You can't enable the Webinar feature because you already have the Zoom Events feature." };
  if (feature.zoom_events === true && after.webinar === true)
    return { code: 1205, message: "You can't enable the Zoom Events feature because you already have the Webinar feature." };
  return undefined;
}

export const memberOf = (user: Pick<ZoomUser, "id" | "email" | "type" | "first_name" | "last_name">): ZoomGroupMember => {
  const member: ZoomGroupMember = { id: user.id, email: user.email, type: user.type };
  if (user.first_name !== undefined) member.first_name = user.first_name;
  if (user.last_name !== undefined) member.last_name = user.last_name;
  return member;
};

/** A group's members as Zoom would list them: members the plan added or removed, users it removed gone. */
export function overlayMembers(
  real: readonly ZoomGroupMember[],
  held: readonly Held<ZoomGroupMember>[],
  users: ReadonlyMap<string, HeldUser>,
): ZoomGroupMember[] {
  const rows = new Map(held.map((member) => [member.key, member]));
  const current = (member: ZoomGroupMember): ZoomGroupMember | undefined => {
    const user = users.get(member.id);
    if (!user) return member;
    return user.body ? memberOf(user.body) : undefined;
  };
  const out: ZoomGroupMember[] = [];
  const seen = new Set<string>();
  for (const member of real) {
    seen.add(member.id);
    const row = rows.get(member.id);
    if (row && !row.body) continue;
    const shown = current(member);
    if (shown) out.push(shown);
  }
  for (const row of held) {
    if (seen.has(row.key) || !row.body) continue;
    const shown = current(row.body);
    if (shown) out.push(shown);
  }
  return out;
}

/** What the plan changed of group memberships, by user: Zoom shows a user's groups on the user (group_ids). */
export interface MembershipChanges {
  added: ReadonlyMap<string, ReadonlySet<string>>;
  removed: ReadonlyMap<string, ReadonlySet<string>>;
  /** Groups the plan deleted. */
  gone: ReadonlySet<string>;
}

export function membershipChanges(members: readonly Held<ZoomGroupMember>[], groups: readonly Held<ZoomGroup>[]): MembershipChanges {
  const added = new Map<string, Set<string>>();
  const removed = new Map<string, Set<string>>();
  for (const member of members) {
    const into = member.body ? added : removed;
    let set = into.get(member.key);
    if (!set) into.set(member.key, (set = new Set()));
    set.add(member.parent);
  }
  return { added, removed, gone: new Set(groups.filter((group) => !group.body).map((group) => group.key)) };
}

/** The user's group_ids once the plan's membership changes and group deletions are made. */
export function withMemberships<U extends { id?: string; group_ids?: string[] }>(user: U, changes: MembershipChanges): U {
  const added = user.id !== undefined ? changes.added.get(user.id) : undefined;
  const removed = user.id !== undefined ? changes.removed.get(user.id) : undefined;
  const current = user.group_ids ?? [];
  if (!added && !removed && !current.some((id) => changes.gone.has(id))) return user;
  const ids = [...new Set([...current, ...(added ?? [])])].filter((id) => !removed?.has(id) && !changes.gone.has(id));
  return { ...user, group_ids: ids };
}

/** Zoom's groups with the plan's creates, renames and deletions. */
export function overlayGroups(real: readonly ZoomGroup[], held: readonly Held<ZoomGroup>[]): ZoomGroup[] {
  const rows = new Map(held.map((group) => [group.key, group]));
  const out: ZoomGroup[] = [];
  for (const group of real) {
    const row = rows.get(group.id);
    if (!row) out.push(group);
    else if (row.body) out.push(row.body);
    rows.delete(group.id);
  }
  for (const row of rows.values()) if (row.body && row.planned) out.push(row.body);
  return out;
}

/** A role's members once the plan's role changes are made (a user's role is its `role_id`; pending users are not
 * listed, as Zoom lists them not). */
export function overlayRoleMembers(real: readonly ZoomRoleMember[], users: readonly HeldUser[], roleId: string): ZoomRoleMember[] {
  const byId = new Map(users.map((user) => [user.key, user]));
  const out: ZoomRoleMember[] = [];
  const seen = new Set<string>();
  for (const member of real) {
    seen.add(member.id);
    const user = byId.get(member.id);
    if (!user) out.push(member);
    else if (user.body && user.body.role_id === roleId && user.body.status !== "pending") out.push(memberOf(user.body));
  }
  for (const user of users) {
    if (!seen.has(user.key) && user.body && user.body.role_id === roleId && user.body.status !== "pending") out.push(memberOf(user.body));
  }
  return out;
}

/** A Zoom Phone user as Zoom answers it once the feature is turned on: no plans, no numbers yet. */
export const newPhoneUser = (user: ZoomUser): ZoomPhoneUser => ({
  id: user.id,
  email: user.email,
  status: "activate",
  calling_plans: [],
  phone_numbers: [],
});

/** Zoom lists numbers as digits without "+". */
export const phoneDigits = (number: string): string => number.replace(/^\+/, "");
