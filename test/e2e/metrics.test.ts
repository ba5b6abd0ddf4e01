// GET /metrics over HTTP against the simulator: the exposition parses strictly, SCIM_METRICS_TOKEN guards it, and
// a known sequence of requests moves each counter by exactly what it caused, a Zoom 429 and a token renewal
// (both forced through the simulator) included; gauges read at scrape time follow the store and the breaker.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startHarness, type Harness, type SimCall } from "../helpers/harness.js";
import { CORE, createPending, patch } from "../helpers/pending.js";
import { parseExposition, type Exposition } from "../helpers/prometheus.js";

const METRICS_TOKEN = "metrics-token-0123456789abcdef";
let h: Harness;

async function scrape(token: string | null = METRICS_TOKEN): Promise<{ status: number; type: string | null; text: string }> {
  const response = await fetch(`${h.server.url}/metrics`, token === null ? {} : { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, type: response.headers.get("content-type"), text: await response.text() };
}

async function metrics(): Promise<Exposition> {
  const answer = await scrape();
  assert.equal(answer.status, 200, answer.text);
  return parseExposition(answer.text);
}

/** Every simulator call after `mark`, OAuth included (harness.callsSince leaves OAuth out). */
async function simCallsSince(mark: number): Promise<SimCall[]> {
  const log = (await (await fetch(`${h.sim.baseUrl}/_sim/calls?since=${mark}`)).json()) as { calls: SimCall[] };
  return log.calls;
}

/** The change of every zoom_scim_zoom_calls_total series between two scrapes, as "METHOD category status" → delta. */
function zoomCallDeltas(before: Exposition, after: Exposition): Map<string, number> {
  const deltas = new Map<string, number>();
  for (const sample of after.series("zoom_scim_zoom_calls_total", { tenant: "default" })) {
    const delta = sample.value - before.count("zoom_scim_zoom_calls_total", sample.labels);
    if (delta !== 0) deltas.set(`${sample.labels.method} ${sample.labels.category} ${sample.labels.status}`, delta);
  }
  return deltas;
}

/** The same, from the simulator's own call log (its categories are Zoom's, as the client's are). */
function simCallCounts(calls: SimCall[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const call of calls) {
    const key = `${call.method} ${call.category} ${call.status}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

const sorted = (map: Map<string, number>) => [...map].sort(([a], [b]) => a.localeCompare(b));

before(async () => {
  h = await startHarness({
    // The client-side limiter on, so that its waits are measured.
    zoomRateLimit: true,
    env: { SCIM_METRICS_TOKEN: METRICS_TOKEN, SCIM_RECONCILE_INTERVAL_SECONDS: "0", SCIM_BREAKER_MAX_CHANGES: "1" },
  });
});
after(async () => h?.close());

describe("GET /metrics", () => {
  it("requires SCIM_METRICS_TOKEN when it is set: 401 JSON without it or with another token", async () => {
    for (const token of [null, "wrong-token-0123456789abcdef", "test-token-0123456789abcdef"]) {
      const refused = await scrape(token);
      assert.equal(refused.status, 401, refused.text);
      assert.match(refused.type ?? "", /^application\/json/);
      const body = JSON.parse(refused.text) as { detail: string };
      assert.match(body.detail, /SCIM_METRICS_TOKEN/);
      assert.ok(!refused.text.includes("zoom_scim_"), "no metric in a refusal");
    }
    const answer = await scrape();
    assert.equal(answer.status, 200);
    assert.match(answer.type ?? "", /^text\/plain; version=0\.0\.4/);
  });

  it("parses strictly as Prometheus text format, with Node's process metrics and every zoom-scim family", async () => {
    const exposition = await metrics();
    for (const [name, type] of [
      ["process_cpu_seconds_total", "counter"],
      ["nodejs_eventloop_lag_seconds", "gauge"],
      ["zoom_scim_requests_total", "counter"],
      ["zoom_scim_request_duration_seconds", "histogram"],
      ["zoom_scim_zoom_calls_total", "counter"],
      ["zoom_scim_zoom_call_duration_seconds", "histogram"],
      ["zoom_scim_zoom_rate_limited_total", "counter"],
      ["zoom_scim_zoom_rate_limiter_wait_seconds", "histogram"],
      ["zoom_scim_zoom_rate_limiter_queue_depth", "gauge"],
      ["zoom_scim_zoom_token_renewals_total", "counter"],
      ["zoom_scim_deferred_changes", "gauge"],
      ["zoom_scim_reconciler_runs_total", "counter"],
      ["zoom_scim_snapshot_age_seconds", "gauge"],
      ["zoom_scim_breaker_open", "gauge"],
    ] as const) {
      assert.equal(exposition.types.get(name), type, name);
      assert.ok((exposition.help.get(name) ?? "") !== "", `${name} has help`);
    }
    // The parser is strict: what breaks the format is refused, so a pass above means something.
    assert.throws(() => parseExposition('# TYPE a counter\na{b="c} 1\n'), /not closed/);
    assert.throws(() => parseExposition("b_total 1\n"), /no TYPE/);
    assert.throws(() => parseExposition("# TYPE a gauge\na 1\na 2\n"), /twice/);
    assert.throws(() => parseExposition("# TYPE a gauge\na one\n"), /not a number/);
  });

  it("counts requests by route template and status, and Zoom calls exactly as the simulator saw them", async () => {
    const email = "metrics.ada@example.com";
    const before = await metrics();
    const mark = await h.mark();
    const created = await h.scim("POST", "/Users", { schemas: [CORE], userName: email, name: { givenName: "Ada", familyName: "M" } });
    assert.equal(created.status, 201, created.text);
    const id = String(created.body.id);
    assert.equal((await h.scim("GET", `/Users/${id}`)).status, 200);
    assert.equal((await h.scim("GET", "/Users/no-such-user-0000")).status, 404);
    assert.equal((await h.scim("GET", "/Users?filter=userName%20eq%20%22metrics.ada%40example.com%22")).status, 200);
    assert.equal((await h.scim("GET", "/Users", undefined, { token: "wrong-token-0123456789" })).status, 401);
    assert.equal((await h.scim("GET", `${h.server.url}/no/such/path/at/all`)).status, 404);
    const webhook = await fetch(`${h.server.url}/made-up-tenant-${id}/webhooks/zoom`, { method: "POST", body: "{}" });
    assert.equal(webhook.status, 401);
    const calls = await simCallsSince(mark);
    const after = await metrics();

    const delta = (labels: Record<string, string>) =>
      after.count("zoom_scim_requests_total", labels) - before.count("zoom_scim_requests_total", labels);
    const request = (method: string, route: string, status: string) => ({ tenant: "default", method, route, status });
    assert.equal(delta(request("POST", "/Users", "201")), 1);
    assert.equal(delta(request("GET", "/Users/:id", "200")), 1);
    assert.equal(delta(request("GET", "/Users/:id", "404")), 1);
    assert.equal(delta(request("GET", "/Users", "200")), 1);
    assert.equal(delta(request("GET", "/Users", "401")), 1);
    // Outside any SCIM route: no tenant, one label value for every unknown path.
    assert.equal(delta({ tenant: "", method: "GET", route: "unmatched", status: "404" }), 1);
    // An unknown tenant's name in the URL never becomes a label value.
    assert.equal(delta({ tenant: "", method: "POST", route: "/webhooks/zoom", status: "401" }), 1);
    // The scrape before this test's own is counted too: the only other request in between.
    assert.equal(delta({ tenant: "", method: "GET", route: "/metrics", status: "200" }), 1);
    const durations = (labels: Record<string, string>) =>
      after.count("zoom_scim_request_duration_seconds_count", labels) - before.count("zoom_scim_request_duration_seconds_count", labels);
    assert.equal(durations({ tenant: "default", method: "GET", route: "/Users/:id" }), 2);

    // No series names the user: no id, no email, no raw path.
    for (const sample of after.samples) {
      const labels = JSON.stringify(sample.labels);
      assert.ok(!labels.includes(id) && !labels.includes("metrics.ada") && !labels.includes("no-such"), `${sample.name} ${labels}`);
    }

    assert.ok(calls.length > 0);
    assert.deepEqual(sorted(zoomCallDeltas(before, after)), sorted(simCallCounts(calls)));
    const apiCalls = calls.filter((c) => c.category !== "oauth");
    const waits = (category: string) =>
      after.count("zoom_scim_zoom_rate_limiter_wait_seconds_count", { tenant: "default", category }) -
      before.count("zoom_scim_zoom_rate_limiter_wait_seconds_count", { tenant: "default", category });
    for (const category of ["light", "medium", "heavy"])
      assert.equal(waits(category), apiCalls.filter((c) => c.category === category).length, `limiter waits of ${category} calls`);
    for (const sample of after.series("zoom_scim_zoom_rate_limiter_queue_depth")) assert.equal(sample.value, 0, "nobody waits now");
    const callDurations = after
      .series("zoom_scim_zoom_call_duration_seconds_count", { tenant: "default" })
      .reduce((sum, s) => sum + s.value - before.count("zoom_scim_zoom_call_duration_seconds_count", s.labels), 0);
    assert.equal(callDurations, calls.length);
  });

  it("counts a Zoom 429 (forced by the simulator) as a rate-limited call, then the retry that succeeded", async () => {
    const created = await h.scim("POST", "/Users", {
      schemas: [CORE],
      userName: "metrics.limited@example.com",
      name: { givenName: "Lim", familyName: "Ited" },
    });
    assert.equal(created.status, 201, created.text);
    const id = String(created.body.id);
    const before = await metrics();
    await h.simPost("/_sim/faults", {
      method: "GET",
      path: "/v2/users/*",
      status: 429,
      count: 1,
      message: "You have reached the maximum per-second rate limit for this API. Try again later.",
      headers: { "Retry-After": "1" },
    });
    const read = await h.scim("GET", `/Users/${id}`);
    assert.equal(read.status, 200, read.text);
    const after = await metrics();
    const limited = { tenant: "default", category: "light" };
    assert.equal(after.count("zoom_scim_zoom_rate_limited_total", limited) - before.count("zoom_scim_zoom_rate_limited_total", limited), 1);
    assert.deepEqual(sorted(zoomCallDeltas(before, after)), [
      ["GET light 200", 1],
      ["GET light 429", 1],
    ]);
    const ok = { tenant: "default", method: "GET", route: "/Users/:id", status: "200" };
    assert.equal(after.count("zoom_scim_requests_total", ok) - before.count("zoom_scim_requests_total", ok), 1);
  });

  it("counts a token renewal forced by the simulator revoking the token", async () => {
    const created = await h.scim("POST", "/Users", {
      schemas: [CORE],
      userName: "metrics.renewed@example.com",
      name: { givenName: "Re", familyName: "Newed" },
    });
    const id = String(created.body.id);
    const before = await metrics();
    await h.simPost("/_sim/tokens/revoke");
    assert.equal((await h.scim("GET", `/Users/${id}`)).status, 200);
    const after = await metrics();
    const renewals = (outcome: string) =>
      after.count("zoom_scim_zoom_token_renewals_total", { tenant: "default", outcome }) -
      before.count("zoom_scim_zoom_token_renewals_total", { tenant: "default", outcome });
    assert.equal(renewals("success"), 1);
    assert.equal(renewals("failure"), 0);
    // The refused call, the token request, the call again.
    assert.deepEqual(sorted(zoomCallDeltas(before, after)), [
      ["GET light 200", 1],
      ["GET light 401", 1],
      ["POST oauth 200", 1],
    ]);
  });

  it("reads deferred changes from the store and counts reconciler passes", async () => {
    const gauge = (e: Exposition, state: string) => e.value("zoom_scim_deferred_changes", { tenant: "default", state });
    const before = await metrics();
    assert.equal(gauge(before, "waiting"), 0);
    assert.equal(gauge(before, "retrying"), 0);
    const id = await createPending(h, "metrics.pending@example.com");
    const changed = await h.scim("PATCH", `/Users/${id}`, patch({ op: "replace", path: "title", value: "Deferred" }));
    assert.equal(changed.status, 200, changed.text);
    const waiting = await metrics();
    assert.equal(gauge(waiting, "waiting"), 1);
    assert.equal(gauge(waiting, "retrying"), 0);

    await h.simPost(`/_sim/users/${id}/accept-invitation`);
    await h.server.reconciler.runAll();
    const after = await metrics();
    assert.equal(gauge(after, "waiting"), 0, "the reconciler applied the change");
    const runs = (outcome: string) =>
      after.count("zoom_scim_reconciler_runs_total", { tenant: "default", outcome }) -
      before.count("zoom_scim_reconciler_runs_total", { tenant: "default", outcome });
    assert.equal(runs("ok"), 1);
    assert.equal(runs("failed") + runs("error") + runs("skipped"), 0);
  });

  it("reports the snapshot's age once a list has scanned Zoom", async () => {
    await h.restartServer();
    const fresh = await metrics();
    assert.equal(fresh.value("zoom_scim_snapshot_age_seconds", { tenant: "default" }), undefined, "no scan yet");
    assert.equal((await h.scim("GET", "/Users?count=5")).status, 200);
    const scanned = await metrics();
    const age = scanned.value("zoom_scim_snapshot_age_seconds", { tenant: "default" });
    assert.ok(age !== undefined && age >= 0, `age ${age}`);
  });

  it("shows the circuit breaker open (1) once it refuses, and closed (0) after the release", async () => {
    const users: string[] = [];
    for (const name of ["one", "two"]) {
      const created = await h.scim("POST", "/Users", {
        schemas: [CORE],
        userName: `metrics.breaker.${name}@example.com`,
        name: { givenName: name, familyName: "B" },
      });
      users.push(String(created.body.id));
    }
    assert.equal((await metrics()).value("zoom_scim_breaker_open", { tenant: "default" }), 0);
    const deactivate = (id: string) => h.scim("PATCH", `/Users/${id}`, patch({ op: "replace", path: "active", value: false }));
    assert.equal((await deactivate(users[0] ?? "")).status, 200);
    assert.equal((await deactivate(users[1] ?? "")).status, 503);
    const opened = await metrics();
    assert.equal(opened.value("zoom_scim_breaker_open", { tenant: "default" }), 1);
    assert.equal((await h.scim("POST", `${h.server.url}/admin/breaker/release`)).status, 200);
    assert.equal((await metrics()).value("zoom_scim_breaker_open", { tenant: "default" }), 0);
  });
});

describe("the client-side rate limiter's metrics", () => {
  let paced: Harness;
  before(async () => {
    // A Free plan's 4 light calls per second: a burst of reads must queue.
    paced = await startHarness({ zoomRateLimit: true, env: { ZOOM_PLAN: "free" } });
  });
  after(async () => paced?.close());

  it("shows calls queued while a burst waits for its slots, and none once it is through", async () => {
    const seeded = await paced.simPost("/_sim/seed", {
      users: Array.from({ length: 8 }, (_, i) => ({ email: `paced.${i}@example.com`, first_name: "P", last_name: `${i}` })),
    });
    const ids = (seeded.users as { id: string }[]).map((u) => u.id);
    const read = async (): Promise<Exposition> => {
      // Without SCIM_METRICS_TOKEN, /metrics is open.
      const answer = await fetch(`${paced.server.url}/metrics`);
      assert.equal(answer.status, 200);
      return parseExposition(await answer.text());
    };
    const queued = (e: Exposition) => e.count("zoom_scim_zoom_rate_limiter_queue_depth", { tenant: "default", category: "light" });
    let burstDone = false;
    const burst = Promise.all(ids.map((id) => paced.scim("GET", `/Users/${id}`))).finally(() => (burstDone = true));
    let deepest = 0;
    while (!burstDone) {
      deepest = Math.max(deepest, queued(await read()));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    for (const answer of await burst) assert.equal(answer.status, 200, answer.text);
    assert.ok(deepest >= 1, `the scrapes during the burst saw ${deepest} calls queued`);
    const after = await read();
    assert.equal(queued(after), 0);
    const waits = after.series("zoom_scim_zoom_rate_limiter_wait_seconds_count", { tenant: "default", category: "light" });
    assert.equal(waits[0]?.value, ids.length, "one wait per light call");
    const waited = after.value("zoom_scim_zoom_rate_limiter_wait_seconds_sum", { tenant: "default", category: "light" }) ?? 0;
    assert.ok(waited > 0, "the burst waited for its slots");
  });
});
