// Values a PATCH writes, checked against and converted to the attribute's type. Liberal where clients are known to
// deviate (booleans and numbers as strings, a lone element for a multi-valued attribute, `[[…]]`, Entra's manager as
// a bare id); a value that still does not fit is a 400 invalidValue that says what was expected.
import type { AttributeMeta } from "../attributes/schema-meta.js";
import { findAttribute, findSubAttribute } from "../attributes/schema-meta.js";
import type { JsonObject } from "../attributes/json.js";
import { assignOwn, flattenArrays, isJsonObject } from "../attributes/json.js";
import { coerceScalar } from "../attributes/values.js";
import { badRequest } from "../errors.js";

function describe(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    // Too deep for JSON.stringify (or cyclic): say what it is rather than fail with a RangeError.
    return Array.isArray(value) ? "a nested array" : typeof value;
  }
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

/**
 * The value to store for `attribute` (a top-level attribute or a sub-attribute). null and undefined come back as
 * null, which callers treat as "clear". Multi-valued attributes come back as arrays without null items; complex
 * values as objects whose members are sub-attributes in the schema's spelling (null members kept: they clear).
 */
export function valueForWrite(attribute: AttributeMeta, value: unknown, label: string): unknown {
  if (value === null || value === undefined) return null;
  if (attribute.multiValued) {
    const items = Array.isArray(value) ? flattenArrays(value) : [value];
    return items.filter((item) => item !== null && item !== undefined).map((item) => singleForWrite(attribute, item, label));
  }
  if (Array.isArray(value)) {
    // A one-element array for a single-valued attribute is read as that element.
    const items = flattenArrays(value).filter((item) => item !== null && item !== undefined);
    if (items.length === 0) return null;
    if (items.length === 1) return singleForWrite(attribute, items[0], label);
    throw badRequest("invalidValue", `${label} is single-valued; give one value, not ${describe(value)}`);
  }
  return singleForWrite(attribute, value, label);
}

/** One element of a multi-valued complex attribute (a lone object, or an array holding exactly one). */
export function elementForWrite(attribute: AttributeMeta, value: unknown, label: string): JsonObject {
  const items = (Array.isArray(value) ? flattenArrays(value) : [value]).filter((item) => item !== null && item !== undefined);
  if (items.length !== 1)
    throw badRequest("invalidValue", `${label} selects existing elements; give one object to write into them, not ${describe(value)}`);
  return singleForWrite(attribute, items[0], label) as JsonObject;
}

function singleForWrite(attribute: AttributeMeta, value: unknown, label: string): unknown {
  if (attribute.type === "complex") {
    if (isJsonObject(value)) return complexForWrite(attribute, value, label);
    // Entra sends the enterprise manager as a bare id: "value":"<manager id>".
    const valueSub = findAttribute(attribute.subAttributes, "value");
    if (valueSub !== undefined && (typeof value === "string" || typeof value === "number"))
      return complexForWrite(attribute, { value }, label);
    throw badRequest(
      "invalidValue",
      `${label} is complex; give an object of its sub-attributes (${subNames(attribute)}), not ${describe(value)}`,
    );
  }
  return scalarForWrite(attribute, value, label);
}

function subNames(attribute: AttributeMeta): string {
  return attribute.subAttributes.map((s) => s.name).join(", ");
}

function complexForWrite(attribute: AttributeMeta, value: JsonObject, label: string): JsonObject {
  const out: JsonObject = {};
  for (const [key, member] of Object.entries(value)) {
    const sub = findSubAttribute(attribute, key);
    if (sub === undefined) {
      throw badRequest("invalidPath", `"${key}" in ${label} is not a sub-attribute of ${attribute.name}; it has ${subNames(attribute)}`);
    }
    out[sub.name] = member === null || member === undefined ? null : valueForWrite(sub, member, `${label}.${sub.name}`);
  }
  return out;
}

function scalarForWrite(attribute: AttributeMeta, raw: unknown, label: string): unknown {
  const value = coerceScalar(attribute, raw);
  const fail = (expected: string): never => {
    throw badRequest("invalidValue", `${label} must be ${expected}, not ${describe(raw)}`);
  };
  switch (attribute.type) {
    case "boolean":
      return typeof value === "boolean" ? value : fail("true or false");
    case "integer":
      return typeof value === "number" && Number.isInteger(value) ? value : fail("an integer");
    case "decimal":
      return typeof value === "number" && Number.isFinite(value) ? value : fail("a number");
    case "dateTime":
      return typeof value === "string" && !Number.isNaN(Date.parse(value)) ? value : fail('a dateTime such as "2024-05-13T04:42:34Z"');
    case "binary":
      return typeof value === "string" ? value : fail("a base64 string");
    default:
      // string and reference; a number (employeeNumber: 12345) is taken as its text.
      if (typeof value === "number" && Number.isFinite(value)) return String(value);
      return typeof value === "string" ? value : fail("a string");
  }
}

/** A copy without null members: what an element looks like once written. */
export function withoutNulls(object: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(object)) if (value !== null && value !== undefined) assignOwn(out, key, value);
  return out;
}
