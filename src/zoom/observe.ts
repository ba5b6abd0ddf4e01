// One record per HTTP attempt: to the caller's onCall (per-request counting) and to the log: every attempt at debug,
// and each of Zoom's error answers once more at info (4xx the caller handles) or warn (401, 429, 5xx, no answer),
// with Zoom's code, message and x-zm-trackingid, so an SRE can quote the call to Zoom's support.
// Only the fields below are ever logged: never headers, tokens or request bodies; emails in paths and messages are
// replaced (lib/redact.ts).

import type { ZoomLogger } from "./config.js";
import type { ZoomCallRecord } from "./types.js";
import { pathWithoutEmails, textWithoutEmails } from "../lib/redact.js";

export interface AttemptReport extends ZoomCallRecord {
  trackingId?: string;
  networkCode?: string;
  /** Zoom's error message (4xx/5xx answers). */
  zoomMessage?: string;
}

export type Reporter = (report: AttemptReport) => void;

/** Zoom's side of an error answer, as log fields: the message without emails, absent fields left out. */
export function zoomErrorFields(detail: {
  status?: number;
  code?: number | undefined;
  zoomMessage?: string | undefined;
  trackingId?: string | undefined;
}): Record<string, unknown> {
  return {
    ...(detail.status !== undefined ? { status: detail.status } : {}),
    ...(detail.code !== undefined ? { code: detail.code } : {}),
    ...(detail.zoomMessage !== undefined ? { message: textWithoutEmails(detail.zoomMessage) } : {}),
    ...(detail.trackingId !== undefined ? { trackingId: detail.trackingId } : {}),
  };
}

/** 4xx answers other than 401 and 429 are the caller's to handle (a lookup's 404, a duplicate's 409): info, not warn. */
const isCallersProblem = (status: number): boolean => status >= 400 && status < 500 && status !== 401 && status !== 429;

function logZoomError(logger: ZoomLogger, report: AttemptReport): void {
  const fields = {
    zoomCall: {
      method: report.method,
      path: pathWithoutEmails(report.path),
      category: report.category,
      attempt: report.attempt,
      durationMs: report.durationMs,
      ...zoomErrorFields(report),
      ...(report.networkCode !== undefined ? { networkCode: report.networkCode } : {}),
    },
  };
  if (report.status === 0) logger.warn(fields, "zoom call got no answer");
  else if (!isCallersProblem(report.status)) logger.warn(fields, "zoom answered an error");
  else if (logger.info) logger.info(fields, "zoom answered an error");
  else logger.debug(fields, "zoom answered an error");
}

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
    if (logger && logger.isLevelEnabled?.("debug") !== false)
      logger.debug({ zoomCall: { ...record, path: pathWithoutEmails(record.path), networkCode: report.networkCode } }, "zoom call");
    if (logger && (report.status === 0 || report.status >= 400)) logZoomError(logger, report);
    if (!onCall) return;
    try {
      onCall(record);
    } catch (error) {
      // Counting must never break the call it counts.
      logger?.warn({ err: error instanceof Error ? error.message : String(error) }, "zoom onCall callback threw");
    }
  };
}
