// What a change to a pending user asserts of the attributes Zoom holds, as a partial SCIM user (the outbox entry),
// and when a failed one is tried again. Pure: unit-tested without Zoom or a store.
import type { JsonObject } from "../../store/types.js";
import type { ZoomRole } from "../../zoom/types.js";
import { ENTERPRISE_USER_URN, ZOOM_USER_URN } from "../../scim/schemas.js";
import { desiredManagerId, resolveRole } from "./change-plan.js";
import { cloneJson, getPath, isPresent, jsonEqual, setPath, type Path } from "../../scim/attributes/json.js";
import { PROFILE_FIELDS, userTypeToZoom, zoomTypeToZoom } from "../mapping/zoom-fields.js";
import { ZOOM_HELD_PATHS } from "../mapping/zoom-held.js";

export { applyDelta, deltaPaths, ZOOM_HELD_PATHS } from "../mapping/zoom-held.js";

const valueOf = (resource: JsonObject, path: Path): unknown => {
  const value = getPath(resource, path);
  return isPresent(value) ? value : null;
};

const key = (path: Path): string => path.join(".");
const MANAGER = `${ENTERPRISE_USER_URN}.manager`;
/** Attributes whose absence asserts nothing (README: an empty or absent `roles` leaves the Zoom role alone). */
const KEPT_WHEN_EMPTY = new Set(["userType", `${ZOOM_USER_URN}.type`, "roles", "preferredLanguage", "locale", "userName"]);
const PROFILE_BY_PATH = new Map(PROFILE_FIELDS.map((field) => [key(field.path), field]));

/** What Zoom would hold for a value: "Basic" and "basic" or [{value:"Admin"}] and [{value:"Admin",primary:true}] are one. */
function zoomForm(path: Path, value: unknown, roles: readonly ZoomRole[]): unknown {
  if (value === null) return null;
  try {
    const field = PROFILE_BY_PATH.get(key(path));
    if (field) return field.toZoom(value);
    switch (key(path)) {
      case "userName":
        return String(value).trim().toLowerCase();
      case "userType":
        return userTypeToZoom(value);
      case `${ZOOM_USER_URN}.type`:
        return zoomTypeToZoom(value);
      case "roles":
        return resolveRole(value, roles)?.id;
      case MANAGER:
        return desiredManagerId({ [ENTERPRISE_USER_URN]: { manager: value } });
      default:
        return value;
    }
  } catch {
    // Not a value Zoom would take (validated elsewhere): compare as sent.
    return value;
  }
}

/**
 * The Zoom-held attributes `desired` changes relative to `current`, or undefined when it changes none. Values
 * that differ only in spelling (case of userName, a role's display) are no change; `roles` resolves role names.
 */
export function zoomHeldDelta(current: JsonObject, desired: JsonObject, roles: readonly ZoomRole[] = []): JsonObject | undefined {
  const delta: JsonObject = {};
  let changed = false;
  for (const path of ZOOM_HELD_PATHS) {
    const before = valueOf(current, path);
    const after = valueOf(desired, path);
    // As in the plan: no value for these leaves Zoom's alone (a manager that is gone was removed: cleared).
    if (after === null && KEPT_WHEN_EMPTY.has(key(path))) continue;
    if (jsonEqual(before, after) || jsonEqual(zoomForm(path, before, roles), zoomForm(path, after, roles))) continue;
    // null, not absence: the entry must say "clear it" when it is applied.
    setPath(delta, path, after === null ? null : cloneJson(after));
    changed = true;
  }
  return changed ? delta : undefined;
}
