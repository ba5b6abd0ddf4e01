// Which SCIM user attributes Zoom holds, and how each one converts. Everything not named here is
// kept by zoom-scim's store (externalId, nickName, emails as sent, employeeNumber …).
import { badRequest } from "../../scim/errors.js";
import { ENTERPRISE_USER_URN, ZOOM_USER_URN } from "../../scim/schemas.js";
import type { ZoomUser, ZoomUserType, ZoomUserUpdate } from "../../zoom/types.js";
import type { Path } from "../../scim/attributes/json.js";
import { phoneNumbersFromZoom, phoneNumbersToZoom } from "./phone-numbers.js";

import type { KnownZoomUser } from "../gateway/user-state.js";

export type { KnownZoomUser };

/** A profile attribute written with `PATCH /users/{id}`. */
export interface ProfileField {
  /** Stable key, also used for the "as sent" shadow in the store. */
  key: string;
  path: Path;
  /** Licence plans are not profile fields: they change one per call (licence-steps.ts). */
  zoomKey: Exclude<keyof ZoomUserUpdate & keyof ZoomUser, "zoom_one_type" | "plan_united_type">;
  /** Present in Zoom's list answer; otherwise only `GET /users/{id}` has it. */
  listed: boolean;
  toZoom(value: unknown): unknown;
  fromZoom(user: KnownZoomUser): unknown;
}

function text(key: string): (value: unknown) => string {
  return (value) => {
    if (value === undefined || value === null) return "";
    if (typeof value !== "string" && typeof value !== "number") throw badRequest("invalidValue", `${key} must be a string`);
    return String(value);
  };
}

function stringField(key: string, path: Path, zoomKey: ProfileField["zoomKey"], listed: boolean): ProfileField {
  return {
    key,
    path,
    zoomKey,
    listed,
    toZoom: text(key),
    fromZoom: (user) => {
      const value = user[zoomKey];
      return typeof value === "string" && value !== "" ? value : undefined;
    },
  };
}

const USER_TYPE_NAMES: Record<number, string> = { 1: "Basic", 2: "Licensed", 4: "Unassigned", 99: "None" };
const USER_TYPE_BY_NAME: Record<string, ZoomUserType> = { basic: 1, licensed: 2, unassigned: 4 };

export function userTypeToZoom(value: unknown): ZoomUserType | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const type = USER_TYPE_BY_NAME[String(value).toLowerCase()];
  if (type === undefined)
    throw badRequest("invalidValue", `userType "${String(value)}" is not a Zoom licence; use Basic, Licensed or Unassigned`);
  return type;
}

export function zoomTypeToZoom(value: unknown): ZoomUserType | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const type = Number(value);
  if (type !== 1 && type !== 2 && type !== 4) {
    throw badRequest(
      "invalidValue",
      `${ZOOM_USER_URN}:type ${String(value)} is not a Zoom user type; use 1 (Basic), 2 (Licensed) or 4 (Unassigned)`,
    );
  }
  return type;
}

export const userTypeName = (type: number | undefined): string | undefined => (type === undefined ? undefined : USER_TYPE_NAMES[type]);

export const PROFILE_FIELDS: readonly ProfileField[] = [
  stringField("name.givenName", ["name", "givenName"], "first_name", true),
  stringField("name.familyName", ["name", "familyName"], "last_name", true),
  stringField("displayName", ["displayName"], "display_name", true),
  stringField("title", ["title"], "job_title", false),
  stringField("timezone", ["timezone"], "timezone", true),
  stringField("department", [ENTERPRISE_USER_URN, "department"], "dept", true),
  stringField("organization", [ENTERPRISE_USER_URN, "organization"], "company", false),
  stringField("costCenter", [ENTERPRISE_USER_URN, "costCenter"], "cost_center", false),
  stringField("zoom.location", [ZOOM_USER_URN, "location"], "location", false),
  stringField("zoom.pronouns", [ZOOM_USER_URN, "pronouns"], "pronouns", false),
  {
    key: "phoneNumbers",
    path: ["phoneNumbers"],
    zoomKey: "phone_numbers",
    listed: false,
    toZoom: phoneNumbersToZoom,
    fromZoom: (user) => phoneNumbersFromZoom(user.phone_numbers),
  },
];

/** The SCIM path of a location: "title", "name.givenName", "urn:…:enterprise:2.0:User:organization". */
function canonicalPath(path: Path): string {
  const [head, ...rest] = path;
  return head?.startsWith("urn:") ? `${head}:${rest.join(".")}` : path.join(".");
}

/** SCIM paths whose Zoom source is missing from list answers: asking for them costs a get per user. */
export const DETAIL_ONLY_PATHS: readonly string[] = [
  ...PROFILE_FIELDS.filter((f) => !f.listed).map((f) => canonicalPath(f.path)),
  "preferredLanguage",
  "locale",
  `${ENTERPRISE_USER_URN}:manager`,
];

/** Store-held core attributes: the ones Zoom has no field for. */
export const STORE_HELD_PATHS: readonly Path[] = [
  ["emails"],
  ["nickName"],
  ["profileUrl"],
  ["ims"],
  ["photos"],
  ["addresses"],
  ["entitlements"],
  ["x509Certificates"],
  ["name", "formatted"],
  ["name", "middleName"],
  ["name", "honorificPrefix"],
  ["name", "honorificSuffix"],
  [ENTERPRISE_USER_URN, "employeeNumber"],
  [ENTERPRISE_USER_URN, "division"],
];
