// The Express application: health, readiness, metrics, Zoom's webhooks, then per-tenant SCIM routers and the admin report behind
// bearer authentication. Per SCIM request: route table (404/405/OPTIONS), then the token, and only then the body.
import express, { Router, type Express, type RequestHandler } from "express";
import { DEFAULT_HTTP_CONFIG, type HttpConfig } from "../config/types.js";
import { ScimError } from "../scim/errors.js";
import { bearerAuth } from "./auth.js";
import { jsonBody } from "./body.js";
import { discoveryRouter } from "./discovery.js";
import { errorHandler, notFoundHandler, SCIM_CONTENT_TYPE, sendScimError } from "./errors.js";
import { bulkRouter } from "./bulk-routes.js";
import { GROUP_ROUTES } from "./groups-routes.js";
import type { Logger } from "./logger.js";
import { enterRequestContext, requestLogging } from "./request-logging.js";
import type { RequestContext } from "./request-context.js";
import { onlyMethods, routeTable, SCIM_ROUTES } from "./route-table.js";
import type { TenantRegistry } from "./tenant-registry.js";
import { USER_ROUTES } from "./users-routes.js";
import { ROOT_SEARCH_ROUTES } from "./search-routes.js";
import { dispatch, series } from "./scim-dispatch.js";
import { mountAdmin } from "./admin-routes.js";
import { ApplyRuns } from "../provisioning/preview/apply-runs.js";
import { enterAuditScope, openAuditScope } from "./audit-requests.js";
import type { Metrics } from "./metrics/metrics.js";
import { mountMetrics, requestMetrics } from "./metrics/metrics-routes.js";
import { readiness } from "./readiness.js";
import { BackgroundWork, mountWebhooks } from "./webhooks-routes.js";

export interface AppOptions {
  tenants: TenantRegistry;
  logger: Logger;
  /** Where event-triggered work is tracked, so that the server can wait for it on close. */
  background?: BackgroundWork;
  publicUrl?: string | undefined;
  sandbox?: boolean;
  /** Limits and proxy trust; defaults when not given. */
  http?: HttpConfig;
  /** Counts requests and serves GET /metrics; without it there is no /metrics. */
  metrics?: Metrics;
  /** The preview plans' applies started over HTTP (the server stops them on close). */
  applyRuns?: ApplyRuns;
  /** Digest of SCIM_METRICS_TOKEN: /metrics (and /readyz's tenant names) then require it. */
  metricsTokenHash?: string | undefined;
}

function selectTenant(tenants: TenantRegistry, fixed?: string): RequestHandler {
  return (req, res, next) => {
    const name = fixed ?? String(req.params.tenant ?? "");
    const tenant = tenants.get(name);
    res.locals.scimBase = fixed ? "/scim/v2" : `/${encodeURIComponent(name)}/scim/v2`;
    // An unknown tenant goes on without one: authentication then answers the same 401 as for a wrong token, so an
    // anonymous caller cannot tell which tenant names exist.
    if (!tenant) return next();
    res.locals.tenant = tenant;
    (res.locals.requestContext as RequestContext).tenant = name;
    next();
  };
}

/** Checks that need no route: the URL's length, and the Host header HTTP/1.1 requires (RFC 9112 §3.2). */
function requestShape(maxUrlBytes: number): RequestHandler {
  return (req, res, next) => {
    if (req.originalUrl.length > maxUrlBytes) {
      sendScimError(
        res,
        new ScimError(
          414,
          undefined,
          `The request URL is longer than ${maxUrlBytes} bytes; send filters in the body of POST …/.search instead.`,
        ),
      );
      return;
    }
    if (req.httpVersion === "1.1" && !req.headers.host) {
      sendScimError(res, new ScimError(400, undefined, "HTTP/1.1 requests must carry a Host header."));
      return;
    }
    next();
  };
}

function scimRouter(http: HttpConfig): Router {
  const router = Router({ mergeParams: true });
  router.use(
    series([
      routeTable(SCIM_ROUTES),
      bearerAuth(),
      openAuditScope,
      jsonBody(http.limits),
      // The request context, then the audit scope inside it, and the SCIM content type.
      (req, res, next) => {
        res.type(SCIM_CONTENT_TYPE);
        enterRequestContext(req, res, () => enterAuditScope(req, res, next));
      },
      dispatch({ ...USER_ROUTES, ...GROUP_ROUTES, ...ROOT_SEARCH_ROUTES }),
    ]),
  );
  router.use("/Bulk", bulkRouter());
  router.use(discoveryRouter(http.limits));
  return router;
}

export function createApp(options: AppOptions): Express {
  const http = options.http ?? DEFAULT_HTTP_CONFIG;
  const app = express();
  app.disable("x-powered-by");
  // Resources carry their own ETag (meta.version); Express's body hash would contradict it.
  app.set("etag", false);
  // X-Forwarded-Proto/-Host are believed only from proxies SCIM_TRUST_PROXY names.
  app.set("trust proxy", http.trustProxy);
  app.set("query parser", "simple");
  app.locals.publicUrl = options.publicUrl;
  app.locals.httpLimits = http.limits;
  app.use(requestLogging(options.logger));
  if (options.metrics) app.use(requestMetrics(options.metrics, options.tenants));
  app.use(requestShape(http.limits.maxUrlBytes));
  app.all("/healthz", onlyMethods(["GET"], "/healthz"), (_req, res) => {
    // Open to load balancers: it names no tenant.
    res.json({ status: "ok", sandbox: options.sandbox ?? false });
  });
  app.all("/readyz", onlyMethods(["GET"], "/readyz"), readiness(options.tenants, options.logger, options.metricsTokenHash));
  if (options.metrics) mountMetrics(app, options.metrics, options.metricsTokenHash);
  mountWebhooks(app, options.tenants, options.logger, options.background ?? new BackgroundWork(), http.limits.maxWebhookBodyBytes);
  const scim = scimRouter(http);
  app.use("/scim/v2", selectTenant(options.tenants, "default"), scim);
  app.use("/:tenant/scim/v2", selectTenant(options.tenants), scim);
  mountAdmin(app, (fixed) => selectTenant(options.tenants, fixed), options.applyRuns ?? new ApplyRuns(), options.logger);
  app.use(notFoundHandler);
  app.use(errorHandler(options.logger));
  return app;
}
