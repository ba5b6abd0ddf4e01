// /Users: each route hands a parsed request to the SCIM layer and answers with SCIM JSON.
import { Router, type Request, type Response } from "express";
import { getUser, listUsers } from "../provisioning/users/user-reads.js";
import { createUser, deleteUser, patchUser, replaceUser } from "../provisioning/users/user-writes.js";
import { projectResource } from "../scim/projection/index.js";
import { userSchema } from "../scim/user-schema.js";
import { SCIM_CONTENT_TYPE } from "./errors.js";
import { baseUrlOf, listQueryOf, projectionOf, queryParams, searchParams, tenantOf } from "./scim-request.js";

function send(res: Response, status: number, body: unknown): void {
  res.status(status).type(SCIM_CONTENT_TYPE).send(JSON.stringify(body));
}

/** Writes answer with the resource, projected as the request's attributes/excludedAttributes ask. */
function sendWritten(req: Request, res: Response, status: number, resource: Record<string, unknown>): void {
  const meta = resource.meta as { location?: string; version?: string } | undefined;
  if (meta?.version) res.setHeader("ETag", meta.version);
  if (status === 201 && meta?.location) res.setHeader("Location", meta.location);
  send(res, status, projectResource(resource, userSchema, projectionOf(queryParams(req))));
}

export function usersRouter(): Router {
  const router = Router();
  router.get("/", async (req, res) => {
    send(res, 200, await listUsers(tenantOf(res), listQueryOf(queryParams(req)), baseUrlOf(req, res)));
  });
  router.post("/.search", async (req, res) => {
    send(res, 200, await listUsers(tenantOf(res), listQueryOf(searchParams(req.body)), baseUrlOf(req, res)));
  });
  router.get("/:id", async (req, res) => {
    const resource = await getUser(tenantOf(res), req.params.id, projectionOf(queryParams(req)), baseUrlOf(req, res));
    const version = (resource.meta as { version?: string } | undefined)?.version;
    if (version) res.setHeader("ETag", version);
    send(res, 200, resource);
  });
  router.post("/", async (req, res) => {
    const resource = await createUser(tenantOf(res), req.body, baseUrlOf(req, res));
    sendWritten(req, res, 201, resource);
  });
  router.put("/:id", async (req, res) => {
    sendWritten(req, res, 200, await replaceUser(tenantOf(res), req.params.id, req.body, baseUrlOf(req, res)));
  });
  router.patch("/:id", async (req, res) => {
    sendWritten(req, res, 200, await patchUser(tenantOf(res), req.params.id, req.body, baseUrlOf(req, res)));
  });
  router.delete("/:id", async (req, res) => {
    await deleteUser(tenantOf(res), req.params.id);
    res.status(204).end();
  });
  return router;
}
