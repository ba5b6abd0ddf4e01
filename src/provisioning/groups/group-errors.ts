// Zoom's group refusals as SCIM errors that say what to do; everything else as scimErrorFromZoom says it.
import { ZoomApiError } from "../../zoom/index.js";
import { conflict, notFound, ScimError } from "../../scim/errors.js";
import { scimErrorFromZoom } from "../zoom-errors.js";

export const groupNotFound = (id: string): ScimError => notFound(`Group ${id} not found`);

export function nameTaken(name: string): ScimError {
  return conflict(
    "uniqueness",
    `A Zoom group named "${name}" already exists (Zoom group names are unique whatever their case). ` +
      `Find it with filter=displayName eq "${name}" and link to its id, or choose another name.`,
  );
}

/** `what` names the step ("adding 30 members"); `group` says which group and, for renames and creates, which name. */
export function groupZoomError(error: unknown, what: string, group: { id?: string; name?: string }): ScimError {
  if (error instanceof ZoomApiError) {
    if (error.code === 4132 && group.name !== undefined) return nameTaken(group.name);
    if (error.code === 4130 && group.id !== undefined) return groupNotFound(group.id);
    if (error.code === 200) {
      // Zoom's answer on plans without groups ("Only available for Paid account.").
      return new ScimError(
        403,
        undefined,
        `Zoom refused ${what}: "${error.zoomMessage}". Zoom groups need a paid Zoom plan; upgrade the account or stop provisioning groups to it.`,
      );
    }
  }
  return scimErrorFromZoom(error, what);
}
