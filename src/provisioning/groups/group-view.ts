// Zoom group + its members + what the store keeps → the SCIM Group resource a client reads.
import type { JsonObject, StoredResource } from "../../store/types.js";
import { CORE_GROUP_URN } from "../../scim/schemas.js";
import { weakVersion } from "../../scim/versioning.js";

/** A group member as zoom-scim knows it: the Zoom user id, and the email when known (shown as `display`). */
export interface GroupMember {
  id: string;
  email?: string | undefined;
}

/** The group's identity as Zoom holds it. */
export interface GroupIdentity {
  id: string;
  name: string;
}

/** What the store keeps for a group, inside StoredResource.attributes. */
export interface StoredGroupAttributes {
  /** The Zoom name zoom-scim last wrote or read: a rename to it needs no Zoom call. */
  displayName?: string;
}

export function storedGroupName(stored: StoredResource | undefined): string | undefined {
  const name = stored?.attributes.displayName;
  return typeof name === "string" ? name : undefined;
}

export const groupLocation = (baseUrl: string, id: string): string => `${baseUrl}/Groups/${encodeURIComponent(id)}`;

export function memberValue(member: GroupMember, baseUrl: string): JsonObject {
  return {
    value: member.id,
    ...(member.email ? { display: member.email } : {}),
    type: "User",
    $ref: `${baseUrl}/Users/${encodeURIComponent(member.id)}`,
  };
}

/**
 * The group's version: a hash of what the group holds (name, externalId, member ids in any order), so it changes
 * with every change, made through zoom-scim or in Zoom directly. `display` (the member's email) is the user's, and
 * member order is Zoom's listing order: neither is part of it, so every answer that shows members agrees.
 */
export function groupVersion(name: string, externalId: string | null | undefined, members: readonly GroupMember[]): string {
  return weakVersion([name, externalId ?? null, members.map((m) => m.id).sort()]);
}

/**
 * `members` undefined means "not loaded" (excluded by the request), and leaves the attribute out, with meta.version:
 * a version is computed from the members, and one that changed with the projection would be a lie.
 * created/lastModified are zoom-scim's writes; Zoom keeps no dates for groups.
 */
export function toScimGroup(
  group: GroupIdentity,
  members: readonly GroupMember[] | undefined,
  stored: StoredResource | undefined,
  baseUrl: string,
): JsonObject {
  const resource: JsonObject = { schemas: [CORE_GROUP_URN], id: group.id };
  if (stored?.externalId) resource.externalId = stored.externalId;
  resource.displayName = group.name;
  if (members !== undefined) resource.members = members.map((member) => memberValue(member, baseUrl));
  resource.meta = {
    resourceType: "Group",
    ...(stored ? { created: stored.created, lastModified: stored.lastModified } : {}),
    location: groupLocation(baseUrl, group.id),
    ...(members !== undefined ? { version: groupVersion(group.name, stored?.externalId, members) } : {}),
  };
  return resource;
}
