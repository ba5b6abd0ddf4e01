// The SCIM request pipeline in one Express layer: the route table's 404/405, authentication, the audit scope, the
// body and the request context run as plain calls in order, then the handler the matched route names for the method.
// Nested Express routers matched every path again per layer and cost more CPU than the rest of a read of one user.
// Routes without a handler here (/Bulk, discovery, /Me) go on to the routers behind this layer, inside the context.
import type { Request, RequestHandler, Response } from "express";
import { ScimError } from "../scim/errors.js";
import type { Method, Route } from "./route-table.js";

/** One endpoint's answer; `id` is the decoded {id} segment for /X/{id} routes, "" for the others. */
export type ScimHandler = (req: Request, res: Response, id: string) => Promise<void>;
/** Handlers by route name (as in the route table, e.g. /Users/{id}) and method. */
export type ScimHandlers = Readonly<Record<string, Partial<Record<Method, ScimHandler>>>>;

/** Runs `steps` one after another as Express would (each calls next, a throw or a rejection goes to `done`). */
export function series(steps: readonly RequestHandler[]): RequestHandler {
  return (req, res, done) => {
    let index = 0;
    const fail = (error: unknown): void => done(error);
    const step = (error?: unknown): void => {
      if (error !== undefined && error !== null) return done(error);
      const current = steps[index++];
      if (!current) return done();
      try {
        const result: unknown = current(req, res, step);
        if (result instanceof Promise) result.catch(fail);
      } catch (thrown) {
        done(thrown);
      }
    };
    step();
  };
}

/** The route the table matched is left here by routeTable, for dispatch. */
export function matchedRoute(res: Response): Route | undefined {
  return res.locals.scimRoute as Route | undefined;
}

/** The {id} segment of /X/{id}, percent-decoded; a segment that is not valid percent-encoding is refused. */
function idOf(route: Route, path: string): string {
  if (!route.name.endsWith("/{id}")) return "";
  const segment = path.split("/")[2] ?? "";
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ScimError(400, undefined, `The id in the path (${segment.slice(0, 100)}) is not valid percent-encoding.`);
  }
}

/** The last step: the matched route's handler for the method (HEAD as GET), or on to the routers behind. */
export function dispatch(handlers: ScimHandlers): RequestHandler {
  return (req, res, next) => {
    const route = matchedRoute(res);
    const method = (req.method === "HEAD" ? "GET" : req.method) as Method;
    const handler = route ? handlers[route.name]?.[method] : undefined;
    if (!route || !handler) return next();
    return handler(req, res, idOf(route, req.path));
  };
}
