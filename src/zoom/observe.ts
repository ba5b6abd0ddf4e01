// One record per HTTP attempt: to the caller's onCall (per-request counting) and to the debug log.
// Only the fields below are ever logged: never headers, tokens or request bodies.

import type { ZoomLogger } from "./config.js";
import type { ZoomCallRecord } from "./types.js";
import { pathWithoutEmails } from "../lib/redact.js";

export interface AttemptReport extends ZoomCallRecord {
  trackingId?: string;
  networkCode?: string;
}

export type Reporter = (report: AttemptReport) => void;

export function createReporter(onCall: ((record: ZoomCallRecord) => void) | undefined, logger: ZoomLogger | undefined): Reporter {
  return (report) => {
    const record: ZoomCallRecord = {
      method: report.method,
      path: report.path,
      status: report.status,
      category: report.category,
      durationMs: report.durationMs,
      attempt: report.attempt,
    };
    if (report.code !== undefined) record.code = report.code;
    if (report.trackingId !== undefined) record.trackingId = report.trackingId;
    logger?.debug({ zoomCall: { ...record, path: pathWithoutEmails(record.path), networkCode: report.networkCode } }, "zoom call");
    if (!onCall) return;
    try {
      onCall(record);
    } catch (error) {
      // Counting must never break the call it counts.
      logger?.warn({ err: error instanceof Error ? error.message : String(error) }, "zoom onCall callback threw");
    }
  };
}
