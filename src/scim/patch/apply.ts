// Applies PATCH operations (RFC 7644 §3.5.2) to a resource, returning a new resource. Operations apply in order and
// all-or-nothing: the first failing one throws and the caller keeps the original. The resource is copied once per
// PATCH, never per operation, so a request's cost grows with its size, not with its size squared.
import type { ResolvedPath, ResourceSchema, SchemaScope } from "../attributes/schema-meta.js";
import { canonicalPath, resolveSchemaUrn } from "../attributes/schema-meta.js";
import type { JsonObject } from "../attributes/json.js";
import { cloneJson, findKey, isJsonObject, isPresent, jsonEqual } from "../attributes/json.js";
import { readAttribute, syncExtensionSchemas } from "../attributes/values.js";
import { badRequest, ScimError } from "../errors.js";
import { parsePatchPath } from "../filter/parser.js";
import type { PatchOperation, PatchOpName } from "./request.js";
import { applyFiltered, applyToPath } from "./targets.js";
import { PatchContext } from "./working-elements.js";

function label(operation: PatchOperation, index: number): string {
  const target = operation.path === undefined ? "" : ` at "${operation.path}"`;
  return `Operations[${index}] (${operation.op}${target})`;
}

/** One path (an operation's `path`, or a key of a no-path value) with its value. */
function applyAt(
  resource: JsonObject,
  op: PatchOpName,
  pathText: string,
  value: unknown,
  schema: ResourceSchema,
  context: PatchContext,
): void {
  const trimmed = pathText.trim();
  // `schemas` follows the extensions the resource carries (see syncExtensionSchemas); clients' copies are ignored.
  if (trimmed.toLowerCase() === "schemas") return;
  const scope = resolveSchemaUrn(schema, trimmed);
  if (scope?.isExtension) {
    applyToExtension(resource, op, scope, value, context);
    return;
  }
  if (scope !== undefined && op !== "remove" && isJsonObject(value)) {
    // Core attributes nested under the core schema's URN, as some clients write them.
    for (const [key, member] of Object.entries(value)) applyAt(resource, op, key, member, schema, context);
    return;
  }
  const target = parsePatchPath(trimmed, schema);
  if (target.filter !== undefined) applyFiltered(resource, op, target, value, trimmed, context);
  else applyToPath(resource, op, target.path, value, trimmed, context);
}

/** The whole extension object as a target: `"urn:…:enterprise:2.0:User": {"department": "x"}` (merged, like a complex value). */
function applyToExtension(resource: JsonObject, op: PatchOpName, extension: SchemaScope, value: unknown, context: PatchContext): void {
  if (op === "remove" || value === null || value === undefined) {
    for (const attribute of extension.attributes) context.touch(attribute);
    const key = findKey(resource, extension.id);
    if (key !== undefined) delete resource[key];
    return;
  }
  if (!isJsonObject(value)) {
    throw badRequest("invalidValue", `the value for ${extension.id} must be an object of its attributes, e.g. {"department":"Sales"}`);
  }
  for (const [key, member] of Object.entries(value)) {
    const attribute = extension.attributes.find((a) => a.name.toLowerCase() === key.toLowerCase());
    if (attribute === undefined) {
      // The SCIM 1.1 enterprise object carries keys (countryCode, managerflag …) with no home in 2.0.
      if (extension.legacy) continue;
      throw badRequest("invalidPath", `"${key}" is not an attribute of ${extension.id}`);
    }
    const path: ResolvedPath = { schemaId: extension.id, isExtension: true, attribute, canonical: canonicalPath(extension, attribute) };
    applyToPath(resource, op, path, member, path.canonical, context);
  }
}

function applyOperation(resource: JsonObject, operation: PatchOperation, schema: ResourceSchema, context: PatchContext): void {
  if (operation.path !== undefined) {
    applyAt(resource, operation.op, operation.path, operation.value, schema, context);
    return;
  }
  if (operation.op === "remove") throw badRequest("noTarget", `a "remove" needs a "path" naming what to remove`);
  if (!isJsonObject(operation.value)) {
    throw badRequest("invalidValue", `without a "path" the value must be an object of attributes, e.g. {"active":false}`);
  }
  // RFC 7644 §3.5.2.1/§3.5.2.3: the target is the resource; each key is an attribute. Entra (aadOptscim062020) also
  // uses dotted, URN-qualified and value-filtered keys, which are paths in their own right.
  for (const [key, value] of Object.entries(operation.value)) applyAt(resource, operation.op, key, value, schema, context);
}

function guardedPaths(schema: ResourceSchema): ResolvedPath[] {
  const scopes = [
    { id: schema.id, isExtension: false, attributes: schema.attributes },
    ...schema.extensions.map((e) => ({ id: e.id, isExtension: true, attributes: e.attributes })),
  ];
  const paths: ResolvedPath[] = [];
  for (const scope of scopes) {
    for (const attribute of scope.attributes) {
      const base = { schemaId: scope.id, isExtension: scope.isExtension, attribute };
      if (attribute.mutability === "readOnly" || attribute.mutability === "immutable") {
        paths.push({ ...base, canonical: canonicalPath(scope, attribute) });
      } else if (attribute.type === "complex" && !attribute.multiValued) {
        for (const sub of attribute.subAttributes) {
          if (sub.mutability === "readOnly" || sub.mutability === "immutable") {
            paths.push({ ...base, subAttribute: sub, canonical: canonicalPath(scope, attribute, sub) });
          }
        }
      }
    }
  }
  return paths;
}

const guardCache = new WeakMap<ResourceSchema, ResolvedPath[]>();

/**
 * The values PATCH must not change: readOnly attributes (id, meta, groups …) and immutable ones once set. Copied
 * once per PATCH; after each operation only the attributes it touched are compared.
 */
class Guards {
  private readonly values = new Map<ResolvedPath, unknown>();

  constructor(resource: JsonObject, schema: ResourceSchema) {
    let paths = guardCache.get(schema);
    if (paths === undefined) {
      paths = guardedPaths(schema);
      guardCache.set(schema, paths);
    }
    for (const path of paths) this.values.set(path, cloneJson(readAttribute(resource, path)));
  }

  check(resource: JsonObject, context: PatchContext, where: string): void {
    const touched = [...this.values.keys()].filter((path) => context.touched.has(path.attribute));
    if (touched.length === 0) return;
    // The guarded values are read from the resource, so pending multi-valued edits go there first.
    context.flush();
    for (const path of touched) {
      const leaf = path.subAttribute ?? path.attribute;
      const before = this.values.get(path);
      const after = readAttribute(resource, path);
      if (jsonEqual(before, after)) continue;
      if (leaf.mutability === "immutable" && !isPresent(before)) {
        this.values.set(path, cloneJson(after));
        continue;
      }
      // Removing (or clearing) a writable complex attribute takes its readOnly sub-attributes with it: Entra's
      // remove of the enterprise manager drops the displayName the server keeps.
      if (path.subAttribute !== undefined && !isPresent(readAttribute(resource, { ...path, subAttribute: undefined }))) {
        this.values.set(path, cloneJson(after));
        continue;
      }
      const hint = leaf.mutability === "readOnly" ? "the server maintains it" : "it cannot change once set";
      throw badRequest(
        "mutability",
        `${where} would change ${path.canonical}, which is ${leaf.mutability} (${hint}); leave it out of the request or send its current value`,
      );
    }
  }
}

/**
 * Applies `operations` to a copy of `resource` and returns the copy; `resource` is not changed. Implements RFC 7644
 * §3.5.2 add/replace/remove with and without path, sub-attribute, value-filtered and URN-qualified paths, plus what
 * Okta, Entra ID and AWS-ILM-style clients send: ops in any case, string booleans, null to clear, dotted, URN and
 * filtered keys in no-path values, filtered writes that create the element, the SCIM 1.1 enterprise URN.
 * Throws ScimError 400: invalidPath (unknown attribute), invalidFilter (bad filter in a path), noTarget (a filter
 * that matches nothing), mutability (changing id, meta, groups or another readOnly attribute), invalidValue (a value
 * that does not fit its attribute). The detail starts with the failing operation, e.g. `Operations[1] (remove …)`.
 */
export function applyPatch(resource: JsonObject, operations: readonly PatchOperation[], schema: ResourceSchema): JsonObject {
  const result = cloneJson(resource);
  const context = new PatchContext();
  const guards = new Guards(result, schema);
  operations.forEach((operation, index) => {
    const where = label(operation, index);
    context.beginOperation();
    try {
      applyOperation(result, operation, schema, context);
    } catch (error) {
      // Say which operation failed: Entra and Okta send several per request.
      if (error instanceof ScimError) throw new ScimError(error.status, error.scimType, `${where}: ${error.detail}`, { cause: error });
      throw error;
    }
    guards.check(result, context, where);
  });
  context.flush();
  syncExtensionSchemas(result, schema);
  return result;
}
