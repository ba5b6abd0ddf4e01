// POST /Bulk's operations dispatched to the same provisioning functions the single routes call, so that each
// operation costs the Zoom calls it would cost alone. The protocol (parsing, bulkId order, failOnErrors) is
// scim/bulk's; this says what each method on /Users and /Groups is.
import type { JsonObject } from "../store/types.js";
import { isJsonObject } from "../scim/attributes/json.js";
import { parseBulkRequest, runBulk, type BulkResult, type OperationOutcome, type ResolvedOperation } from "../scim/bulk/index.js";
import { notFound } from "../scim/errors.js";
import type { Preconditions } from "../scim/versioning.js";
import type { Tenant } from "./tenant.js";
import { createUser, deleteUser, patchUser, replaceUser } from "./users/user-writes.js";
import { createGroup, deleteGroup, replaceGroup } from "./groups/group-writes.js";
import { patchGroup } from "./groups/group-patch-writes.js";
import { auditOperation } from "./audit/bulk.js";

/** Advertised as bulk.maxOperations and enforced (413 past it). */
export const BULK_MAX_OPERATIONS = 1_000;

const RESOURCE_TYPES = ["Users", "Groups"] as const;

function outcomeOf(status: number, resource: JsonObject): OperationOutcome {
  const meta = isJsonObject(resource.meta) ? resource.meta : {};
  return {
    status,
    id: String(resource.id),
    location: typeof meta.location === "string" ? meta.location : undefined,
    version: typeof meta.version === "string" ? meta.version : undefined,
  };
}

/** An operation's `version` is its If-Match (RFC 7644 §3.7): a mismatch fails that operation with 412. */
const preconditions = (op: ResolvedOperation): Preconditions => (op.version === undefined ? {} : { ifMatch: op.version });

const location = (baseUrl: string, type: string, id: string): string => `${baseUrl}/${type}/${encodeURIComponent(id)}`;

async function dispatchUser(tenant: Tenant, op: ResolvedOperation, id: string, baseUrl: string): Promise<OperationOutcome> {
  const conditions = preconditions(op);
  switch (op.method) {
    case "POST":
      return outcomeOf(201, await createUser(tenant, op.data, baseUrl));
    case "PUT":
      return outcomeOf(200, await replaceUser(tenant, id, op.data, baseUrl, conditions));
    case "PATCH":
      return outcomeOf(200, await patchUser(tenant, id, op.data, baseUrl, conditions));
    case "DELETE":
      await deleteUser(tenant, id, conditions, baseUrl);
      return { status: 204, id, location: location(baseUrl, "Users", id) };
  }
}

async function dispatchGroup(tenant: Tenant, op: ResolvedOperation, id: string, baseUrl: string): Promise<OperationOutcome> {
  const conditions = preconditions(op);
  switch (op.method) {
    case "POST":
      return outcomeOf(201, await createGroup(tenant, op.data, baseUrl));
    case "PUT":
      // The answer carries no resource: its members need not be read back.
      return outcomeOf(200, await replaceGroup(tenant, id, op.data, false, baseUrl, conditions));
    case "PATCH":
      // As the route without attributes: 204, no read of the group afterwards.
      await patchGroup(tenant, id, op.data, {}, baseUrl, conditions);
      return { status: 204, id, location: location(baseUrl, "Groups", id) };
    case "DELETE":
      await deleteGroup(tenant, id, conditions);
      return { status: 204, id, location: location(baseUrl, "Groups", id) };
  }
}

/** Runs a BulkRequest body for the tenant; the answer is the BulkResponse (200 whatever the operations did). */
export async function runBulkRequest(tenant: Tenant, body: unknown, baseUrl: string): Promise<BulkResult> {
  const request = parseBulkRequest(body, { maxOperations: BULK_MAX_OPERATIONS, resourceTypes: RESOURCE_TYPES });
  return runBulk(request, (op) => {
    const id = op.id ?? "";
    // A reference left unresolved names no resource (its POST failed, or it was never a bulkId of this request).
    if (op.method !== "POST" && id.startsWith("bulkId:")) throw notFound(`${op.resourceType}/${id} names no resource`);
    return auditOperation(tenant, { method: op.method, resourceType: op.resourceType, id: op.method === "POST" ? undefined : id }, () =>
      op.resourceType === "Users" ? dispatchUser(tenant, op, id, baseUrl) : dispatchGroup(tenant, op, id, baseUrl),
    );
  });
}
