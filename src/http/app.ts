// The Express application: health, Zoom's webhooks, then per-tenant SCIM routers and the admin report behind
// bearer authentication.
import express, { Router, type Express, type RequestHandler } from "express";
import { ScimError } from "../scim/errors.js";
import { bearerAuth } from "./auth.js";
import { discoveryRouter } from "./discovery.js";
import { errorHandler, notFoundHandler, sendScimError } from "./errors.js";
import { groupsRouter } from "./groups-routes.js";
import type { Logger } from "./logger.js";
import { enterRequestContext, requestLogging } from "./request-logging.js";
import type { RequestContext } from "./request-context.js";
import type { TenantRegistry } from "./tenant-registry.js";
import { usersRouter } from "./users-routes.js";
import { mountAdmin } from "./admin-routes.js";
import { BackgroundWork, mountWebhooks } from "./webhooks-routes.js";

export interface AppOptions {
  tenants: TenantRegistry;
  logger: Logger;
  /** Where event-triggered work is tracked, so that the server can wait for it on close. */
  background?: BackgroundWork;
  publicUrl?: string | undefined;
  sandbox?: boolean;
}

/** Largest SCIM body accepted (a PUT of a 10,000-member group is well under it). */
const BODY_LIMIT = "5mb";

function selectTenant(tenants: TenantRegistry, fixed?: string): RequestHandler {
  return (req, res, next) => {
    const name = fixed ?? String(req.params.tenant ?? "");
    const tenant = tenants.get(name);
    if (!tenant) {
      sendScimError(res, new ScimError(404, undefined, `No tenant "${name}" is configured on this server.`));
      return;
    }
    res.locals.tenant = tenant;
    res.locals.scimBase = fixed ? "/scim/v2" : `/${encodeURIComponent(name)}/scim/v2`;
    (res.locals.requestContext as RequestContext).tenant = name;
    next();
  };
}

function scimRouter(): Router {
  const router = Router({ mergeParams: true });
  router.use(bearerAuth());
  router.use(enterRequestContext);
  router.use((_req, res, next) => {
    res.type("application/scim+json");
    next();
  });
  router.use("/Users", usersRouter());
  router.use("/Groups", groupsRouter());
  router.post("/.search", (_req, res) => {
    sendScimError(res, new ScimError(501, undefined, "Search across resource types is not supported; POST /Users/.search instead."));
  });
  router.use(discoveryRouter());
  return router;
}

export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable("x-powered-by");
  // Resources carry their own ETag (meta.version); Express's body hash would contradict it.
  app.set("etag", false);
  app.set("trust proxy", true);
  app.set("query parser", "simple");
  app.locals.publicUrl = options.publicUrl;
  app.use(requestLogging(options.logger));
  app.get("/healthz", (_req, res) => {
    // Open to load balancers: it names no tenant.
    res.json({ status: "ok", sandbox: options.sandbox ?? false });
  });
  // Before the JSON parser: Zoom's signatures are over the raw body.
  mountWebhooks(app, options.tenants, options.logger, options.background ?? new BackgroundWork());
  // Okta's own test sends no Content-Type: SCIM bodies are JSON whatever the header says.
  app.use(express.json({ type: () => true, limit: BODY_LIMIT }));
  const scim = scimRouter();
  app.use("/scim/v2", selectTenant(options.tenants, "default"), scim);
  app.use("/:tenant/scim/v2", selectTenant(options.tenants), scim);
  mountAdmin(app, (fixed) => selectTenant(options.tenants, fixed));
  app.use(notFoundHandler);
  app.use(errorHandler(options.logger));
  return app;
}
