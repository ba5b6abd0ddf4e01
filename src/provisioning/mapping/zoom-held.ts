// The SCIM attributes Zoom holds, and how a deferred change (a partial SCIM user over them) lays over a resource.
// Apart from deferred-delta.ts so that the user view can lay changes over without depending on the change plan.
import type { JsonObject } from "../../store/types.js";
import { ENTERPRISE_USER_URN, ZOOM_USER_URN } from "../../scim/schemas.js";
import { cloneJson, getPath, setPath, type Path } from "../../scim/attributes/json.js";
import { PROFILE_FIELDS } from "./zoom-fields.js";
import { LICENCE_PATHS } from "./licence-attributes.js";

/** Every SCIM path whose value lives in Zoom (what a plan may send there); everything else is the store's. */
export const ZOOM_HELD_PATHS: readonly Path[] = [
  ["userName"],
  ...PROFILE_FIELDS.map((field) => field.path),
  ["preferredLanguage"],
  ["locale"],
  ["userType"],
  [ZOOM_USER_URN, "type"],
  ["roles"],
  [ENTERPRISE_USER_URN, "manager"],
  // Zoom Phone, plans and add-ons: deferred for pending users like the profile.
  ...LICENCE_PATHS,
];

/**
 * Lays one entry over a resource, path by path (so `name.givenName` leaves `name.formatted` alone); null clears.
 * Entries kept by version 1 (whole extension objects, `status` included) are read the same way: only the
 * Zoom-held paths count.
 */
export function applyDelta(resource: JsonObject, delta: JsonObject): JsonObject {
  for (const path of ZOOM_HELD_PATHS) {
    const value = getPath(delta, path);
    if (value === undefined) continue;
    setPath(resource, path, value === null ? undefined : cloneJson(value));
  }
  return resource;
}

/** The SCIM attribute names an entry touches, for admins ("title, roles"). */
export function deltaPaths(delta: JsonObject): string[] {
  return ZOOM_HELD_PATHS.filter((path) => getPath(delta, path) !== undefined).map((path) =>
    path[0]?.startsWith("urn:") ? `${path[0]}:${path.slice(1).join(".")}` : path.join("."),
  );
}
