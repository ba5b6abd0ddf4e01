// /admin (default tenant) and /{tenant}/admin, behind the tenant's own bearer token: GET pending (what the pending
// lifecycle still owes Zoom), GET breaker and POST breaker/release (the circuit breaker for destructive changes),
// GET drift and POST drift/fix?kind= (what the IdPs set against Zoom now, and restoring one kind of it), GET audit
// (the audit trail, admin-audit.ts), GET plan, POST plan/apply and plan/skip (a preview tenant's plan, admin-plan.ts).
import { Router, type Express, type RequestHandler } from "express";
import { pendingReport } from "../provisioning/lifecycle/pending-report.js";
import { sendAuditPage } from "./admin-audit.js";
import { FIXABLE_KINDS, type DriftKind } from "../provisioning/guardrails/drift.js";
import { driftReport } from "../provisioning/guardrails/drift-collect.js";
import { fixDrift } from "../provisioning/guardrails/drift-fix.js";
import { badRequest } from "../scim/errors.js";
import { bearerAuth } from "./auth.js";
import type { RequestContext } from "./request-context.js";
import { onlyMethods } from "./route-table.js";
import { tenantOf } from "./scim-request.js";
import type { ServedTenant } from "./tenant-registry.js";
import { planRoutes } from "./admin-plan.js";
import type { Logger } from "./logger.js";
import type { ApplyRuns } from "../provisioning/preview/apply-runs.js";

export function mountAdmin(app: Express, selectTenant: (fixed?: string) => RequestHandler, applyRuns: ApplyRuns, logger: Logger): void {
  const router = Router({ mergeParams: true });
  const plan = planRoutes(applyRuns, logger);
  router.all("/pending", onlyMethods(["GET"], "/pending"));
  router.all("/breaker", onlyMethods(["GET"], "/breaker"));
  router.all("/breaker/release", onlyMethods(["POST"], "/breaker/release"));
  router.all("/audit", onlyMethods(["GET"], "/audit"));
  router.all("/drift", onlyMethods(["GET"], "/drift"));
  router.all("/drift/fix", onlyMethods(["POST"], "/drift/fix"));
  router.all("/plan", onlyMethods(["GET"], "/plan"));
  router.all("/plan/apply", onlyMethods(["POST"], "/plan/apply"));
  router.all("/plan/skip", onlyMethods(["POST"], "/plan/skip"));
  router.use(bearerAuth());
  router.get("/plan", plan.show);
  router.post("/plan/apply", plan.apply);
  router.post("/plan/skip", plan.skip);
  router.get("/breaker", async (_req, res) => {
    res
      .status(200)
      .type("application/json")
      // A preview tenant's own writes count nothing: the breaker that matters is the one its apply runs under.
      .send(JSON.stringify(await (res.locals.tenant as ServedTenant).scim.applyBreaker.status()));
  });
  router.post("/breaker/release", async (_req, res) => {
    const context = res.locals.requestContext as RequestContext;
    const status = await (res.locals.tenant as ServedTenant).scim.applyBreaker.release(
      `api:${context.actor ?? "unknown"} request ${context.requestId}`,
    );
    // The release's audit entry is in the store before the answer.
    await tenantOf(res).audit.idle();
    res.status(200).type("application/json").send(JSON.stringify(status));
  });
  router.get("/audit", sendAuditPage);
  router.get("/drift", async (_req, res) => {
    res
      .status(200)
      .type("application/json")
      .send(JSON.stringify(await driftReport(tenantOf(res))));
  });
  router.post("/drift/fix", async (req, res) => {
    const kind = req.query.kind;
    if (typeof kind !== "string" || !FIXABLE_KINDS.includes(kind as DriftKind)) {
      throw badRequest("invalidValue", `POST /admin/drift/fix needs ?kind= one of ${FIXABLE_KINDS.join(", ")}`);
    }
    const tenant = tenantOf(res);
    const context = res.locals.requestContext as RequestContext;
    const by = { actor: `api:${context.actor ?? "unknown"}`, requestId: context.requestId };
    const fix = await fixDrift(tenant, await driftReport(tenant), kind as DriftKind, by);
    res.status(200).type("application/json").send(JSON.stringify(fix));
  });
  router.get("/pending", async (_req, res) => {
    const tenant = tenantOf(res);
    res
      .status(200)
      .type("application/json")
      .send(JSON.stringify(await pendingReport(tenant.store, tenant.name)));
  });
  app.use("/admin", selectTenant("default"), router);
  app.use("/:tenant/admin", selectTenant(), router);
}
