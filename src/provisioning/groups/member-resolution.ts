// Before any change: which of the users a request adds exist, which are pending, which are members already.
// Reads are chosen to be the fewest: one get per user for a few users (each answer also says whether the user is
// in the group), else the group's member pages plus the tenant's users snapshot.
import { mapConcurrent } from "../../lib/concurrency.js";
import { ZOOM_MAX_GROUP_MEMBER_PAGE, type ZoomListedUser } from "../../zoom/types.js";
import type { Tenant } from "../tenant.js";
import type { UserSnapshot } from "../gateway/user-snapshot.js";
import { groupZoomError } from "./group-errors.js";
import type { GroupMember } from "./group-view.js";
import { lapsedUsers } from "./lapsed-members.js";

/** With no snapshot loaded, up to this many users are read one by one (about one add call's worth). */
export const PER_USER_READS_MAX = 30;
const READ_CONCURRENCY = 8;

export interface MemberAdditions {
  /** Active or inactive users to add with `POST /groups/{id}/members`. */
  add: GroupMember[];
  /** Pending users: Zoom adds them with `PATCH /users/{id} {"group_id"}`. */
  pending: GroupMember[];
  /** Already members: nothing to do. */
  already: string[];
  /** Users Zoom does not hold right now (a cancelled or expired invitation): kept as desired membership. */
  lapsed: GroupMember[];
  /** Not users of this Zoom account: the request is refused before any change. */
  unknown: string[];
}

interface Candidate {
  user: ZoomListedUser & { id: string };
  /** True when `user` comes from a Zoom get made now: its group_ids are current. */
  fresh: boolean;
}

async function readEach(tenant: Tenant, ids: readonly string[]): Promise<Map<string, Candidate>> {
  const found = new Map<string, Candidate>();
  for (const user of await mapConcurrent(ids, READ_CONCURRENCY, (id) => tenant.users.fetch(id))) {
    if (!user) continue;
    found.set(user.id, { user, fresh: true });
    // Users created in Zoom since the snapshot join it now, so that group membership shown from it includes them.
    tenant.users.remember(user);
  }
  return found;
}

/** Users from the snapshot; ids it lacks (created since) and pending users (who may have accepted) are read afresh. */
async function readThroughSnapshot(tenant: Tenant, snapshot: UserSnapshot, ids: readonly string[]): Promise<Map<string, Candidate>> {
  const found = new Map<string, Candidate>();
  const reread: string[] = [];
  for (const id of ids) {
    const user = snapshot.byId.get(id);
    if (user && user.status !== "pending") found.set(id, { user, fresh: false });
    else reread.push(id);
  }
  if (reread.length <= PER_USER_READS_MAX) {
    for (const [id, candidate] of await readEach(tenant, reread)) found.set(id, candidate);
    return found;
  }
  // Many ids the snapshot cannot settle (unknown ones, say): one fresh scan costs ceil(N/2000) calls, where a read
  // per id would cost one each, however many of them are not users at all.
  const fresh = await tenant.users.refreshSnapshot();
  for (const id of reread) {
    const user = fresh.byId.get(id);
    if (user) found.set(id, { user, fresh: false });
  }
  return found;
}

function classify(
  ids: readonly string[],
  found: Map<string, Candidate>,
  groupId: string | undefined,
  isMember: (id: string) => boolean,
): MemberAdditions {
  const result: MemberAdditions = { add: [], pending: [], already: [], lapsed: [], unknown: [] };
  for (const id of ids) {
    const candidate = found.get(id);
    const member =
      isMember(id) ||
      (candidate !== undefined && candidate.fresh && groupId !== undefined && (candidate.user.group_ids ?? []).includes(groupId));
    if (member) result.already.push(id);
    else if (!candidate) result.unknown.push(id);
    else (candidate.user.status === "pending" ? result.pending : result.add).push({ id, email: candidate.user.email });
  }
  return result;
}

/** Member pages of the group a snapshot predicts; a get per user is cheaper below that. */
function expectedMemberPages(snapshot: UserSnapshot, groupId: string): number {
  let members = 0;
  for (const user of snapshot.users) if (user.group_ids?.includes(groupId)) members += 1;
  return Math.max(1, Math.ceil(members / ZOOM_MAX_GROUP_MEMBER_PAGE));
}

/**
 * Sorts the users to add into add / pending / already / unknown.
 * `members`: the group's current member ids when the caller has read them (replace, PUT), or an empty set for a
 * group just created; undefined when unknown (a PATCH add), in which case the reads find out.
 */
export async function resolveAdditions(
  tenant: Tenant,
  groupId: string | undefined,
  ids: readonly string[],
  members?: ReadonlySet<string>,
): Promise<MemberAdditions> {
  return withLapsed(tenant, await resolveInZoom(tenant, groupId, ids, members));
}

/** Ids Zoom does not know that are users whose invitation lapsed (the store knows them): not unknown after all. */
async function withLapsed(tenant: Tenant, additions: MemberAdditions): Promise<MemberAdditions> {
  if (additions.unknown.length === 0) return additions;
  const lapsed = await lapsedUsers(tenant);
  const unknown: string[] = [];
  for (const id of additions.unknown) {
    const invitation = lapsed.get(id);
    if (invitation) additions.lapsed.push({ id, email: invitation.email });
    else unknown.push(id);
  }
  return { ...additions, unknown };
}

async function resolveInZoom(
  tenant: Tenant,
  groupId: string | undefined,
  ids: readonly string[],
  members?: ReadonlySet<string>,
): Promise<MemberAdditions> {
  if (ids.length === 0) return { add: [], pending: [], already: [], lapsed: [], unknown: [] };
  const warm = tenant.users.peek();
  if (members !== undefined || groupId === undefined) {
    const known = members ?? new Set<string>();
    const unresolved = ids.filter((id) => !known.has(id));
    const found =
      warm || unresolved.length > PER_USER_READS_MAX
        ? await readThroughSnapshot(tenant, warm ?? (await tenant.users.snapshot()), unresolved)
        : await readEach(tenant, unresolved);
    return classify(ids, found, groupId, (id) => known.has(id));
  }
  const perUser = warm ? ids.length <= expectedMemberPages(warm, groupId) : ids.length <= PER_USER_READS_MAX;
  if (perUser) return classify(ids, await readEach(tenant, ids), groupId, () => false);
  // Many users: the group's member pages say who is in already; the snapshot says who exists and who is pending.
  let listed: Set<string>;
  try {
    listed = new Set((await tenant.users.listAllGroupMembers(groupId)).map((m) => m.id));
  } catch (error) {
    throw groupZoomError(error, `reading the members of Zoom group ${groupId}`, { id: groupId });
  }
  const unresolved = ids.filter((id) => !listed.has(id));
  const found = await readThroughSnapshot(tenant, warm ?? (await tenant.users.snapshot()), unresolved);
  return classify(ids, found, groupId, (id) => listed.has(id));
}
