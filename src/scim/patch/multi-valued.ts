// Element-level rules for multi-valued attributes: when two elements are the same value (RFC 7644 §3.5.2.1: adding a
// value already present changes nothing), keeping `primary` true on at most one element (RFC 7643 §2.4), and
// dropping elements that lost their value.
import type { AttributeMeta } from "../attributes/schema-meta.js";
import { findAttribute } from "../attributes/schema-meta.js";
import type { JsonObject } from "../attributes/json.js";
import { getProperty, isJsonObject, isPresent, jsonEqual, setProperty, deleteProperty } from "../attributes/json.js";
import { scalarEquals } from "../attributes/values.js";
import { badRequest } from "../errors.js";
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

/** Replaces an array's contents in place (no spread: groups can have more members than a call has arguments). */
export function replaceContents(target: unknown[], items: readonly unknown[]): void {
  target.length = 0;
  for (const item of items) target.push(item);
}

/** Finds elements as sameElement does; elements identified by a value (members, emails …) are found by hash. */
class ElementIndex {
  private readonly byValue = new Map<string, number[]>();
  private readonly unkeyed: number[] = [];
  private readonly valueSub: AttributeMeta | undefined;

  constructor(
    private readonly attribute: AttributeMeta,
    private readonly elements: readonly unknown[],
  ) {
    this.valueSub = attribute.type === "complex" ? findAttribute(attribute.subAttributes, "value") : attribute;
    elements.forEach((_, index) => this.add(index));
  }

  private key(element: unknown): string | undefined {
    if (this.valueSub === undefined) return undefined;
    const value = this.attribute.type === "complex" ? getProperty(element, "value") : element;
    if (typeof value !== "string" && typeof value !== "number") return undefined;
    const text = String(value);
    return this.valueSub.caseExact || this.valueSub.type === "binary" ? text : text.toLowerCase();
  }

  add(index: number): void {
    const key = this.key(this.elements[index]);
    if (key === undefined) this.unkeyed.push(index);
    else this.byValue.set(key, [...(this.byValue.get(key) ?? []), index]);
  }

  find(candidate: unknown): number {
    const key = this.key(candidate);
    // A keyed candidate can only equal a keyed element with the same key (see sameElement).
    const pool = key === undefined ? this.elements.map((_, i) => i) : [...(this.byValue.get(key) ?? []), ...this.unkeyed];
    return pool.find((index) => sameElement(this.attribute, this.elements[index], candidate)) ?? -1;
  }
}

/**
 * Adds `incoming` to `elements` (in place): a value already present is not duplicated; for complex elements the
 * new element's mutable sub-attributes are merged into the existing one. Returns the elements added or merged into.
 */
export function addElements(attribute: AttributeMeta, elements: unknown[], incoming: readonly unknown[]): unknown[] {
  const touched: unknown[] = [];
  const index = new ElementIndex(attribute, elements);
  for (const item of incoming) {
    const found = index.find(item);
    if (found < 0) {
      const added = isJsonObject(item) ? withoutNulls(item) : item;
      elements.push(added);
      index.add(elements.length - 1);
      touched.push(added);
      continue;
    }
    const existing = elements[found];
    if (isJsonObject(existing) && isJsonObject(item)) {
      const merged = { ...existing };
      // Re-adding a value changes nothing but what the client added to it (RFC 7644 §3.5.2.1).
      mergeInto(merged, item, attribute, (sub) => sub.mutability === "readWrite" || sub.mutability === "writeOnly", true);
      elements[found] = merged;
      touched.push(merged);
    } else {
      touched.push(existing);
    }
  }
  return touched;
}

/** Removes (in place) the elements that `sameElement` matches with any of `values`; returns how many went. */
export function removeElements(attribute: AttributeMeta, elements: unknown[], values: readonly unknown[]): number {
  const index = new ElementIndex(attribute, values);
  const kept = elements.filter((element) => index.find(element) < 0);
  const removed = elements.length - kept.length;
  replaceContents(elements, kept);
  return removed;
}

/**
 * RFC 7643 §2.4: `primary: true` appears at most once. When an operation set it on one element, the others lose it;
 * when one operation sets it on several, the request is contradictory (400 invalidValue).
 */
export function enforceSinglePrimary(attribute: AttributeMeta, elements: unknown[], touched: readonly unknown[], label: string): void {
  if (findAttribute(attribute.subAttributes, "primary") === undefined) return;
  const claims = touched.filter((e) => isJsonObject(e) && getProperty(e, "primary") === true);
  if (claims.length > 1) {
    throw badRequest("invalidValue", `${label} marks ${claims.length} ${attribute.name} as primary; at most one may be primary`);
  }
  const [winner] = claims;
  if (winner === undefined) return;
  for (const element of elements) {
    if (element !== winner && isJsonObject(element) && getProperty(element, "primary") === true) setProperty(element, "primary", false);
  }
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
