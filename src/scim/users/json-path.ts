// Reading and writing nested attributes of a plain SCIM resource by path segments
// (e.g. ["name", "givenName"] or [ENTERPRISE_USER_URN, "department"]).
import type { JsonObject } from "../../store/types.js";

export type Path = readonly string[];

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function getPath(resource: JsonObject, path: Path): unknown {
  let node: unknown = resource;
  for (const key of path) {
    if (!isObject(node)) return undefined;
    node = node[key];
  }
  return node;
}

/** Sets a value, creating parents; `undefined` deletes it and prunes emptied parents. */
export function setPath(resource: JsonObject, path: Path, value: unknown): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) {
    if (value === undefined) delete resource[head];
    else resource[head] = value;
    return;
  }
  let child = resource[head];
  if (!isObject(child)) {
    if (value === undefined) return;
    child = {};
    resource[head] = child;
  }
  setPath(child as JsonObject, rest, value);
  if (Object.keys(child as JsonObject).length === 0) delete resource[head];
}

/** Structural equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  if (isObject(a) && isObject(b)) {
    const keysA = Object.keys(a).filter((k) => a[k] !== undefined);
    const keysB = Object.keys(b).filter((k) => b[k] !== undefined);
    return keysA.length === keysB.length && keysA.every((k) => jsonEqual(a[k], b[k]));
  }
  return false;
}

/** A value that counts as "no value" in SCIM: absent, null, "", [] or {}. */
export function isEmptyValue(value: unknown): boolean {
  if (value === undefined || value === null || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isObject(value)) return Object.values(value).every(isEmptyValue);
  return false;
}

/** Copies a JSON value (scimmy's coerced objects are not structured-cloneable, JSON is what we hold anyway). */
export function deepClone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
