// zoom-scim's Prometheus metrics: one registry per server (several servers in one process never share series),
// Node's default process metrics, and ours, fed by the hooks the server wires (HTTP requests, the Zoom client's
// onCall and observer, the reconciler) or read from the store and the tenants at scrape time. Every label takes a
// bounded set of values: configured tenant names, route templates, HTTP methods and statuses, Zoom categories.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { withTimeout } from "../../lib/concurrency.js";
import type { Tenant } from "../../provisioning/tenant.js";
import type { ReconcileOutcome } from "../../provisioning/lifecycle/reconciler.js";
import type { ZoomCallRecord, ZoomClientObserver, ZoomRateCategory } from "../../zoom/index.js";

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const WAIT_SECONDS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** A scrape-time store read that takes longer is skipped: a slow store must not hang the scrape. */
const SCRAPE_READ_TIMEOUT_MS = 2000;

const within = <T>(work: Promise<T>): Promise<T> => withTimeout(work, SCRAPE_READ_TIMEOUT_MS, "scrape-time read timed out");

export interface MetricsSource {
  /** The tenants served (read at each scrape). */
  tenants(): Iterable<Tenant>;
}

export class Metrics {
  readonly registry = new Registry();

  private readonly requests = new Counter({
    name: "zoom_scim_requests_total",
    help: "HTTP requests answered, by tenant, method, route template and status.",
    labelNames: ["tenant", "method", "route", "status"] as const,
    registers: [this.registry],
  });
  private readonly requestSeconds = new Histogram({
    name: "zoom_scim_request_duration_seconds",
    help: "Time from a request's arrival to its answer's last byte, by tenant, method and route template.",
    labelNames: ["tenant", "method", "route"] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });
  private readonly zoomCalls = new Counter({
    name: "zoom_scim_zoom_calls_total",
    help: "HTTP attempts to Zoom (token requests as category oauth), by tenant, rate-limit category, method and status (0: no answer).",
    labelNames: ["tenant", "category", "method", "status"] as const,
    registers: [this.registry],
  });
  private readonly zoomCallSeconds = new Histogram({
    name: "zoom_scim_zoom_call_duration_seconds",
    help: "Duration of each HTTP attempt to Zoom, by tenant, category and method.",
    labelNames: ["tenant", "category", "method"] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });
  private readonly rateLimited = new Counter({
    name: "zoom_scim_zoom_rate_limited_total",
    help: "Zoom's 429 answers, by tenant and category.",
    labelNames: ["tenant", "category"] as const,
    registers: [this.registry],
  });
  private readonly limiterWait = new Histogram({
    name: "zoom_scim_zoom_rate_limiter_wait_seconds",
    help: "How long calls waited for the client-side rate limiter's slot, by tenant and category.",
    labelNames: ["tenant", "category"] as const,
    buckets: WAIT_SECONDS,
    registers: [this.registry],
  });
  private readonly limiterQueue = new Gauge({
    name: "zoom_scim_zoom_rate_limiter_queue_depth",
    help: "Calls waiting for the client-side rate limiter now, by tenant and category.",
    labelNames: ["tenant", "category"] as const,
    registers: [this.registry],
  });
  private readonly tokenRenewals = new Counter({
    name: "zoom_scim_zoom_token_renewals_total",
    help: "Zoom access token requests, by tenant and outcome (success, failure).",
    labelNames: ["tenant", "outcome"] as const,
    registers: [this.registry],
  });
  private readonly reconcilerRuns = new Counter({
    name: "zoom_scim_reconciler_runs_total",
    help: "Reconciler passes, by tenant and outcome (ok, failed, error, skipped).",
    labelNames: ["tenant", "outcome"] as const,
    registers: [this.registry],
  });

  constructor(source: MetricsSource) {
    collectDefaultMetrics({ register: this.registry });
    const tenants = (): Tenant[] => [...source.tenants()];
    new Gauge({
      name: "zoom_scim_deferred_changes",
      help: "Changes to pending users waiting in the store, by tenant and state (waiting: never attempted; retrying: failed at least once).",
      labelNames: ["tenant", "state"] as const,
      registers: [this.registry],
      // One aggregate query per store per scrape; a store that does not answer in time leaves the series out.
      async collect() {
        this.reset();
        const served = tenants();
        const stores = new Set(served.map((t) => t.store));
        const names = new Set(served.map((t) => t.name));
        for (const name of names) for (const state of ["waiting", "retrying"]) this.set({ tenant: name, state }, 0);
        for (const store of stores) {
          const counts = await within(store.health.deferredChangeCounts()).catch(() => undefined);
          if (!counts) {
            for (const tenant of served)
              if (tenant.store === store) for (const state of ["waiting", "retrying"]) this.remove(tenant.name, state);
            continue;
          }
          // Rows of tenants no longer configured are left out: the label's values stay the configured names.
          for (const row of counts) if (names.has(row.tenant)) this.inc({ tenant: row.tenant, state: row.state }, row.count);
        }
      },
    });
    new Gauge({
      name: "zoom_scim_snapshot_age_seconds",
      help: "Age of each tenant's Zoom user snapshot (the last scan of Zoom's user lists); absent before the first scan.",
      labelNames: ["tenant"] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        const now = Date.now();
        for (const tenant of tenants()) {
          const takenAt = tenant.users.snapshotTakenAt();
          if (takenAt !== undefined) this.set({ tenant: tenant.name }, Math.max(0, (now - takenAt) / 1000));
        }
      },
    });
    new Gauge({
      name: "zoom_scim_breaker_open",
      help: "1 while the tenant's circuit breaker for destructive changes is open (as the store holds it, for every replica), else 0.",
      labelNames: ["tenant"] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        await Promise.all(
          tenants().map(async (tenant) => {
            const open = await within(tenant.breaker.isOpen()).catch(() => undefined);
            if (open !== undefined) this.set({ tenant: tenant.name }, open ? 1 : 0);
          }),
        );
      },
    });
  }

  /** One answered HTTP request (route: a template from route-label.ts; tenant: a configured name or ""). */
  request(labels: { tenant: string; method: string; route: string; status: number }, seconds: number): void {
    this.requests.inc({ ...labels, status: String(labels.status) });
    this.requestSeconds.observe({ tenant: labels.tenant, method: labels.method, route: labels.route }, seconds);
  }

  /** The Zoom client's onCall hook for one tenant. */
  zoomCallHook(tenant: string): (record: ZoomCallRecord) => void {
    return (record) => {
      this.zoomCalls.inc({ tenant, category: record.category, method: record.method, status: String(record.status) });
      this.zoomCallSeconds.observe({ tenant, category: record.category, method: record.method }, record.durationMs / 1000);
      if (record.status === 429) this.rateLimited.inc({ tenant, category: record.category });
    };
  }

  /** The Zoom client's observer for one tenant: limiter waits and token requests. */
  zoomObserver(tenant: string): ZoomClientObserver {
    return {
      limiterQueued: (category: ZoomRateCategory) => this.limiterQueue.inc({ tenant, category }),
      limiterDequeued: (category: ZoomRateCategory, waitedMs: number | undefined) => {
        this.limiterQueue.dec({ tenant, category });
        if (waitedMs !== undefined) this.limiterWait.observe({ tenant, category }, waitedMs / 1000);
      },
      tokenRequested: (outcome) => this.tokenRenewals.inc({ tenant, outcome }),
    };
  }

  /** The reconciler's observer. */
  reconcilerRun(tenant: string, outcome: ReconcileOutcome): void {
    this.reconcilerRuns.inc({ tenant, outcome });
  }

  /** The exposition text (Prometheus text format 0.0.4) and its content type. */
  async exposition(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}
