// RFC 7644 §3.7 Bulk: the request, the bulkId graph, and the engine that runs it through a dispatcher.
export { BULK_REQUEST_URN, BULK_RESPONSE_URN, parseBulkRequest, tooManyOperations } from "./request.js";
export type { BulkMethod, BulkOperation, BulkRequest, BulkRequestLimits } from "./request.js";
export { BULK_ID_PREFIX, planBulk, referencedBulkIds, substituteBulkIds } from "./graph.js";
export type { BulkPlan, Unrunnable } from "./graph.js";
export { errorResponse, runBulk } from "./engine.js";
export type { BulkResult, Dispatcher, OperationOutcome, ResolvedOperation } from "./engine.js";
