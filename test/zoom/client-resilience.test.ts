// Rate limits, retries, timeouts and observability against the simulator's real limits and injected faults.

import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { ZoomApiError, ZoomUnavailableError, type ZoomCallRecord } from "../../src/zoom/index.js";
import { addFault, clearCalls, clearFaults, clientFor, control, rejection, simCalls, startSim, type Sim } from "./sim.js";

describe("Zoom client resilience", () => {
  let sim: Sim;
  let ownerId: string;

  before(async () => {
    sim = await startSim({ plan: "pro" });
    ownerId = (await control<{ ownerId: string }>(sim, "GET", "/")).ownerId;
  });
  after(() => sim.close());
  beforeEach(async () => {
    await clearFaults(sim);
    await clearCalls(sim);
  });

  const attempts = (records: ZoomCallRecord[]) => records.filter((r) => r.category !== "oauth").map((r) => [r.status, r.attempt]);

  it("waits out a per-second 429's Retry-After, then succeeds", async () => {
    const { client, records } = clientFor(sim);
    await client.getUser(ownerId);
    records.length = 0;
    await addFault(sim, { method: "GET", path: "/v2/users/*", status: 429, headers: { "retry-after": "1" }, count: 1 });
    const started = Date.now();
    const first = client.getUser(ownerId);
    await new Promise((resolve) => setTimeout(resolve, 150));
    // The pause holds the whole category, not just the refused call.
    const second = client.listUsers({ status: "active" }).then(() => Date.now() - started);
    const bystander = client.getUser(ownerId).then(() => Date.now() - started);
    assert.equal((await first).id, ownerId);
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 950, `waited ${elapsed} ms`);
    assert.ok((await bystander) >= 950, "a light call waited for the pause");
    assert.ok((await second) < 600, "a medium call did not");
    assert.deepEqual(
      records.filter((r) => r.category === "light").map((r) => r.status),
      [429, 200, 200],
    );
    client.close();
  });

  it("keeps under the plan's real per-second limit, so Zoom never answers 429", async () => {
    const { client } = clientFor(sim, { plan: "pro" });
    const started = Date.now();
    await Promise.all(Array.from({ length: 35 }, () => client.getUser(ownerId))); // light: 30/s on Pro
    const elapsed = Date.now() - started;
    const calls = (await simCalls(sim)).filter((c) => c.path.startsWith("/v2/"));
    assert.equal(calls.length, 35);
    assert.equal(calls.filter((c) => c.status === 429).length, 0);
    assert.ok(elapsed >= 1000, `35 light calls took ${elapsed} ms`);
    client.close();
  });

  it("without its own limiter, recovers from the real limit's 429s", async () => {
    const { client, records } = clientFor(sim, { rateLimit: false });
    // 70 at once span at most two of the simulator's one-second windows of 30: at least 10 are refused.
    await Promise.all(Array.from({ length: 70 }, () => client.getUser(ownerId)));
    const refused = records.filter((r) => r.status === 429);
    assert.ok(refused.length >= 10, `the simulator refused ${refused.length} calls`);
    assert.equal(records.filter((r) => r.category === "light" && r.status === 200).length, 70);
    client.close();
  });

  it("throws a daily-limit 429 at once, with seconds until the reset", async () => {
    const { client, records } = clientFor(sim);
    const midnight = new Date();
    midnight.setUTCHours(24, 0, 0, 0);
    const expected = Math.ceil((midnight.getTime() - Date.now()) / 1000);
    await addFault(sim, {
      method: "GET",
      path: "/v2/users",
      status: 429,
      code: 429,
      message:
        "You have reached the maximum daily rate limit for this API. Refer to the response header for details on when you can make another request.",
      headers: { "retry-after": midnight.toISOString(), "x-ratelimit-type": "Daily-limit" },
    });
    const error = await rejection(() => client.listUsers({ status: "active" }));
    assert.ok(error instanceof ZoomApiError, String(error));
    assert.equal(error.status, 429);
    assert.ok(
      error.retryAfterSeconds !== undefined && Math.abs(error.retryAfterSeconds - expected) <= 2,
      `${error.retryAfterSeconds} vs ${expected}`,
    );
    assert.deepEqual(attempts(records), [[429, 1]]);
    client.close();
  });

  it("throws the simulator's real daily cap on group creation", async () => {
    await control(sim, "PATCH", "/config", { limits: { groupCreatesPerDay: 1 } });
    // The test before spends the simulator's per-second budget on purpose; a second on its clock starts a fresh window,
    // so the only 429 here is the daily cap.
    await control(sim, "POST", "/clock", { advanceSeconds: 1 });
    await clearCalls(sim);
    try {
      const { client } = clientFor(sim);
      await client.createGroup("daily-cap-1");
      const error = await rejection(() => client.createGroup("daily-cap-2"));
      assert.ok(error instanceof ZoomApiError, String(error));
      assert.equal(error.status, 429);
      assert.ok((error.retryAfterSeconds ?? 0) > 0 && (error.retryAfterSeconds ?? 0) <= 86_400);
      const posts = (await simCalls(sim)).filter((c) => c.method === "POST" && c.path === "/v2/groups");
      assert.deepEqual(
        posts.map((c) => c.status),
        [201, 429],
      );
      client.close();
    } finally {
      await control(sim, "PATCH", "/config", { limits: {} });
    }
  });

  it("retries a GET after 5xx answers and succeeds", async () => {
    const { client, records } = clientFor(sim);
    await addFault(sim, { method: "GET", path: "/v2/users/*", status: 503, count: 1 });
    await addFault(sim, { method: "GET", path: "/v2/users/*", status: 500, count: 1 });
    const user = await client.getUser(ownerId);
    assert.equal(user.id, ownerId);
    assert.deepEqual(attempts(records), [
      [503, 1],
      [500, 2],
      [200, 3],
    ]);
    client.close();
  });

  it("gives up on a GET after maxRetries with ZoomUnavailableError", async () => {
    const { client, records } = clientFor(sim, { maxRetries: 2 });
    await addFault(sim, { method: "GET", path: "/v2/users/*", status: 502, headers: { "retry-after": "30" } });
    const error = await rejection(() => client.getUser(ownerId));
    assert.ok(error instanceof ZoomUnavailableError, String(error));
    assert.equal(error.kind, "server");
    assert.equal(error.status, 502);
    assert.equal(error.attempts, 3);
    assert.equal(error.retryAfterSeconds, 30);
    assert.deepEqual(attempts(records), [
      [502, 1],
      [502, 2],
      [502, 3],
    ]);
    client.close();
  });

  it("does not repeat a POST that got a 5xx", async () => {
    const { client } = clientFor(sim);
    await addFault(sim, { method: "POST", path: "/v2/users", status: 500, count: 1 });
    const error = await rejection(() => client.createUser({ action: "autoCreate", user_info: { email: "once@example.com", type: 1 } }));
    assert.ok(error instanceof ZoomUnavailableError, String(error));
    assert.equal(error.kind, "server");
    assert.equal(error.attempts, 1);
    assert.equal((await simCalls(sim)).filter((c) => c.method === "POST" && c.path === "/v2/users").length, 1);
    client.close();
  });

  it("retries a PATCH that timed out", async () => {
    const { client, records } = clientFor(sim, { timeoutMs: 300 });
    await addFault(sim, { method: "PATCH", path: "/v2/users/*", timeout: true, holdMs: 2000, count: 1 });
    await client.updateUser(ownerId, { dept: "Retried" });
    assert.deepEqual(attempts(records), [
      [0, 1],
      [204, 2],
    ]);
    assert.equal((await client.getUser(ownerId)).dept, "Retried");
    client.close();
  });

  it("reports a timeout as ZoomUnavailableError kind timeout", async () => {
    const { client, records } = clientFor(sim, { timeoutMs: 200, maxRetries: 1 });
    await addFault(sim, { method: "GET", path: "/v2/groups", timeout: true, holdMs: 2000 });
    const started = Date.now();
    const error = await rejection(() => client.listGroups());
    assert.ok(error instanceof ZoomUnavailableError, String(error));
    assert.equal(error.kind, "timeout");
    assert.equal(error.attempts, 2);
    assert.ok(error.retryAfterSeconds > 0);
    assert.deepEqual(attempts(records), [
      [0, 1],
      [0, 2],
    ]);
    assert.ok(Date.now() - started < 1500);
    client.close();
  });

  it("never re-sends a create that timed out", async () => {
    const { client } = clientFor(sim, { timeoutMs: 200 });
    await addFault(sim, { method: "POST", path: "/v2/users", timeout: true, holdMs: 2000, count: 1 });
    const error = await rejection(() => client.createUser({ action: "autoCreate", user_info: { email: "slow@example.com", type: 1 } }));
    assert.ok(error instanceof ZoomUnavailableError, String(error));
    assert.equal(error.kind, "timeout");
    assert.equal(error.attempts, 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal((await simCalls(sim)).filter((c) => c.method === "POST" && c.path === "/v2/users").length, 1);
    client.close();
  });

  it("never re-sends a create that Zoom applied but whose answer was lost", async () => {
    const { client, records } = clientFor(sim);
    await addFault(sim, { method: "POST", path: "/v2/users", applyFirst: true, drop: true, count: 1 });
    const error = await rejection(() => client.createUser({ action: "autoCreate", user_info: { email: "applied@example.com", type: 1 } }));
    assert.ok(error instanceof ZoomUnavailableError, String(error));
    assert.equal(error.kind, "network");
    assert.equal(error.attempts, 1);
    assert.deepEqual(attempts(records), [[0, 1]]);
    const creates = (await simCalls(sim)).filter((c) => c.method === "POST" && c.path === "/v2/users");
    assert.deepEqual(
      creates.map((c) => [c.status, c.appliedStatus]),
      [[0, 201]],
    );
    assert.equal((await client.getUser("applied@example.com")).email, "applied@example.com");
    client.close();
  });

  it("repeats a POST that provably never left (connection refused)", async () => {
    const dead = await startSim();
    const deadApi = dead.apiUrl;
    await dead.close();
    const { client, records } = clientFor(sim, { apiUrl: deadApi, maxRetries: 2 });
    const error = await rejection(() => client.createUser({ action: "autoCreate", user_info: { email: "never@example.com", type: 1 } }));
    assert.ok(error instanceof ZoomUnavailableError, String(error));
    assert.equal(error.kind, "network");
    assert.equal(error.networkCode, "ECONNREFUSED");
    assert.equal(error.attempts, 3);
    assert.deepEqual(attempts(records), [
      [0, 1],
      [0, 2],
      [0, 3],
    ]);
    client.close();
  });

  it("backs off on Zoom's per-user concurrency 429 and retries the delete", async () => {
    const { client, records } = clientFor(sim);
    const seeded = await control<{ users: { id: string }[] }>(sim, "POST", "/seed", { users: [{ email: "twice@example.com" }] });
    await addFault(sim, {
      method: "DELETE",
      path: "/v2/users/*",
      status: 429,
      code: 429,
      message: "Too many concurrent requests. Please try again later.",
      count: 1,
    });
    const started = Date.now();
    const deletion = client.deleteUser(seeded.users[0]?.id ?? "", "delete");
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Only the locked user's call waits: the category is not paused.
    await client.getUser(ownerId);
    assert.ok(Date.now() - started < 600, "another light call went ahead");
    await deletion;
    assert.ok(Date.now() - started >= 950, "the delete waited out Retry-After");
    assert.deepEqual(
      records.filter((r) => r.method === "DELETE").map((r) => [r.status, r.attempt]),
      [
        [429, 1],
        [204, 2],
      ],
    );
    client.close();
  });

  it("turns a non-JSON error page into ZoomApiError", async () => {
    const { client } = clientFor(sim);
    await addFault(sim, {
      method: "GET",
      path: "/v2/groups/*",
      status: 403,
      body: "<html><body>Forbidden by proxy</body></html>",
      count: 1,
    });
    const error = await rejection(() => client.getGroup("g1"));
    assert.ok(error instanceof ZoomApiError, String(error));
    assert.equal(error.status, 403);
    assert.equal(error.code, undefined);
    assert.match(error.zoomMessage, /Forbidden by proxy/);
    client.close();
  });

  it("reports one record per attempt with method, path, status, category, duration, code and attempt", async () => {
    const sink = await startSim();
    try {
      const { client, records } = clientFor(sink);
      await addFault(sink, { method: "GET", path: "/v2/users/*", status: 503, count: 1 });
      const seeded = await control<{ users: { id: string }[] }>(sink, "POST", "/seed", { users: [{ email: "rec@example.com" }] });
      const id = seeded.users[0]?.id ?? "";
      await client.getUser(id);
      await rejection(() => client.getGroup("missing"));
      assert.equal(records.length, 4);
      // Each record carries the tracking id Zoom's answer did (the simulator's log holds the same ones).
      assert.deepEqual(
        records.map((r) => r.trackingId),
        (await simCalls(sink)).map((c) => c.trackingId),
      );
      assert.ok(records.every((r) => typeof r.trackingId === "string"));
      const [oauth, first, second, missing] = records.map(({ trackingId: _tracked, ...rest }) => rest);
      assert.deepEqual(
        { ...oauth, durationMs: 0 },
        { method: "POST", path: "/oauth/token", status: 200, category: "oauth", durationMs: 0, attempt: 1 },
      );
      assert.deepEqual(
        { ...first, durationMs: 0 },
        { method: "GET", path: `/users/${id}`, status: 503, category: "light", durationMs: 0, code: 503, attempt: 1 },
      );
      assert.deepEqual(
        { ...second, durationMs: 0 },
        { method: "GET", path: `/users/${id}`, status: 200, category: "light", durationMs: 0, attempt: 2 },
      );
      assert.deepEqual(
        { ...missing, durationMs: 0 },
        { method: "GET", path: "/groups/missing", status: 404, category: "light", durationMs: 0, code: 4130, attempt: 1 },
      );
      for (const r of records) assert.ok(Number.isInteger(r.durationMs) && r.durationMs >= 0);
      assert.equal((await simCalls(sink)).length, records.length);
      client.close();
    } finally {
      await sink.close();
    }
  });

  it("logs every attempt at debug level without the secret, the Basic header or the token", async () => {
    const fresh = await startSim();
    const logged: { level: string; obj: object; msg: string | undefined }[] = [];
    try {
      const { client } = clientFor(fresh, {
        logger: {
          debug: (obj, msg) => logged.push({ level: "debug", obj, msg }),
          warn: (obj, msg) => logged.push({ level: "warn", obj, msg }),
        },
      });
      await client.listUsers({ status: "active" });
      await control(fresh, "POST", "/tokens/revoke");
      await addFault(fresh, { method: "GET", path: "/v2/users", status: 500, count: 1 });
      await client.listUsers({ status: "active" });
      const debug = logged.filter((l) => l.level === "debug");
      // token, list; then 401, token, 500, list
      assert.equal(debug.length, 6);
      assert.ok(logged.some((l) => l.level === "warn"));
      const text = JSON.stringify(logged);
      const basic = Buffer.from(`${fresh.clientId}:${fresh.clientSecret}`).toString("base64");
      for (const secret of [fresh.clientSecret, basic, "Bearer", "Basic", "access_token", "authorization"]) {
        assert.ok(!text.includes(secret), `log holds ${secret}`);
      }
      client.close();
    } finally {
      await fresh.close();
    }
  });
});
