// /Groups: each endpoint hands a parsed request to the provisioning layer and answers with SCIM JSON. Every method on
// /Groups is answered here, so nothing falls through to a generic (read-apply-write) Group route.
import type { Request } from "express";
import { getGroup, listGroups } from "../provisioning/groups/group-reads.js";
import { patchGroup } from "../provisioning/groups/group-patch-writes.js";
import { groupSchema } from "../scim/group-schema.js";
import { createGroup, deleteGroup, replaceGroup } from "../provisioning/groups/group-writes.js";
import { requestedAttributes } from "../scim/projection/index.js";
import { checkSearchRequest } from "../scim/search-request.js";
import type { ScimHandlers } from "./scim-dispatch.js";
import { sendJson, sendNoContent, sendResource, sendWritten } from "./send.js";
import { baseUrlOf, listQueryOf, preconditionsOf, projectionOf, queryParams, searchParams, tenantOf } from "./scim-request.js";

/** Whether the answer (with these attributes/excludedAttributes) shows members: if not, they are not read. */
const showsMembers = (req: Request): boolean => requestedAttributes(groupSchema, projectionOf(queryParams(req)))("members");

export const GROUP_ROUTES: ScimHandlers = {
  "/Groups": {
    GET: async (req, res) => {
      sendJson(res, 200, await listGroups(tenantOf(res), listQueryOf(queryParams(req)), baseUrlOf(req, res)));
    },
    POST: async (req, res) => {
      sendWritten(req, res, 201, await createGroup(tenantOf(res), req.body, baseUrlOf(req, res)), groupSchema);
    },
  },
  "/Groups/.search": {
    POST: async (req, res) => {
      checkSearchRequest(req.body);
      sendJson(res, 200, await listGroups(tenantOf(res), listQueryOf(searchParams(req.body)), baseUrlOf(req, res)));
    },
  },
  "/Groups/{id}": {
    GET: async (req, res, id) => {
      sendResource(res, 200, await getGroup(tenantOf(res), id, projectionOf(queryParams(req)), baseUrlOf(req, res)));
    },
    PUT: async (req, res, id) => {
      const group = await replaceGroup(tenantOf(res), id, req.body, showsMembers(req), baseUrlOf(req, res), preconditionsOf(req));
      sendWritten(req, res, 200, group, groupSchema);
    },
    PATCH: async (req, res, id) => {
      // 204 unless the request asks for the group back with attributes or excludedAttributes (RFC 7644 §3.5.2):
      // AWS-ILM-style clients and Entra expect exactly 204.
      const params = queryParams(req);
      const wantsBody = params.has("attributes") || params.has("excludedattributes");
      const answer = wantsBody ? { respond: { showMembers: showsMembers(req) } } : {};
      const resource = await patchGroup(tenantOf(res), id, req.body, answer, baseUrlOf(req, res), preconditionsOf(req));
      if (resource) sendWritten(req, res, 200, resource, groupSchema);
      else sendNoContent(res);
    },
    DELETE: async (req, res, id) => {
      await deleteGroup(tenantOf(res), id, preconditionsOf(req));
      sendNoContent(res);
    },
  },
};
