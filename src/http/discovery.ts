// /ServiceProviderConfig, /ResourceTypes and /Schemas, rendered by scimmy from the declared schemas; /Me and /Bulk
// answer 501. The query is read here, not by scimmy: its parsing of attributes (e.g. `__proto__`) and filter fails
// with internal errors. Attribute names are checked and otherwise ignored (discovery resources are small); a filter
// is refused with 403 (RFC 7644 §4).
import { Router, type Request, type Response } from "express";
import SCIMMY from "scimmy";
import type { HttpLimits } from "../config/types.js";
import { ScimError } from "../scim/errors.js";
import { MAX_RESULTS } from "../scim/paging.js";
import { declareScimResources } from "../scim/schemas.js";
import { originOf } from "./origin.js";
import { projectionOf, queryParams } from "./scim-request.js";
import { sendJson } from "./send.js";

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
    // No bulk; maxPayloadSize still says how large a request body may be.
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: limits.maxBodyBytes },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [BEARER_SCHEME],
  });
}

/** Checks the query (a 400 for names that are not attribute names, 403 for a filter) and sets scimmy's base URLs. */
function prepare(req: Request, res: Response, what: string): void {
  const params = queryParams(req);
  if (params.has("filter")) throw new ScimError(403, undefined, `${what} cannot be filtered (RFC 7644 §4); read it whole.`);
  projectionOf(params);
  // scimmy keeps base URLs globally; set and used within one synchronous read.
  const location = `${originOf(req, res)}${res.locals.scimBase as string}`;
  SCIMMY.Resources.Schema.basepath(location);
  SCIMMY.Resources.ResourceType.basepath(location);
  SCIMMY.Resources.ServiceProviderConfig.basepath(location);
  for (const resource of Object.values(SCIMMY.Resources.declared() as Record<string, { basepath(path: string): unknown }>)) resource.basepath(location);
}

const notImplemented = (detail: string) => (): never => {
  throw new ScimError(501, undefined, detail);
};

export function discoveryRouter(limits: HttpLimits): Router {
  declareScimResources();
  configure(limits);
  const router = Router();
  router.get("/ServiceProviderConfig", async (req, res) => {
    prepare(req, res, "ServiceProviderConfig");
    sendJson(res, 200, await new SCIMMY.Resources.ServiceProviderConfig().read());
  });
  router.get("/ResourceTypes", async (req, res) => {
    prepare(req, res, "ResourceTypes");
    sendJson(res, 200, await new SCIMMY.Resources.ResourceType().read());
  });
  router.get("/ResourceTypes/:id", async (req, res) => {
    prepare(req, res, "A ResourceType");
    sendJson(res, 200, await new SCIMMY.Resources.ResourceType(req.params.id).read());
  });
  router.get("/Schemas", async (req, res) => {
    prepare(req, res, "Schemas");
    sendJson(res, 200, await new SCIMMY.Resources.Schema().read());
  });
  router.get("/Schemas/:id", async (req, res) => {
    prepare(req, res, "A Schema");
    sendJson(res, 200, await new SCIMMY.Resources.Schema(req.params.id).read());
  });
  // No SCIM user stands behind a bearer token.
  router.all("/Me", notImplemented("/Me is not supported: a bearer token names no SCIM user."));
  router.post("/Bulk", notImplemented("Bulk operations are not supported; send each operation as its own request."));
  router.post("/.search", notImplemented("Search across resource types is not supported; POST /Users/.search instead."));
  return router;
}
