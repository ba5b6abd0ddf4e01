// add / replace / remove at one resolved target (RFC 7644 §3.5.2.1–3). The resource is a working copy and is
// changed in place; applyPatch owns the copying. Multi-valued attributes are edited through the PATCH's
// PatchContext (see working-elements.ts) and written back when it flushes.
import type { AttributeMeta, ResolvedPath } from "../attributes/schema-meta.js";
import type { JsonObject } from "../attributes/json.js";
import { deleteProperty, findKey, getProperty, isJsonObject, isPresent, jsonEqual, setProperty } from "../attributes/json.js";
import { badRequest } from "../errors.js";
import type { FilterNode } from "../filter/ast.js";
import type { ParsedPatchPath } from "../filter/parser.js";
import { matchesValueFilter } from "../filter/match.js";
import { addElements, isMeaningfulElement, mergeInto } from "./multi-valued.js";
import type { PatchOpName } from "./request.js";
import { dropEmptyExtension, PatchContext, WorkingElements } from "./working-elements.js";
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

/** Runs `apply` in `context`, or in a context of its own that is flushed right after. */
function within(context: PatchContext | undefined, apply: (context: PatchContext) => void): void {
  const own = context ?? new PatchContext();
  apply(own);
  if (context === undefined) own.flush();
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
export function applyToPath(
  resource: JsonObject,
  op: PatchOpName,
  path: ResolvedPath,
  value: unknown,
  label: string,
  context?: PatchContext,
): void {
  within(context, (ctx) => {
    ctx.touch(path.attribute);
    const clearing = op === "remove" || value === null || value === undefined;
    const container = containerFor(resource, path, !clearing);
    if (container === undefined) return;
    const { attribute, subAttribute } = path;
    if (attribute.multiValued) {
      const working = ctx.elements(resource, container, path);
      if (subAttribute === undefined) applyWholeMultiValued(working, op, value, label);
      else applySubOfEvery(working, op, subAttribute, value, label);
    } else if (subAttribute === undefined) applyWhole(container, op, attribute, value, label);
    else applySubOfSingle(container, op, attribute, subAttribute, value, label);
    dropEmptyExtension(resource, path);
  });
}

function applyWholeMultiValued(working: WorkingElements, op: PatchOpName, value: unknown, label: string): void {
  const { attribute } = working;
  if (op === "remove") {
    if (value === undefined || value === null) working.clear();
    // Entra: {"op":"Remove","path":"members","value":[{"value":"<id>"}]} removes just those members.
    else
      for (const item of valueForWrite(attribute, value, label) as unknown[])
        for (const slot of working.findAll(item)) working.remove(slot);
    return;
  }
  const prepared = valueForWrite(attribute, value, label);
  if (op === "replace" || prepared === null) working.clear();
  if (prepared === null) return;
  const incoming = (prepared as unknown[]).map((e) => (isJsonObject(e) ? withoutNulls(e) : e));
  working.enforceSinglePrimary(addElements(working, incoming), label);
}

function applyWhole(container: JsonObject, op: PatchOpName, attribute: AttributeMeta, value: unknown, label: string): void {
  const prepared = op === "remove" ? null : valueForWrite(attribute, value, label);
  if (prepared === null) {
    deleteProperty(container, attribute.name);
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

function applySubOfSingle(
  container: JsonObject,
  op: PatchOpName,
  attribute: AttributeMeta,
  sub: AttributeMeta,
  value: unknown,
  label: string,
): void {
  const current = getProperty(container, attribute.name);
  const next: JsonObject = isJsonObject(current) ? { ...current } : {};
  const prepared = op === "remove" ? null : valueForWrite(sub, value, label);
  if (prepared === null) deleteProperty(next, sub.name);
  else setProperty(next, sub.name, prepared);
  if (Object.keys(next).length === 0) deleteProperty(container, attribute.name);
  else setProperty(container, attribute.name, next);
}

/** "emails.value" without a filter targets every element; with no elements, add/replace creates one. */
function applySubOfEvery(working: WorkingElements, op: PatchOpName, sub: AttributeMeta, value: unknown, label: string): void {
  const prepared = op === "remove" ? null : valueForWrite(sub, value, label);
  if (prepared === null) {
    for (const slot of working.liveSlots()) {
      const element = working.get(slot);
      if (isJsonObject(element)) deleteProperty(element, sub.name);
      if (isMeaningfulElement(working.attribute, element)) working.set(slot, element);
      else working.remove(slot);
    }
    return;
  }
  if (working.size === 0) {
    working.enforceSinglePrimary([working.push({ [sub.name]: prepared })], label);
    return;
  }
  const touched = working.liveSlots();
  for (const slot of touched) {
    const element = working.get(slot);
    if (!isJsonObject(element)) continue;
    checkSubWrite(sub, element, prepared, label);
    setProperty(element, sub.name, prepared);
    working.set(slot, element);
  }
  working.enforceSinglePrimary(touched, label);
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
function createTargeted(working: WorkingElements, op: PatchOpName, target: ParsedPatchPath, value: unknown, label: string): number[] {
  const { path, filter, subAttribute: sub } = target;
  const template = op === "remove" || filter === undefined ? undefined : equalityTemplate(filter);
  if (template === undefined) {
    throw badRequest(
      "noTarget",
      `${label} selects nothing: no element of ${path.canonical} matches the filter; check it against the resource's current values`,
    );
  }
  // Entra writes emails[type eq "work"].value on users that have no work email yet: create that element.
  if (value === null || value === undefined) return [];
  const written =
    sub === undefined ? withoutNulls(elementForWrite(path.attribute, value, label)) : { [sub.name]: valueForWrite(sub, value, label) };
  return [working.push({ ...template, ...written })];
}

/** remove (or a null value) on selected elements: the elements go, or just their sub-attribute. */
function clearSelected(working: WorkingElements, selected: readonly number[], sub: AttributeMeta | undefined): void {
  for (const slot of selected) {
    const element = working.get(slot) as JsonObject;
    if (sub !== undefined) deleteProperty(element, sub.name);
    if (sub !== undefined && isMeaningfulElement(working.attribute, element)) working.set(slot, element);
    else working.remove(slot);
  }
}

/** add/replace on selected elements: their sub-attribute, or the whole element (replaced, or merged for add). */
function writeSelected(
  working: WorkingElements,
  selected: readonly number[],
  op: PatchOpName,
  target: ParsedPatchPath,
  value: unknown,
  label: string,
): number[] {
  const { path, subAttribute: sub } = target;
  const prepared = sub === undefined ? elementForWrite(path.attribute, value, label) : valueForWrite(sub, value, label);
  for (const slot of selected) {
    const element = working.get(slot) as JsonObject;
    if (sub !== undefined) {
      checkSubWrite(sub, element, prepared, label);
      setProperty(element, sub.name, prepared);
      working.set(slot, element);
      continue;
    }
    const incoming = prepared as JsonObject;
    const next = op === "replace" ? withoutNulls(incoming) : { ...element };
    if (op === "add") mergeInto(next, incoming, path.attribute);
    for (const subMeta of path.attribute.subAttributes) checkSubWrite(subMeta, element, getProperty(next, subMeta.name), label);
    working.set(slot, next);
  }
  return [...selected];
}

/** Applies one operation at `attr[filter]` or `attr[filter].sub`. */
export function applyFiltered(
  resource: JsonObject,
  op: PatchOpName,
  target: ParsedPatchPath,
  value: unknown,
  label: string,
  context?: PatchContext,
): void {
  within(context, (ctx) => {
    const { path, filter } = target;
    ctx.touch(path.attribute);
    const container = containerFor(resource, path, op !== "remove");
    // Without a container (a remove on an absent extension) nothing matches, and createTargeted says noTarget.
    const working = container === undefined ? new WorkingElements(path.attribute, []) : ctx.elements(resource, container, path);
    const selected = filter === undefined ? [] : selectElements(working, filter);
    let touched: number[] = [];
    if (selected.length === 0) touched = createTargeted(working, op, target, value, label);
    else if (op === "remove" || value === null || value === undefined) clearSelected(working, selected, target.subAttribute);
    else touched = writeSelected(working, selected, op, target, value, label);
    working.enforceSinglePrimary(touched, label);
    dropEmptyExtension(resource, path);
  });
}

/** The slots whose elements satisfy the value filter, found through the index when the filter has `value eq`. */
function selectElements(working: WorkingElements, filter: FilterNode): number[] {
  return working.candidatesFor(filter).filter((slot) => {
    const element = working.get(slot);
    return isJsonObject(element) && matchesValueFilter(element, filter);
  });
}
