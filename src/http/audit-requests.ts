// The audit entry of each SCIM write: a scope opened before the body is read (so a refused body is recorded
// too), entered once the request context is (stream callbacks would lose it before), and written just before the
// answer leaves, so that whoever got the answer finds the entry. Reads open a scope that records nothing: it
// carries the request id and actor to a deferred change a read happens to apply.
import type { RequestHandler, Response } from "express";
import { AuditScope, runInAuditScope } from "../provisioning/audit/scope.js";
import type { AuditEntryInput } from "../store/types.js";
import { clientKindOf } from "./client-kind.js";
import type { RequestContext } from "./request-context.js";
import type { ServedTenant } from "./tenant-registry.js";

/** How long an answer waits for its audit entry before leaving anyway (the write goes on, and logs if it fails). */
const AUDIT_WRITE_WAIT_MS = 2_000;

const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

interface Target {
  route: string;
  resourceType: "User" | "Group" | null;
  resourceId: string | null;
}

/** The route template and resource of a path below the SCIM base; undefined for reads (.search) and unknown paths. */
function targetOf(path: string): Target | undefined {
  const [, collection, id, extra] = path.replace(/\/+$/, "").split("/");
  if (extra !== undefined || id === ".search") return undefined;
  const type = /^users$/i.test(collection ?? "") ? "User" : /^groups$/i.test(collection ?? "") ? "Group" : undefined;
  if (type) return { route: `/${type}s${id ? "/:id" : ""}`, resourceType: type, resourceId: id ? decodedOrAsSent(id) : null };
  if (/^bulk$/i.test(collection ?? "") && id === undefined) return { route: "/Bulk", resourceType: null, resourceId: null };
  return undefined;
}

/** A path segment decoded; one that is not valid percent-encoding (a hostile request) is kept as sent. */
function decodedOrAsSent(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function outcomeOf(status: number, scope: AuditScope): AuditEntryInput["outcome"] {
  if (status < 400) return scope.deferred ? "deferred" : scope.planned ? "planned" : "applied";
  if (status < 500 || scope.refused) return "refused";
  return "failed";
}

/** Opens the request's scope and arranges for its entry to be written before the answer's last byte. */
export const openAuditScope: RequestHandler = (req, res, next) => {
  const served = res.locals.tenant as ServedTenant;
  const context = res.locals.requestContext as RequestContext;
  const target = WRITES.has(req.method) ? targetOf(req.path) : undefined;
  const scope = new AuditScope({
    tenant: served.scim.name,
    kind: "scim",
    actor: context.actor ?? "unknown",
    client: clientKindOf(req),
    requestId: context.requestId,
    originRequestId: null,
    method: req.method,
    route: target?.route ?? null,
    resourceType: target?.resourceType ?? null,
    resourceId: target?.resourceId ?? null,
    userName: null,
    records: target !== undefined && served.scim.audit.enabled,
  });
  res.locals.auditScope = scope;
  const audit = served.scim.audit;
  // The request's entry, and any an observer started meanwhile (the breaker opening), are in the store before the answer.
  if (scope.init.records)
    writeBeforeAnswer(res, async () => {
      await audit.write(scope.entry(outcomeOf(res.statusCode, scope), scimErrorOf(res)));
      await Promise.all(scope.pendingWrites);
    });
  next();
};

/** Enters the scope opened by openAuditScope: everything the route does below runs in it. */
export const enterAuditScope: RequestHandler = (_req, res, next) => {
  runInAuditScope(res.locals.auditScope as AuditScope, next);
};

function scimErrorOf(res: Response): AuditEntryInput["error"] {
  return (res.locals.auditError as AuditEntryInput["error"] | undefined) ?? null;
}

/** Holds res.end until `write` settles (or AUDIT_WRITE_WAIT_MS passes), then ends the answer as asked. */
function writeBeforeAnswer(res: Response, write: () => Promise<void>): void {
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  let held = false;
  res.end = ((...args: unknown[]) => {
    if (held) return end(...args);
    held = true;
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, AUDIT_WRITE_WAIT_MS);
    });
    void Promise.race([write(), waited]).finally(() => {
      clearTimeout(timer);
      end(...args);
    });
    return res;
  }) as Response["end"];
}
