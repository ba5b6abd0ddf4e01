// /healthz and /readyz over HTTP: readiness fails (503, naming what is not ready, tenants only as a count) while a
// tenant's Zoom credentials are refused, while a migration is missing, and while the store (PostgreSQL) refuses
// connections; it answers 200 once all is well again, without a restart where none is needed.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import Database from "better-sqlite3";
import pg from "pg";
import { TOKEN, namedTenant, simTenantBase, startHarness, type Harness, type ScimAnswer } from "../helpers/harness.js";
import { parseExposition } from "../helpers/prometheus.js";
import { storeBackends } from "../helpers/stores.js";

const METRICS_TOKEN = "metrics-token-0123456789abcdef";
const WRONG_SECRET = "not-the-zoom-client-secret-42";

interface Readiness {
  status: string;
  notReady?: string[];
  checks: {
    store: { ok: boolean; detail?: string };
    migrations: { ok: boolean; detail?: string };
    zoomTokens: { ok: boolean; tenants: number; ready: number; detail?: string; notReadyTenants?: string[] };
  };
}

const readyz = (h: Harness, token?: string): Promise<ScimAnswer> =>
  h.scim("GET", `${h.server.url}/readyz`, undefined, token === undefined ? { token: null } : { token });

describe("readiness and liveness", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({
      env: { SCIM_METRICS_TOKEN: METRICS_TOKEN },
      tenants: (sim) => {
        const base = simTenantBase(sim);
        return [namedTenant({ ...base, zoom: { ...base.zoom, clientSecret: WRONG_SECRET } }, "acme", "acme-token-0123456789abcdef")];
      },
    });
  });
  after(async () => h?.close());

  it("/healthz answers while the process runs, whatever Zoom says", async () => {
    const health = await h.scim("GET", "/healthz", undefined, { token: null });
    assert.equal(health.status, 200);
    assert.equal(health.body.status, "ok");
  });

  it("answers 503 while a tenant's Zoom credentials are refused, counting tenants without naming them", async () => {
    const answer = await readyz(h);
    assert.equal(answer.status, 503, answer.text);
    const body = answer.body as unknown as Readiness;
    assert.equal(body.status, "not ready");
    assert.deepEqual(body.notReady, ["zoomTokens"]);
    assert.equal(body.checks.store.ok, true);
    assert.equal(body.checks.migrations.ok, true);
    assert.equal(body.checks.zoomTokens.tenants, 2);
    assert.equal(body.checks.zoomTokens.ready, 1);
    assert.match(body.checks.zoomTokens.detail ?? "", /1 of 2 tenants hold no valid Zoom access token: Zoom refused .*credentials/);
    for (const hidden of ["acme", WRONG_SECRET, h.sim.clientSecret]) assert.ok(!answer.text.includes(hidden), `the answer holds ${hidden}`);
    // The holder of the metrics token is told which tenant.
    const told = (await readyz(h, METRICS_TOKEN)).body as unknown as Readiness;
    assert.deepEqual(told.checks.zoomTokens.notReadyTenants, ["acme"]);
    const notTold = (await readyz(h, TOKEN)).body as unknown as Readiness;
    assert.equal(notTold.checks.zoomTokens.notReadyTenants, undefined, "a SCIM token is not the metrics token");
    // Three probes, one token request: a refusal is remembered for a few seconds rather than asked again per probe.
    const metrics = parseExposition(
      await (await fetch(`${h.server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text(),
    );
    assert.equal(metrics.value("zoom_scim_zoom_token_renewals_total", { tenant: "acme", outcome: "failure" }), 1);
    const tokenRequests = metrics.series("zoom_scim_zoom_calls_total", { tenant: "acme", category: "oauth" });
    assert.deepEqual(
      tokenRequests.map((sample) => [sample.labels.status, sample.value]),
      [["400", 1]],
    );
  });

  it("answers 200 once every tenant's credentials are accepted", async () => {
    await h.restartServer({ tenants: [namedTenant(simTenantBase(h.sim), "default", TOKEN)] });
    const answer = await readyz(h);
    assert.equal(answer.status, 200, answer.text);
    const body = answer.body as unknown as Readiness;
    assert.equal(body.status, "ready");
    assert.deepEqual(body.checks.zoomTokens, { ok: true, tenants: 1, ready: 1 });
  });

  it("answers 503 naming the migration the store lacks, and 200 once it is recorded", async () => {
    const db = new Database(join(h.storeDir, "store.sqlite"));
    try {
      const row = db.prepare("SELECT version, description, applied_at FROM schema_migrations WHERE version = 7").get() as
        { version: number; description: string; applied_at: string } | undefined;
      assert.ok(row);
      db.prepare("DELETE FROM schema_migrations WHERE version = 7").run();
      const answer = await readyz(h);
      assert.equal(answer.status, 503, answer.text);
      const body = answer.body as unknown as Readiness;
      assert.deepEqual(body.notReady, ["migrations"]);
      assert.match(body.checks.migrations.detail ?? "", /lacks migration 7\b/);
      db.prepare("INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)").run(
        row.version,
        row.description,
        row.applied_at,
      );
    } finally {
      db.close();
    }
    assert.equal((await readyz(h)).status, 200);
  });
});

describe("readiness while PostgreSQL refuses connections", () => {
  const postgres = storeBackends().find((b) => b.name === "postgres");
  let h: Harness;
  let admin: pg.Client;
  let database = "";

  before(async () => {
    assert.ok(postgres);
    const location = new URL(await postgres.location("ready"));
    database = location.pathname.slice(1);
    const adminUrl = new URL(location);
    adminUrl.pathname = "/postgres";
    adminUrl.search = "";
    admin = new pg.Client({ connectionString: adminUrl.toString() });
    await admin.connect();
    h = await startHarness({ env: { ZOOM_SCIM_DB: location.toString() } });
  });
  after(async () => {
    await admin?.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`).catch(() => undefined);
    await h?.close();
    await admin?.end();
  });

  it("answers 503 naming the store while it is unreachable, and 200 once it is back", async () => {
    assert.equal((await readyz(h)).status, 200);
    await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS false`);
    await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [database]);
    const down = await readyz(h);
    assert.equal(down.status, 503, down.text);
    const body = down.body as unknown as Readiness;
    assert.deepEqual(body.notReady, ["store", "migrations"]);
    assert.match(body.checks.store.detail ?? "", /store is unreachable/);
    assert.equal(body.checks.zoomTokens.ok, true, "the token obtained before is still valid");
    assert.ok(!down.text.includes(database) && !down.text.includes("postgres://"), "the answer names no database");

    await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`);
    assert.equal((await readyz(h)).status, 200);
  });
});
