// /ServiceProviderConfig, /ResourceTypes and /Schemas, rendered by scimmy-routers from the declared schemas; /Me
// answers 501 (/Bulk and POST /.search have their own routers). The query is checked here first: scimmy's parsing
// of attributes (`__proto__`) and filter fails with internal errors. Attribute names are checked and otherwise ignored (discovery resources are
// small); a filter is refused with 403 (RFC 7644 §4).
import { Router, type NextFunction, type Request, type Response } from "express";
import SCIMMY from "scimmy";
import SCIMMYRouters from "scimmy-routers";
import type { HttpLimits } from "../config/types.js";
import { BULK_MAX_OPERATIONS } from "../provisioning/bulk-dispatch.js";
import { ScimError } from "../scim/errors.js";
import { MAX_RESULTS } from "../scim/paging.js";
import { declareScimResources } from "../scim/schemas.js";
import { originOf } from "./origin.js";
import { projectionOf, queryParams } from "./scim-request.js";

export const DOCUMENTATION_URL = "https://github.com/zoom-scim/zoom-scim#readme";

const BEARER_SCHEME = {
  type: "oauthbearertoken",
  name: "OAuth Bearer Token",
  description: "Authentication scheme using the OAuth Bearer Token Standard",
  specUri: "https://datatracker.ietf.org/doc/html/rfc6750",
  documentationUri: DOCUMENTATION_URL,
};

/** Advertises only what works. SCIMMY.Config is process-wide: set whole each time, not appended to. */
function configure(limits: HttpLimits): void {
  SCIMMY.Config.set({ authenticationSchemes: [] });
  SCIMMY.Config.set({
    documentationUri: DOCUMENTATION_URL,
    patch: { supported: true },
    // The bulk body is any request body: maxPayloadSize is the HTTP body limit (413 past it, as past maxOperations).
    bulk: { supported: true, maxOperations: BULK_MAX_OPERATIONS, maxPayloadSize: limits.maxBodyBytes },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [BEARER_SCHEME],
  });
}

/** Discovery endpoints: their query is checked here, before scimmy-routers renders them. */
const DISCOVERY = /^\/(ServiceProviderConfig|ResourceTypes|Schemas)(\/|$)/;

/**
 * Checks the query (400 for names that are not attribute names, 403 for a filter) and the request's origin, then
 * hands scimmy-routers the bare path: its own reading of `attributes` fails on names such as `__proto__` with
 * internal errors, and discovery resources are small enough to answer whole.
 */
function prepare(req: Request, res: Response, next: NextFunction): void {
  const what = DISCOVERY.exec(req.path)?.[1];
  if (what === undefined || (req.method !== "GET" && req.method !== "HEAD")) return next();
  const params = queryParams(req);
  if (params.has("filter")) throw new ScimError(403, undefined, `${what} cannot be filtered (RFC 7644 §4); read it whole.`);
  projectionOf(params);
  // Computed (and validated) now, so that scimmy-routers' base-URL callback below only reads it.
  res.locals.discoveryOrigin = originOf(req, res);
  req.url = req.path;
  next();
}

const notImplemented = (detail: string) => (): never => {
  throw new ScimError(501, undefined, detail);
};

export function discoveryRouter(limits: HttpLimits): Router {
  declareScimResources();
  const router = Router();
  router.use(prepare);
  // No SCIM user stands behind a bearer token.
  router.all("/Me", notImplemented("/Me is not supported: a bearer token names no SCIM user."));
  const scimmy = new SCIMMYRouters({
    type: "bearer",
    docUri: DOCUMENTATION_URL,
    // Authentication already happened in front of this router.
    handler: () => undefined as unknown as string,
    // scimmy-routers appends the mount path (/scim/v2 or /{tenant}/scim/v2) itself.
    baseUri: (req) => String(req.res?.locals.discoveryOrigin ?? ""),
  });
  // After the router, whose constructor marks every feature supported: advertise only what works.
  configure(limits);
  router.use(scimmy as unknown as Router);
  return router;
}
