// What a /Groups filter needs to know about membership. Zoom's group list carries no members, so a filter that
// mentions members costs member reads; Entra's membership check (`id eq "g" and members[value eq "u"]`) only needs
// to know whether u is in g, which one read of u answers (its group_ids). Pure.
import type { FilterNode } from "../../scim/filter/index.js";

export function referencesMembers(node: FilterNode): boolean {
  switch (node.op) {
    case "and":
    case "or":
      return node.filters.some(referencesMembers);
    case "not":
      return referencesMembers(node.filter);
    default:
      return node.path.attribute.name === "members";
  }
}

const andChain = (node: FilterNode): FilterNode[] => (node.op === "and" ? node.filters.flatMap(andChain) : [node]);

/** `value eq "u"` on a member (as `members.value eq` or inside `members[…]`): u. */
function memberIdEquality(node: FilterNode, inBrackets: boolean): string | undefined {
  if (node.op !== "eq" || typeof node.value !== "string") return undefined;
  const onValue = node.path.subAttribute?.name === "value" && (inBrackets || node.path.attribute.name === "members");
  return onValue ? node.value : undefined;
}

/**
 * The user ids the filter tests membership of, when every mention of members is a top-level conjunct
 * `members[value eq "u"]` or `members.value eq "u"`: then a group's members can stand in for the probed users alone.
 * undefined when the filter needs the groups' whole membership.
 */
export function membershipProbes(node: FilterNode): string[] | undefined {
  const ids: string[] = [];
  for (const part of andChain(node)) {
    if (!referencesMembers(part)) continue;
    const id =
      part.op === "[]"
        ? part.path.attribute.name === "members" && part.then === undefined
          ? memberIdEquality(part.filter, true)
          : undefined
        : memberIdEquality(part, false);
    if (id === undefined) return undefined;
    ids.push(id);
  }
  return ids.length > 0 ? ids : undefined;
}
