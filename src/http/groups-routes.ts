// /Groups: each route hands a parsed request to the SCIM layer and answers with SCIM JSON. Every method on /Groups is
// answered here, so nothing falls through to a generic (read-apply-write) Group route.
import { Router, type Request } from "express";
import { getGroup, listGroups } from "../provisioning/groups/group-reads.js";
import { patchGroup } from "../provisioning/groups/group-patch-writes.js";
import { groupSchema } from "../scim/group-schema.js";
import { createGroup, deleteGroup, replaceGroup } from "../provisioning/groups/group-writes.js";
import { requestedAttributes } from "../scim/projection/index.js";
import { checkSearchRequest } from "../scim/search-request.js";
import { sendJson, sendNoContent, sendResource, sendWritten } from "./send.js";
import { baseUrlOf, listQueryOf, preconditionsOf, projectionOf, queryParams, searchParams, tenantOf } from "./scim-request.js";

/** Whether the answer (with these attributes/excludedAttributes) shows members: if not, they are not read. */
const showsMembers = (req: Request): boolean => requestedAttributes(groupSchema, projectionOf(queryParams(req)))("members");

export function groupsRouter(): Router {
  const router = Router();
  router.get("/", async (req, res) => {
    sendJson(res, 200, await listGroups(tenantOf(res), listQueryOf(queryParams(req)), baseUrlOf(req, res)));
  });
  router.post("/.search", async (req, res) => {
    checkSearchRequest(req.body);
    sendJson(res, 200, await listGroups(tenantOf(res), listQueryOf(searchParams(req.body)), baseUrlOf(req, res)));
  });
  router.get("/:id", async (req, res) => {
    sendResource(res, 200, await getGroup(tenantOf(res), req.params.id, projectionOf(queryParams(req)), baseUrlOf(req, res)));
  });
  router.post("/", async (req, res) => {
    sendWritten(req, res, 201, await createGroup(tenantOf(res), req.body, baseUrlOf(req, res)), groupSchema);
  });
  router.put("/:id", async (req, res) => {
    sendWritten(
      req,
      res,
      200,
      await replaceGroup(tenantOf(res), req.params.id, req.body, showsMembers(req), baseUrlOf(req, res), preconditionsOf(req)),
      groupSchema,
    );
  });
  router.patch("/:id", async (req, res) => {
    // 204 unless the request asks for the group back with attributes or excludedAttributes (RFC 7644 §3.5.2):
    // AWS-ILM-style clients and Entra expect exactly 204.
    const params = queryParams(req);
    const wantsBody = params.has("attributes") || params.has("excludedattributes");
    const answer = wantsBody ? { respond: { showMembers: showsMembers(req) } } : {};
    const resource = await patchGroup(tenantOf(res), req.params.id, req.body, answer, baseUrlOf(req, res), preconditionsOf(req));
    if (resource) sendWritten(req, res, 200, resource, groupSchema);
    else sendNoContent(res);
  });
  router.delete("/:id", async (req, res) => {
    await deleteGroup(tenantOf(res), req.params.id, preconditionsOf(req));
    sendNoContent(res);
  });
  return router;
}
