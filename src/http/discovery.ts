// /ServiceProviderConfig, /ResourceTypes and /Schemas, rendered by scimmy-routers from the declared schemas.
// The service provider config is set after the router, whose constructor marks every feature supported:
// we advertise only what works.
import { Router } from "express";
import SCIMMY from "scimmy";
import SCIMMYRouters from "scimmy-routers";
import { MAX_RESULTS } from "../scim/paging.js";
import { declareScimResources } from "../scim/schemas.js";
import { originOf } from "./scim-request.js";

export const DOCUMENTATION_URL = "https://github.com/zoom-scim/zoom-scim#readme";

export function discoveryRouter(): Router {
  declareScimResources();
  const router = new SCIMMYRouters({
    type: "bearer",
    docUri: DOCUMENTATION_URL,
    // Authentication already happened in front of this router. No id: /Me answers 501 (zoom-scim has no SCIM
    // user behind a bearer token).
    handler: () => undefined as unknown as string,
    baseUri: (req) => {
      const res = req.res;
      // scimmy-routers appends the mount path (/scim/v2 or /{tenant}/scim/v2) itself.
      return res ? originOf(req, res) : "";
    },
  });
  SCIMMY.Config.set({
    documentationUri: DOCUMENTATION_URL,
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
  });
  return router as unknown as Router;
}
