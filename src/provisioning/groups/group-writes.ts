// POST, PUT and DELETE on /Groups: validate everything (member ids included) before the first Zoom change, then
// the fewest Zoom calls, then one store write (externalId and the name zoom-scim last set).
import { auditGroupChanges, auditResource } from "../audit/scope.js";
import type { JsonObject, StoredResource } from "../../store/types.js";
import { badRequest, ScimError } from "../../scim/errors.js";
import type { Tenant } from "../tenant.js";
import { applyGroupChanges, GroupChangeError, listIds, recordInSnapshot, type GroupChanges } from "./group-changes.js";
import { groupNotFound, groupZoomError } from "./group-errors.js";
import { parseGroupBody, type GroupBody } from "./group-input.js";
import { checkGroupVersion, fetchGroup, isGroupAbsent, readMembers } from "./group-reads.js";
import type { Preconditions } from "../../scim/versioning.js";
import { toScimGroup, type GroupMember, type StoredGroupAttributes } from "./group-view.js";
import { resolveAdditions, type MemberAdditions } from "./member-resolution.js";

export function refuseUnknown(additions: MemberAdditions): void {
  const unknown = additions.unknown;
  if (unknown.length === 0) return;
  const shown = unknown.length > 20 ? listIds(unknown, 20) : unknown.map((id) => `"${id}"`).join(", ");
  throw badRequest(
    "invalidValue",
    `members ${shown} ${unknown.length === 1 ? "is not a user" : "are not users"} of this Zoom account; members are Zoom user ids ` +
      `(the id of a /Users resource). Nothing was changed.`,
  );
}

/** Records what Zoom cannot hold: externalId (undefined keeps the stored one) and the name as last set or seen. */
export async function storeGroup(
  tenant: Tenant,
  id: string,
  name: string | undefined,
  externalId: string | null | undefined,
  stored: StoredResource | undefined,
): Promise<StoredResource> {
  const attributes: StoredGroupAttributes = { ...(stored?.attributes as StoredGroupAttributes | undefined) };
  if (name !== undefined) attributes.displayName = name;
  return tenant.store.put(
    {
      tenant: tenant.name,
      kind: "Group",
      id,
      externalId: externalId === undefined ? (stored?.externalId ?? null) : externalId,
      attributes: { ...attributes },
      email: null,
      emails: [],
    },
    new Date(),
    // Guarded by the version read: a concurrent write (another process) makes the whole write re-run.
    { expectedVersion: stored?.version ?? null },
  );
}

/** What the IdP set as the group's whole membership, for the drift report. */
function recordWholeMembership(tenant: Tenant, groupId: string, members: readonly string[]): Promise<void> {
  return tenant.store.lifecycle.recordIdpMembers(tenant.name, groupId, { add: members, remove: [], replace: true });
}

/** Members in the order given, with the emails the reads found. */
export function membersInOrder(ids: readonly string[], known: Iterable<GroupMember>): GroupMember[] {
  const byId = new Map<string, GroupMember>();
  for (const member of known) byId.set(member.id, member);
  return ids.map((id) => byId.get(id) ?? { id });
}

/** The diff that makes the group hold exactly `wanted` (validated first). */
export async function membershipDiff(
  tenant: Tenant,
  groupId: string,
  current: readonly GroupMember[],
  wanted: readonly string[],
): Promise<{ changes: Omit<GroupChanges, "rename">; members: GroupMember[] }> {
  const currentIds = new Set(current.map((m) => m.id));
  const wantedIds = new Set(wanted);
  const additions = await resolveAdditions(
    tenant,
    groupId,
    wanted.filter((id) => !currentIds.has(id)),
    currentIds,
  );
  refuseUnknown(additions);
  return {
    changes: {
      add: additions.add,
      pending: additions.pending,
      remove: current.filter((m) => !wantedIds.has(m.id)).map((m) => m.id),
      lapsed: additions.lapsed.map((m) => m.id),
    },
    members: membersInOrder(wanted, [...current, ...additions.add, ...additions.pending, ...additions.lapsed]),
  };
}

export async function createGroup(tenant: Tenant, body: unknown, baseUrl: string): Promise<JsonObject> {
  const desired = parseGroupBody(body);
  const name = desired.displayName;
  const ids = desired.members ?? [];
  const additions = await resolveAdditions(tenant, undefined, ids);
  refuseUnknown(additions);
  let created;
  try {
    created = await tenant.zoom.createGroup(name);
  } catch (error) {
    throw groupZoomError(error, `creating Zoom group "${name}"`, { name });
  }
  tenant.forgetGroups();
  auditGroupChanges(created.id, { renamedTo: created.name, added: [], removed: [] });
  // Stored before the members are added: a client that gets a partial failure can still find it by externalId.
  const stored = await storeGroup(tenant, created.id, created.name, desired.externalId ?? null, undefined);
  try {
    await applyGroupChanges(tenant, created.id, {
      add: additions.add,
      pending: additions.pending,
      remove: [],
      lapsed: additions.lapsed.map((m) => m.id),
    });
  } catch (error) {
    const scimError = error instanceof ScimError ? error : groupZoomError(error, "adding the members", { id: created.id });
    throw new ScimError(
      scimError.status,
      scimError.scimType,
      `Zoom group "${name}" was created with id ${created.id}, but not every member was added: ${scimError.detail} Add the rest with PATCH /Groups/${created.id}.`,
      { retryAfterSeconds: scimError.retryAfterSeconds, cause: error },
    );
  }
  await recordWholeMembership(tenant, created.id, ids);
  const members = membersInOrder(ids, [...additions.add, ...additions.pending, ...additions.lapsed]);
  return toScimGroup({ id: created.id, name: created.name }, members, stored, baseUrl);
}

/** PUT: the name and, when the body has `members`, the membership by diff. Omitted attributes keep their values. */
export async function replaceGroup(
  tenant: Tenant,
  id: string,
  body: unknown,
  showMembers: boolean,
  baseUrl: string,
  conditions: Preconditions = {},
): Promise<JsonObject> {
  const desired = parseGroupBody(body);
  return tenant.users.locks.write("Group", id, async () => {
    await checkGroupVersion(tenant, id, conditions);
    return replaceNow(tenant, id, desired, showMembers, baseUrl);
  });
}

async function replaceNow(tenant: Tenant, id: string, desired: GroupBody, showMembers: boolean, baseUrl: string): Promise<JsonObject> {
  const group = await fetchGroup(tenant, id);
  const rename = desired.displayName !== group.name ? desired.displayName : undefined;
  let changes: GroupChanges = { rename, add: [], pending: [], remove: [] };
  let members: GroupMember[] | undefined;
  if (desired.members !== undefined) {
    const diff = await membershipDiff(tenant, id, await readMembers(tenant, id), desired.members);
    changes = { rename, ...diff.changes };
    members = diff.members;
  }
  const previous = await tenant.store.get(tenant.name, "Group", id);
  try {
    await applyGroupChanges(tenant, id, changes);
  } catch (error) {
    if (error instanceof GroupChangeError && error.applied.renamed) await storeGroup(tenant, id, desired.displayName, undefined, previous);
    throw error;
  }
  const stored = await storeGroup(tenant, id, desired.displayName, desired.externalId, previous);
  // The IdP named the whole membership: from now on a member it did not name was put there in Zoom.
  if (desired.members !== undefined) await recordWholeMembership(tenant, id, desired.members);
  if (members === undefined && showMembers) members = await readMembers(tenant, id);
  return toScimGroup({ id, name: desired.displayName }, members, stored, baseUrl);
}

export async function deleteGroup(tenant: Tenant, id: string, conditions: Preconditions = {}): Promise<void> {
  if (id.trim() === "") throw groupNotFound(id);
  return tenant.users.locks.write("Group", id, async () => {
    await checkGroupVersion(tenant, id, conditions);
    await deleteNow(tenant, id);
  });
}

async function deleteNow(tenant: Tenant, id: string): Promise<void> {
  auditResource({ resourceId: id, before: { displayName: tenant.peekGroups()?.find((g) => g.id === id)?.name ?? null }, after: null });
  try {
    // A group that is not there (404) or a refusal deletes nothing and counts nothing.
    await tenant.breaker.guard([{ kind: "deletion", count: 1 }], `deleting group ${id}`, () => tenant.zoom.deleteGroup(id));
  } catch (error) {
    if (error instanceof ScimError) throw error;
    if (isGroupAbsent(error)) throw groupNotFound(id);
    throw groupZoomError(error, `deleting Zoom group ${id}`, { id });
  }
  tenant.forgetGroups();
  await tenant.store.transaction(async (tx) => {
    await tx.remove(tenant.name, "Group", id);
    await tx.lifecycle.removeDesiredMembersOfGroup(tenant.name, id);
    await tx.lifecycle.forgetIdpGroup(tenant.name, id);
  });
  // Zoom takes the group out of its members' group_ids: so does the snapshot.
  const snapshot = tenant.users.peek();
  if (snapshot)
    recordInSnapshot(
      tenant,
      id,
      [],
      snapshot.users.filter((u) => u.group_ids?.includes(id)).map((u) => u.id),
    );
}
