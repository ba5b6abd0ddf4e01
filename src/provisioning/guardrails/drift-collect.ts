// Reads both sides of the drift report: the store (what the IdPs last set) and Zoom now (one scan of the user
// lists, a detailed read only of managed users whose IdP values need fields lists lack, and the members of the
// groups an IdP set members of). Paced by the Zoom client's rate limiter like any other work. The store is read
// again last, so that an IdP write during the scan is compared as written (the fix re-checks each item anyway).
import { mapConcurrent } from "../../lib/concurrency.js";
import type { Tenant } from "../tenant.js";
import { PROFILE_FIELDS } from "../mapping/zoom-fields.js";
import { isGroupAbsent } from "../groups/group-reads.js";
import { compareDrift, sentOf, type DriftInputs, type DriftReport, type ZoomUserLike } from "./drift.js";

/** Told after each step of a phase, so a terminal can draw a progress bar over a large account. */
export type DriftProgress = (phase: "users" | "groups", done: number, total: number) => void;

/** Detailed reads in flight at once: the limiter paces them further. */
const DETAIL_CONCURRENCY = 4;

const DETAIL_ONLY_KEYS = new Set(PROFILE_FIELDS.filter((f) => !f.listed).map((f) => f.key));

export async function collectDrift(tenant: Tenant, progress: DriftProgress = () => {}): Promise<DriftInputs> {
  const snapshot = await tenant.users.refreshSnapshot();
  const storedUsers = await tenant.store.list(tenant.name, "User");
  const tombstones = await tenant.store.listTombstoneIds(tenant.name, "User");
  const invited = new Set((await tenant.store.lifecycle.listInvitations(tenant.name)).map((i) => i.id));

  const needDetail = storedUsers.filter((stored) => {
    if (!snapshot.byId.has(stored.id) || tombstones.has(stored.id) || invited.has(stored.id)) return false;
    return Object.keys(sentOf(stored)).some((key) => DETAIL_ONLY_KEYS.has(key));
  });
  const detailed = new Map<string, ZoomUserLike>();
  let done = 0;
  progress("users", 0, needDetail.length);
  await mapConcurrent(needDetail, DETAIL_CONCURRENCY, async (stored) => {
    const user = await tenant.users.fetch(stored.id);
    if (user) detailed.set(stored.id, { ...user, id: stored.id });
    progress("users", (done += 1), needDetail.length);
  });
  const zoomUsers = snapshot.users.map((u) => detailed.get(u.id) ?? u);

  tenant.forgetGroups();
  const zoomGroups = await tenant.groups();
  const inZoom = new Set(zoomGroups.map((g) => g.id));
  const memberships = (await tenant.store.lifecycle.listIdpMemberships(tenant.name)).filter((m) => inZoom.has(m.groupId));
  const zoomMembers = new Map<string, string[]>();
  done = 0;
  progress("groups", 0, memberships.length);
  await mapConcurrent(memberships, DETAIL_CONCURRENCY, async (membership) => {
    const members = await zoomMembersOf(tenant, membership.groupId);
    if (members) zoomMembers.set(membership.groupId, members);
    progress("groups", (done += 1), memberships.length);
  });
  const gone = new Set(memberships.filter((m) => !zoomMembers.has(m.groupId)).map((m) => m.groupId));
  return {
    tenant: tenant.name,
    now: new Date(),
    zoomUsers,
    storedUsers: await tenant.store.list(tenant.name, "User"),
    tombstones: await tenant.store.listTombstoneIds(tenant.name, "User"),
    invited: new Set((await tenant.store.lifecycle.listInvitations(tenant.name)).map((i) => i.id)),
    zoomGroups: zoomGroups.filter((g) => !gone.has(g.id)),
    storedGroups: await tenant.store.list(tenant.name, "Group"),
    memberships: await tenant.store.lifecycle.listIdpMemberships(tenant.name),
    zoomMembers,
  };
}

/** A group's Zoom members, or undefined when the group is gone (deleted meanwhile: nothing to compare). */
export async function zoomMembersOf(tenant: Tenant, groupId: string): Promise<string[] | undefined> {
  try {
    return (await tenant.users.listAllGroupMembers(groupId)).map((m) => m.id);
  } catch (error) {
    if (isGroupAbsent(error)) return undefined;
    throw error;
  }
}

/** The drift report of a tenant, read now. */
export async function driftReport(tenant: Tenant, progress?: DriftProgress): Promise<DriftReport> {
  return compareDrift(await collectDrift(tenant, progress));
}
