// Attribute metadata (RFC 7643 §2, §7) derived once from scimmy's schema declarations, and attribute-path resolution
// (RFC 7644 §3.10). Everything else in src/scim reads this plain shape instead of scimmy's classes.
import type { ScimmySchemaDefinition } from "../schemas.js";
import { ENTERPRISE_USER_URN } from "../schemas.js";

export type AttributeType = "string" | "boolean" | "decimal" | "integer" | "dateTime" | "reference" | "complex" | "binary";
export type Mutability = "readOnly" | "readWrite" | "immutable" | "writeOnly";
export type Returned = "always" | "never" | "default" | "request";

export interface AttributeMeta {
  name: string;
  type: AttributeType;
  multiValued: boolean;
  caseExact: boolean;
  mutability: Mutability;
  returned: Returned;
  required: boolean;
  subAttributes: AttributeMeta[];
  canonicalValues?: string[];
}

export interface ExtensionMeta {
  id: string;
  required: boolean;
  attributes: AttributeMeta[];
}

export interface ResourceSchema {
  id: string;
  name: string;
  attributes: AttributeMeta[];
  extensions: ExtensionMeta[];
}

export interface ResolvedPath {
  /** The URN of the schema that declares the attribute (the core schema's id for core attributes). */
  schemaId: string;
  /** True when the attribute lives under its extension's URN key in a resource. */
  isExtension: boolean;
  attribute: AttributeMeta;
  subAttribute?: AttributeMeta;
  /** "name.givenName", or "urn:…:enterprise:2.0:User:manager.value" for extension attributes. */
  canonical: string;
}

/**
 * SCIM 1.1's enterprise extension URN. AWS-ILM-style clients still send it (with SCIM 1.1 keys); it is read as an
 * alias of the 2.0 enterprise extension when the resource has that extension.
 */
export const LEGACY_ENTERPRISE_URN = "urn:scim:schemas:extension:enterprise:1.0";

const ATTRIBUTE_TYPES: readonly AttributeType[] = ["string", "boolean", "decimal", "integer", "dateTime", "reference", "complex", "binary"];

function field(source: unknown, key: string): unknown {
  return typeof source === "object" && source !== null ? (source as Record<string, unknown>)[key] : undefined;
}

function mutabilityOf(value: unknown): Mutability {
  if (value === false || value === "readOnly") return "readOnly";
  if (value === "immutable" || value === "writeOnly") return value;
  return "readWrite";
}

function returnedOf(value: unknown): Returned {
  // scimmy encodes "default" as true and "never" as false.
  if (value === false || value === "never") return "never";
  if (value === "always" || value === "request") return value;
  return "default";
}

function attributeMetaFrom(raw: unknown): AttributeMeta {
  const name = field(raw, "name");
  const type = field(raw, "type");
  if (typeof name !== "string" || !ATTRIBUTE_TYPES.includes(type as AttributeType)) {
    throw new TypeError(`not a SCIM attribute definition: ${JSON.stringify({ name, type })}`);
  }
  const config = field(raw, "config");
  const subs = field(raw, "subAttributes");
  const canonical = field(config, "canonicalValues");
  const meta: AttributeMeta = {
    name,
    type: type as AttributeType,
    multiValued: field(config, "multiValued") === true,
    caseExact: field(config, "caseExact") === true,
    mutability: mutabilityOf(field(config, "mutable")),
    returned: returnedOf(field(config, "returned")),
    required: field(config, "required") === true,
    subAttributes: Array.isArray(subs) ? subs.map(attributeMetaFrom) : [],
  };
  if (Array.isArray(canonical) && canonical.length > 0) meta.canonicalValues = canonical.filter((v): v is string => typeof v === "string");
  return meta;
}

function simple(name: string, type: AttributeType, overrides: Partial<AttributeMeta> = {}): AttributeMeta {
  return {
    name,
    type,
    multiValued: false,
    caseExact: false,
    mutability: "readWrite",
    returned: "default",
    required: false,
    subAttributes: [],
    ...overrides,
  };
}

// RFC 7643 §3 and §3.1: the common attributes every resource carries, whatever the schema declaration says.
function commonAttributes(): AttributeMeta[] {
  const readOnly = { mutability: "readOnly" as const };
  return [
    simple("schemas", "reference", { multiValued: true, caseExact: false, returned: "always" }),
    simple("id", "string", { caseExact: true, mutability: "readOnly", returned: "always" }),
    simple("externalId", "string", { caseExact: true }),
    simple("meta", "complex", {
      ...readOnly,
      subAttributes: [
        simple("resourceType", "string", { ...readOnly, caseExact: true }),
        simple("created", "dateTime", readOnly),
        simple("lastModified", "dateTime", readOnly),
        simple("location", "reference", { ...readOnly, caseExact: true }),
        simple("version", "string", { ...readOnly, caseExact: true }),
      ],
    }),
  ];
}

function isSchemaDefinition(raw: unknown): boolean {
  return typeof field(raw, "id") === "string" && Array.isArray(field(raw, "attributes"));
}

/** The metadata of a scimmy SchemaDefinition (User with its extensions, Group), with the common attributes fixed per RFC 7643 §3. */
export function resourceSchemaFrom(definition: ScimmySchemaDefinition): ResourceSchema {
  const common = commonAttributes();
  const commonNames = new Set(common.map((a) => a.name.toLowerCase()));
  const attributes: AttributeMeta[] = [...common];
  const extensions: ExtensionMeta[] = [];
  const rawAttributes: unknown[] = definition.attributes;
  for (const raw of rawAttributes) {
    if (isSchemaDefinition(raw)) {
      const extAttributes = field(raw, "attributes") as unknown[];
      extensions.push({
        id: field(raw, "id") as string,
        required: field(raw, "required") === true,
        attributes: extAttributes.filter((a) => !isSchemaDefinition(a)).map(attributeMetaFrom),
      });
      continue;
    }
    const meta = attributeMetaFrom(raw);
    if (!commonNames.has(meta.name.toLowerCase())) attributes.push(meta);
  }
  return { id: definition.id, name: definition.name, attributes, extensions };
}

/** Attribute lists by lowercased name, built once per list: lookups run for every key of every resource answered. */
const byLowerName = new WeakMap<readonly AttributeMeta[], Map<string, AttributeMeta>>();

export function findAttribute(attributes: readonly AttributeMeta[], name: string): AttributeMeta | undefined {
  let index = byLowerName.get(attributes);
  if (!index) {
    index = new Map();
    // The first of two names equal but for case wins, as a search from the start would find it.
    for (const attribute of attributes) if (!index.has(attribute.name.toLowerCase())) index.set(attribute.name.toLowerCase(), attribute);
    byLowerName.set(attributes, index);
  }
  return index.get(name.toLowerCase());
}

/** SCIM 1.1 names of sub-attributes SCIM 2.0 renamed: the enterprise manager's `managerId` is its `value`. */
const LEGACY_SUB_ATTRIBUTES: Readonly<Record<string, Readonly<Record<string, string>>>> = { manager: { managerid: "value" } };

/** A sub-attribute of `parent` by name (any case), SCIM 1.1's names included. */
export function findSubAttribute(parent: AttributeMeta, name: string): AttributeMeta | undefined {
  const found = findAttribute(parent.subAttributes, name);
  if (found !== undefined) return found;
  const renamed = LEGACY_SUB_ATTRIBUTES[parent.name.toLowerCase()]?.[name.toLowerCase()];
  return renamed === undefined ? undefined : findAttribute(parent.subAttributes, renamed);
}

export interface SchemaScope {
  id: string;
  isExtension: boolean;
  attributes: AttributeMeta[];
  /** True when reached through LEGACY_ENTERPRISE_URN. */
  legacy: boolean;
}

function scopes(schema: ResourceSchema): Array<{ urn: string; scope: SchemaScope }> {
  const list = [{ urn: schema.id, scope: { id: schema.id, isExtension: false, attributes: schema.attributes, legacy: false } }];
  for (const ext of schema.extensions) {
    const scope = { id: ext.id, isExtension: true, attributes: ext.attributes, legacy: false };
    list.push({ urn: ext.id, scope });
    if (ext.id === ENTERPRISE_USER_URN) list.push({ urn: LEGACY_ENTERPRISE_URN, scope: { ...scope, legacy: true } });
  }
  return list;
}

/** The core schema or extension whose URN is exactly `urn` (case-insensitive). */
export function resolveSchemaUrn(schema: ResourceSchema, urn: string): SchemaScope | undefined {
  // Every schema URN has a colon; attribute names (asked about for every key of every answer) have none.
  if (!urn.includes(":")) return undefined;
  const lower = urn.trim().toLowerCase();
  return scopes(schema).find((s) => s.urn.toLowerCase() === lower)?.scope;
}

/** The extension whose URN is exactly `urn` (case-insensitive; the SCIM 1.1 enterprise URN counts as the 2.0 one). */
export function resolveExtension(schema: ResourceSchema, urn: string): SchemaScope | undefined {
  const scope = resolveSchemaUrn(schema, urn);
  return scope?.isExtension ? scope : undefined;
}

/**
 * Splits "urn:…:User:name.givenName" into its schema scope and "name.givenName"; unprefixed paths are core.
 * "urn:…:User.department" (a dot after the URN, as some code joins paths) is read the same way.
 */
export function splitSchemaPrefix(schema: ResourceSchema, path: string): { scope: SchemaScope; rest: string } {
  const lower = path.toLowerCase();
  let best: { urn: string; scope: SchemaScope } | undefined;
  for (const candidate of scopes(schema)) {
    const urn = candidate.urn.toLowerCase();
    const prefixed = lower.startsWith(`${urn}:`) || lower.startsWith(`${urn}.`);
    if (prefixed && (best === undefined || candidate.urn.length > best.urn.length)) best = candidate;
  }
  if (best === undefined) return { scope: scopes(schema)[0]!.scope, rest: path };
  return { scope: best.scope, rest: path.slice(best.urn.length + 1) };
}

export function canonicalPath(scope: { id: string; isExtension: boolean }, attribute: AttributeMeta, sub?: AttributeMeta): string {
  const local = sub === undefined ? attribute.name : `${attribute.name}.${sub.name}`;
  return scope.isExtension ? `${scope.id}:${local}` : local;
}

/**
 * Resolves an attribute path (RFC 7644 §3.10): "userName", "name.givenName", "emails.value",
 * "urn:…:enterprise:2.0:User:manager.value", "urn:…:core:2.0:User:userName". Names are case-insensitive.
 * Returns undefined for anything that is not an attribute (or sub-attribute) of the schema.
 */
export function resolvePath(schema: ResourceSchema, path: string): ResolvedPath | undefined {
  const trimmed = path.trim();
  if (trimmed === "") return undefined;
  const { scope, rest } = splitSchemaPrefix(schema, trimmed);
  const parts = rest.split(".");
  if (parts.length > 2 || parts.some((p) => p === "")) return undefined;
  const attribute = findAttribute(scope.attributes, parts[0]!);
  if (attribute === undefined) return undefined;
  const resolved: ResolvedPath = {
    schemaId: scope.id,
    isExtension: scope.isExtension,
    attribute,
    canonical: canonicalPath(scope, attribute),
  };
  if (parts.length === 2) {
    const subAttribute = findSubAttribute(attribute, parts[1]!);
    if (subAttribute === undefined) return undefined;
    resolved.subAttribute = subAttribute;
    resolved.canonical = canonicalPath(scope, attribute, subAttribute);
  }
  return resolved;
}

/** The attribute a path finally designates: the sub-attribute when there is one. */
export function leafOf(path: ResolvedPath): AttributeMeta {
  return path.subAttribute ?? path.attribute;
}

/** A short human name of the resource type for error details ("User", "Group"). */
export function resourceLabel(schema: ResourceSchema): string {
  return schema.name || schema.id;
}
