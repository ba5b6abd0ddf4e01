// The desired SCIM user compared with what Zoom holds → the fewest Zoom changes, plus the store's part.
// Pure: every lookup it needs (roles, the manager's email) is resolved by the caller beforehand.
import type { JsonObject, StoredResource } from "../../store/types.js";
import { badRequest } from "../../scim/errors.js";
import { ENTERPRISE_USER_URN, ZOOM_USER_URN } from "../../scim/schemas.js";
import {
  ZOOM_ROLE_MEMBER,
  ZOOM_ROLE_ADMIN,
  ZOOM_ROLE_OWNER,
  type ZoomRole,
  type ZoomUserStatus,
  type ZoomUserType,
  type ZoomUserUpdate,
} from "../../zoom/types.js";
import { desiredUserName, zoomEmailOf } from "./zoom-email.js";
import { getPath, isJsonObject, jsonEqual } from "../../scim/attributes/json.js";
import { storedUserAttributes, storeHeldPart, type StoredUserAttributes } from "./user-view.js";
import { PROFILE_FIELDS, STORE_HELD_PATHS, userTypeToZoom, zoomTypeToZoom, type KnownZoomUser } from "../mapping/zoom-fields.js";
import { SPELLED_ATTRIBUTES, canonicalLicenceValue } from "../mapping/licence-attributes.js";

export interface RoleChange {
  from: string | undefined;
  to: string;
  toName: string;
}

export interface UserChangePlan {
  email?: string;
  profile: ZoomUserUpdate;
  status?: "activate" | "deactivate";
  role?: RoleChange;
  store: { externalId: string | null; attributes: StoredUserAttributes; emails: string[]; userName: string };
  storeChanged: boolean;
}

export interface PlanInput {
  /** What Zoom holds now (fetched by id, so every profile field is known). */
  current: KnownZoomUser & { status?: ZoomUserStatus };
  desired: JsonObject;
  stored: StoredResource | undefined;
  /** The account's roles; undefined when the request leaves `roles` as it was (no role lookup, no change). */
  roles: readonly ZoomRole[] | undefined;
  /** The desired manager's email: a string, null to clear, undefined when unchanged or not asked. */
  managerEmail: string | null | undefined;
}

const BUILT_IN_ROLES: readonly ZoomRole[] = [
  { id: ZOOM_ROLE_OWNER, name: "Owner" },
  { id: ZOOM_ROLE_ADMIN, name: "Admin" },
  { id: ZOOM_ROLE_MEMBER, name: "Member" },
];

/** The role a SCIM `roles` value asks for: the primary entry, else the first; by Zoom role id or name. */
export function resolveRole(rolesValue: unknown, roles: readonly ZoomRole[]): ZoomRole | undefined {
  if (!Array.isArray(rolesValue) || rolesValue.length === 0) return undefined;
  const entries = rolesValue.filter(isJsonObject);
  const chosen = entries.find((entry) => entry.primary === true || entry.primary === "true") ?? entries[0];
  const wanted = chosen ? (chosen.value ?? chosen.display) : undefined;
  if (typeof wanted !== "string" || wanted.trim() === "") return undefined;
  const all = [...roles, ...BUILT_IN_ROLES.filter((b) => !roles.some((r) => r.id === b.id))];
  const role = all.find((r) => r.id === wanted) ?? all.find((r) => r.name.toLowerCase() === wanted.trim().toLowerCase());
  if (!role) {
    throw badRequest(
      "invalidValue",
      `roles value "${wanted}" is not a Zoom role of this account; use one of: ${all.map((r) => r.name).join(", ")}`,
    );
  }
  return role;
}

const zoomString = (value: unknown): unknown => (value === undefined || value === null ? "" : value);

function emailValues(desired: JsonObject): string[] {
  const emails = desired.emails;
  if (!Array.isArray(emails)) return [];
  return emails.filter(isJsonObject).flatMap((e) => (typeof e.value === "string" && e.value !== "" ? [e.value] : []));
}

export function planUserChanges(input: PlanInput): UserChangePlan {
  const { current, desired, stored } = input;
  const previous = storedUserAttributes(stored);
  const sent: StoredUserAttributes["sent"] = {};
  const profile: ZoomUserUpdate = {};
  const profileRecord = profile as Record<string, unknown>;
  const plan: UserChangePlan = {
    profile,
    store: { externalId: null, attributes: { scim: {}, sent }, emails: [], userName: "" },
    storeChanged: false,
  };

  const userName = desiredUserName(desired);
  const email = zoomEmailOf(desired);
  if (email.toLowerCase() !== current.email.toLowerCase()) plan.email = email;
  // `zoom` is the email the userName went with: the view shows the userName as sent while Zoom still holds it.
  sent.userName = { value: desired.userName ?? userName, zoom: email.toLowerCase() };
  plan.store.userName = userName;

  for (const field of PROFILE_FIELDS) {
    const value = getPath(desired, field.path);
    const next = field.toZoom(value);
    const now = field.zoomKey === "phone_numbers" ? (current.phone_numbers ?? []) : zoomString(current[field.zoomKey]);
    if (!jsonEqual(next, now)) profileRecord[field.zoomKey] = next;
    if (value !== undefined && value !== null) sent[field.key] = { value, zoom: next === "" ? null : next };
  }

  // Phone values as the client spelt them, with the form Zoom holds them in (the view shows the client's spelling).
  for (const name of SPELLED_ATTRIBUTES) {
    const value = getPath(desired, [ZOOM_USER_URN, name]);
    const zoom = value === undefined || value === null ? undefined : canonicalLicenceValue(name, value);
    if (zoom !== undefined) sent[`zoom.${name}`] = { value, zoom };
  }

  const language = desired.preferredLanguage ?? desired.locale;
  if (typeof language === "string" && language !== "") {
    if (language !== current.language) profile.language = language;
    if (desired.preferredLanguage !== undefined) sent.preferredLanguage = { value: desired.preferredLanguage, zoom: language };
    if (desired.locale !== undefined) sent.locale = { value: desired.locale, zoom: language };
  }

  const typeCandidates: (ZoomUserType | undefined)[] = [
    userTypeToZoom(desired.userType),
    zoomTypeToZoom(getPath(desired, [ZOOM_USER_URN, "type"])),
  ];
  const newType = typeCandidates.find((type) => type !== undefined && type !== current.type);
  if (newType !== undefined) profile.type = newType;
  if (desired.userType !== undefined && desired.userType !== null) {
    sent.userType = { value: desired.userType, zoom: newType ?? userTypeToZoom(desired.userType) ?? null };
  }

  if (input.managerEmail !== undefined && (input.managerEmail ?? "") !== (current.manager ?? ""))
    profile.manager = input.managerEmail ?? "";

  const active = desired.active;
  if (active === false && current.status === "active") plan.status = "deactivate";
  if (active === true && current.status === "inactive") plan.status = "activate";
  // What the IdP last asked of the status, for the drift report (a user re-activated in Zoom's portal): recorded
  // when the request changes it or creates the user, never from Zoom's own status carried along by a PATCH.
  const shownActive = current.status !== "inactive";
  const creating = !stored || stored.attributes.createIncomplete === true;
  if (typeof active === "boolean" && (creating || active !== shownActive))
    sent.active = { value: active, zoom: active ? "active" : "inactive" };
  else if (previous.sent.active) sent.active = previous.sent.active;

  const role = input.roles === undefined ? undefined : resolveRole(desired.roles, input.roles);
  if (role && role.id !== current.role_id) {
    if (role.id === ZOOM_ROLE_OWNER)
      throw badRequest(
        "invalidValue",
        "Zoom does not let the Owner role be assigned through its API; transfer ownership in Zoom's admin portal",
      );
    if (current.role_id === ZOOM_ROLE_OWNER) throw badRequest("invalidValue", "the account owner's role cannot be changed through SCIM");
    plan.role = { from: current.role_id, to: role.id, toName: role.name };
  }
  if (role) sent.roles = { value: desired.roles, zoom: role.id };
  else if (input.roles === undefined && previous.sent.roles) sent.roles = previous.sent.roles;

  plan.store.attributes.scim = withoutSynthesised(storeHeldPart(desired, STORE_HELD_PATHS), previous.scim, current);
  plan.store.externalId = typeof desired.externalId === "string" && desired.externalId !== "" ? desired.externalId : null;
  plan.store.emails = emailValues(desired);
  plan.storeChanged =
    !stored ||
    plan.store.externalId !== stored.externalId ||
    plan.store.userName.toLowerCase() !== (stored.userName ?? "") ||
    !jsonEqual(plan.store.attributes.scim, previous.scim) ||
    !jsonEqual(sent, previous.sent);
  return plan;
}

/**
 * Drops what the view made up rather than what a client sent: `emails` derived from Zoom's email and
 * `name.formatted` derived from the names. Saving them would freeze them (a later email change would not show).
 */
function withoutSynthesised(held: JsonObject, previous: JsonObject, current: PlanInput["current"]): JsonObject {
  if (previous.emails === undefined && jsonEqual(held.emails, [{ value: current.email, type: "work", primary: true }])) delete held.emails;
  const formatted = [current.first_name, current.last_name].filter(Boolean).join(" ");
  const previousName = isJsonObject(previous.name) ? previous.name : {};
  if (isJsonObject(held.name) && previousName.formatted === undefined && held.name.formatted === formatted) {
    delete held.name.formatted;
    if (Object.keys(held.name).length === 0) delete held.name;
  }
  return held;
}

/** The SCIM manager.value a desired resource asks for: a user id, null to clear, undefined if absent. */
export function desiredManagerId(desired: JsonObject): string | null | undefined {
  const manager = getPath(desired, [ENTERPRISE_USER_URN, "manager"]);
  if (manager === undefined) return undefined;
  if (manager === null || manager === "") return null;
  if (typeof manager === "string") return manager;
  if (isJsonObject(manager)) return typeof manager.value === "string" && manager.value !== "" ? manager.value : null;
  throw badRequest("invalidValue", `${ENTERPRISE_USER_URN}:manager must be an object with the manager's user id as "value"`);
}
