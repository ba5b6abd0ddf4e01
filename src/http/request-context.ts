// Per-request context carried through async calls, so the Zoom client's call hook can count calls per SCIM request.
import { AsyncLocalStorage } from "node:async_hooks";
import type { ZoomCallRecord } from "../zoom/types.js";
import { pathWithoutEmails } from "../lib/redact.js";

export interface RequestContext {
  requestId: string;
  tenant: string | undefined;
  /** The name of the bearer token that authenticated the request (never the token); undefined before auth. */
  actor?: string | undefined;
  zoomCalls: number;
  zoomCallLog: Pick<ZoomCallRecord, "method" | "path" | "status">[];
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

/** Zoom client hook: attributes every Zoom call to the SCIM request that made it. */
export function countZoomCall(record: ZoomCallRecord): void {
  const context = requestContext.getStore();
  // API calls only: token requests are the token provider's business, shared across requests.
  if (!context || record.category === "oauth") return;
  context.zoomCalls += 1;
  if (context.zoomCallLog.length < 50)
    context.zoomCallLog.push({ method: record.method, path: pathWithoutEmails(record.path), status: record.status });
}
