// Group membership of users Zoom does not hold right now: a cancelled invitation (Zoom holds nothing) or an expired
// one (Zoom answers 1120 for it). SCIM still shows these users (GET /Users/{id}), so adding them to a group or
// removing them is accepted: kept in the store as desired membership and applied when they are invited again
// (pending-writes.ts), and shown as members meanwhile. Entra creates, disables, then adds to a group.
import type { Invitation } from "../../store/types.js";
import type { Tenant } from "../tenant.js";
import { lapsedUser } from "../gateway/invitations.js";
import type { GroupMember } from "./group-view.js";

/** The tenant's users with a lapsed invitation (one store read), deleted ones aside. */
export async function lapsedUsers(tenant: Tenant): Promise<Map<string, Invitation>> {
  const lapsed = (await tenant.users.invitations.list()).filter((i) => i.state !== "pending");
  if (lapsed.length === 0) return new Map();
  const deleted = await tenant.store.listTombstoneIds(tenant.name, "User");
  return new Map(lapsed.filter((i) => !deleted.has(i.id)).map((i) => [i.id, i]));
}

/** The groups a lapsed invitation recorded the user in (Zoom dropped them with it; a re-invitation rejoins them). */
const recordedGroups = (invitation: Invitation): string[] => lapsedUser(invitation).group_ids ?? [];

/** Each group's lapsed members: recorded in the invitation, or added since. */
export async function lapsedMembersOf(tenant: Tenant, groupIds: readonly string[]): Promise<Map<string, GroupMember[]>> {
  const result = new Map<string, GroupMember[]>(groupIds.map((id) => [id, []]));
  const lapsed = await lapsedUsers(tenant);
  if (lapsed.size === 0) return result;
  // One read of the tenant's desired memberships serves any number of groups.
  const desired = new Set((await tenant.store.lifecycle.listAllDesiredMembers(tenant.name)).map((d) => `${d.groupId}\n${d.userId}`));
  for (const [groupId, members] of result) {
    for (const invitation of lapsed.values()) {
      if (desired.has(`${groupId}\n${invitation.id}`) || recordedGroups(invitation).includes(groupId))
        members.push({ id: invitation.id, email: invitation.email });
    }
  }
  return result;
}

/** The groups of a user whose invitation lapsed (recorded, or added since); undefined for any other user. */
export async function lapsedGroupsOf(tenant: Tenant, userId: string): Promise<{ email: string; groupIds: string[] } | undefined> {
  const invitation = await tenant.users.invitations.get(userId);
  if (!invitation || invitation.state === "pending") return undefined;
  if (await tenant.store.getTombstone(tenant.name, "User", userId)) return undefined;
  const desired = await tenant.store.lifecycle.listDesiredGroups(tenant.name, userId);
  return { email: invitation.email, groupIds: [...new Set([...recordedGroups(invitation), ...desired])] };
}

/** Adds each group's lapsed members after Zoom's (once each). */
export async function withLapsedMembers(tenant: Tenant, members: Map<string, GroupMember[]>): Promise<Map<string, GroupMember[]>> {
  const lapsed = await lapsedMembersOf(tenant, [...members.keys()]);
  for (const [groupId, list] of members) {
    const seen = new Set(list.map((m) => m.id));
    for (const member of lapsed.get(groupId) ?? []) if (!seen.has(member.id)) list.push(member);
  }
  return members;
}

/**
 * Records desired membership changes of lapsed users, in one unit: an add is kept for the re-invitation; a remove
 * drops a kept add and the group from the invitation's record (so that the re-invitation does not rejoin it).
 */
export async function recordLapsedChanges(
  tenant: Tenant,
  groupId: string,
  add: readonly string[],
  remove: readonly string[],
): Promise<void> {
  if (add.length === 0 && remove.length === 0) return;
  const now = new Date();
  await tenant.store.transaction(async (tx) => {
    for (const id of add) await tx.lifecycle.addDesiredMember(tenant.name, groupId, id, now);
    for (const id of remove) {
      await tx.lifecycle.removeDesiredMember(tenant.name, groupId, id);
      const invitation = await tx.lifecycle.getInvitation(tenant.name, id);
      if (!invitation || invitation.state === "pending" || !recordedGroups(invitation).includes(groupId)) continue;
      const user = lapsedUser(invitation);
      await tenant.users.invitations.put(
        { ...user, group_ids: recordedGroups(invitation).filter((g) => g !== groupId) },
        invitation.state,
        invitation,
      );
    }
  });
}
