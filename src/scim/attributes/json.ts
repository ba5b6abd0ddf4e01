// Plain-JSON helpers. SCIM attribute names are case-insensitive (RFC 7643 §2.1), so every lookup here, by name or
// by path, takes the exact key when present and otherwise any spelling of it.
import type { JsonObject } from "../../lib/json.js";

export type { JsonObject };

/** Attribute names from the resource's root, e.g. ["name", "givenName"] or [ENTERPRISE_USER_URN, "department"]. */
export type Path = readonly string[];

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The key of `object` that names `name`: the exact key when present, otherwise the first case-insensitive match. */
export function findKey(object: JsonObject, name: string): string | undefined {
  if (Object.hasOwn(object, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(object).find((k) => k.toLowerCase() === lower);
}

export function getProperty(object: unknown, name: string): unknown {
  if (!isJsonObject(object)) return undefined;
  const key = findKey(object, name);
  return key === undefined ? undefined : object[key];
}

/** Removes every spelling of `name`; true when something was removed. */
export function deleteProperty(object: JsonObject, name: string): boolean {
  const lower = name.toLowerCase();
  let removed = false;
  for (const key of Object.keys(object)) {
    if (key.toLowerCase() === lower) {
      delete object[key];
      removed = true;
    }
  }
  return removed;
}

/** Sets `name` in its canonical spelling, dropping any other spelling of it. */
export function setProperty(object: JsonObject, name: string, value: unknown): void {
  const lower = name.toLowerCase();
  for (const key of Object.keys(object)) {
    if (key !== name && key.toLowerCase() === lower) delete object[key];
  }
  object[name] = value;
}

/** RFC 7643 §2.5 and RFC 7644 §3.4.2.2 "pr": null, "", [] and objects without a present member are not values. */
export function isPresent(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === "string") return value.length > 0;
  if (Array.isArray(value)) return value.some(isPresent);
  if (isJsonObject(value)) return Object.values(value).some(isPresent);
  return true;
}

/** The value at `path`, whatever the case of its names; undefined when any step is missing or not an object. */
export function getPath(resource: JsonObject, path: Path): unknown {
  let node: unknown = resource;
  for (const name of path) {
    node = getProperty(node, name);
    if (node === undefined) return undefined;
  }
  return node;
}

/**
 * Sets the value at `path` in the canonical spelling given, creating parents; `undefined` deletes it (every
 * spelling) and prunes the parents it emptied.
 */
export function setPath(resource: JsonObject, path: Path, value: unknown): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) {
    if (value === undefined) deleteProperty(resource, head);
    else setProperty(resource, head, value);
    return;
  }
  let child = getProperty(resource, head);
  if (!isJsonObject(child)) {
    if (value === undefined) return;
    child = {};
  }
  setProperty(resource, head, child);
  setPath(child as JsonObject, rest, value);
  if (Object.keys(child as JsonObject).length === 0) deleteProperty(resource, head);
}

/** Structural equality of JSON values (object key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  }
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = Object.keys(a).filter((k) => a[k] !== undefined);
    const otherKeys = Object.keys(b).filter((k) => b[k] !== undefined);
    return keys.length === otherKeys.length && keys.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** A deep copy of a JSON value (through JSON: scimmy's coerced objects are not structured-cloneable). */
export function cloneJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** Flattens arrays nested inside an array: some clients wrap a multi-valued value once more (`[[{…}]]`). */
export function flattenArrays(value: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const item of value) {
    if (Array.isArray(item)) out.push(...flattenArrays(item));
    else out.push(item);
  }
  return out;
}
