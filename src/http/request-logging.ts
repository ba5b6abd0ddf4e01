// One structured log line per request: id, tenant, method, path, status, latency and the Zoom calls it made; for
// an error answer, its scimType and detail.
import { randomUUID } from "node:crypto";
import type { RequestHandler } from "express";
import { textWithoutEmails } from "../lib/redact.js";
import type { AnsweredError } from "./errors.js";
import type { Logger } from "./logger.js";
import { requestContext, type RequestContext } from "./request-context.js";

const REQUEST_ID = /^[\w.-]{1,100}$/;

/** A 4xx/5xx line says what the client was told (scimType, detail), emails replaced as in every log line. */
function answeredError(status: number, error: AnsweredError | undefined): { scimType?: string; detail?: string } {
  if (status < 400 || !error) return {};
  return { ...(error.scimType ? { scimType: error.scimType } : {}), detail: textWithoutEmails(error.detail) };
}

export function requestLogging(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get("x-request-id");
    const context: RequestContext = {
      requestId: incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID(),
      tenant: undefined,
      zoomCalls: 0,
      zoomCallLog: [],
    };
    const started = process.hrtime.bigint();
    res.setHeader("X-Request-Id", context.requestId);
    // Set before the body is written, so clients and tests can read it.
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => typeof res;
    res.writeHead = ((...args: unknown[]) => {
      if (!res.headersSent) res.setHeader("X-Zoom-Calls", String(context.zoomCalls));
      return writeHead(...args);
    }) as typeof res.writeHead;
    res.on("finish", () => {
      const latencyMs = Number(process.hrtime.bigint() - started) / 1e6;
      const entry = {
        requestId: context.requestId,
        tenant: context.tenant,
        actor: context.actor,
        method: req.method,
        // originalUrl: req.path is relative to the router that answered; the query may carry emails, so it is left out.
        path: req.originalUrl.split("?")[0],
        status: res.statusCode,
        latencyMs: Math.round(latencyMs * 10) / 10,
        zoomCalls: context.zoomCalls,
        userAgent: req.get("user-agent"),
        ...answeredError(res.statusCode, res.locals.scimError as AnsweredError | undefined),
      };
      if (res.statusCode >= 500) logger.error(entry, "request");
      else logger.info(entry, "request");
      if (context.zoomCalls > 0) logger.debug({ requestId: context.requestId, zoomCalls: context.zoomCallLog }, "zoom calls");
    });
    res.locals.requestContext = context;
    next();
  };
}

/** Enters the request's context. Runs after body parsing: stream callbacks would otherwise lose it. */
export const enterRequestContext: RequestHandler = (_req, res, next) => {
  requestContext.run(res.locals.requestContext as RequestContext, next);
};
