// /Users: each route hands a parsed request to the SCIM layer and answers with SCIM JSON.
import { Router } from "express";
import { getUser, listUsers } from "../provisioning/users/user-reads.js";
import { createUser, deleteUser, patchUser, replaceUser } from "../provisioning/users/user-writes.js";
import { userSchema } from "../scim/user-schema.js";
import { checkSearchRequest } from "../scim/search-request.js";
import { sendJson, sendNoContent, sendResource, sendWritten } from "./send.js";
import { baseUrlOf, listQueryOf, preconditionsOf, projectionOf, queryParams, searchParams, tenantOf } from "./scim-request.js";

export function usersRouter(): Router {
  const router = Router();
  router.get("/", async (req, res) => {
    sendJson(res, 200, await listUsers(tenantOf(res), listQueryOf(queryParams(req)), baseUrlOf(req, res)));
  });
  router.post("/.search", async (req, res) => {
    checkSearchRequest(req.body);
    sendJson(res, 200, await listUsers(tenantOf(res), listQueryOf(searchParams(req.body)), baseUrlOf(req, res)));
  });
  router.get("/:id", async (req, res) => {
    sendResource(res, 200, await getUser(tenantOf(res), req.params.id, projectionOf(queryParams(req)), baseUrlOf(req, res)));
  });
  router.post("/", async (req, res) => {
    sendWritten(req, res, 201, await createUser(tenantOf(res), req.body, baseUrlOf(req, res)), userSchema);
  });
  router.put("/:id", async (req, res) => {
    const user = await replaceUser(tenantOf(res), req.params.id, req.body, baseUrlOf(req, res), preconditionsOf(req));
    sendWritten(req, res, 200, user, userSchema);
  });
  router.patch("/:id", async (req, res) => {
    const user = await patchUser(tenantOf(res), req.params.id, req.body, baseUrlOf(req, res), preconditionsOf(req));
    sendWritten(req, res, 200, user, userSchema);
  });
  router.delete("/:id", async (req, res) => {
    await deleteUser(tenantOf(res), req.params.id, preconditionsOf(req), baseUrlOf(req, res));
    sendNoContent(res);
  });
  return router;
}
