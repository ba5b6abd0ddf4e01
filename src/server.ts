// The composition root: configuration → store → Zoom clients → SCIM tenants → HTTP server.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { DEFAULT_AUDIT_SETTINGS, type AppConfig, type TenantConfig } from "./config/types.js";
import { breakerAudit, observeBreaker } from "./provisioning/audit/breaker-entries.js";
import { AuditRecorder, NO_AUDIT } from "./provisioning/audit/recorder.js";
import { AuditRetention } from "./provisioning/audit/retention.js";
import { auditZoomCall } from "./provisioning/audit/zoom-calls.js";
import { describeConfig } from "./config/describe.js";
import { createApp } from "./http/app.js";
import { listen } from "./http/listen.js";
import { Metrics } from "./http/metrics/metrics.js";
import { createLogger, type Logger } from "./http/logger.js";
import { countZoomCall } from "./http/request-context.js";
import type { ServedTenant } from "./http/tenant-registry.js";
import { ApplyRuns } from "./provisioning/preview/apply-runs.js";
import { BackgroundWork } from "./http/webhooks-routes.js";
import { Reconciler } from "./provisioning/lifecycle/reconciler.js";
import type { BreakerObserver } from "./provisioning/guardrails/breaker.js";
import { ProvisioningTenant } from "./provisioning/provisioning-tenant.js";
import { storeRateBudget, storeSharedTokens } from "./provisioning/replicas/zoom-sharing.js";
import { openStore } from "./store/open-store.js";
import type { ResourceStore } from "./store/types.js";
import { createZoomClient, type ZoomCallRecord } from "./zoom/index.js";

export interface RunningServer {
  /** e.g. http://127.0.0.1:8080 */
  url: string;
  port: number;
  store: ResourceStore;
  logger: Logger;
  /** The pending users' reconciler (tests run a pass with `run`). */
  reconciler: Reconciler;
  /** Graceful: stops accepting, lets requests under way finish for up to `graceMs`, then closes the store (and its locks). */
  close(graceMs?: number): Promise<void>;
}

export interface ServerOptions {
  logger?: Logger;
  /** Client-side rate limiting toward Zoom (tests against an unlimited simulator may switch it off). */
  zoomRateLimit?: boolean;
  /** How long close() lets requests under way finish (default 10 s). */
  shutdownGraceMs?: number;
}

/** One Zoom call hook made of several: per-request counting, the audit trail, metrics. */
function all(...hooks: ((record: ZoomCallRecord) => void)[]): (record: ZoomCallRecord) => void {
  return (record) => {
    for (const hook of hooks) hook(record);
  };
}

/** The breaker's events as log lines: opening and releasing at warn, so that they page whoever watches warnings. */
function breakerLog(logger: Logger): BreakerObserver {
  return {
    opened: (tenant, reason) =>
      logger.warn({ tenant, reason }, "circuit breaker opened: destructive changes are refused until an admin releases it"),
    released: (tenant, by, wasOpen) => logger.warn({ tenant, by, wasOpen }, "circuit breaker released"),
    refused: (tenant, what) => logger.info({ tenant, what }, "destructive change refused: the circuit breaker is open"),
  };
}

/**
 * One tenant's provisioning domain over its own Zoom client; replicas on one PostgreSQL share the Zoom token and
 * rate budget through it (SQLite serves one process). The CLI's commands that need Zoom build theirs here too.
 */
export function buildTenant(
  tenant: TenantConfig,
  store: ResourceStore,
  logger: Logger,
  rateLimit = true,
  metrics?: Metrics,
  audit: AuditRecorder = NO_AUDIT,
): ProvisioningTenant {
  const coordination = store.coordination;
  const zoom = createZoomClient({
    ...tenant.zoom,
    ...(coordination.shared
      ? { rateBudget: storeRateBudget(coordination, tenant.zoom.accountId), sharedTokens: storeSharedTokens(coordination) }
      : {}),
    rateLimit,
    // The server's metrics, when it has them (the CLI's commands have none).
    onCall: metrics ? all(countZoomCall, auditZoomCall, metrics.zoomCallHook(tenant.name)) : all(countZoomCall, auditZoomCall),
    ...(metrics ? { observer: metrics.zoomObserver(tenant.name) } : {}),
    logger: logger.child({ tenant: tenant.name, component: "zoom" }),
  });
  const breakerObserver = observeBreaker(breakerLog(logger.child({ component: "breaker" })), breakerAudit(audit));
  return new ProvisioningTenant(tenant.name, zoom, store, tenant.options, breakerObserver, audit);
}

export async function startServer(config: AppConfig, options: ServerOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const store = await openStore(config.storePath);
  const tenants = new Map<string, ServedTenant>();
  // Entries past retention go before the server takes requests, then hourly.
  const auditSettings = config.audit ?? DEFAULT_AUDIT_SETTINGS;
  const retention = new AuditRetention(store.audit, auditSettings.retentionDays, logger.child({ component: "audit" }));
  await retention.start();
  // One registry per server: several servers in one process (tests, replicas) never share series.
  const metrics = new Metrics({ tenants: () => [...tenants.values()].map((t) => t.scim) });
  logger.info({ config: describeConfig(config) }, "configuration");
  for (const tenant of config.tenants) {
    logger.info({ tenant: tenant.name, plan: tenant.zoom.plan, createAction: tenant.options.createAction }, "serving tenant");
    const audit = new AuditRecorder(
      auditSettings.enabled ? store.audit : undefined,
      logger.child({ tenant: tenant.name, component: "audit" }),
    );
    tenants.set(tenant.name, {
      scim: buildTenant(tenant, store, logger, options.zoomRateLimit ?? true, metrics, audit),
      bearerTokens: tenant.bearerTokens,
      webhookSecretToken: tenant.webhookSecretToken,
    });
  }
  for (const [name, served] of tenants) {
    const waiting = await served.scim.preview.ledger.unappliedCount();
    if (served.scim.options.mode === "preview")
      logger.warn(
        { tenant: name, planned: waiting },
        "preview mode: SCIM writes are planned and not sent to Zoom (zoom-scim plan, GET /admin/plan)",
      );
    else if (waiting > 0)
      logger.warn(
        { tenant: name, planned: waiting },
        "the tenant is live but its preview plan is not applied: SCIM writes are refused until it is (zoom-scim apply, POST /admin/plan/apply)",
      );
  }
  const background = new BackgroundWork();
  const applyRuns = new ApplyRuns();
  const app = createApp({
    applyRuns,
    tenants,
    logger,
    publicUrl: config.publicUrl,
    sandbox: config.sandbox,
    background,
    http: config.http,
    metrics,
    metricsTokenHash: config.metricsTokenHash,
  });
  const server: Server = await listen(app, { host: config.host, port: config.port, limits: config.http.limits, logger });
  // Pending users' changes are applied after acceptance even when no webhook and no read notices it.
  const reconciler = new Reconciler(
    [...tenants.values()].map((t) => t.scim),
    logger.child({ component: "reconciler" }),
    (tenant, outcome) => metrics.reconcilerRun(tenant, outcome),
  );
  reconciler.start();
  const { port } = server.address() as AddressInfo;
  const host = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
  return {
    url: `http://${host}:${port}`,
    port,
    store,
    logger,
    reconciler,
    async close(graceMs = options.shutdownGraceMs ?? 10_000) {
      // Stop accepting; requests under way finish (within the grace), idle keep-alive connections go now.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), graceMs);
      await closed;
      clearTimeout(grace);
      // Work under way finishes against an open store; whatever it did not do is still in the store.
      await reconciler.stop();
      await applyRuns.stopAll();
      await background.idle();
      await retention.stop();
      await Promise.all([...tenants.values()].map((t) => t.scim.audit.idle()));
      await store.close();
    },
  };
}
