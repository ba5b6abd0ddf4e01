// RFC 7644 §3.4.2.3 sorting: sortBy names one attribute, sortOrder is ascending (the default) or descending.
// Strings compare as the attribute's caseExact says; a multi-valued attribute sorts by its primary value, else its
// first; resources without a value go last when ascending and first when descending. Equal keys keep their order.
import type { JsonObject } from "./attributes/json.js";
import { getProperty, isJsonObject } from "./attributes/json.js";
import { leafOf, resolvePath, resourceLabel, type AttributeType, type ResourceSchema } from "./attributes/schema-meta.js";
import { readAttribute } from "./attributes/values.js";
import { badRequest } from "./errors.js";

export interface SortSpec {
  /** The canonical attribute path, e.g. "name.familyName". */
  path: string;
  descending: boolean;
  type: AttributeType;
  caseExact: boolean;
  /** The key of a resource, as rendered. */
  keyOf(resource: JsonObject): SortKey;
}

/** A comparable value; undefined when the resource has none. */
export type SortKey = string | number | boolean | undefined;

/** Parses sortBy/sortOrder; undefined when no sortBy is given (sortOrder alone is ignored, RFC 7644 §3.4.2.3). */
export function parseSort(sortBy: unknown, sortOrder: unknown, schema: ResourceSchema): SortSpec | undefined {
  if (sortBy === undefined || sortBy === null || sortBy === "") return undefined;
  const order = sortOrder === undefined || sortOrder === null || sortOrder === "" ? "ascending" : String(sortOrder).toLowerCase();
  if (order !== "ascending" && order !== "descending") {
    throw badRequest("invalidValue", `sortOrder must be "ascending" or "descending", got "${String(sortOrder).slice(0, 40)}".`);
  }
  const resolved = typeof sortBy === "string" ? resolvePath(schema, sortBy) : undefined;
  if (!resolved) {
    throw badRequest(
      "invalidValue",
      `sortBy "${String(sortBy).slice(0, 80)}" is not an attribute of ${resourceLabel(schema)}; name one such as userName or name.familyName.`,
    );
  }
  let leaf = leafOf(resolved);
  // A complex attribute sorts by its value sub-attribute (emails → emails.value).
  if (leaf.type === "complex") {
    const value = leaf.subAttributes.find((sub) => sub.name === "value");
    if (!value) throw badRequest("invalidValue", `sortBy "${resolved.canonical}" is a complex attribute without a value to sort by.`);
    leaf = value;
  }
  const type = leaf.type;
  const caseExact = leaf.caseExact;
  const multiValued = resolved.attribute.multiValued;
  const complex = resolved.attribute.type === "complex";
  const valueName = resolved.subAttribute?.name ?? "value";
  return {
    path: resolved.canonical,
    descending: order === "descending",
    type,
    caseExact,
    keyOf(resource) {
      let value: unknown;
      if (multiValued && complex) {
        // The primary element's value, else the first element's (RFC 7644 §3.4.2.3).
        const elements = readAttribute(resource, { ...resolved, subAttribute: undefined });
        const list = Array.isArray(elements) ? elements.filter(isJsonObject) : [];
        const chosen = list.find((element) => element.primary === true) ?? list[0];
        value = chosen === undefined ? undefined : getProperty(chosen, valueName);
      } else {
        value = readAttribute(resource, resolved);
        if (Array.isArray(value)) value = value[0];
      }
      return toKey(value, type, caseExact);
    },
  };
}

/** A raw value as a sort key of the attribute's type: dates as epoch ms, case-insensitive strings lower-cased. */
export function toKey(value: unknown, type: AttributeType, caseExact: boolean): SortKey {
  if (value === undefined || value === null) return undefined;
  switch (type) {
    case "boolean":
      return typeof value === "boolean" ? value : undefined;
    case "integer":
    case "decimal":
      return typeof value === "number" && Number.isFinite(value) ? value : undefined;
    case "dateTime": {
      const ms = typeof value === "string" ? Date.parse(value) : Number.NaN;
      return Number.isFinite(ms) ? ms : undefined;
    }
    default:
      if (typeof value !== "string" || value === "") return undefined;
      return caseExact ? value : value.toLowerCase();
  }
}

/** Compares two keys in ascending order, missing values last. */
export function compareKeys(a: SortKey, b: SortKey): number {
  if (a === undefined) return b === undefined ? 0 : 1;
  if (b === undefined) return -1;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  const x = Number(a);
  const y = Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The order of `items` by their keys (indices into `items`), stable. Descending reverses the comparison, so
 * resources without a value come first then (RFC 7644 §3.4.2.3: "ordered last if ascending and first if descending").
 */
export function sortOrderOf(keys: readonly SortKey[], descending: boolean): number[] {
  const indices = keys.map((_, i) => i);
  const sign = descending ? -1 : 1;
  // Array.prototype.sort is stable; the index tie-break only makes that explicit.
  return indices.sort((i, j) => sign * compareKeys(keys[i], keys[j]) || i - j);
}

/** `items` in the order of their keys. */
export function sortByKeys<T>(items: readonly T[], keys: readonly SortKey[], descending: boolean): T[] {
  return sortOrderOf(keys, descending).map((i) => items[i] as T);
}
