// Reading a BulkRequest message (RFC 7644 §3.7): its operations, each a method, a path below the base URL and
// data, named by an optional bulkId. Knows resource types only as path segments the caller allows.
import { badRequest, ScimError } from "../errors.js";
import { checkJsonDepth, getProperty, isJsonObject } from "../attributes/json.js";

export const BULK_REQUEST_URN = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
export const BULK_RESPONSE_URN = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";

export type BulkMethod = "POST" | "PUT" | "PATCH" | "DELETE";
const METHODS: readonly BulkMethod[] = ["POST", "PUT", "PATCH", "DELETE"];

export interface BulkOperation {
  /** Its place in the request (0-based). */
  index: number;
  method: BulkMethod;
  bulkId: string | undefined;
  /** The path as sent, e.g. /Users or /Groups/abc or /Groups/bulkId:qwerty. */
  path: string;
  /** The resource type's path segment ("Users"), spelt as the caller allows it. */
  resourceType: string;
  /** The resource id the path names (absent for POST); may be a "bulkId:…" reference. */
  id: string | undefined;
  data: unknown;
  /** The operation's `version` (RFC 7644 §3.7): an If-Match for its PUT, PATCH or DELETE. */
  version: string | undefined;
}

export interface BulkRequest {
  /** Errors after which the rest is not processed; undefined: process every operation. */
  failOnErrors: number | undefined;
  operations: BulkOperation[];
}

export interface BulkRequestLimits {
  maxOperations: number;
  /** Resource type path segments the server serves, e.g. ["Users", "Groups"]; matched case-insensitively. */
  resourceTypes: readonly string[];
}

/** RFC 7644 §3.7.4: more operations than maxOperations is refused whole with 413. */
export const tooManyOperations = (count: number, max: number): ScimError =>
  new ScimError(413, undefined, `The bulk request has ${count} operations; at most ${max} are accepted (bulk.maxOperations). Split it.`);

function checkSchemas(body: object): void {
  const schemas = getProperty(body, "schemas");
  if (schemas === undefined || schemas === null) return;
  const list = Array.isArray(schemas) ? schemas : [schemas];
  if (list.length > 0 && !list.some((s) => typeof s === "string" && s.trim().toLowerCase() === BULK_REQUEST_URN.toLowerCase()))
    throw badRequest("invalidSyntax", `A bulk request's "schemas" must list "${BULK_REQUEST_URN}"; it lists ${JSON.stringify(schemas)}`);
}

function parseFailOnErrors(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1)
    throw badRequest("invalidValue", `failOnErrors must be a whole number of at least 1; it is ${JSON.stringify(value)}`);
  return n;
}

/** Splits "/Users/abc" into its resource type (as the caller spells it) and id. */
function parsePath(raw: unknown, where: string, method: BulkMethod, resourceTypes: readonly string[]): { type: string; id?: string } {
  if (typeof raw !== "string" || !raw.startsWith("/"))
    throw badRequest("invalidValue", `${where}.path must be a path such as "/Users" or "/Users/{id}"; it is ${JSON.stringify(raw)}`);
  const segments = raw.replace(/\/+$/, "").split("/").slice(1);
  const type = resourceTypes.find((t) => t.toLowerCase() === segments[0]?.toLowerCase());
  if (!type || segments.length > 2 || segments.some((s) => s === ""))
    throw badRequest(
      "invalidPath",
      `${where}.path "${raw}" names no resource; use ${resourceTypes.map((t) => `/${t}`).join(" or ")}, with an id but for POST`,
    );
  const id = segments[1] === undefined ? undefined : decodeURIComponent(segments[1]);
  if (method === "POST" && id !== undefined) throw badRequest("invalidPath", `${where}: POST goes to "/${type}", without an id`);
  if (method !== "POST" && id === undefined)
    throw badRequest("invalidPath", `${where}: ${method} needs the resource's id: "/${type}/{id}"`);
  return id === undefined ? { type } : { type, id };
}

function parseOperation(raw: unknown, index: number, limits: BulkRequestLimits): BulkOperation {
  const where = `Operations[${index}]`;
  if (!isJsonObject(raw)) throw badRequest("invalidSyntax", `${where} must be an object with method, path and (but for DELETE) data`);
  const rawMethod = getProperty(raw, "method");
  const method = typeof rawMethod === "string" ? (rawMethod.trim().toUpperCase() as BulkMethod) : undefined;
  if (method === undefined || !METHODS.includes(method))
    throw badRequest("invalidValue", `${where}.method must be one of ${METHODS.join(", ")}; it is ${JSON.stringify(rawMethod)}`);
  const rawBulkId = getProperty(raw, "bulkId");
  if (rawBulkId !== undefined && rawBulkId !== null && (typeof rawBulkId !== "string" || rawBulkId.trim() === ""))
    throw badRequest("invalidValue", `${where}.bulkId must be a non-empty string`);
  const bulkId = typeof rawBulkId === "string" ? rawBulkId : undefined;
  if (method === "POST" && bulkId === undefined)
    throw badRequest("invalidValue", `${where}: a POST needs a bulkId (RFC 7644 §3.7), so that its answer can be told apart`);
  const path = getProperty(raw, "path");
  const { type, id } = parsePath(path, where, method, limits.resourceTypes);
  const data = getProperty(raw, "data");
  if (method !== "DELETE" && !isJsonObject(data))
    throw badRequest("invalidValue", `${where}: ${method} needs "data", the request body as an object`);
  const rawVersion = getProperty(raw, "version");
  if (rawVersion !== undefined && rawVersion !== null && (typeof rawVersion !== "string" || rawVersion.trim() === ""))
    throw badRequest("invalidValue", `${where}.version must be an entity tag string, e.g. W/"3f2a…" (the resource's meta.version)`);
  const version = typeof rawVersion === "string" ? rawVersion : undefined;
  if (method === "POST" && version !== undefined)
    throw badRequest("invalidValue", `${where}: a POST creates a resource, so it has no version to match; leave "version" out`);
  return { index, method, bulkId, path: String(path), resourceType: type, id, data, version };
}

/** Parses and checks a whole BulkRequest; 400 for its shape, 413 past maxOperations. Nothing runs before this. */
export function parseBulkRequest(body: unknown, limits: BulkRequestLimits): BulkRequest {
  if (!isJsonObject(body))
    throw badRequest(
      "invalidSyntax",
      `The request body must be a BulkRequest object: {"schemas":["${BULK_REQUEST_URN}"],"Operations":[…]}`,
    );
  checkJsonDepth(body, "The bulk request");
  checkSchemas(body);
  const operations = getProperty(body, "Operations");
  if (!Array.isArray(operations) || operations.length === 0) throw badRequest("invalidValue", `"Operations" must be a non-empty array`);
  if (operations.length > limits.maxOperations) throw tooManyOperations(operations.length, limits.maxOperations);
  const parsed = operations.map((raw, index) => parseOperation(raw, index, limits));
  const seen = new Map<string, number>();
  for (const operation of parsed) {
    if (operation.bulkId === undefined) continue;
    const earlier = seen.get(operation.bulkId);
    if (earlier !== undefined)
      throw badRequest(
        "invalidValue",
        `bulkId "${operation.bulkId}" names Operations[${earlier}] and Operations[${operation.index}]; each must be unique`,
      );
    seen.set(operation.bulkId, operation.index);
  }
  return { failOnErrors: parseFailOnErrors(getProperty(body, "failOnErrors")), operations: parsed };
}
