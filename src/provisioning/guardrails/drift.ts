// The drift report: what the IdPs last set (the store) against Zoom now. Pure: drift-collect.ts reads both sides,
// this compares them, so every rule is testable without Zoom.
import type { IdpMembership, StoredResource } from "../../store/types.js";
import type { ZoomGroup, ZoomUser, ZoomUserStatus } from "../../zoom/types.js";
import { jsonEqual } from "../../scim/attributes/json.js";
import { PROFILE_FIELDS } from "../mapping/zoom-fields.js";
import type { StoredUserAttributes } from "../users/user-view.js";

export type DriftKind = "attributes" | "status" | "unmanaged-users" | "unmanaged-groups" | "memberships";

export const DRIFT_KINDS: readonly DriftKind[] = ["attributes", "status", "unmanaged-users", "unmanaged-groups", "memberships"];

/** Kinds `--fix` can restore (unmanaged users and groups are listed only: no IdP said what they should be). */
export const FIXABLE_KINDS: readonly DriftKind[] = ["attributes", "status", "memberships"];

/** A Zoom-held attribute whose Zoom value is no longer what the IdP's value became. */
export interface AttributeDrift {
  id: string;
  userName: string;
  /** The SCIM attribute (`title`, `name.givenName`, `userType`, `roles`, `userName`). */
  attribute: string;
  /** What the IdP sent, as the client spelled it. */
  idp: unknown;
  /** What Zoom held once the IdP's value was applied (what `--fix` sends back). */
  expected: unknown;
  /** What Zoom holds now. */
  zoom: unknown;
}

export type IdpStatus = "active" | "inactive" | "deleted";

export interface StatusDrift {
  id: string;
  userName: string;
  /** What the IdP last asked: active, inactive, or deleted through SCIM (deactivate mode keeps the user in Zoom). */
  idp: IdpStatus;
  /** Zoom's status, or `absent` when the account no longer holds the user. */
  zoom: ZoomUserStatus | "absent";
}

export interface MembershipDrift {
  groupId: string;
  groupName: string;
  userId: string;
  userName: string | null;
  /** `added in Zoom`: a member no IdP put there (of a group whose whole membership an IdP set); `removed in Zoom`. */
  change: "added in Zoom" | "removed in Zoom";
}

export interface UnmanagedUser {
  id: string;
  email: string;
  status: ZoomUserStatus | undefined;
}

export interface DriftReport {
  tenant: string;
  generatedAt: string;
  zoomUsers: number;
  managedUsers: number;
  zoomGroups: number;
  managedGroups: number;
  summary: Record<DriftKind, number>;
  attributes: AttributeDrift[];
  status: StatusDrift[];
  unmanagedUsers: UnmanagedUser[];
  unmanagedGroups: { id: string; name: string }[];
  memberships: MembershipDrift[];
}

/** Both sides, as drift-collect.ts read them. User ids are SCIM ids (the gateway translates aliases). */
export interface DriftInputs {
  tenant: string;
  now: Date;
  /** Every Zoom user; the detailed form (GET /users/{id}) for users whose IdP values need fields lists lack. */
  zoomUsers: readonly ZoomUserLike[];
  storedUsers: readonly StoredResource[];
  /** Users deleted through SCIM. */
  tombstones: ReadonlySet<string>;
  /** Users whose invitation zoom-scim tracks: the pending lifecycle owns their state. */
  invited: ReadonlySet<string>;
  zoomGroups: readonly ZoomGroup[];
  storedGroups: readonly StoredResource[];
  memberships: readonly IdpMembership[];
  /** Zoom's members of each group in `memberships` that Zoom still holds. */
  zoomMembers: ReadonlyMap<string, readonly string[]>;
}

export type ZoomUserLike = Pick<ZoomUser, "email" | "type"> & Partial<ZoomUser> & { id: string };

const normalise = (value: unknown): unknown => (value === undefined || value === "" ? null : value);

const sameValue = (a: unknown, b: unknown): boolean => jsonEqual(normalise(a), normalise(b));

/** The store's "as sent" shadows, read in place (a report over 100,000 users cannot afford a copy of each). */
export function sentOf(stored: StoredResource): StoredUserAttributes["sent"] {
  const sent = stored.attributes.sent;
  return sent !== null && typeof sent === "object" && !Array.isArray(sent) ? (sent as StoredUserAttributes["sent"]) : {};
}

/** The attribute drift of one managed user present in Zoom. */
export function attributeDrift(stored: StoredResource, user: ZoomUserLike): AttributeDrift[] {
  const sent = sentOf(stored);
  const drift: AttributeDrift[] = [];
  const userName = String(sent.userName?.value ?? user.email);
  const push = (attribute: string, expected: unknown, zoom: unknown): void => {
    if (!sameValue(expected, zoom)) drift.push({ id: user.id, userName, attribute, idp: sent[attribute]?.value ?? null, expected, zoom });
  };
  for (const field of PROFILE_FIELDS) {
    const shadow = sent[field.key];
    if (!shadow) continue;
    // A field lists lack is compared only when the detailed user was read.
    if (!field.listed && !(field.zoomKey in user)) continue;
    const now = field.zoomKey === "phone_numbers" ? (user.phone_numbers ?? []) : user[field.zoomKey];
    const expected = field.zoomKey === "phone_numbers" ? (shadow.zoom ?? []) : shadow.zoom;
    push(field.key, expected, now);
  }
  if (sent.userName && typeof sent.userName.zoom === "string") push("userName", sent.userName.zoom, user.email.toLowerCase());
  if (sent.userType && sent.userType.zoom !== null) push("userType", sent.userType.zoom, user.type);
  if (sent.roles && user.role_id !== undefined) push("roles", sent.roles.zoom, user.role_id);
  return drift;
}

/** What the IdP last asked of a managed user's status; undefined when it never said. */
function idpStatusOf(stored: StoredResource): "active" | "inactive" | undefined {
  const shadow = sentOf(stored).active;
  if (!shadow) return undefined;
  return shadow.value === false ? "inactive" : "active";
}

export function compareDrift(inputs: DriftInputs): DriftReport {
  const zoomById = new Map(inputs.zoomUsers.map((u) => [u.id, u]));
  const storedById = new Map(inputs.storedUsers.map((s) => [s.id, s]));
  const attributes: AttributeDrift[] = [];
  const status: StatusDrift[] = [];
  for (const stored of inputs.storedUsers) {
    if (inputs.tombstones.has(stored.id) || inputs.invited.has(stored.id) || stored.attributes.createIncomplete) continue;
    const user = zoomById.get(stored.id);
    const asked = idpStatusOf(stored);
    const userName = String(sentOf(stored).userName?.value ?? stored.userName ?? stored.email ?? stored.id);
    if (!user) {
      status.push({ id: stored.id, userName, idp: asked ?? "active", zoom: "absent" });
      continue;
    }
    attributes.push(...attributeDrift(stored, user));
    if (asked === "inactive" && user.status === "active") status.push({ id: user.id, userName, idp: "inactive", zoom: "active" });
    if (asked === "active" && user.status === "inactive") status.push({ id: user.id, userName, idp: "active", zoom: "inactive" });
  }
  for (const id of inputs.tombstones) {
    const user = zoomById.get(id);
    if (user?.status === "active") status.push({ id, userName: user.email, idp: "deleted", zoom: "active" });
  }
  const unmanagedUsers = inputs.zoomUsers
    .filter((u) => !storedById.has(u.id) && !inputs.tombstones.has(u.id) && !inputs.invited.has(u.id))
    .map((u) => ({ id: u.id, email: u.email, status: u.status }));

  const storedGroupIds = new Set(inputs.storedGroups.map((g) => g.id));
  const groupNames = new Map(inputs.zoomGroups.map((g) => [g.id, g.name]));
  const unmanagedGroups = inputs.zoomGroups.filter((g) => !storedGroupIds.has(g.id)).map((g) => ({ id: g.id, name: g.name }));
  const memberships: MembershipDrift[] = [];
  for (const membership of inputs.memberships) {
    const zoomMembers = inputs.zoomMembers.get(membership.groupId);
    if (!zoomMembers) continue;
    const groupName = groupNames.get(membership.groupId) ?? membership.groupId;
    const inZoom = new Set(zoomMembers);
    const byIdp = new Set(membership.members);
    const row = (userId: string, change: MembershipDrift["change"]): MembershipDrift => ({
      groupId: membership.groupId,
      groupName,
      userId,
      userName: zoomById.get(userId)?.email ?? null,
      change,
    });
    for (const userId of membership.members) {
      // A member Zoom no longer holds at all went with the user (deleted or lapsed): that is the user's drift. Zoom's
      // member lists leave pending users out: theirs is the pending lifecycle's.
      const user = zoomById.get(userId);
      const leftOut = !user || user.status === "pending" || inputs.invited.has(userId) || inputs.tombstones.has(userId);
      if (!inZoom.has(userId) && !leftOut) memberships.push(row(userId, "removed in Zoom"));
    }
    if (membership.complete) {
      for (const userId of zoomMembers) if (!byIdp.has(userId)) memberships.push(row(userId, "added in Zoom"));
    }
  }
  return {
    tenant: inputs.tenant,
    generatedAt: inputs.now.toISOString(),
    zoomUsers: inputs.zoomUsers.length,
    managedUsers: inputs.storedUsers.filter((s) => !inputs.tombstones.has(s.id)).length,
    zoomGroups: inputs.zoomGroups.length,
    managedGroups: inputs.zoomGroups.length - unmanagedGroups.length,
    summary: {
      attributes: attributes.length,
      status: status.length,
      "unmanaged-users": unmanagedUsers.length,
      "unmanaged-groups": unmanagedGroups.length,
      memberships: memberships.length,
    },
    attributes,
    status,
    unmanagedUsers,
    unmanagedGroups,
    memberships,
  };
}
