// Which methods each path answers. Unknown paths get 404 and known paths with another method 405 with Allow, before
// authentication and before any body is read; OPTIONS gets 204 with Allow. All as SCIM errors, never Express's text.
import type { RequestHandler } from "express";
import { ScimError } from "../scim/errors.js";
import { releaseBody } from "./body.js";
import { bodyLimitOf, sendScimError } from "./errors.js";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface Route {
  /** As the 405's detail names it, e.g. /Users/{id}. */
  name: string;
  /** Matched against the path below the router's mount, case-insensitively, a trailing slash allowed (as Express does). */
  path: RegExp;
  methods: readonly Method[];
}

const resource = (name: string): Route[] => [
  { name: `/${name}`, path: new RegExp(`^/${name}/?$`, "i"), methods: ["GET", "POST"] },
  { name: `/${name}/.search`, path: new RegExp(`^/${name}/\\.search/?$`, "i"), methods: ["POST"] },
  { name: `/${name}/{id}`, path: new RegExp(`^/${name}/[^/]+/?$`, "i"), methods: ["GET", "PUT", "PATCH", "DELETE"] },
];

/** Everything under /scim/v2 (and /{tenant}/scim/v2). */
export const SCIM_ROUTES: readonly Route[] = [
  ...resource("Users"),
  ...resource("Groups"),
  { name: "/.search", path: /^\/\.search\/?$/i, methods: ["POST"] },
  { name: "/ServiceProviderConfig", path: /^\/ServiceProviderConfig\/?$/i, methods: ["GET"] },
  { name: "/ResourceTypes", path: /^\/ResourceTypes(?:\/[^/]+)?\/?$/i, methods: ["GET"] },
  { name: "/Schemas", path: /^\/Schemas(?:\/[^/]+)?\/?$/i, methods: ["GET"] },
  { name: "/Bulk", path: /^\/Bulk\/?$/i, methods: ["POST"] },
  // RFC 7644 §3.11 methods; each answers 501.
  { name: "/Me", path: /^\/Me\/?$/i, methods: ["GET", "POST", "PUT", "PATCH", "DELETE"] },
];

/** The Allow header: HEAD wherever GET is (Express answers it from the GET route), and OPTIONS everywhere. */
export function allowHeader(methods: readonly Method[]): string {
  return [...methods.flatMap((m) => (m === "GET" ? ["GET", "HEAD"] : [m])), "OPTIONS"].join(", ");
}

/** Answers OPTIONS and methods the path (`name`, below the router's mount) does not take; passes the rest on. */
export function onlyMethods(methods: readonly Method[], name: string): RequestHandler {
  const allow = allowHeader(methods);
  return (req, res, next) => {
    if (req.method === "OPTIONS") {
      res.setHeader("Allow", allow);
      releaseBody(res, bodyLimitOf(res));
      res.status(204).end();
      return;
    }
    const method = req.method === "HEAD" ? "GET" : req.method;
    if ((methods as readonly string[]).includes(method)) return next();
    res.setHeader("Allow", allow);
    sendScimError(res, new ScimError(405, undefined, `${req.baseUrl}${name} does not take ${req.method}; it takes ${allow}.`));
  };
}

/** The table's answer for paths it lists (see onlyMethods); 404 for paths it does not. */
export function routeTable(routes: readonly Route[]): RequestHandler {
  const guards = routes.map((route) => ({ route, guard: onlyMethods(route.methods, route.name) }));
  return (req, res, next) => {
    const found = guards.find(({ route }) => route.path.test(req.path));
    if (!found) {
      sendScimError(
        res,
        new ScimError(
          404,
          undefined,
          `No SCIM endpoint at ${req.method} ${req.path}. SCIM serves /Users, /Groups, /ServiceProviderConfig, /ResourceTypes and /Schemas.`,
        ),
      );
      return;
    }
    // The SCIM pipeline's dispatch reads it (scim-dispatch.ts).
    res.locals.scimRoute = found.route;
    found.guard(req, res, next);
  };
}
