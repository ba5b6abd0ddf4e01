// Reading a SCIM request: its tenant, its base URL, and query parameters whatever their case.
import type { Request, Response } from "express";
import { parseAttributeList } from "../scim/projection/index.js";
import { parsePage } from "../scim/paging.js";
import type { ListQuery, Projection } from "../provisioning/users/user-reads.js";
import type { Tenant } from "../provisioning/tenant.js";
import { originOf } from "./origin.js";
import type { ServedTenant } from "./tenant-registry.js";
import type { Preconditions } from "../scim/versioning.js";

export function tenantOf(res: Response): Tenant {
  return (res.locals.tenant as ServedTenant).scim;
}

/** The tenant's SCIM base URL, e.g. https://host/acme/scim/v2. */
export function baseUrlOf(req: Request, res: Response): string {
  return `${originOf(req, res)}${res.locals.scimBase as string}`;
}

/** Query parameters by lower-cased name (clients vary the case of excludedAttributes and friends). */
export function queryParams(req: Request): Map<string, unknown> {
  const params = new Map<string, unknown>();
  for (const [key, value] of Object.entries(req.query as Record<string, unknown>)) {
    params.set(key.toLowerCase(), Array.isArray(value) ? value[0] : value);
  }
  return params;
}

export function projectionOf(params: Map<string, unknown>): Projection {
  const attributes = params.has("attributes") ? parseAttributeList(params.get("attributes")) : undefined;
  const excludedAttributes = params.has("excludedattributes") ? parseAttributeList(params.get("excludedattributes")) : undefined;
  return { ...(attributes ? { attributes } : {}), ...(excludedAttributes ? { excludedAttributes } : {}) };
}

export function listQueryOf(params: Map<string, unknown>): ListQuery {
  const filter = params.get("filter");
  return {
    ...projectionOf(params),
    ...(typeof filter === "string" ? { filter } : {}),
    ...(params.has("sortby") ? { sortBy: params.get("sortby") } : {}),
    ...(params.has("sortorder") ? { sortOrder: params.get("sortorder") } : {}),
    page: parsePage(params.get("startindex"), params.get("count")),
  };
}

/** A POST /.search body (RFC 7644 §3.4.3) read as list parameters. */
export function searchParams(body: unknown): Map<string, unknown> {
  const params = new Map<string, unknown>();
  if (body && typeof body === "object" && !Array.isArray(body)) {
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      params.set(key.toLowerCase(), Array.isArray(value) ? value.join(",") : value);
    }
  }
  return params;
}

/** The request's If-Match (RFC 7644 §3.14), for PUT, PATCH and DELETE. */
export function preconditionsOf(req: Request): Preconditions {
  const ifMatch = req.get("if-match");
  return ifMatch === undefined ? {} : { ifMatch };
}
