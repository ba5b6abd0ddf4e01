// Runs a BulkRequest (RFC 7644 §3.7): the operations in dependency order, one at a time, each through the caller's
// dispatcher (what the single request would do), "bulkId:x" replaced by the id x's POST created; stops once
// failOnErrors errors happened. Answers a BulkResponse saying per operation what happened. Knows nothing of Zoom.
import { ScimError } from "../errors.js";
import type { JsonObject } from "../attributes/json.js";
import { BULK_ID_PREFIX, planBulk, substituteBulkIds, type Unrunnable } from "./graph.js";
import { BULK_RESPONSE_URN, type BulkMethod, type BulkOperation, type BulkRequest } from "./request.js";

/** One operation as the dispatcher gets it: its path's id and data with every bulkId resolved. */
export interface ResolvedOperation {
  method: BulkMethod;
  resourceType: string;
  id: string | undefined;
  data: unknown;
  /** If-Match for a PUT, PATCH or DELETE (the operation's `version`). */
  version: string | undefined;
}

/** What a successful operation did. */
export interface OperationOutcome {
  status: number;
  /** The resource's id (a POST's is what later "bulkId:…" references resolve to). */
  id: string;
  location?: string | undefined;
  version?: string | undefined;
}

export type Dispatcher = (operation: ResolvedOperation) => Promise<OperationOutcome>;

/** An error as a BulkResponse carries it (RFC 7644 §3.12 Error schema, status as a string). */
export function errorResponse(error: ScimError): JsonObject {
  return {
    schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
    status: String(error.status),
    ...(error.scimType ? { scimType: error.scimType } : {}),
    detail: error.detail,
  };
}

function refusal(operation: BulkOperation, why: Unrunnable): ScimError {
  switch (why.reason) {
    case "unknownBulkId":
      return new ScimError(
        400,
        "invalidValue",
        `Operations[${operation.index}] references "${BULK_ID_PREFIX}${why.bulkId}", which no operation of the request has`,
      );
    case "notACreate":
      return new ScimError(
        400,
        "invalidValue",
        `Operations[${operation.index}] references "${BULK_ID_PREFIX}${why.bulkId}", which is not a POST: only created resources can be referenced`,
      );
    case "circular":
      return new ScimError(
        409,
        undefined,
        `Operations ${why.cycle.map((i) => `[${i}]`).join(", ")} reference each other's bulkIds in a circle; none of them can be created first. Create one without the reference, then PATCH it in.`,
      );
  }
}

/** Anything the dispatcher throws that is not a SCIM error is a failure of that operation alone (500). */
const asScimError = (error: unknown): ScimError =>
  error instanceof ScimError
    ? error
    : new ScimError(500, undefined, "The operation failed unexpectedly; the others are unaffected.", { cause: error });

export interface BulkResult {
  response: JsonObject;
  errors: number;
  /** Operations not processed because failOnErrors was reached. */
  skipped: number;
}

export async function runBulk(request: BulkRequest, dispatch: Dispatcher): Promise<BulkResult> {
  const { operations } = request;
  const plan = planBulk(operations);
  const created = new Map<string, string>();
  const results = new Map<number, JsonObject>();
  const failed = new Set<number>();
  let errors = 0;
  const limit = request.failOnErrors ?? Number.POSITIVE_INFINITY;

  const record = (operation: BulkOperation, entry: JsonObject, error?: ScimError): void => {
    const base: JsonObject = { method: operation.method, ...(operation.bulkId !== undefined ? { bulkId: operation.bulkId } : {}) };
    if (error) {
      failed.add(operation.index);
      errors += 1;
      results.set(operation.index, { ...base, status: String(error.status), response: errorResponse(error) });
    } else results.set(operation.index, { ...base, ...entry });
  };

  // Refused before anything runs (cycles, dangling references): in request order, then the runnable ones.
  const runnable = new Set(plan.order);
  const sequence = [...operations.filter((op) => !runnable.has(op.index)).map((op) => op.index), ...plan.order];
  for (const index of sequence) {
    if (errors >= limit) break;
    const operation = operations[index] as BulkOperation;
    const refused = plan.refused.get(index);
    if (refused) {
      record(operation, {}, refusal(operation, refused));
      continue;
    }
    const failedDep = (plan.dependsOn.get(index) ?? []).find((dep) => failed.has(dep) || !created.has(operations[dep]?.bulkId ?? ""));
    if (failedDep !== undefined) {
      const bulkId = operations[failedDep]?.bulkId ?? "";
      record(
        operation,
        {},
        new ScimError(
          409,
          undefined,
          `Operations[${index}] references "${BULK_ID_PREFIX}${bulkId}", whose operation (Operations[${failedDep}]) failed`,
        ),
      );
      continue;
    }
    try {
      const outcome = await dispatch({
        method: operation.method,
        resourceType: operation.resourceType,
        id: operation.id === undefined ? undefined : substituteBulkIds(operation.id, created),
        data: substituteBulkIds(operation.data, created),
        version: operation.version,
      });
      if (operation.method === "POST" && operation.bulkId !== undefined) created.set(operation.bulkId, outcome.id);
      record(operation, {
        ...(outcome.location ? { location: outcome.location } : {}),
        ...(outcome.version ? { version: outcome.version } : {}),
        status: String(outcome.status),
      });
    } catch (error) {
      record(operation, {}, asScimError(error));
    }
  }
  // Answered in request order; operations not processed (failOnErrors reached) are left out (RFC 7644 §3.7.3).
  const answered = operations.flatMap((op) => {
    const result = results.get(op.index);
    return result ? [result] : [];
  });
  return { response: { schemas: [BULK_RESPONSE_URN], Operations: answered }, errors, skipped: operations.length - answered.length };
}
