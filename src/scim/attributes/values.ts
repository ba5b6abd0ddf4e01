// Where attribute values live in a resource, and how loosely-typed client values become the schema's types.
import type { AttributeMeta, ResolvedPath, ResourceSchema } from "./schema-meta.js";
import { findAttribute, findSubAttribute, resolveExtension, LEGACY_ENTERPRISE_URN } from "./schema-meta.js";
import type { JsonObject } from "./json.js";
import { checkJsonDepth, flattenArrays, getProperty, isJsonObject, isPrototypeKey } from "./json.js";

/**
 * The object that holds an attribute: the resource itself for core attributes; for extension attributes the object
 * under the extension's URN key (RFC 7643 §3.3), e.g. resource["urn:…:enterprise:2.0:User"].department.
 */
export function attributeContainer(resource: JsonObject, path: Pick<ResolvedPath, "schemaId" | "isExtension">): JsonObject | undefined {
  if (!path.isExtension) return resource;
  const extension = getProperty(resource, path.schemaId);
  return isJsonObject(extension) ? extension : undefined;
}

/**
 * The value a resolved path designates. For a sub-attribute of a multi-valued complex attribute ("emails.value") it
 * is the array of that sub-attribute's values across the elements.
 */
export function readAttribute(resource: JsonObject, path: ResolvedPath): unknown {
  const container = attributeContainer(resource, path);
  const value = container === undefined ? undefined : getProperty(container, path.attribute.name);
  const sub = path.subAttribute;
  if (sub === undefined) return value;
  if (path.attribute.multiValued) {
    if (!Array.isArray(value))
      return value === undefined || value === null ? undefined : [getProperty(value, sub.name)].filter((v) => v !== undefined);
    return value.map((element) => getProperty(element, sub.name)).filter((v) => v !== undefined);
  }
  return getProperty(value, sub.name);
}

const BOOLEAN_STRING = /^\s*(true|false)\s*$/i;
const INTEGER_STRING = /^\s*[+-]?\d+\s*$/;
// Each run of digits has one way to match (not `\d+\.?\d*`, which backtracks quadratically on a long digit run).
const DECIMAL_STRING = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** "True" / "false" (any case) → boolean; anything else unchanged. Entra and AWS-ILM send booleans as strings. */
export function coerceBooleanString(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const match = BOOLEAN_STRING.exec(value);
  return match === null ? value : match[1]!.toLowerCase() === "true";
}

/** A scalar in the attribute's type when the client sent it as a string ("true", "2"); otherwise unchanged. */
export function coerceScalar(attribute: AttributeMeta, value: unknown): unknown {
  if (typeof value !== "string") return value;
  switch (attribute.type) {
    case "boolean":
      return coerceBooleanString(value);
    case "integer":
      return INTEGER_STRING.test(value) ? Number(value) : value;
    case "decimal":
      return DECIMAL_STRING.test(value) ? Number(value) : value;
    default:
      return value;
  }
}

export interface NormaliseOptions {
  /** Drop keys that are not attributes of the schema (used for the SCIM 1.1 enterprise alias, whose extra keys have no home). */
  dropUnknown?: boolean;
}

/**
 * One attribute's value with names in the schema's spelling and scalars in the schema's types. Multi-valued values
 * become arrays (null is [], a lone value is wrapped, nested arrays are flattened) without null items.
 */
export function normaliseAttributeValue(attribute: AttributeMeta, value: unknown, options: NormaliseOptions = {}): unknown {
  // RFC 7643 §2.5: null and [] are the same state for a multi-valued attribute; scimmy accepts only the array.
  if (value === null && attribute.multiValued) return [];
  if (value === null || value === undefined) return value;
  if (attribute.multiValued) {
    const items = Array.isArray(value) ? flattenArrays(value) : [value];
    return items.filter((item) => item !== null && item !== undefined).map((item) => normaliseSingle(attribute, item, options));
  }
  return normaliseSingle(attribute, value, options);
}

function normaliseSingle(attribute: AttributeMeta, value: unknown, options: NormaliseOptions): unknown {
  if (attribute.type === "complex")
    return isJsonObject(value) ? normaliseMembers(attribute.subAttributes, value, options, attribute) : value;
  return coerceScalar(attribute, value);
}

/** Normalises each member of an object against the attributes it may hold (a complex value, or an extension object). */
export function normaliseMembers(
  attributes: readonly AttributeMeta[],
  object: JsonObject,
  options: NormaliseOptions = {},
  parent?: AttributeMeta,
): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(object)) {
    // __proto__ & co. name no attribute; kept, they could become the prototype of what validation reads.
    if (isPrototypeKey(key)) continue;
    // A complex value's members by their parent: SCIM 1.1's sub-attribute names (manager.managerId) included.
    const attribute = parent ? findSubAttribute(parent, key) : findAttribute(attributes, key);
    if (attribute === undefined) {
      if (!options.dropUnknown) out[key] = value;
      continue;
    }
    out[attribute.name] = normaliseAttributeValue(attribute, value, options);
  }
  return out;
}

/**
 * A POST/PUT body in the schema's shape: attribute names in the schema's case (extension URN keys too), boolean and
 * number strings converted for boolean/integer/decimal attributes at every level, null items dropped from
 * multi-valued arrays (`"phoneNumbers":[null]` → `[]`). The SCIM 1.1 enterprise URN key is merged into the 2.0 one,
 * keeping only attributes the 2.0 extension defines. Unknown attributes are left for validation to judge.
 * Returns a new object.
 */
export function normaliseValueTypes(resource: JsonObject, schema: ResourceSchema): JsonObject {
  checkJsonDepth(resource, "The resource");
  const out: JsonObject = {};
  const legacy: JsonObject[] = [];
  for (const [key, value] of Object.entries(resource)) {
    if (isPrototypeKey(key)) continue;
    const extension = resolveExtension(schema, key);
    if (extension !== undefined && isJsonObject(value)) {
      const normalised = normaliseMembers(extension.attributes, value, { dropUnknown: extension.legacy });
      if (extension.legacy) legacy.push(normalised);
      else out[extension.id] = { ...(isJsonObject(out[extension.id]) ? (out[extension.id] as JsonObject) : {}), ...normalised };
      continue;
    }
    const attribute = findAttribute(schema.attributes, key);
    if (attribute === undefined) out[key] = value;
    else if (attribute.name === "schemas" && Array.isArray(value)) out[attribute.name] = canonicalSchemaList(value, schema);
    else out[attribute.name] = normaliseAttributeValue(attribute, value);
  }
  for (const values of legacy) {
    const target = extensionIdOfLegacy(schema);
    if (target === undefined) continue;
    // The 2.0 spelling wins over the 1.1 one when a body carries both.
    out[target] = { ...values, ...(isJsonObject(out[target]) ? (out[target] as JsonObject) : {}) };
  }
  return out;
}

function extensionIdOfLegacy(schema: ResourceSchema): string | undefined {
  return resolveExtension(schema, LEGACY_ENTERPRISE_URN)?.id;
}

/** The `schemas` list with known URNs in their declared spelling, the 1.1 enterprise URN replaced, duplicates dropped. */
function canonicalSchemaList(values: readonly unknown[], schema: ResourceSchema): unknown[] {
  const out: unknown[] = [];
  for (const value of values) {
    let canonical = value;
    if (typeof value === "string") {
      if (value.trim().toLowerCase() === schema.id.toLowerCase()) canonical = schema.id;
      else canonical = resolveExtension(schema, value)?.id ?? value;
    }
    if (!out.includes(canonical)) out.push(canonical);
  }
  return out;
}

/**
 * Keeps `schemas` (when the resource has that array) in step with the extension objects present: an extension URN is
 * listed exactly when its object holds something (RFC 7643 §3). Mutates `resource`.
 */
export function syncExtensionSchemas(resource: JsonObject, schema: ResourceSchema): void {
  const list = resource["schemas"];
  if (!Array.isArray(list)) return;
  let next = [...list];
  for (const extension of schema.extensions) {
    const lower = extension.id.toLowerCase();
    const listed = next.some((s) => typeof s === "string" && s.toLowerCase() === lower);
    const value = getProperty(resource, extension.id);
    const present = isJsonObject(value) && Object.keys(value).length > 0;
    if (present && !listed) next.push(extension.id);
    if (!present && listed) next = next.filter((s) => !(typeof s === "string" && s.toLowerCase() === lower));
  }
  resource["schemas"] = next;
}

/**
 * Equality of two values of one simple attribute as RFC 7644 §3.4.2.2 compares them: strings case-insensitively
 * unless the attribute is caseExact, dateTimes as instants.
 */
export function scalarEquals(attribute: AttributeMeta, a: unknown, b: unknown): boolean {
  if (typeof a === "string" && typeof b === "string") {
    if (attribute.type === "dateTime") {
      const [x, y] = [Date.parse(a), Date.parse(b)];
      if (!Number.isNaN(x) && !Number.isNaN(y)) return x === y;
    }
    return attribute.caseExact ? a === b : a.toLowerCase() === b.toLowerCase();
  }
  return a === b;
}
