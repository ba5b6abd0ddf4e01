// The `route` label of a request: its route template (/Users/:id), never the raw path, so that ids, userNames and
// made-up paths cannot grow the number of series. Whatever no route serves is one value, "unmatched".
import { SCIM_ROUTES, type Method, type Route } from "../route-table.js";

export const UNMATCHED_ROUTE = "unmatched";

/** Paths served at the root, as they are. */
const ROOT_ROUTES = new Set(["/healthz", "/readyz", "/metrics"]);
/** Below /admin and /{tenant}/admin. */
const ADMIN_ROUTES = new Set(["/pending", "/breaker", "/breaker/release", "/drift", "/drift/fix", "/audit"]);
const METHODS = new Set<string>(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] satisfies (Method | "HEAD" | "OPTIONS")[]);

const SCIM = /^(?:\/[^/]+)?\/scim\/v2(\/.*)$/;
/** Each SCIM route's label: /Users/{id} → /Users/:id. */
const SCIM_LABELS = new Map(SCIM_ROUTES.map((route) => [route.name, route.name.replace(/\{(\w+)\}/g, ":$1")]));

/** The label of a route the SCIM route table matched (so the path is not matched twice). */
export function scimRouteLabel(route: Route): string {
  return SCIM_LABELS.get(route.name) ?? UNMATCHED_ROUTE;
}
const ADMIN = /^(?:\/[^/]+)?\/admin(\/.*)$/;
const WEBHOOK = /^(?:\/[^/]+)?\/webhooks\/zoom\/?$/;

/** The template of `path` (without its query), e.g. /Users/:id, /admin/breaker, /healthz; or "unmatched". */
export function routeLabel(path: string): string {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, "") : path;
  if (ROOT_ROUTES.has(trimmed)) return trimmed;
  if (WEBHOOK.test(trimmed)) return "/webhooks/zoom";
  const admin = ADMIN.exec(trimmed);
  if (admin) return admin[1] !== undefined && ADMIN_ROUTES.has(admin[1]) ? `/admin${admin[1]}` : UNMATCHED_ROUTE;
  const scim = SCIM.exec(trimmed);
  if (!scim) return UNMATCHED_ROUTE;
  const below = scim[1] ?? "";
  const route = SCIM_ROUTES.find((r) => r.path.test(below));
  return route ? scimRouteLabel(route) : UNMATCHED_ROUTE;
}

/** The `method` label: the HTTP methods zoom-scim answers, anything else as "other". */
export function methodLabel(method: string): string {
  return METHODS.has(method) ? method : "other";
}
