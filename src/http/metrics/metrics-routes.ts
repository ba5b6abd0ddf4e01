// GET /metrics (Prometheus scrapes it) and the middleware that counts every request. /metrics is open unless
// SCIM_METRICS_TOKEN is set; then it takes that bearer token alone (compared in constant time, as a digest).
import type { Express, RequestHandler } from "express";
import { tokenMatches } from "../../config/token-hash.js";
import type { RequestContext } from "../request-context.js";
import type { TenantRegistry } from "../tenant-registry.js";
import { onlyMethods } from "../route-table.js";
import type { Metrics } from "./metrics.js";
import { methodLabel, routeLabel, scimRouteLabel } from "./route-label.js";
import { matchedRoute } from "../scim-dispatch.js";

/** Counts and times each request once its answer is sent (or its connection closed first). */
export function requestMetrics(metrics: Metrics, tenants: TenantRegistry): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    let counted = false;
    const count = (): void => {
      if (counted) return;
      counted = true;
      const context = res.locals.requestContext as RequestContext | undefined;
      const matched = matchedRoute(res);
      metrics.request(
        {
          // Only a configured tenant's name: a name from an unknown tenant's URL never becomes a label value.
          tenant: context?.tenant !== undefined && tenants.has(context.tenant) ? context.tenant : "",
          method: methodLabel(req.method),
          route: matched ? scimRouteLabel(matched) : routeLabel(req.originalUrl.split("?")[0] ?? ""),
          status: res.statusCode,
        },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    };
    res.on("finish", count);
    res.on("close", count);
    next();
  };
}

/** Whether the request may read /metrics: always without a configured token, else only with it. */
export function metricsAuthorized(authorization: string | undefined, tokenHash: string | undefined): boolean {
  if (tokenHash === undefined) return true;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  return match?.[1] !== undefined && tokenMatches(match[1], [tokenHash]);
}

export function mountMetrics(app: Express, metrics: Metrics, tokenHash: string | undefined): void {
  app.all("/metrics", onlyMethods(["GET"], "/metrics"), async (req, res, next) => {
    if (!metricsAuthorized(req.get("authorization"), tokenHash)) {
      res.setHeader("WWW-Authenticate", 'Bearer realm="zoom-scim metrics"');
      res.status(401).json({
        status: 401,
        detail: req.get("authorization")
          ? "The bearer token is not the metrics token. Send SCIM_METRICS_TOKEN as 'Authorization: Bearer <token>'."
          : "/metrics requires the metrics token (SCIM_METRICS_TOKEN): send 'Authorization: Bearer <token>'.",
      });
      return;
    }
    try {
      const { contentType, text } = await metrics.exposition();
      res.setHeader("Cache-Control", "no-store");
      res.type(contentType).send(text);
    } catch (error) {
      next(error);
    }
  });
}
