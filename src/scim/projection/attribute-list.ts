// The `attributes` / `excludedAttributes` parameters (RFC 7644 §3.4.2.5, §3.9): comma-separated attribute paths.
import { badRequest } from "../errors.js";

// Attribute notation (RFC 7644 §3.10): optional schema URN, name, optional ".sub". No filters, no spaces inside.
const ATTRIBUTE_PATH = /^[A-Za-z$][A-Za-z0-9_$:.-]*$/;

/**
 * The attribute paths of an `attributes` or `excludedAttributes` value. Accepts a comma-separated string (items
 * trimmed, empty items ignored) or an array of them (a repeated query parameter, or a SearchRequest's JSON array).
 * Anything else, or an item that is not an attribute path, is ScimError 400 invalidValue.
 */
export function parseAttributeList(param: unknown, parameterName = "attributes"): string[] {
  if (param === undefined || param === null) return [];
  const parts = typeof param === "string" ? [param] : Array.isArray(param) ? param : undefined;
  if (parts === undefined || parts.some((p) => typeof p !== "string")) {
    throw badRequest(
      "invalidValue",
      `"${parameterName}" must be a comma-separated list of attribute names such as userName,name.givenName; got ${JSON.stringify(param)}`,
    );
  }
  const names = (parts as string[])
    .flatMap((p) => p.split(","))
    .map((p) => p.trim())
    .filter((p) => p !== "");
  for (const name of names) {
    if (!ATTRIBUTE_PATH.test(name)) {
      throw badRequest(
        "invalidValue",
        `"${parameterName}" holds "${name}", which is not an attribute name; list names such as userName,name.givenName,emails.value (no filters)`,
      );
    }
  }
  return names;
}
