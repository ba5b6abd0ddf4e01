// Plain-JSON helpers. SCIM attribute names are case-insensitive (RFC 7643 §2.1), so every lookup here, by name or
// by path, takes the exact key when present and otherwise any spelling of it. Lookups read own properties only and
// writes never set a prototype, whatever the key; walks over client JSON are iterative or depth-checked.
import type { JsonObject } from "../../lib/json.js";
import { badRequest } from "../errors.js";
import { SCIM_LIMITS } from "../limits.js";

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

/** Keys that name no SCIM attribute and that, assigned or merged carelessly, reach an object's prototype. */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

export function isPrototypeKey(key: string): boolean {
  // Asked for every key of every answer: most keys are not 9 or 11 characters long and need no lowercasing.
  if (key.length !== 9 && key.length !== 11) return false;
  return PROTOTYPE_KEYS.has(key.toLowerCase());
}

/** `object[key] = value` as an own property, even for "__proto__" (which would otherwise replace the prototype). */
export function assignOwn(object: JsonObject, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  else object[key] = value;
}

/** Sets `name` in its canonical spelling, dropping any other spelling of it. */
export function setProperty(object: JsonObject, name: string, value: unknown): void {
  const lower = name.toLowerCase();
  for (const key of Object.keys(object)) {
    if (key !== name && key.toLowerCase() === lower) delete object[key];
  }
  assignOwn(object, name, value);
}

/** RFC 7643 §2.5 and RFC 7644 §3.4.2.2 "pr": null, "", [] and objects without a present member are not values. */
export function isPresent(value: unknown): boolean {
  // Iterative: a client value may nest arbitrarily deep.
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const node = pending.pop();
    if (node === undefined || node === null) continue;
    if (typeof node === "string") {
      if (node.length > 0) return true;
    } else if (Array.isArray(node) || isJsonObject(node)) {
      // A loop, not push(...): spreading a 200,000-element array exceeds the argument limit.
      for (const child of Object.values(node)) pending.push(child);
    } else return true;
  }
  return false;
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
  // Iterative, pair by pair: client values may nest arbitrarily deep.
  const pending: Array<[unknown, unknown]> = [[a, b]];
  while (pending.length > 0) {
    const [x, y] = pending.pop()!;
    if (x === y) continue;
    if (Array.isArray(x)) {
      if (!Array.isArray(y) || x.length !== y.length) return false;
      x.forEach((item, i) => pending.push([item, y[i]]));
    } else if (isJsonObject(x) && isJsonObject(y)) {
      const keys = Object.keys(x).filter((k) => x[k] !== undefined);
      const otherKeys = Object.keys(y).filter((k) => y[k] !== undefined);
      if (keys.length !== otherKeys.length || !keys.every((k) => Object.hasOwn(y, k))) return false;
      for (const k of keys) pending.push([x[k], y[k]]);
    } else return false;
  }
  return true;
}

/**
 * Throws ScimError 400 invalidSyntax when `value` nests objects and arrays deeper than SCIM_LIMITS.jsonMaxDepth
 * (`{"a":1}` is depth 1). Iterative; run it on client JSON before anything that recurses over it.
 */
export function checkJsonDepth(value: unknown, what = "The request"): void {
  const max = SCIM_LIMITS.jsonMaxDepth;
  const pending: unknown[] = [value];
  const depths: number[] = [0];
  while (pending.length > 0) {
    const node = pending.pop();
    const depth = depths.pop()! + 1;
    if (typeof node !== "object" || node === null) continue;
    if (depth > max)
      throw badRequest(
        "invalidSyntax",
        `${what} nests objects and arrays deeper than ${max} levels; SCIM resources need a few, so flatten it`,
      );
    for (const child of Object.values(node)) {
      pending.push(child);
      depths.push(depth);
    }
  }
}

/**
 * A deep copy of a JSON value (through JSON: scimmy's coerced objects are not structured-cloneable). JSON.stringify
 * recurses, so the depth is checked first (ScimError 400 invalidSyntax past SCIM_LIMITS.jsonMaxDepth).
 */
export function cloneJson<T>(value: T): T {
  if (value === undefined) return value;
  checkJsonDepth(value);
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Flattens arrays nested inside an array: some clients wrap a multi-valued value once more (`[[{…}]]`). */
export function flattenArrays(value: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  // Iterative, with a stack of arrays and positions, so `[[[…]]]` of any depth cannot overflow.
  const arrays: Array<readonly unknown[]> = [value];
  const positions: number[] = [0];
  while (arrays.length > 0) {
    const top = arrays.length - 1;
    const array = arrays[top]!;
    const position = positions[top]!;
    if (position >= array.length) {
      arrays.pop();
      positions.pop();
      continue;
    }
    positions[top] = position + 1;
    const item = array[position];
    if (Array.isArray(item)) {
      arrays.push(item);
      positions.push(0);
    } else out.push(item);
  }
  return out;
}
