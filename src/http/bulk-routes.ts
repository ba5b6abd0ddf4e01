// POST /Bulk (RFC 7644 §3.7): one request, many operations, each answered in the BulkResponse. The body limit
// (bulk.maxPayloadSize) is the HTTP body limit, enforced before parsing; maxOperations by the provisioning layer.
import { Router } from "express";
import { runBulkRequest } from "../provisioning/bulk-dispatch.js";
import { sendJson } from "./send.js";
import { baseUrlOf, tenantOf } from "./scim-request.js";

export function bulkRouter(): Router {
  const router = Router();
  router.post("/", async (req, res) => {
    // 200 whatever the operations did: each one's outcome is in the BulkResponse (RFC 7644 §3.7.3).
    const result = await runBulkRequest(tenantOf(res), req.body, baseUrlOf(req, res));
    sendJson(res, 200, result.response);
  });
  return router;
}
