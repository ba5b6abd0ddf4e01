// SCIM Group bodies and member values → what zoom-scim acts on. Liberal in what it reads (Entra's extra schema URN,
// `$ref: null`, a lone member object, ids as bare strings), strict about what Zoom cannot do (nested groups).
import type { JsonObject } from "../../store/types.js";
import { flattenArrays, getProperty, isJsonObject } from "../../scim/attributes/json.js";
import { normaliseValueTypes } from "../../scim/attributes/values.js";
import { badRequest } from "../../scim/errors.js";
import { CORE_GROUP_URN, groupSchemaDefinition } from "../../scim/schemas.js";
import { groupSchema } from "../../scim/group-schema.js";
import { isZoomUserId } from "../../zoom/index.js";

export interface GroupBody {
  displayName: string;
  /** undefined: not sent (PUT keeps the current one); null: cleared. */
  externalId: string | null | undefined;
  /** Member user ids, deduplicated, in the order sent; undefined when the body has no `members`. */
  members: string[] | undefined;
}

/** Zoom trims group names and refuses blank ones; so do we, before calling Zoom. */
export function groupName(value: unknown, where: string): string {
  if (typeof value !== "string" || value.trim() === "") {
    throw badRequest("invalidValue", `${where} must be the group's name, a non-empty string; Zoom groups cannot be nameless`);
  }
  return value.trim();
}

/**
 * The user ids a `members` value names: an array (or one element) of `{"value":"<user id>"}` objects, or of bare id
 * strings. A member of type "Group" is refused: Zoom groups hold users only.
 */
/**
 * A member to remove goes into Zoom's URL (`DELETE /groups/{id}/members/{memberId}`): only what a Zoom user id looks
 * like. (Members to add never reach a URL: one that is no id is simply not a user of the account.)
 */
export function memberId(value: string, where: string): string {
  if (isZoomUserId(value as unknown)) return value;
  const shown = value.length > 64 ? `${value.slice(0, 64)}…` : value;
  throw badRequest(
    "invalidValue",
    `${where}: ${JSON.stringify(shown)} is not a Zoom user id (1 to 64 letters, digits, "-" or "_"); nothing was changed`,
  );
}

export function memberIds(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  const elements = Array.isArray(value) ? flattenArrays(value) : [value];
  const ids: string[] = [];
  for (const [index, element] of elements.entries()) {
    if (element === null || element === undefined) continue;
    const label = `${where}[${index}]`;
    const id = typeof element === "string" ? element : isJsonObject(element) ? getProperty(element, "value") : undefined;
    if (typeof id !== "string" || id.trim() === "") {
      throw badRequest("invalidValue", `${label} must be a member such as {"value":"<Zoom user id>"}; it has no user id in "value"`);
    }
    const type = isJsonObject(element) ? getProperty(element, "type") : undefined;
    if (typeof type === "string" && type.trim().toLowerCase() === "group") {
      throw badRequest("invalidValue", `${label} is a group ("type":"Group"); Zoom groups cannot contain groups, only users`);
    }
    ids.push(id.trim());
  }
  return [...new Set(ids)];
}

/** Members with `type` spelled as the schema's canonical value and `$ref: null` dropped, so scimmy can validate them. */
function tidyMembers(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((element) => {
    if (!isJsonObject(element)) return element;
    const out: JsonObject = {};
    for (const [key, member] of Object.entries(element)) {
      if (member === null) continue;
      const lower = key.toLowerCase();
      out[key] =
        lower === "type" && typeof member === "string" && ["user", "group"].includes(member.trim().toLowerCase())
          ? member.trim().toLowerCase() === "user"
            ? "User"
            : "Group"
          : member;
    }
    return out;
  });
}

/** A POST or PUT body → a validated group. scimmy checks types and required attributes; ids are checked by the caller. */
export function parseGroupBody(body: unknown): GroupBody {
  if (!isJsonObject(body))
    throw badRequest("invalidSyntax", 'The request body must be a JSON object: a SCIM Group such as {"displayName":"Sales","members":[]}');
  const normalised = normaliseValueTypes(body, groupSchema);
  // Entra adds its own schema URN; AWS-ILM-style clients send none. The endpoint says what the resource is.
  normalised.schemas = [CORE_GROUP_URN];
  if (normalised.members !== undefined) normalised.members = tidyMembers(normalised.members);
  let coerced: JsonObject;
  try {
    coerced = JSON.parse(JSON.stringify(groupSchemaDefinition().coerce(normalised, "in"))) as JsonObject;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw badRequest("invalidValue", `The Group is not valid: ${message}`);
  }
  const externalId = Object.hasOwn(normalised, "externalId")
    ? typeof coerced.externalId === "string" && coerced.externalId !== ""
      ? coerced.externalId
      : null
    : undefined;
  return {
    displayName: groupName(coerced.displayName, "displayName"),
    externalId,
    members: Object.hasOwn(normalised, "members") ? memberIds(normalised.members, "members") : undefined,
  };
}
