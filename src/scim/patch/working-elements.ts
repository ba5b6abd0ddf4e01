// The elements of a multi-valued attribute while one PATCH runs. A PATCH may carry a thousand operations on emails
// or members; re-copying and re-scanning the array per operation made that quadratic. Here the array is read once,
// elements are found through a Map keyed by their canonical value, removals leave holes, and the array is written
// back once (flush) when the PATCH ends or before something else reads the resource.
import type { AttributeMeta, ResolvedPath } from "../attributes/schema-meta.js";
import { findAttribute } from "../attributes/schema-meta.js";
import type { JsonObject } from "../attributes/json.js";
import { deleteProperty, getProperty, isJsonObject, setProperty } from "../attributes/json.js";
import { badRequest } from "../errors.js";
import type { FilterNode } from "../filter/ast.js";
import { elementKey, sameElement } from "./multi-valued.js";

const REMOVED = Symbol("removed");

export class WorkingElements {
  private readonly slots: unknown[] = [];
  private readonly keys: Array<string | undefined> = [];
  private readonly buckets = new Map<string, Set<number>>();
  /** Slots whose element has no key (malformed or unusual values): a candidate for every lookup. */
  private readonly unkeyed = new Set<number>();
  private readonly primaries = new Set<number>();
  private readonly valueSub: AttributeMeta | undefined;
  private readonly hasPrimary: boolean;
  private live = 0;

  constructor(
    readonly attribute: AttributeMeta,
    elements: readonly unknown[],
  ) {
    this.valueSub = attribute.type === "complex" ? findAttribute(attribute.subAttributes, "value") : undefined;
    this.hasPrimary = findAttribute(attribute.subAttributes, "primary") !== undefined;
    for (const element of elements) this.push(element);
  }

  get size(): number {
    return this.live;
  }

  get(slot: number): unknown {
    return this.slots[slot];
  }

  /** The slots holding elements, in order. */
  liveSlots(): number[] {
    const out: number[] = [];
    this.slots.forEach((element, slot) => {
      if (element !== REMOVED) out.push(slot);
    });
    return out;
  }

  toArray(): unknown[] {
    return this.slots.filter((element) => element !== REMOVED);
  }

  push(element: unknown): number {
    const slot = this.slots.length;
    this.slots.push(element);
    this.keys.push(undefined);
    this.live += 1;
    this.index(slot);
    return slot;
  }

  /** Puts `element` at `slot` (also after changing the element there in place), keeping the indexes current. */
  set(slot: number, element: unknown): void {
    this.unindex(slot);
    this.slots[slot] = element;
    this.index(slot);
  }

  remove(slot: number): void {
    if (this.slots[slot] === REMOVED) return;
    this.unindex(slot);
    this.slots[slot] = REMOVED;
    this.live -= 1;
  }

  /** Removes every element; holes go too, so replace after replace does not rescan them. */
  clear(): void {
    this.slots.length = 0;
    this.keys.length = 0;
    this.buckets.clear();
    this.unkeyed.clear();
    this.primaries.clear();
    this.live = 0;
  }

  /** The first slot whose element sameElement matches with `candidate`, or -1. */
  find(candidate: unknown): number {
    let first = -1;
    for (const slot of this.pool(elementKey(this.attribute, candidate))) {
      if ((first < 0 || slot < first) && sameElement(this.attribute, this.slots[slot], candidate)) first = slot;
    }
    return first;
  }

  /** Every slot whose element sameElement matches with `candidate`. */
  findAll(candidate: unknown): number[] {
    return [...this.pool(elementKey(this.attribute, candidate))].filter((slot) => sameElement(this.attribute, this.slots[slot], candidate));
  }

  /** The slots that may satisfy a value filter, in order: those with its `value eq "x"` when it has one, else all. */
  candidatesFor(filter: FilterNode): number[] {
    const wanted = this.valueEquality(filter);
    if (wanted === undefined) return this.liveSlots();
    return [...this.pool(elementKey(this.attribute, { value: wanted }))].sort((a, b) => a - b);
  }

  /**
   * RFC 7643 §2.4: `primary: true` appears at most once. When an operation set it on one element, the others lose it;
   * when one operation sets it on several, the request is contradictory (400 invalidValue).
   */
  enforceSinglePrimary(touched: readonly number[], label: string): void {
    const claims = [...new Set(touched)].filter((slot) => this.primaries.has(slot));
    if (claims.length > 1) {
      throw badRequest("invalidValue", `${label} marks ${claims.length} ${this.attribute.name} as primary; at most one may be primary`);
    }
    const [winner] = claims;
    if (winner === undefined) return;
    for (const slot of [...this.primaries]) {
      if (slot === winner) continue;
      const element = this.slots[slot] as JsonObject;
      setProperty(element, "primary", false);
      this.set(slot, element);
    }
  }

  /** A non-empty `value eq "x"` among the filter's and-ed conditions (only those can use the index). */
  private valueEquality(filter: FilterNode): string | number | undefined {
    const pending: FilterNode[] = [filter];
    for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
      if (node.op === "and") pending.push(...node.filters);
      else if (node.op === "eq" && this.valueSub !== undefined && node.path.subAttribute === this.valueSub) {
        if ((typeof node.value === "string" && node.value !== "") || typeof node.value === "number") return node.value;
      }
    }
    return undefined;
  }

  /** The slots an element with this key can equal: its bucket and the unkeyed ones; every slot without a key. */
  private pool(key: string | undefined): Iterable<number> {
    if (key === undefined) return this.liveSlots();
    const bucket = this.buckets.get(key);
    if (this.unkeyed.size === 0) return bucket ?? [];
    return bucket === undefined ? this.unkeyed : [...bucket, ...this.unkeyed];
  }

  private index(slot: number): void {
    const element = this.slots[slot];
    const key = elementKey(this.attribute, element);
    this.keys[slot] = key;
    if (key === undefined) this.unkeyed.add(slot);
    else {
      const bucket = this.buckets.get(key);
      if (bucket === undefined) this.buckets.set(key, new Set([slot]));
      else bucket.add(slot);
    }
    if (this.hasPrimary && isJsonObject(element) && getProperty(element, "primary") === true) this.primaries.add(slot);
  }

  private unindex(slot: number): void {
    const key = this.keys[slot];
    if (key === undefined) this.unkeyed.delete(slot);
    else {
      const bucket = this.buckets.get(key);
      bucket?.delete(slot);
      if (bucket?.size === 0) this.buckets.delete(key);
    }
    this.primaries.delete(slot);
  }
}

interface Entry {
  resource: JsonObject;
  container: JsonObject;
  path: ResolvedPath;
  working: WorkingElements;
}

/** The working state of one PATCH: multi-valued attributes being edited, and the attributes the current operation touched. */
export class PatchContext {
  private readonly entries = new Map<JsonObject, Map<AttributeMeta, Entry>>();
  /** Attributes the current operation wrote, so only their readOnly/immutable guards are checked. */
  readonly touched = new Set<AttributeMeta>();

  beginOperation(): void {
    this.touched.clear();
  }

  touch(attribute: AttributeMeta): void {
    this.touched.add(attribute);
  }

  /** The working elements of `path.attribute` in `container`, read from it on first use. */
  elements(resource: JsonObject, container: JsonObject, path: ResolvedPath): WorkingElements {
    let byAttribute = this.entries.get(container);
    if (byAttribute === undefined) {
      byAttribute = new Map();
      this.entries.set(container, byAttribute);
    }
    const existing = byAttribute.get(path.attribute);
    if (existing !== undefined) return existing.working;
    const value = getProperty(container, path.attribute.name);
    const elements = value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
    const working = new WorkingElements(path.attribute, elements);
    byAttribute.set(path.attribute, { resource, container, path, working });
    return working;
  }

  /** Writes every working attribute back (RFC 7644 §3.5.2.2: with no values left the attribute is unassigned). */
  flush(): void {
    for (const byAttribute of this.entries.values()) {
      for (const { resource, container, path, working } of byAttribute.values()) {
        if (working.size === 0) deleteProperty(container, path.attribute.name);
        else setProperty(container, path.attribute.name, working.toArray());
        dropEmptyExtension(resource, path);
      }
    }
    this.entries.clear();
  }
}

/** An extension object left empty is removed, so the resource does not claim an extension it has no data for. */
export function dropEmptyExtension(resource: JsonObject, path: ResolvedPath): void {
  if (!path.isExtension) return;
  const value = getProperty(resource, path.schemaId);
  if (isJsonObject(value) && Object.keys(value).length === 0) deleteProperty(resource, path.schemaId);
}
