// The one way /Users and /Groups answer: SCIM JSON, and for a resource its ETag, its Location when created, and
// the projection the request asked for.
import type { Request, Response } from "express";
import type { ResourceSchema } from "../scim/attributes/schema-meta.js";
import { projectResource } from "../scim/projection/index.js";
import { SCIM_CONTENT_TYPE } from "./errors.js";
import { projectionOf, queryParams } from "./scim-request.js";

export type Resource = Record<string, unknown>;

const SCIM_JSON_UTF8 = `${SCIM_CONTENT_TYPE}; charset=utf-8`;

/**
 * Written directly rather than through Express's res.send, which copies every body of 1,000 characters or more into
 * a Buffer first (a user is about 1.1 KB: the copy was a large share of a read's garbage). The answer is the same:
 * charset, length, and 304 for a conditional GET whose If-None-Match still holds (`req.fresh` compares it with the
 * ETag set before).
 */
export function sendJson(res: Response, status: number, body: unknown): void {
  res.statusCode = status;
  if (status >= 200 && status < 300 && res.req.fresh) {
    res.statusCode = 304;
    res.removeHeader("Content-Type");
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.setHeader("Content-Type", SCIM_JSON_UTF8);
  res.setHeader("Content-Length", Buffer.byteLength(text));
  res.end(text);
}

function setResourceHeaders(res: Response, status: number, resource: Resource): void {
  const meta = resource.meta as { location?: unknown; version?: unknown } | undefined;
  if (typeof meta?.version === "string") res.setHeader("ETag", meta.version);
  if (status === 201 && typeof meta?.location === "string") res.setHeader("Location", meta.location);
}

/** A resource as read: already projected by the read. */
export function sendResource(res: Response, status: number, resource: Resource): void {
  setResourceHeaders(res, status, resource);
  sendJson(res, status, resource);
}

/** A written resource, projected as the request's attributes/excludedAttributes ask. */
export function sendWritten(req: Request, res: Response, status: number, resource: Resource, schema: ResourceSchema): void {
  setResourceHeaders(res, status, resource);
  sendJson(res, status, projectResource(resource, schema, projectionOf(queryParams(req))));
}

export function sendNoContent(res: Response): void {
  res.status(204).end();
}
