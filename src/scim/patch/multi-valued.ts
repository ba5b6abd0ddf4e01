// Element-level rules for multi-valued attributes: when two elements are the same value (RFC 7644 §3.5.2.1: adding a
// value already present changes nothing), the key that finds such elements by hash, and dropping elements that lost
// their value.
import type { AttributeMeta } from "../attributes/schema-meta.js";
import { findAttribute } from "../attributes/schema-meta.js";
import type { JsonObject } from "../attributes/json.js";
import { getProperty, isJsonObject, isPresent, jsonEqual, setProperty, deleteProperty } from "../attributes/json.js";
import { scalarEquals } from "../attributes/values.js";
import type { WorkingElements } from "./working-elements.js";
import { withoutNulls } from "./write-values.js";

function membersEqual(attribute: AttributeMeta, a: JsonObject, b: JsonObject): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)].filter((k) => isPresent(a[k]) || isPresent(b[k])));
  for (const key of keys) {
    const sub = findAttribute(attribute.subAttributes, key);
    const [x, y] = [getProperty(a, key), getProperty(b, key)];
    if (!(sub === undefined ? jsonEqual(x, y) : scalarEquals(sub, x, y))) return false;
  }
  return true;
}

/**
 * Whether `candidate` denotes the same element as `existing`. Elements with a `value` are the same when their values
 * are equal (case per the schema) and their `type`s do not differ — so re-adding a member, or Entra's
 * `{"$ref":null,"value":"<id>"}`, finds the member already there. Other elements compare member by member.
 */
export function sameElement(attribute: AttributeMeta, existing: unknown, candidate: unknown): boolean {
  if (attribute.type !== "complex") return scalarEquals(attribute, existing, candidate);
  if (!isJsonObject(existing) || !isJsonObject(candidate)) return false;
  const valueSub = findAttribute(attribute.subAttributes, "value");
  const [a, b] = [getProperty(existing, "value"), getProperty(candidate, "value")];
  if (valueSub !== undefined && isPresent(a) && isPresent(b)) {
    if (!scalarEquals(valueSub, a, b)) return false;
    const typeSub = findAttribute(attribute.subAttributes, "type");
    const [ta, tb] = [getProperty(existing, "type"), getProperty(candidate, "type")];
    return typeSub === undefined || !isPresent(ta) || !isPresent(tb) || scalarEquals(typeSub, ta, tb);
  }
  return membersEqual(attribute, existing, candidate);
}

/**
 * Writes `incoming`'s members into `target` (null members clear); `writable` decides which sub-attributes may change.
 * With `keepEqual`, a value equal per the sub-attribute's case rule keeps the spelling already stored.
 */
export function mergeInto(
  target: JsonObject,
  incoming: JsonObject,
  attribute: AttributeMeta,
  writable: (sub: AttributeMeta) => boolean = () => true,
  keepEqual = false,
): void {
  for (const [key, value] of Object.entries(incoming)) {
    const sub = findAttribute(attribute.subAttributes, key);
    if (sub !== undefined && !writable(sub)) continue;
    if (keepEqual && sub !== undefined && value !== null && scalarEquals(sub, getProperty(target, key), value)) continue;
    if (value === null || value === undefined) deleteProperty(target, key);
    else setProperty(target, sub?.name ?? key, value);
  }
}

/** Text that two scalars share whenever scalarEquals holds them equal; undefined for dateTimes (instants compare). */
function scalarText(attribute: AttributeMeta, value: unknown): string | undefined {
  if (attribute.type === "dateTime") return undefined;
  if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") return undefined;
  const text = String(value);
  return attribute.caseExact ? text : text.toLowerCase();
}

/** The present members' names, with their values where they have a canonical text: shared by membersEqual pairs. */
function membersKey(attribute: AttributeMeta, element: JsonObject): string | undefined {
  const names = new Set<string>();
  const parts: string[] = [];
  for (const [key, member] of Object.entries(element)) {
    const name = key.toLowerCase();
    // Two spellings of one member: let sameElement judge such an element against everything.
    if (names.has(name)) return undefined;
    names.add(name);
    if (!isPresent(member)) continue;
    const sub = findAttribute(attribute.subAttributes, key);
    const text = sub === undefined ? undefined : scalarText(sub, member);
    parts.push(text === undefined ? name : `${name}=${text}`);
  }
  return `m${parts.sort().join("\u0000")}`;
}

/**
 * A key that two elements share whenever sameElement holds them the same (the converse need not hold), so elements
 * can be found through a Map: "v…" for the canonical value, "m…" for elements without one. undefined: no key.
 */
export function elementKey(attribute: AttributeMeta, element: unknown): string | undefined {
  if (attribute.type !== "complex") {
    const text = scalarText(attribute, element);
    return text === undefined ? undefined : `v${text}`;
  }
  if (!isJsonObject(element)) return undefined;
  const valueSub = findAttribute(attribute.subAttributes, "value");
  const value = valueSub === undefined ? undefined : getProperty(element, "value");
  if (valueSub === undefined || !isPresent(value)) return membersKey(attribute, element);
  const text = scalarText(valueSub, value);
  return text === undefined ? undefined : `v${text}`;
}

/**
 * Adds `incoming` to `working`: a value already present is not duplicated; for complex elements the new element's
 * mutable sub-attributes are merged into the existing one. Returns the slots added or merged into.
 */
export function addElements(working: WorkingElements, incoming: readonly unknown[]): number[] {
  const touched: number[] = [];
  for (const item of incoming) {
    const found = working.find(item);
    if (found < 0) {
      touched.push(working.push(isJsonObject(item) ? withoutNulls(item) : item));
      continue;
    }
    const existing = working.get(found);
    if (isJsonObject(existing) && isJsonObject(item)) {
      // Re-adding a value changes nothing but what the client added to it (RFC 7644 §3.5.2.1).
      mergeInto(existing, item, working.attribute, (sub) => sub.mutability === "readWrite" || sub.mutability === "writeOnly", true);
      working.set(found, existing);
    }
    touched.push(found);
  }
  return touched;
}

const DESCRIPTIVE = new Set(["type", "primary", "display"]);

/**
 * Whether an element still says something after a sub-attribute was removed: it keeps its `value` (for attributes
 * that have one), or some sub-attribute besides type/primary/display. `{"type":"work"}` left over from removing
 * `emails[type eq "work"].value` is dropped.
 */
export function isMeaningfulElement(attribute: AttributeMeta, element: unknown): boolean {
  if (!isJsonObject(element)) return isPresent(element);
  if (findAttribute(attribute.subAttributes, "value") !== undefined) return isPresent(getProperty(element, "value"));
  return Object.entries(element).some(([key, value]) => !DESCRIPTIVE.has(key.toLowerCase()) && isPresent(value));
}
