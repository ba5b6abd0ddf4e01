// Every failure leaves as a SCIM Error (RFC 7644 §3.12): status as a string, scimType, a detail that says what to
// fix. Never HTML, never a stack trace.
import type { ErrorRequestHandler, RequestHandler, Response } from "express";
import { ScimError } from "../scim/errors.js";
import { ERROR_URN } from "../scim/schemas.js";
import { scimErrorFromUnhandled } from "../provisioning/zoom-errors.js";
import type { Logger } from "./logger.js";

export const SCIM_CONTENT_TYPE = "application/scim+json";

export function sendScimError(res: Response, error: ScimError): void {
  if (error.retryAfterSeconds !== undefined) res.setHeader("Retry-After", String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
  if (error.status === 401) res.setHeader("WWW-Authenticate", 'Bearer realm="zoom-scim"');
  res
    .status(error.status)
    .type(SCIM_CONTENT_TYPE)
    .send(
      JSON.stringify({
        schemas: [ERROR_URN],
        status: String(error.status),
        ...(error.scimType ? { scimType: error.scimType } : {}),
        detail: error.detail,
      }),
    );
}

interface HttpLikeError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
}

/** Turns whatever reached Express's error path into a ScimError. */
export function toScimError(error: unknown): ScimError {
  if (error instanceof ScimError) return error;
  const fromZoom = scimErrorFromUnhandled(error);
  if (fromZoom) return fromZoom;
  const http = (typeof error === "object" && error !== null ? error : {}) as HttpLikeError;
  if (http.type === "entity.parse.failed") return new ScimError(400, "invalidSyntax", "The request body is not valid JSON; send a JSON object.");
  if (http.type === "entity.too.large") return new ScimError(413, undefined, "The request body is too large.");
  // scimmy's own errors (discovery endpoints) carry status and scimType.
  const scimmy = error as { status?: unknown; scimType?: unknown; message?: unknown; name?: unknown };
  if (scimmy.name === "SCIMError" && typeof scimmy.status === "number") {
    return new ScimError(scimmy.status, (scimmy.scimType as ScimError["scimType"]) ?? undefined, String(scimmy.message ?? "Request failed"));
  }
  const status = http.status ?? http.statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) return new ScimError(status, undefined, "The request could not be processed.");
  return new ScimError(500, undefined, "zoom-scim failed unexpectedly; the failure is logged with this request's id.");
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const scimError = toScimError(error);
    // 501 is an answer (an endpoint zoom-scim does not offer), not a failure.
    if (scimError.status >= 500 && scimError.status !== 501) {
      const cause = scimError.status === 500 ? error : scimError.cause;
      logger.error({ err: cause instanceof Error ? { name: cause.name, message: cause.message, stack: cause.stack } : cause, path: req.path }, "request failed");
    }
    if (res.headersSent) return;
    sendScimError(res, scimError);
  };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  sendScimError(res, new ScimError(404, undefined, `No SCIM endpoint at ${req.method} ${req.path}. SCIM is served under /scim/v2 (or /{tenant}/scim/v2).`));
};
