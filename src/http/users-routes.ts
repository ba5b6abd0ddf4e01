// /Users: each endpoint hands a parsed request to the provisioning layer and answers with SCIM JSON.
import { getUser, listUsers } from "../provisioning/users/user-reads.js";
import { createUser, deleteUser, patchUser, replaceUser } from "../provisioning/users/user-writes.js";
import { userSchema } from "../scim/user-schema.js";
import { checkSearchRequest } from "../scim/search-request.js";
import type { ScimHandlers } from "./scim-dispatch.js";
import { sendJson, sendNoContent, sendResource, sendWritten } from "./send.js";
import { baseUrlOf, listQueryOf, preconditionsOf, projectionOf, queryParams, searchParams, tenantOf } from "./scim-request.js";

export const USER_ROUTES: ScimHandlers = {
  "/Users": {
    GET: async (req, res) => {
      sendJson(res, 200, await listUsers(tenantOf(res), listQueryOf(queryParams(req)), baseUrlOf(req, res)));
    },
    POST: async (req, res) => {
      sendWritten(req, res, 201, await createUser(tenantOf(res), req.body, baseUrlOf(req, res)), userSchema);
    },
  },
  "/Users/.search": {
    POST: async (req, res) => {
      checkSearchRequest(req.body);
      sendJson(res, 200, await listUsers(tenantOf(res), listQueryOf(searchParams(req.body)), baseUrlOf(req, res)));
    },
  },
  "/Users/{id}": {
    GET: async (req, res, id) => {
      sendResource(res, 200, await getUser(tenantOf(res), id, projectionOf(queryParams(req)), baseUrlOf(req, res)));
    },
    PUT: async (req, res, id) => {
      const user = await replaceUser(tenantOf(res), id, req.body, baseUrlOf(req, res), preconditionsOf(req));
      sendWritten(req, res, 200, user, userSchema);
    },
    PATCH: async (req, res, id) => {
      const user = await patchUser(tenantOf(res), id, req.body, baseUrlOf(req, res), preconditionsOf(req));
      sendWritten(req, res, 200, user, userSchema);
    },
    DELETE: async (req, res, id) => {
      await deleteUser(tenantOf(res), id, preconditionsOf(req), baseUrlOf(req, res));
      sendNoContent(res);
    },
  },
};
