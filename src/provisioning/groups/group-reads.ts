// GET /Groups/{id} and GET /Groups: the fewest Zoom calls that answer the request. Members are read only when the
// answer shows them or the filter tests them; `excludedAttributes=members` makes a get one Zoom call.
import type { JsonObject, StoredResource } from "../../store/types.js";
import { isZoomId, ZoomApiError } from "../../zoom/index.js";
import type { ZoomGroup } from "../../zoom/types.js";
import { equalityConjuncts, matchesFilter, parseFilter, type FilterNode } from "../../scim/filter/index.js";
import { listResponse, slicePage } from "../../scim/paging.js";
import { projectResource, requestedAttributes } from "../../scim/projection/index.js";
import type { Tenant } from "../tenant.js";
import type { ListQuery, Projection } from "../users/user-reads.js";
import { isZoomNotFound } from "../zoom-errors.js";
import { groupNotFound, groupZoomError } from "./group-errors.js";
import { membershipProbes, referencesMembers } from "./group-filter.js";
import { currentMembers, loadMembers } from "./group-members.js";
import { groupSchema } from "../../scim/group-schema.js";
import { groupVersion, storedGroupName, toScimGroup, type GroupMember } from "./group-view.js";
import { checkIfMatch, type Preconditions } from "../../scim/versioning.js";
import { parseSort } from "../../scim/sort.js";
import { sortGroups } from "./group-sort.js";
import { lapsedGroupsOf } from "./lapsed-members.js";

/** Zoom answers another account's group with 400/1010: for this account it does not exist. */
export const isGroupAbsent = (error: unknown): boolean => isZoomNotFound(error) || (error instanceof ZoomApiError && error.code === 1010);

export async function findGroup(tenant: Tenant, id: string): Promise<ZoomGroup | undefined> {
  if (!isZoomId(id)) return undefined;
  try {
    return await tenant.zoom.getGroup(id);
  } catch (error) {
    if (isGroupAbsent(error)) return undefined;
    throw groupZoomError(error, `reading Zoom group ${id}`, { id });
  }
}

export async function fetchGroup(tenant: Tenant, id: string): Promise<ZoomGroup> {
  const group = await findGroup(tenant, id);
  if (!group) throw groupNotFound(id);
  return group;
}

/** Keeps the store's copy of the name current, so that a later rename to the same name needs no Zoom call. */
export async function rememberName(
  tenant: Tenant,
  group: ZoomGroup,
  stored: StoredResource | undefined,
): Promise<StoredResource | undefined> {
  if (!stored || storedGroupName(stored) === group.name) return stored;
  return tenant.store.put({ ...stored, attributes: { ...stored.attributes, displayName: group.name } }, new Date());
}

export async function getGroup(tenant: Tenant, id: string, projection: Projection, baseUrl: string): Promise<JsonObject> {
  const group = await fetchGroup(tenant, id);
  const members = requestedAttributes(groupSchema, projection)("members") ? await readMembers(tenant, id) : undefined;
  const stored = await rememberName(tenant, group, await tenant.store.get(tenant.name, "Group", id));
  return projectResource(toScimGroup(group, members, stored, baseUrl), groupSchema, projection);
}

/**
 * If-Match of a group write, called under the group's lock: the version needs the group and its members (reads a
 * write without If-Match does not make); `*` only needs the group to exist, which the write itself finds out.
 */
export async function checkGroupVersion(tenant: Tenant, id: string, conditions: Preconditions): Promise<void> {
  const ifMatch = conditions.ifMatch?.trim();
  if (ifMatch === undefined || ifMatch === "*") return;
  const group = await fetchGroup(tenant, id);
  const members = await readMembers(tenant, id);
  const stored = await tenant.store.get(tenant.name, "Group", id);
  checkIfMatch(ifMatch, groupVersion(group.name, stored?.externalId, members), `Group ${id}`);
}

export async function readMembers(tenant: Tenant, id: string): Promise<GroupMember[]> {
  try {
    return await currentMembers(tenant, id);
  } catch (error) {
    throw groupZoomError(error, `reading the members of Zoom group ${id}`, { id });
  }
}

/** Groups an equality conjunct pins down, or undefined when the filter needs the whole group list. */
async function lookupCandidates(tenant: Tenant, filter: FilterNode): Promise<ZoomGroup[] | undefined> {
  for (const conjunct of equalityConjuncts(filter)) {
    if (typeof conjunct.value !== "string") continue;
    const value = conjunct.value;
    switch (conjunct.path) {
      case "id": {
        const group = await findGroup(tenant, value);
        return group ? [group] : [];
      }
      case "externalId": {
        const found: ZoomGroup[] = [];
        for (const record of await tenant.store.findByExternalId(tenant.name, "Group", value)) {
          const group = await findGroup(tenant, record.id);
          if (group) found.push(group);
        }
        return found;
      }
      case "displayName": {
        // Zoom group names are unique whatever their case: at most one.
        const lower = value.toLowerCase();
        return (await allGroups(tenant)).filter((g) => g.name.toLowerCase() === lower);
      }
      default:
        break;
    }
  }
  return undefined;
}

async function allGroups(tenant: Tenant): Promise<ZoomGroup[]> {
  try {
    return await tenant.groups();
  } catch (error) {
    throw groupZoomError(error, "listing Zoom groups", {});
  }
}

/** Each group's members limited to the probed users who are in it: one get per probed user. */
async function probeMembership(tenant: Tenant, userIds: readonly string[]): Promise<Map<string, GroupMember[]>> {
  const members = new Map<string, GroupMember[]>();
  for (const id of new Set(userIds)) {
    const user = await tenant.users.fetch(id);
    // A user Zoom does not hold right now (its invitation lapsed) is a member where it is kept as one.
    const lapsed = user ? undefined : await lapsedGroupsOf(tenant, id);
    for (const groupId of user?.group_ids ?? lapsed?.groupIds ?? []) {
      const list = members.get(groupId) ?? [];
      list.push({ id: user?.id ?? id, email: user?.email ?? lapsed?.email });
      members.set(groupId, list);
    }
  }
  return members;
}

async function membersFor(tenant: Tenant, groups: readonly ZoomGroup[]): Promise<Map<string, GroupMember[]>> {
  try {
    return await loadMembers(
      tenant,
      groups.map((g) => g.id),
    );
  } catch (error) {
    throw groupZoomError(error, "reading group members", {});
  }
}

export async function listGroups(tenant: Tenant, query: ListQuery, baseUrl: string): Promise<JsonObject> {
  const filter = query.filter === undefined || query.filter.trim() === "" ? undefined : parseFilter(query.filter, groupSchema);
  const sort = parseSort(query.sortBy, query.sortOrder, groupSchema);
  const showMembers = requestedAttributes(groupSchema, query)("members");
  let groups = (filter ? await lookupCandidates(tenant, filter) : undefined) ?? (await allGroups(tenant));
  const stored = new Map((await tenant.store.list(tenant.name, "Group")).map((record) => [record.id, record]));

  let members: Map<string, GroupMember[]> | undefined;
  if (filter) {
    let partial: Map<string, GroupMember[]> | undefined;
    if (referencesMembers(filter)) {
      const probes = membershipProbes(filter);
      if (probes) partial = await probeMembership(tenant, probes);
      else members = await membersFor(tenant, groups);
    }
    const shown = members ?? partial;
    groups = groups.filter((group) =>
      matchesFilter(toScimGroup(group, shown?.get(group.id) ?? (shown ? [] : undefined), stored.get(group.id), baseUrl), filter),
    );
  }

  if (sort) groups = await sortGroups(tenant, groups, stored, members, sort, baseUrl);
  const page = slicePage(groups, query.page);
  if (showMembers && !members) members = await membersFor(tenant, page);
  const views = page.map((group) =>
    toScimGroup(group, showMembers ? (members?.get(group.id) ?? []) : undefined, stored.get(group.id), baseUrl),
  );
  return listResponse(
    views.map((view) => projectResource(view, groupSchema, query)),
    groups.length,
    query.page,
  );
}
