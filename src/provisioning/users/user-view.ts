// Zoom user + what the store keeps → the SCIM User resource a client reads.
import { hash } from "node:crypto";
import type { JsonObject, StoredResource } from "../../store/types.js";
import { applyDelta } from "../mapping/zoom-held.js";
import { CORE_USER_URN, ENTERPRISE_USER_URN, ZOOM_USER_URN } from "../../scim/schemas.js";
import { cloneJson, getPath, isJsonObject, jsonEqual, setPath, type Path } from "../../scim/attributes/json.js";
import type { IdentifiedZoomUser, KnownZoomUser } from "../gateway/user-state.js";
import { PROFILE_FIELDS, userTypeName } from "../mapping/zoom-fields.js";
import { licenceAttributes } from "../licences/licence-view.js";
import { canonicalLicenceValue } from "../mapping/licence-attributes.js";

/** What the store keeps for a user, inside StoredResource.attributes. */
export interface StoredUserAttributes {
  /** Store-held SCIM attributes, at their SCIM paths. */
  scim: JsonObject;
  /** Zoom-held attributes as the client last sent them, with the Zoom value they became. */
  sent: Record<string, { value: unknown; zoom: unknown }>;
}

export function storedUserAttributes(stored: StoredResource | undefined): StoredUserAttributes {
  const attributes = stored?.attributes ?? {};
  return {
    scim: isJsonObject(attributes.scim) ? cloneJson(attributes.scim) : {},
    sent: isJsonObject(attributes.sent) ? (cloneJson(attributes.sent) as StoredUserAttributes["sent"]) : {},
  };
}

export interface UserViewContext {
  /** SCIM base URL of the tenant, e.g. https://host/scim/v2 */
  baseUrl: string;
  roleName(roleId: string): string | undefined;
  groupName(groupId: string): string | undefined;
  /** Zoom user id of the user with this email, when known. */
  userIdByEmail(email: string): string | undefined;
}

/** The extension's status: Zoom's, or the lapsed invitation's. Only active and pending users read `active: true`. */
export const scimStatus = (user: IdentifiedZoomUser): string => user.invitation ?? user.status ?? "active";

/** Whether the Zoom user carries the fields only `GET /users/{id}` returns. */
export const isDetailed = (user: KnownZoomUser): boolean =>
  user.role_name !== undefined || user.account_id !== undefined || user.language !== undefined;

function asSent(sent: StoredUserAttributes["sent"], key: string, zoomValue: unknown, derived: unknown): unknown {
  const shadow = sent[key];
  // Show the client's own spelling while Zoom still holds what it became (IdPs compare and would loop otherwise).
  return shadow && jsonEqual(shadow.zoom, zoomValue ?? null) ? shadow.value : derived;
}

export interface ViewOptions {
  /**
   * meta.version (a hash of the whole view) is left out when false: a filter judging every user of a large account
   * reads it rarely, and hashing each view cost more than building it.
   */
  version?: boolean;
}

/**
 * `deferred`: changes accepted for a pending user and not yet applied by Zoom, laid over Zoom's values in order,
 * so that the client reads the state it asked for (and does not send it again).
 */
export function toScimUser(
  user: IdentifiedZoomUser,
  stored: StoredResource | undefined,
  context: UserViewContext,
  deferred: readonly { change: JsonObject; createdAt: string }[] = [],
  options: ViewOptions = {},
): JsonObject {
  const { scim, sent } = storedUserAttributes(stored);
  const detailed = isDetailed(user);
  const resource: JsonObject = { schemas: [CORE_USER_URN], id: user.id };
  if (stored?.externalId) resource.externalId = stored.externalId;
  resource.userName = asSent(sent, "userName", user.email.toLowerCase(), user.email);

  for (const field of PROFILE_FIELDS) {
    if (!field.listed && !detailed) continue;
    const zoomValue = user[field.zoomKey];
    setPath(resource, field.path, asSent(sent, field.key, zoomValue ?? null, field.fromZoom(user)));
  }
  if (detailed && user.language) {
    resource.preferredLanguage = asSent(sent, "preferredLanguage", user.language, user.language);
    resource.locale = asSent(sent, "locale", user.language, user.language);
  }
  const typeName = userTypeName(user.type);
  if (typeName) resource.userType = asSent(sent, "userType", user.type, typeName);
  const status = scimStatus(user);
  resource.active = status === "active" || status === "pending";

  for (const path of Object.keys(scim)) resource[path] = mergeStoreHeld(resource[path], scim[path]);
  if (!resource.emails) resource.emails = [{ value: user.email, type: "work", primary: true }];

  if (user.role_id) {
    const name = user.role_name ?? context.roleName(user.role_id) ?? user.role_id;
    resource.roles = asSent(sent, "roles", user.role_id, [{ value: name, display: name, primary: true }]);
  }
  if (user.group_ids && user.group_ids.length > 0) {
    resource.groups = user.group_ids.map((groupId) => {
      const display = context.groupName(groupId);
      return {
        value: groupId,
        $ref: `${context.baseUrl}/Groups/${encodeURIComponent(groupId)}`,
        type: "direct",
        ...(display ? { display } : {}),
      };
    });
  }
  if (detailed && user.manager) {
    const managerId = context.userIdByEmail(user.manager);
    setPath(resource, [ENTERPRISE_USER_URN, "manager"], {
      ...(managerId ? { value: managerId, $ref: `${context.baseUrl}/Users/${encodeURIComponent(managerId)}` } : {}),
      displayName: user.manager,
    });
  }
  setPath(resource, [ZOOM_USER_URN, "status"], status);
  setPath(resource, [ZOOM_USER_URN, "type"], user.type);
  for (const [name, value] of Object.entries(licenceAttributes(user, detailed))) {
    const spelled = asSent(sent, `zoom.${name}`, canonicalLicenceValue(name, value), value);
    setPath(resource, [ZOOM_USER_URN, name], spelled);
  }
  for (const { change } of deferred) applyDelta(resource, change);
  const given = getPath(resource, ["name", "givenName"]);
  const family = getPath(resource, ["name", "familyName"]);
  if (getPath(resource, ["name", "formatted"]) === undefined && (given || family)) {
    setPath(resource, ["name", "formatted"], [given, family].filter(Boolean).join(" "));
  }

  const schemas = [CORE_USER_URN];
  if (isJsonObject(resource[ENTERPRISE_USER_URN])) schemas.push(ENTERPRISE_USER_URN);
  schemas.push(ZOOM_USER_URN);
  resource.schemas = schemas;
  resource.meta = userMeta(resource, user, stored, context.baseUrl, deferred.at(-1)?.createdAt, options.version !== false);
  return resource;
}

/** Store-held sub-attributes (name.formatted, enterprise employeeNumber) merge into Zoom-held objects. */
function mergeStoreHeld(zoomHeld: unknown, storeHeld: unknown): unknown {
  if (isJsonObject(zoomHeld) && isJsonObject(storeHeld)) return { ...storeHeld, ...zoomHeld };
  return storeHeld;
}

function userMeta(
  resource: JsonObject,
  user: KnownZoomUser & { id: string },
  stored: StoredResource | undefined,
  baseUrl: string,
  deferredAt: string | undefined,
  withVersion: boolean,
): JsonObject {
  // Zoom knows when the user was created; the store only knows zoom-scim's first write.
  const created = user.user_created_at ?? stored?.created ?? user.created_at ?? new Date(0).toISOString();
  const modified = [stored?.lastModified ?? created, deferredAt ?? ""].reduce((a, b) => (b > a ? b : a));
  const meta: JsonObject = {
    resourceType: "User",
    created,
    lastModified: modified,
    location: `${baseUrl}/Users/${encodeURIComponent(user.id)}`,
  };
  if (withVersion) meta.version = `W/"${hash("sha1", JSON.stringify(resource), "base64url").slice(0, 16)}"`;
  return meta;
}

/** Splits a SCIM user into its store-held part (what Zoom cannot keep). */
export function storeHeldPart(resource: JsonObject, paths: readonly Path[]): JsonObject {
  const held: JsonObject = {};
  for (const path of paths) {
    const value = getPath(resource, path);
    // An empty string is no value (Entra's replace with "" clears), as null is.
    if (value !== undefined && value !== null && value !== "") setPath(held, path, cloneJson(value));
  }
  return held;
}
