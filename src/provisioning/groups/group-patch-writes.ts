// PATCH /Groups/{id} on its own route: operations become Zoom calls directly, never read-apply-write of the whole
// group. Adds and removes by id need no member read (a remove is one call, a non-member's 404 a no-op); replace,
// remove-all and other filtered removes read the members once and apply the diff. A rename to the name zoom-scim
// knows costs nothing (Okta sends one with every push).
import type { IdpMemberChange, JsonObject, StoredResource } from "../../store/types.js";
import type { ZoomGroup } from "../../zoom/types.js";
import { ScimError } from "../../scim/errors.js";
import { parsePatchRequest } from "../../scim/patch/index.js";
import type { Tenant } from "../tenant.js";
import { applyGroupChanges, GroupChangeError, type GroupChanges } from "./group-changes.js";
import { applyMemberOps, foldMemberDelta, interpretGroupPatch, needsCurrentMembers, type GroupPatch } from "./group-patch.js";
import { checkGroupVersion, fetchGroup, readMembers } from "./group-reads.js";
import type { Preconditions } from "../../scim/versioning.js";
import { storedGroupName, toScimGroup, type GroupMember } from "./group-view.js";
import { membershipDiff, refuseUnknown, storeGroup } from "./group-writes.js";
import { PER_USER_READS_MAX, resolveAdditions } from "./member-resolution.js";

export interface PatchAnswer {
  /** Shows the members when the answer is wanted and shows them; undefined: answer 204. */
  respond?: { showMembers: boolean };
}

interface Plan {
  changes: GroupChanges;
  /** The members afterwards, when the plan had to read them. */
  members: GroupMember[] | undefined;
  /** True when a read made along the way proved the group exists. */
  seen: boolean;
}

async function planMembers(tenant: Tenant, id: string, patch: GroupPatch, rename: string | undefined): Promise<Plan> {
  if (needsCurrentMembers(patch.memberOps)) {
    const current = await readMembers(tenant, id);
    const diff = await membershipDiff(tenant, id, current, applyMemberOps(current, patch.memberOps));
    return { changes: { rename, ...diff.changes }, members: diff.members, seen: true };
  }
  const delta = foldMemberDelta(patch.memberOps);
  const additions = await resolveAdditions(tenant, id, delta.add);
  refuseUnknown(additions);
  let remove = delta.remove;
  let seen = additions.already.length > 0;
  // A remove is one Zoom call per user; past a few, one read of the members (ceil(n/2000) calls) lets the removals
  // of users who are not members cost nothing, however many the client names.
  if (remove.length > PER_USER_READS_MAX) {
    const members = new Set((await readMembers(tenant, id)).map((m) => m.id));
    remove = remove.filter((memberId) => members.has(memberId));
    seen = true;
  }
  const lapsed = additions.lapsed.map((m) => m.id);
  return { changes: { rename, add: additions.add, pending: additions.pending, remove, lapsed }, members: undefined, seen };
}

/**
 * What the IdP asked of the membership, for the drift report: members it named (Zoom may have held them already),
 * members it removed, and, after a replace or a remove-all, the whole membership.
 */
function idpIntent(patch: GroupPatch, plan: Plan): IdpMemberChange {
  const whole = patch.memberOps.some((op) => op.kind === "replace" || op.kind === "clear");
  if (whole && plan.members) return { add: plan.members.map((m) => m.id), remove: [], replace: true };
  if (needsCurrentMembers(patch.memberOps))
    return { add: patch.memberOps.flatMap((op) => (op.kind === "add" ? op.ids : [])), remove: plan.changes.remove };
  return foldMemberDelta(patch.memberOps);
}

/** The group's name as zoom-scim knows it without asking Zoom: the cached group list, else the store. */
function knownName(tenant: Tenant, id: string, stored: StoredResource | undefined): string | undefined {
  return tenant.peekGroups()?.find((g) => g.id === id)?.name ?? storedGroupName(stored);
}

export async function patchGroup(
  tenant: Tenant,
  id: string,
  body: unknown,
  answer: PatchAnswer,
  baseUrl: string,
  conditions: Preconditions = {},
): Promise<JsonObject | undefined> {
  const patch = interpretGroupPatch(parsePatchRequest(body), id);
  // One write of the group at a time (a re-run reads it again when another process's write won).
  return tenant.users.locks.write("Group", id, async () => {
    await checkGroupVersion(tenant, id, conditions);
    return patchNow(tenant, id, patch, answer, baseUrl);
  });
}

async function patchNow(
  tenant: Tenant,
  id: string,
  patch: GroupPatch,
  answer: PatchAnswer,
  baseUrl: string,
): Promise<JsonObject | undefined> {
  let stored = await tenant.store.get(tenant.name, "Group", id);
  let group: ZoomGroup | undefined;
  let name = knownName(tenant, id, stored);
  if (patch.displayName !== undefined && name === undefined) {
    group = await fetchGroup(tenant, id);
    name = group.name;
  }
  const rename = patch.displayName !== undefined && patch.displayName !== name ? patch.displayName : undefined;
  const plan = await planMembers(tenant, id, patch, rename);
  const { changes } = plan;
  const zoomCalls = rename !== undefined || changes.add.length + changes.pending.length + changes.remove.length > 0;
  const touchesZoom = zoomCalls || (changes.lapsed?.length ?? 0) > 0;
  // A PATCH that needs no Zoom change must still 404 for a group that does not exist: the store (groups zoom-scim
  // wrote), a read made above, or one Zoom get says whether it does.
  if (!zoomCalls && !stored && !group && !plan.seen) {
    group = await fetchGroup(tenant, id);
    name = group.name;
  }
  const externalIdChanges = patch.externalId !== undefined && patch.externalId !== (stored?.externalId ?? null);
  if (touchesZoom) {
    try {
      await applyGroupChanges(tenant, id, changes);
    } catch (error) {
      // A rename that went through is remembered, so that repeating the request does not send it again.
      if (error instanceof GroupChangeError && error.applied.renamed) await storeGroup(tenant, id, rename, undefined, stored);
      if (!(error instanceof ScimError) || !externalIdChanges) throw error;
      throw new ScimError(error.status, error.scimType, `${error.detail} The externalId change was not recorded either.`, {
        retryAfterSeconds: error.retryAfterSeconds,
        cause: error,
      });
    }
    name = rename ?? name;
  }
  if (patch.memberOps.length > 0) await tenant.store.lifecycle.recordIdpMembers(tenant.name, id, idpIntent(patch, plan));
  if (touchesZoom || externalIdChanges || (name !== undefined && name !== storedGroupName(stored))) {
    stored = await storeGroup(tenant, id, name, patch.externalId, stored);
  }
  if (!answer.respond) return undefined;
  if (name === undefined) name = (group ?? (await fetchGroup(tenant, id))).name;
  const members = answer.respond.showMembers ? (plan.members ?? (await readMembers(tenant, id))) : undefined;
  return toScimGroup({ id, name }, members, stored, baseUrl);
}
