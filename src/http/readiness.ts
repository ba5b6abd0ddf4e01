// GET /readyz: whether this replica should take traffic. Ready when the store answers, every migration this code
// knows is applied, and every tenant holds a valid Zoom access token (the cached one, or one obtained now). A 503
// names what is not ready, in words an SRE can act on; never a secret, and tenants only as counts (their names are
// in the log line, and shown to a caller holding the metrics token).
import type { RequestHandler } from "express";
import { TimeoutError, withTimeout } from "../lib/concurrency.js";
import type { Logger } from "./logger.js";
import { metricsAuthorized } from "./metrics/metrics-routes.js";
import type { TenantRegistry } from "./tenant-registry.js";
import { scimErrorFromZoom } from "../provisioning/zoom-errors.js";

/** A check that takes longer answers "not ready": a probe must answer before the load balancer's timeout. */
const CHECK_TIMEOUT_MS = 3000;

/**
 * A refused token request is remembered this long: probes come every few seconds, and each would otherwise ask
 * Zoom's token endpoint again with credentials it just refused (configuration only changes with a restart).
 */
const FAILURE_KEPT_MS = 10_000;

const within = <T>(work: Promise<T>, what: string): Promise<T> =>
  withTimeout(work, CHECK_TIMEOUT_MS, `${what} did not answer within ${CHECK_TIMEOUT_MS / 1000} s`);

interface Check {
  ok: boolean;
  detail?: string;
}

interface ZoomCheck extends Check {
  tenants: number;
  ready: number;
  /** Only for a caller holding the metrics token. */
  notReadyTenants?: string[];
}

/** Why a token could not be had, as the SCIM error for it says (no secret, no token: see provisioning/zoom-errors.ts). */
function tokenProblem(error: unknown): string {
  if (error instanceof TimeoutError) return error.message;
  return scimErrorFromZoom(error, "obtaining an access token").detail;
}

export function readiness(tenants: TenantRegistry, logger: Logger, metricsTokenHash: string | undefined): RequestHandler {
  let lastNotReady = "";
  const recentFailures = new Map<string, { at: number; problem: string }>();
  const tokenCheck = async (name: string, ensure: () => Promise<void>): Promise<string | undefined> => {
    const recent = recentFailures.get(name);
    if (recent && Date.now() - recent.at < FAILURE_KEPT_MS) return recent.problem;
    try {
      await within(ensure(), "Zoom's token endpoint");
      recentFailures.delete(name);
      return undefined;
    } catch (error) {
      const problem = tokenProblem(error);
      recentFailures.set(name, { at: Date.now(), problem });
      return problem;
    }
  };
  return async (req, res) => {
    const served = [...tenants.entries()];
    const stores = [...new Set(served.map(([, t]) => t.scim.store))];
    const store: Check = { ok: true };
    const migrations: Check = { ok: true };
    await Promise.all(
      stores.map(async (s) => {
        try {
          const missing = await within(s.health.missingMigrations(), "the store");
          if (missing.length > 0) {
            migrations.ok = false;
            migrations.detail = `the store lacks migration${missing.length === 1 ? "" : "s"} ${missing.join(", ")}; restart zoom-scim so that it applies them`;
          }
        } catch {
          store.ok = false;
          store.detail = "zoom-scim's store is unreachable; writes answer 503 until it is back";
          migrations.ok = false;
          migrations.detail = "unknown while the store is unreachable";
        }
      }),
    );
    const failures = new Map<string, string>();
    await Promise.all(
      served.map(async ([name, t]) => {
        const problem = await tokenCheck(name, () => t.scim.zoom.ensureAccessToken());
        if (problem !== undefined) failures.set(name, problem);
      }),
    );
    const zoom: ZoomCheck = { ok: failures.size === 0, tenants: served.length, ready: served.length - failures.size };
    if (failures.size > 0) {
      const reasons = [...new Set(failures.values())].join("; ");
      zoom.detail = `${failures.size} of ${served.length} tenant${served.length === 1 ? "" : "s"} hold no valid Zoom access token: ${reasons}`;
      if (metricsTokenHash !== undefined && metricsAuthorized(req.get("authorization"), metricsTokenHash))
        zoom.notReadyTenants = [...failures.keys()].sort();
    }
    const checks = { store, migrations, zoomTokens: zoom };
    const notReady = Object.entries(checks)
      .filter(([, check]) => !check.ok)
      .map(([key]) => key);
    // Logged when the verdict changes (probes come every few seconds), with the tenants' names.
    const verdict = JSON.stringify([notReady, [...failures]]);
    if (verdict !== lastNotReady) {
      lastNotReady = verdict;
      if (notReady.length > 0)
        logger.warn(
          { notReady, store: store.detail, migrations: migrations.detail, zoomTokens: Object.fromEntries(failures) },
          "not ready",
        );
      else logger.info({}, "ready");
    }
    if (notReady.length > 0) res.status(503).json({ status: "not ready", notReady, checks });
    else res.json({ status: "ready", checks });
  };
}
