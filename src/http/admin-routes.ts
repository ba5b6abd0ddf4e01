// GET /admin/pending (default tenant) and /{tenant}/admin/pending: what the pending lifecycle still owes Zoom,
// behind the tenant's own bearer token.
import { Router, type Express, type RequestHandler } from "express";
import { pendingReport } from "../provisioning/lifecycle/pending-report.js";
import { bearerAuth } from "./auth.js";
import { onlyMethods } from "./route-table.js";
import { tenantOf } from "./scim-request.js";

export function mountAdmin(app: Express, selectTenant: (fixed?: string) => RequestHandler): void {
  const router = Router({ mergeParams: true });
  router.all("/pending", onlyMethods(["GET"], "/pending"));
  router.use(bearerAuth());
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
