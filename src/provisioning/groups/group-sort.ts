// sortBy on /Groups: groups are few, so each is rendered (without members, unless the sort reads them) and keyed.
import type { StoredResource } from "../../store/types.js";
import type { ZoomGroup } from "../../zoom/types.js";
import { sortByKeys, type SortSpec } from "../../scim/sort.js";
import type { Tenant } from "../tenant.js";
import { groupZoomError } from "./group-errors.js";
import { loadMembers } from "./group-members.js";
import { toScimGroup, type GroupMember } from "./group-view.js";

export async function sortGroups(
  tenant: Tenant,
  groups: readonly ZoomGroup[],
  stored: ReadonlyMap<string, StoredResource>,
  known: ReadonlyMap<string, GroupMember[]> | undefined,
  spec: SortSpec,
  baseUrl: string,
): Promise<ZoomGroup[]> {
  let members = known;
  if (spec.path.startsWith("members") && !members) {
    try {
      members = await loadMembers(
        tenant,
        groups.map((g) => g.id),
      );
    } catch (error) {
      throw groupZoomError(error, "reading group members to sort by them", {});
    }
  }
  const keys = groups.map((group) => spec.keyOf(toScimGroup(group, members?.get(group.id), stored.get(group.id), baseUrl)));
  return sortByKeys(groups, keys, spec.descending);
}
