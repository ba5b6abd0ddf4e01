// add / replace / remove at one resolved target (RFC 7644 §3.5.2.1–3). The resource is a working copy and is
// changed in place; applyPatch owns the copying.
import type { AttributeMeta, ResolvedPath } from "../attributes/schema-meta.js";
import type { JsonObject } from "../attributes/json.js";
import { deleteProperty, findKey, getProperty, isJsonObject, isPresent, jsonEqual, setProperty } from "../attributes/json.js";
import { badRequest } from "../errors.js";
import type { FilterNode } from "../filter/ast.js";
import type { ParsedPatchPath } from "../filter/parser.js";
import { matchesValueFilter } from "../filter/match.js";
import { addElements, enforceSinglePrimary, isMeaningfulElement, mergeInto, removeElements, replaceContents } from "./multi-valued.js";
import type { PatchOpName } from "./request.js";
import { elementForWrite, valueForWrite, withoutNulls } from "./write-values.js";

/** The object an attribute lives in; an extension's object is created on demand (and keyed by its canonical URN). */
function containerFor(resource: JsonObject, path: ResolvedPath, create: boolean): JsonObject | undefined {
  if (!path.isExtension) return resource;
  const key = findKey(resource, path.schemaId);
  const existing = key === undefined ? undefined : resource[key];
  if (isJsonObject(existing)) {
    if (key !== path.schemaId) setProperty(resource, path.schemaId, existing);
    return existing;
  }
  if (!create) return undefined;
  const created: JsonObject = {};
  setProperty(resource, path.schemaId, created);
  return created;
}

/** An extension object left empty is removed, so the resource does not claim an extension it has no data for. */
function dropEmptyExtension(resource: JsonObject, path: ResolvedPath): void {
  if (!path.isExtension) return;
  const value = getProperty(resource, path.schemaId);
  if (isJsonObject(value) && Object.keys(value).length === 0) deleteProperty(resource, path.schemaId);
}

function elementsOf(container: JsonObject, attribute: AttributeMeta): unknown[] {
  const value = getProperty(container, attribute.name);
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value.map((e) => (isJsonObject(e) ? { ...e } : e)) : [value];
}

function storeElements(container: JsonObject, attribute: AttributeMeta, elements: unknown[]): void {
  // RFC 7644 §3.5.2.2: with no values left the attribute is unassigned.
  if (elements.length === 0) deleteProperty(container, attribute.name);
  else setProperty(container, attribute.name, elements);
}

/** A readOnly sub-attribute must keep its value; an immutable one may be set once (RFC 7643 §2.2). */
function checkSubWrite(sub: AttributeMeta, element: JsonObject, next: unknown, label: string): void {
  const current = getProperty(element, sub.name);
  if (jsonEqual(current, next)) return;
  if (sub.mutability === "readOnly" || (sub.mutability === "immutable" && isPresent(current))) {
    throw badRequest("mutability", `${label} would change ${sub.name}, which is ${sub.mutability}; leave it out of the request`);
  }
}

/** Applies one operation at an attribute or sub-attribute path without a value filter. */
export function applyToPath(resource: JsonObject, op: PatchOpName, path: ResolvedPath, value: unknown, label: string): void {
  const clearing = op === "remove" || value === null || value === undefined;
  const container = containerFor(resource, path, !clearing);
  if (container === undefined) return;
  const { attribute, subAttribute } = path;
  if (subAttribute === undefined) applyWhole(container, op, attribute, value, label);
  else if (!attribute.multiValued) applySubOfSingle(container, op, attribute, subAttribute, value, label);
  else applySubOfEvery(container, op, attribute, subAttribute, value, label);
  dropEmptyExtension(resource, path);
}

function applyWhole(container: JsonObject, op: PatchOpName, attribute: AttributeMeta, value: unknown, label: string): void {
  if (op === "remove") {
    if (attribute.multiValued && value !== undefined && value !== null) {
      // Entra: {"op":"Remove","path":"members","value":[{"value":"<id>"}]} removes just those members.
      const elements = elementsOf(container, attribute);
      removeElements(attribute, elements, valueForWrite(attribute, value, label) as unknown[]);
      storeElements(container, attribute, elements);
    } else {
      deleteProperty(container, attribute.name);
    }
    return;
  }
  const prepared = valueForWrite(attribute, value, label);
  if (prepared === null) {
    deleteProperty(container, attribute.name);
    return;
  }
  if (attribute.multiValued) {
    const incoming = (prepared as unknown[]).map((e) => (isJsonObject(e) ? withoutNulls(e) : e));
    const elements = op === "replace" ? [] : elementsOf(container, attribute);
    const touched = addElements(attribute, elements, incoming);
    enforceSinglePrimary(attribute, elements, touched, label);
    storeElements(container, attribute, elements);
    return;
  }
  if (attribute.type === "complex") {
    // RFC 7644 §3.5.2.1 and §3.5.2.3: sub-attributes not in the value are left unchanged.
    const current = getProperty(container, attribute.name);
    const merged: JsonObject = isJsonObject(current) ? { ...current } : {};
    mergeInto(merged, prepared as JsonObject, attribute);
    if (Object.keys(merged).length === 0) deleteProperty(container, attribute.name);
    else setProperty(container, attribute.name, merged);
    return;
  }
  setProperty(container, attribute.name, prepared);
}

function applySubOfSingle(container: JsonObject, op: PatchOpName, attribute: AttributeMeta, sub: AttributeMeta, value: unknown, label: string): void {
  const current = getProperty(container, attribute.name);
  const next: JsonObject = isJsonObject(current) ? { ...current } : {};
  const prepared = op === "remove" ? null : valueForWrite(sub, value, label);
  if (prepared === null) deleteProperty(next, sub.name);
  else setProperty(next, sub.name, prepared);
  if (Object.keys(next).length === 0) deleteProperty(container, attribute.name);
  else setProperty(container, attribute.name, next);
}

/** "emails.value" without a filter targets every element; with no elements, add/replace creates one. */
function applySubOfEvery(container: JsonObject, op: PatchOpName, attribute: AttributeMeta, sub: AttributeMeta, value: unknown, label: string): void {
  let elements = elementsOf(container, attribute);
  const prepared = op === "remove" ? null : valueForWrite(sub, value, label);
  if (prepared === null) {
    for (const element of elements) if (isJsonObject(element)) deleteProperty(element, sub.name);
    elements = elements.filter((e) => isMeaningfulElement(attribute, e));
  } else if (elements.length === 0) {
    elements = [{ [sub.name]: prepared }];
  } else {
    for (const element of elements) {
      if (!isJsonObject(element)) continue;
      checkSubWrite(sub, element, prepared, label);
      setProperty(element, sub.name, prepared);
    }
  }
  enforceSinglePrimary(attribute, elements, prepared === null ? [] : elements, label);
  storeElements(container, attribute, elements);
}

/**
 * The element a filter made only of `sub eq value` conditions describes (`type eq "work"` → {type:"work"}), or
 * undefined for any other filter. Used to create the element a replace/add targets when none matches yet.
 */
export function equalityTemplate(filter: FilterNode): JsonObject | undefined {
  const parts = filter.op === "and" ? filter.filters : [filter];
  const template: JsonObject = {};
  for (const part of parts) {
    if (part.op !== "eq" || part.path.subAttribute === undefined || part.value === null) return undefined;
    const name = part.path.subAttribute.name;
    if (Object.hasOwn(template, name) && template[name] !== part.value) return undefined;
    template[name] = part.value;
  }
  return template;
}

/** The element an add/replace creates when its equality-only filter matches nothing; noTarget otherwise. */
function createTargeted(elements: unknown[], op: PatchOpName, target: ParsedPatchPath, value: unknown, label: string): unknown[] {
  const { path, filter, subAttribute: sub } = target;
  const template = op === "remove" || filter === undefined ? undefined : equalityTemplate(filter);
  if (template === undefined) {
    throw badRequest("noTarget", `${label} selects nothing: no element of ${path.canonical} matches the filter; check it against the resource's current values`);
  }
  // Entra writes emails[type eq "work"].value on users that have no work email yet: create that element.
  if (value === null || value === undefined) return [];
  const written = sub === undefined ? withoutNulls(elementForWrite(path.attribute, value, label)) : { [sub.name]: valueForWrite(sub, value, label) };
  const element = { ...template, ...written };
  elements.push(element);
  return [element];
}

/** remove (or a null value) on selected elements: the elements go, or just their sub-attribute. */
function clearSelected(elements: unknown[], selected: ReadonlySet<number>, attribute: AttributeMeta, sub: AttributeMeta | undefined): void {
  if (sub !== undefined) {
    for (const index of selected) deleteProperty(elements[index] as JsonObject, sub.name);
  }
  const kept = elements.filter((element, index) => !selected.has(index) || (sub !== undefined && isMeaningfulElement(attribute, element)));
  replaceContents(elements, kept);
}

/** add/replace on selected elements: their sub-attribute, or the whole element (replaced, or merged for add). */
function writeSelected(elements: unknown[], selected: ReadonlySet<number>, op: PatchOpName, target: ParsedPatchPath, value: unknown, label: string): unknown[] {
  const { path, subAttribute: sub } = target;
  const touched: unknown[] = [];
  const prepared = sub === undefined ? elementForWrite(path.attribute, value, label) : valueForWrite(sub, value, label);
  for (const index of selected) {
    const element = elements[index] as JsonObject;
    if (sub !== undefined) {
      checkSubWrite(sub, element, prepared, label);
      setProperty(element, sub.name, prepared);
      touched.push(element);
      continue;
    }
    const incoming = prepared as JsonObject;
    const next = op === "replace" ? withoutNulls(incoming) : { ...element };
    if (op === "add") mergeInto(next, incoming, path.attribute);
    for (const subMeta of path.attribute.subAttributes) checkSubWrite(subMeta, element, getProperty(next, subMeta.name), label);
    elements[index] = next;
    touched.push(next);
  }
  return touched;
}

/** Applies one operation at `attr[filter]` or `attr[filter].sub`. */
export function applyFiltered(resource: JsonObject, op: PatchOpName, target: ParsedPatchPath, value: unknown, label: string): void {
  const { path, filter } = target;
  const attribute = path.attribute;
  const container = containerFor(resource, path, op !== "remove");
  const elements = container === undefined ? [] : elementsOf(container, attribute);
  const selected = new Set<number>();
  elements.forEach((element, index) => {
    if (isJsonObject(element) && filter !== undefined && matchesValueFilter(element, filter)) selected.add(index);
  });
  let touched: unknown[] = [];
  if (selected.size === 0) touched = createTargeted(elements, op, target, value, label);
  else if (op === "remove" || value === null || value === undefined) clearSelected(elements, selected, attribute, target.subAttribute);
  else touched = writeSelected(elements, selected, op, target, value, label);
  enforceSinglePrimary(attribute, elements, touched, label);
  if (container !== undefined) storeElements(container, attribute, elements);
  dropEmptyExtension(resource, path);
}
