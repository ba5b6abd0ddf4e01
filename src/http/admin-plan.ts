// GET /admin/plan (a tenant's preview plan: summary, detail per resource, the apply under way), POST
// /admin/plan/apply (sends it to Zoom; in the background unless ?wait=true) and POST /admin/plan/skip?seq= (a
// failed step not to send). Behind the tenant's bearer token.
import type { Request, Response } from "express";
import { stringifyExact } from "../lib/exact-json.js";
import type { ApplyRuns } from "../provisioning/preview/apply-runs.js";
import { MAX_DETAILED_STEPS, planReport } from "../provisioning/preview/plan-report.js";
import { skipStep } from "../provisioning/preview/plan-skip.js";
import type { ProvisioningTenant } from "../provisioning/provisioning-tenant.js";
import { ScimError } from "../scim/errors.js";
import type { Logger } from "./logger.js";
import type { RequestContext } from "./request-context.js";
import type { ServedTenant } from "./tenant-registry.js";

const served = (res: Response): ProvisioningTenant => (res.locals.tenant as ServedTenant).scim;

function bad(detail: string): ScimError {
  return new ScimError(400, "invalidValue", detail);
}

/** A whole number parameter (decimal digits only) within bounds, or undefined when absent. */
function wholeNumber(req: Request, name: string, min: number, max: number): number | undefined {
  const value = (req.query as Record<string, unknown>)[name];
  if (value === undefined) return undefined;
  const n = typeof value === "string" && /^\d{1,16}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw bad(`${name} must be given once, as a whole number from ${min} to ${max}.`);
  return n;
}

function only(req: Request, allowed: readonly string[], route: string): void {
  const unknown = Object.keys(req.query as object).filter((key) => !allowed.includes(key));
  if (unknown.length > 0)
    throw bad(`Unknown parameter ${unknown.join(", ")}; ${route} takes ${allowed.length > 0 ? allowed.join(", ") : "none"}.`);
}

const actorOf = (res: Response): { actor: string; requestId: string } => {
  const context = res.locals.requestContext as RequestContext;
  return { actor: `api:${context.actor ?? "unknown"}`, requestId: context.requestId };
};

export function planRoutes(runs: ApplyRuns, logger: Logger) {
  return {
    async show(req: Request, res: Response): Promise<void> {
      only(req, ["after", "count"], "GET /admin/plan");
      const after = wholeNumber(req, "after", 0, Number.MAX_SAFE_INTEGER);
      const limit = wholeNumber(req, "count", 1, MAX_DETAILED_STEPS);
      const tenant = served(res);
      const planned = { name: tenant.name, mode: tenant.options.mode, ledger: tenant.preview.ledger };
      const report = await planReport(planned, { ...(after !== undefined ? { after } : {}), ...(limit !== undefined ? { limit } : {}) });
      const applying = runs.progress(tenant.name);
      res
        .status(200)
        .type("application/json")
        .send(stringifyExact({ ...report, ...(applying ? { apply: { running: runs.running(tenant.name), ...applying } } : {}) }));
    },

    async apply(req: Request, res: Response): Promise<void> {
      only(req, ["wait"], "POST /admin/plan/apply");
      const wait = (req.query as Record<string, unknown>).wait;
      if (wait !== undefined && wait !== "true" && wait !== "false") throw bad("wait must be true or false.");
      const tenant = served(res);
      const waiting = await tenant.preview.ledger.unappliedCount();
      const log = logger.child({ tenant: tenant.name, component: "plan-apply" });
      // Tracked either way, so that GET /admin/plan shows its progress and a shutdown stops it after a step.
      const started = runs.start(tenant, actorOf(res), (run) => {
        if (run.error) log.error({ error: run.error }, "applying the preview plan failed");
        else if (run.outcome?.stopped) log.warn({ outcome: run.outcome }, "applying the preview plan stopped");
        else log.info({ outcome: run.outcome }, "preview plan applied");
      });
      if (!started)
        throw new ScimError(409, undefined, `An apply of tenant "${tenant.name}" is running; GET /admin/plan shows its progress.`);
      if (wait === "true" || waiting === 0) {
        const outcome = await started;
        await tenant.audit.idle();
        res.status(200).type("application/json").send(JSON.stringify(outcome));
        return;
      }
      // Its failure is logged by onEnd; this answer does not wait for it.
      started.catch(() => undefined);
      res
        .status(202)
        .type("application/json")
        .send(JSON.stringify({ tenant: tenant.name, applying: true, steps: waiting, progress: "GET /admin/plan" }));
    },

    async skip(req: Request, res: Response): Promise<void> {
      only(req, ["seq"], "POST /admin/plan/skip");
      const seq = wholeNumber(req, "seq", 1, Number.MAX_SAFE_INTEGER);
      if (seq === undefined) throw bad("POST /admin/plan/skip needs ?seq=, the failed step's number (GET /admin/plan lists it).");
      const tenant = served(res);
      await skipStep(tenant, seq, actorOf(res));
      await tenant.audit.idle();
      res
        .status(200)
        .type("application/json")
        .send(JSON.stringify({ tenant: tenant.name, skipped: seq }));
    },
  };
}
