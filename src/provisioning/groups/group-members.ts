// Who is in a Zoom group. Zoom's member list pages at 2,000 but leaves out pending users (placed with
// `PATCH /users/{id} {"group_id"}`, shown once they accept); users' `group_ids` name every group, pending included.
import type { ZoomListedUser } from "../../zoom/types.js";
import type { Tenant } from "../tenant.js";
import type { UserSnapshot } from "../gateway/user-snapshot.js";
import { mapConcurrent } from "../../lib/concurrency.js";
import type { GroupMember } from "./group-view.js";
import { withLapsedMembers } from "./lapsed-members.js";

/** Pending users' ids looked up by email at once (Zoom lists pending users without id). */
const PENDING_LOOKUP_CONCURRENCY = 4;

/** The members of each of `groupIds` according to a users snapshot: one scan serves every group. */
export function membersFromSnapshot(snapshot: UserSnapshot, groupIds: Iterable<string>): Map<string, GroupMember[]> {
  const members = new Map<string, GroupMember[]>();
  for (const id of groupIds) members.set(id, []);
  for (const user of snapshot.users) {
    for (const groupId of user.group_ids ?? []) members.get(groupId)?.push({ id: user.id, email: user.email });
  }
  return members;
}

/** A pending user's id: from the store (users zoom-scim created), else one Zoom get by email. */
async function pendingUserId(tenant: Tenant, user: ZoomListedUser): Promise<string | undefined> {
  if (user.id) return user.id;
  const email = user.email.toLowerCase();
  const stored = (await tenant.store.findUsersByEmail(tenant.name, email)).find((record) => record.email === email);
  if (stored) return stored.id;
  // An invitation that expired (Zoom's 1120) leaves no user to show as a member, like one Zoom no longer has.
  const found = await tenant.users.lookup(user.email);
  return found === "expired" ? undefined : found?.id;
}

/** Pending members of these groups: from the users snapshot when one is fresh, else Zoom's pending list. */
export async function pendingMembers(tenant: Tenant, groupIds: ReadonlySet<string>): Promise<Map<string, GroupMember[]>> {
  const result = new Map<string, GroupMember[]>([...groupIds].map((id) => [id, []]));
  const snapshot = tenant.users.peek();
  const inGroups = (user: ZoomListedUser): boolean => (user.group_ids ?? []).some((id) => groupIds.has(id));
  const pending = snapshot
    ? snapshot.users.filter((user) => user.status === "pending" && inGroups(user))
    : (await tenant.users.listAllUsers("pending")).filter(inGroups);
  const ids = await mapConcurrent(pending, PENDING_LOOKUP_CONCURRENCY, (user) => pendingUserId(tenant, user));
  pending.forEach((user, index) => {
    const id = ids[index];
    if (!id) return;
    for (const groupId of user.group_ids ?? []) result.get(groupId)?.push({ id, email: user.email });
  });
  return result;
}

/** Each group's members as Zoom holds them now: its member list (join order), then its pending members. */
export async function membersOfGroups(tenant: Tenant, groupIds: readonly string[]): Promise<Map<string, GroupMember[]>> {
  const result = new Map<string, GroupMember[]>();
  for (const id of groupIds)
    result.set(
      id,
      (await tenant.users.listAllGroupMembers(id)).map((m) => ({ id: m.id, email: m.email })),
    );
  const pending = await pendingMembers(tenant, new Set(groupIds));
  for (const [id, members] of result) {
    const seen = new Set(members.map((m) => m.id));
    for (const member of pending.get(id) ?? []) if (!seen.has(member.id)) members.push(member);
  }
  return withLapsedMembers(tenant, result);
}

export async function currentMembers(tenant: Tenant, groupId: string): Promise<GroupMember[]> {
  return (await membersOfGroups(tenant, [groupId])).get(groupId) ?? [];
}

/** Up to this many groups are read member list by member list; more, and one users snapshot serves them all. */
const FEW_GROUPS = 2;

/**
 * Members of several groups: a few groups are read from Zoom (current, like a get); for more, one users snapshot
 * (a scan shared with /Users, kept for the snapshot TTL) is far cheaper than their member lists.
 */
export async function loadMembers(tenant: Tenant, groupIds: readonly string[]): Promise<Map<string, GroupMember[]>> {
  if (groupIds.length === 0) return new Map();
  if (groupIds.length <= FEW_GROUPS) return membersOfGroups(tenant, groupIds);
  return withLapsedMembers(tenant, membersFromSnapshot(await tenant.users.snapshot(), groupIds));
}
