// GET /admin/audit and /{tenant}/admin/audit: the tenant's audit trail, oldest first, in pages of at most
// MAX_PAGE_SIZE: {entries, next}, where next is an opaque cursor (null on the last page).
import type { Request, Response } from "express";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, auditPage, parseCursor, parseSince } from "../provisioning/audit/audit-query.js";
import { ScimError } from "../scim/errors.js";
import type { AuditQuery } from "../store/types.js";
import { sendScimError } from "./errors.js";
import { tenantOf } from "./scim-request.js";

const PARAMETERS = ["userName", "resourceId", "since", "count", "cursor"];

function bad(detail: string): ScimError {
  return new ScimError(400, "invalidValue", detail);
}

/** The query the parameters ask for, or the error that says which one is wrong and what to send. */
function queryOf(req: Request, tenant: string): AuditQuery | ScimError {
  const params = req.query as Record<string, unknown>;
  const unknown = Object.keys(params).filter((key) => !PARAMETERS.includes(key));
  if (unknown.length > 0) return bad(`Unknown parameter ${unknown.join(", ")}; /admin/audit takes ${PARAMETERS.join(", ")}.`);
  const text = (name: string): string | undefined | ScimError => {
    const value = params[name];
    if (value === undefined) return undefined;
    if (typeof value !== "string" || value.trim() === "") return bad(`${name} must be given once, with a value.`);
    return value;
  };
  const [userName, resourceId, since, count, cursor] = PARAMETERS.map(text);
  for (const value of [userName, resourceId, since, count, cursor]) if (value instanceof ScimError) return value;
  const query: AuditQuery = { tenant, limit: DEFAULT_PAGE_SIZE };
  if (typeof userName === "string") query.userName = userName;
  if (typeof resourceId === "string") query.resourceId = resourceId;
  if (typeof since === "string") {
    query.since = parseSince(since);
    if (!query.since) return bad(`since "${since}" is neither a duration (30m, 24h, 7d) nor an ISO 8601 date-time (2026-06-01T00:00:00Z).`);
  }
  if (typeof count === "string") {
    const n = Number(count);
    if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) return bad(`count must be a whole number from 1 to ${MAX_PAGE_SIZE}.`);
    query.limit = n;
  }
  if (typeof cursor === "string") {
    query.afterSeq = parseCursor(cursor);
    if (query.afterSeq === undefined) return bad("cursor is not one this endpoint gave: send the `next` of the previous page as it was.");
  }
  return query;
}

export async function sendAuditPage(req: Request, res: Response): Promise<void> {
  const tenant = tenantOf(res);
  const query = queryOf(req, tenant.name);
  if (query instanceof ScimError) return sendScimError(res, query);
  const page = await auditPage((q) => tenant.store.audit.list(q), query);
  res.status(200).type("application/json").send(JSON.stringify(page));
}
