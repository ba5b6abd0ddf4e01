// POST /.search at the root: Users and Groups in one ListResponse (RFC 7644 §3.4.3).
import { searchResources } from "../provisioning/search.js";
import { checkSearchRequest } from "../scim/search-request.js";
import type { ScimHandlers } from "./scim-dispatch.js";
import { sendJson } from "./send.js";
import { baseUrlOf, listQueryOf, searchParams, tenantOf } from "./scim-request.js";

export const ROOT_SEARCH_ROUTES: ScimHandlers = {
  "/.search": {
    POST: async (req, res) => {
      checkSearchRequest(req.body);
      sendJson(res, 200, await searchResources(tenantOf(res), listQueryOf(searchParams(req.body)), baseUrlOf(req, res)));
    },
  },
};
