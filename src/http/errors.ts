// Every failure leaves as a SCIM Error (RFC 7644 §3.12): status as a string, scimType, a detail that says what to
// fix. Never HTML, never a stack trace, never an exception's own text.
import type { ErrorRequestHandler, RequestHandler, Response } from "express";
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from "../config/types.js";
import { pathWithoutEmails, textWithoutEmails } from "../lib/redact.js";
import { ScimError } from "../scim/errors.js";
import { ERROR_URN } from "../scim/schemas.js";
import { scimErrorFromUnhandled } from "../provisioning/zoom-errors.js";
import { releaseBody } from "./body.js";
import type { Logger } from "./logger.js";
import type { RequestContext } from "./request-context.js";

export const SCIM_CONTENT_TYPE = "application/scim+json";

/** The SCIM error a response carried, kept in res.locals.scimError for the request's log line. */
export interface AnsweredError {
  scimType: string | undefined;
  detail: string;
}

/** The SCIM Error message for a status and detail (also written raw by the HTTP server for unparsable requests). */
export function scimErrorBody(error: Pick<ScimError, "status" | "scimType" | "detail">): string {
  return JSON.stringify({
    schemas: [ERROR_URN],
    status: String(error.status),
    ...(error.scimType ? { scimType: error.scimType } : {}),
    detail: error.detail,
  });
}

/** The most a body may hold on this app: also how much of an unread body is drained before the connection closes. */
export function bodyLimitOf(res: Response): number {
  return ((res.app.locals.httpLimits as HttpLimits | undefined) ?? DEFAULT_HTTP_LIMITS).maxBodyBytes;
}

export function sendScimError(res: Response, error: ScimError): void {
  // For the request's log line (request-logging.ts): what the client was told.
  res.locals.scimError = { scimType: error.scimType, detail: error.detail } satisfies AnsweredError;
  // An answer before the body was read (401, 404, 405, 413…): the body is drained, never kept.
  releaseBody(res, bodyLimitOf(res));
  if (error.retryAfterSeconds !== undefined) res.setHeader("Retry-After", String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
  if (error.status === 401) res.setHeader("WWW-Authenticate", 'Bearer realm="zoom-scim"');
  // For the audit entry of a refused or failed write (http/audit-requests.ts).
  res.locals.auditError = { status: error.status, ...(error.scimType ? { scimType: error.scimType } : {}), detail: error.detail };
  res.status(error.status).type(SCIM_CONTENT_TYPE).send(scimErrorBody(error));
}

interface HttpLikeError {
  status?: unknown;
  statusCode?: unknown;
  scimType?: unknown;
  message?: unknown;
  name?: unknown;
}

/** Turns whatever reached Express's error path into a ScimError; undefined for failures of zoom-scim itself. */
export function toScimError(error: unknown): ScimError | undefined {
  if (error instanceof ScimError) return error;
  const fromZoom = scimErrorFromUnhandled(error);
  if (fromZoom) return fromZoom;
  const http = (typeof error === "object" && error !== null ? error : {}) as HttpLikeError;
  const status = typeof http.status === "number" ? http.status : typeof http.statusCode === "number" ? http.statusCode : undefined;
  if (status === undefined || status < 400 || status >= 500) return undefined;
  // scimmy's own errors (discovery) are written for clients; anything else 4xx-shaped gets a plain detail.
  if (http.name === "SCIMError" && typeof http.message === "string")
    return new ScimError(status, (http.scimType as ScimError["scimType"]) ?? undefined, http.message);
  return new ScimError(status, undefined, "The request could not be processed.");
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const requestId = (res.locals.requestContext as RequestContext | undefined)?.requestId;
    const known = toScimError(error);
    const scimError = known ?? new ScimError(500, undefined, `internal error; request id ${requestId ?? "unknown"}`);
    // 501 is an answer (an endpoint zoom-scim does not offer), not a failure.
    if (scimError.status >= 500 && scimError.status !== 501) {
      const cause = known ? scimError.cause : error;
      logger.error(
        {
          requestId,
          // Zoom's errors name their paths and messages, which may hold emails (as the request path may).
          err:
            cause instanceof Error
              ? { name: cause.name, message: textWithoutEmails(cause.message), stack: cause.stack && textWithoutEmails(cause.stack) }
              : cause,
          path: pathWithoutEmails(req.path),
        },
        "request failed",
      );
    }
    if (res.headersSent) return;
    sendScimError(res, scimError);
  };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  sendScimError(
    res,
    new ScimError(404, undefined, `No SCIM endpoint at ${req.method} ${req.path}. SCIM is served under /scim/v2 (or /{tenant}/scim/v2).`),
  );
};
