// Partial representations (RFC 7644 §3.4.2.5, §3.9; RFC 7643 §7 "returned"):
// - "always" attributes (id, and schemas) are in every answer; "never" ones (password) in none;
// - "default" ones unless `excludedAttributes` names them, or `attributes` is given without them;
// - "request" ones only when `attributes` names them.
// RFC 7644 §3.9 calls the two parameters mutually exclusive without saying what a server does with both; we let
// `attributes` win (and ignore `excludedAttributes`) rather than fail a client over it.
// `schemas` is left as it is: it lists the schemas the resource has (RFC 7643 §3), not the attributes shown. An
// extension object emptied by projection is removed.
import type { AttributeMeta, ResourceSchema } from "../attributes/schema-meta.js";
import { canonicalPath, findAttribute, resolvePath, resolveSchemaUrn } from "../attributes/schema-meta.js";
import type { JsonObject } from "../attributes/json.js";
import { isJsonObject, isPrototypeKey } from "../attributes/json.js";

export interface ProjectionOptions {
  attributes?: readonly string[];
  excludedAttributes?: readonly string[];
}

interface Scope {
  id: string;
  isExtension: boolean;
  attributes: AttributeMeta[];
}

class Selection {
  readonly including: boolean;
  /** Neither parameter names anything: the default view (no path strings to build per attribute). */
  private readonly empty: boolean;
  private readonly whole = new Set<string>();
  private readonly subs = new Set<string>();
  private readonly scopes = new Set<string>();

  constructor(schema: ResourceSchema, options: ProjectionOptions) {
    const attributes = options.attributes ?? [];
    this.including = attributes.length > 0;
    const names = this.including ? attributes : (options.excludedAttributes ?? []);
    for (const name of names) {
      const scope = resolveSchemaUrn(schema, name);
      if (scope !== undefined) {
        this.scopes.add(scope.id.toLowerCase());
        continue;
      }
      // Unknown names select nothing (RFC 7644 leaves them undefined; failing the read would help no one).
      const path = resolvePath(schema, name);
      if (path === undefined) continue;
      (path.subAttribute === undefined ? this.whole : this.subs).add(path.canonical.toLowerCase());
    }
    this.empty = this.scopes.size === 0 && this.whole.size === 0 && this.subs.size === 0;
  }

  /** The attribute itself (or its whole extension) is in the parameter's list. */
  named(scope: Scope, attribute: AttributeMeta): boolean {
    if (this.empty) return false;
    return this.scopes.has(scope.id.toLowerCase()) || this.whole.has(canonicalPath(scope, attribute).toLowerCase());
  }

  private namedSub(scope: Scope, attribute: AttributeMeta, sub: AttributeMeta): boolean {
    if (this.empty) return false;
    return this.subs.has(canonicalPath(scope, attribute, sub).toLowerCase());
  }

  private anySubNamed(scope: Scope, attribute: AttributeMeta): boolean {
    return attribute.subAttributes.some((sub) => this.namedSub(scope, attribute, sub));
  }

  attribute(scope: Scope, attribute: AttributeMeta): boolean {
    if (attribute.returned === "never") return false;
    if (attribute.returned === "always") return true;
    if (this.including) return this.named(scope, attribute) || this.anySubNamed(scope, attribute);
    if (attribute.returned === "request") return false;
    return !this.named(scope, attribute);
  }

  sub(scope: Scope, attribute: AttributeMeta, sub: AttributeMeta): boolean {
    if (!this.attribute(scope, attribute) || sub.returned === "never") return false;
    if (sub.returned === "always") return true;
    if (this.including) {
      if (this.namedSub(scope, attribute, sub)) return true;
      const wholeAttribute = attribute.returned === "always" || this.named(scope, attribute);
      return wholeAttribute && sub.returned !== "request";
    }
    return sub.returned !== "request" && !this.namedSub(scope, attribute, sub);
  }
}

function projectValue(value: unknown, scope: Scope, attribute: AttributeMeta, selection: Selection): unknown {
  if (attribute.type !== "complex") return value;
  // Members the schema does not know are shown only in the default view or when the whole attribute is asked for.
  const keepUnknown = !selection.including || attribute.returned === "always" || selection.named(scope, attribute);
  const project = (element: unknown): unknown => {
    if (!isJsonObject(element)) return element;
    const out: JsonObject = {};
    for (const [key, member] of Object.entries(element)) {
      if (isPrototypeKey(key)) continue;
      const sub = findAttribute(attribute.subAttributes, key);
      if (sub === undefined ? keepUnknown : selection.sub(scope, attribute, sub)) out[key] = member;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  };
  if (!Array.isArray(value)) return project(value);
  const elements = value.map(project).filter((e) => e !== undefined);
  return elements.length === 0 ? undefined : elements;
}

/** Sets `key` of `out` to what the projection keeps of `value` (nothing when it keeps nothing). */
function projectMember(out: JsonObject, key: string, value: unknown, scope: Scope, selection: Selection): void {
  // Never part of an answer: assigned, "__proto__" would replace the answer's prototype.
  if (isPrototypeKey(key)) return;
  const attribute = findAttribute(scope.attributes, key);
  if (attribute === undefined) {
    // Not in the schema: part of the default view, never of an explicit `attributes` list.
    if (!selection.including) out[key] = value;
    return;
  }
  if (!selection.attribute(scope, attribute)) return;
  const projected = projectValue(value, scope, attribute, selection);
  if (projected !== undefined) out[key] = projected;
}

function projectMembers(object: JsonObject, scope: Scope, selection: Selection): JsonObject {
  const out: JsonObject = {};
  for (const key of Object.keys(object)) projectMember(out, key, object[key], scope, selection);
  return out;
}

/** The resource as RFC 7644 §3.4.2.5 says to return it for these parameters (attribute names in any case). A new object. */
export function projectResource(resource: JsonObject, schema: ResourceSchema, options: ProjectionOptions): JsonObject {
  const selection = new Selection(schema, options);
  const core: Scope = { id: schema.id, isExtension: false, attributes: schema.attributes };
  const out: JsonObject = {};
  for (const key of Object.keys(resource)) {
    if (isPrototypeKey(key)) continue;
    const value = resource[key];
    const extension = resolveSchemaUrn(schema, key);
    if (extension !== undefined && extension.isExtension && isJsonObject(value)) {
      const projected = projectMembers(value, extension, selection);
      if (Object.keys(projected).length > 0) out[key] = projected;
      continue;
    }
    projectMember(out, key, value, core, selection);
  }
  return out;
}

/**
 * Whether an attribute (canonical path: "members", "name.givenName", "urn:…:enterprise:2.0:User:manager", or an
 * extension URN for any of its attributes) will be in answers for these parameters, assuming it has a value. The
 * services use it to skip Zoom calls for attributes nobody asked for (`excludedAttributes=members`).
 */
export function requestedAttributes(schema: ResourceSchema, options: ProjectionOptions): (canonicalPath: string) => boolean {
  const selection = new Selection(schema, options);
  return (path: string): boolean => {
    const scope = resolveSchemaUrn(schema, path);
    if (scope !== undefined) return scope.attributes.some((attribute) => selection.attribute(scope, attribute));
    const resolved = resolvePath(schema, path);
    if (resolved === undefined) return !selection.including;
    const owner: Scope = { id: resolved.schemaId, isExtension: resolved.isExtension, attributes: [] };
    return resolved.subAttribute === undefined
      ? selection.attribute(owner, resolved.attribute)
      : selection.sub(owner, resolved.attribute, resolved.subAttribute);
  };
}
