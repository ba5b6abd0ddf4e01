// A POST or PUT body → a validated SCIM User, liberal in what it accepts (RFC 7644's robustness principle),
// strict in what it lets through: scimmy validates types, required attributes and mutability.
import type { JsonObject } from "../../store/types.js";
import { normaliseValueTypes } from "../../scim/attributes/index.js";
import { badRequest } from "../../scim/errors.js";
import { CORE_USER_URN, ZOOM_USER_URN, userSchemaDefinition } from "../../scim/schemas.js";
import { licenceNumbersAsStrings } from "../mapping/licence-attributes.js";
import { isJsonObject } from "../../scim/attributes/json.js";
import { userSchema } from "../../scim/user-schema.js";

/**
 * "" → null at every level. AWS-ILM-style clients send empty strings for attributes they have no value for; an empty
 * string is no value (RFC 7644 §3.4.2.2 "pr"), so a POST leaves it unassigned and a PUT clears it, as for null.
 */
function emptyStringsAsNull(value: unknown): unknown {
  if (value === "") return null;
  if (Array.isArray(value)) return value.map(emptyStringsAsNull);
  if (isJsonObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, emptyStringsAsNull(v)]));
  return value;
}

export function parseUserBody(body: unknown): JsonObject {
  if (!isJsonObject(body)) throw badRequest("invalidSyntax", "The request body must be a JSON object: a SCIM User with at least userName");
  const normalised = normaliseValueTypes(emptyStringsAsNull(body) as JsonObject, userSchema);
  const zoom = normalised[ZOOM_USER_URN];
  if (isJsonObject(zoom)) normalised[ZOOM_USER_URN] = licenceNumbersAsStrings(zoom);
  // AWS-ILM-style clients send no `schemas`; the resource type is known from the endpoint.
  if (!Array.isArray(normalised.schemas) || normalised.schemas.length === 0) normalised.schemas = [CORE_USER_URN];
  else if (!normalised.schemas.includes(CORE_USER_URN)) normalised.schemas = [CORE_USER_URN, ...normalised.schemas];
  // Extension URNs of schemas we do not serve are ignored rather than refused.
  const known = new Set([CORE_USER_URN, ...userSchema.extensions.map((e) => e.id)]);
  normalised.schemas = (normalised.schemas as unknown[]).filter((urn): urn is string => typeof urn === "string" && known.has(urn));
  for (const urn of userSchema.extensions.map((e) => e.id)) {
    if (isJsonObject(normalised[urn]) && !(normalised.schemas as string[]).includes(urn)) (normalised.schemas as string[]).push(urn);
  }
  try {
    // Plain JSON out: scimmy's coerced value carries its own object types.
    return JSON.parse(JSON.stringify(userSchemaDefinition().coerce(normalised, "in"))) as JsonObject;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw badRequest("invalidValue", `The User is not valid: ${message}`);
  }
}
