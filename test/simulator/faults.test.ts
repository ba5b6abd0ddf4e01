import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { Harness, sleep, type ZoomErrorBody } from "./helpers.js";

describe("control plane: faults", () => {
  let h: Harness;
  let userId = "";
  before(async () => {
    h = await Harness.start({ rateLimits: false });
    userId = await h.createUser("faulty@example.com");
  });
  beforeEach(async () => {
    await h.control("DELETE", "/faults");
  });
  after(() => h.close());

  it("forces a 5xx on matching calls, `count` times", async () => {
    const added = await h.control<{ ids: number[] }>("POST", "/faults", {
      method: "GET",
      path: "/v2/users/{userId}",
      status: 503,
      count: 2,
    });
    assert.equal(added.status, 201);
    assert.equal(added.body.ids.length, 1);
    const a = await h.api<ZoomErrorBody>("GET", `/users/${userId}`);
    assert.equal(a.status, 503);
    assert.deepEqual(a.body, { code: 503, message: "Internal Server Error." });
    assert.ok(a.headers.get("x-zm-trackingid"));
    assert.equal((await h.api("GET", "/users")).status, 200, "other endpoints are unaffected");
    assert.equal((await h.api("GET", `/users/${userId}`)).status, 503);
    assert.equal((await h.api("GET", `/users/${userId}`)).status, 200);
    const log = await h.control<{ calls: { status: number }[] }>("GET", "/calls");
    assert.ok(log.body.calls.some((c) => c.status === 503));
  });

  it("forces a 429 with Zoom's body and Retry-After, or a custom body", async () => {
    await h.control("POST", "/faults", { path: "/v2/users", status: 429, count: 1 });
    const res = await h.api<ZoomErrorBody>("GET", "/users");
    assert.equal(res.status, 429);
    assert.equal(res.body.code, 429);
    assert.match(res.body.message, /per-second rate limit/);
    assert.equal(res.headers.get("retry-after"), "1");
    await h.control("POST", "/faults", { path: "/v2/users", status: 429, count: 1, headers: { "Retry-After": "30" } });
    assert.equal((await h.api("GET", "/users")).headers.get("retry-after"), "30");
    await h.control("POST", "/faults", { path: "/v2/users", status: 502, body: "<html>Bad Gateway</html>", count: 1 });
    const raw = await fetch(`${h.sim.apiUrl}/users`, { headers: { authorization: `Bearer ${h.token}` } });
    assert.equal(raw.status, 502);
    assert.match(raw.headers.get("content-type") ?? "", /^text\/html/);
    assert.equal(await raw.text(), "<html>Bad Gateway</html>");
    assert.equal((await h.api("GET", "/users")).status, 200);
  });

  it("applies an error rate: probability 0 never fires, 0.5 about half the time", async () => {
    await h.control("POST", "/faults", { path: "/v2/users/summary", status: 500, probability: 0 });
    for (let i = 0; i < 10; i++) assert.equal((await h.api("GET", "/users/summary")).status, 200);
    await h.control("DELETE", "/faults");
    await h.control("POST", "/faults", { path: "/v2/users/summary", status: 500, probability: 0.5 });
    let failures = 0;
    for (let i = 0; i < 200; i++) if ((await h.api("GET", "/users/summary")).status === 500) failures += 1;
    assert.ok(failures > 60 && failures < 140, `about half should fail, ${failures} did`);
  });

  it("adds fixed and random latency", async () => {
    await h.control("POST", "/faults", { path: "/v2/users/*", latencyMs: 200, count: 1 });
    let t = Date.now();
    assert.equal((await h.api("GET", `/users/${userId}`)).status, 200);
    assert.ok(Date.now() - t >= 190, "fixed latency");
    await h.control("POST", "/faults", { path: "/v2/users/*", latencyMs: [100, 150], count: 1 });
    t = Date.now();
    await h.api("GET", `/users/${userId}`);
    const elapsed = Date.now() - t;
    assert.ok(elapsed >= 95 && elapsed < 1000, `random latency ${elapsed}`);
  });

  it("holds a request without answering until the client gives up (logged with status 0)", async () => {
    await h.control("DELETE", "/calls");
    await h.control("POST", "/faults", { path: "/v2/users/*", timeout: true, count: 1 });
    const t = Date.now();
    await assert.rejects(
      fetch(`${h.sim.apiUrl}/users/${userId}`, { headers: { authorization: `Bearer ${h.token}` }, signal: AbortSignal.timeout(300) }),
      /abort|timeout/i,
    );
    assert.ok(Date.now() - t >= 290);
    await sleep(50);
    const log = await h.control<{ calls: { status: number }[] }>("GET", "/calls");
    assert.deepEqual(
      log.body.calls.map((c) => c.status),
      [0],
    );
    assert.equal((await h.api("GET", `/users/${userId}`)).status, 200);
  });

  it("drops the connection at holdMs when the client waits longer", async () => {
    await h.control("POST", "/faults", { path: "/v2/users/*", timeout: true, holdMs: 150, count: 1 });
    const t = Date.now();
    await assert.rejects(fetch(`${h.sim.apiUrl}/users/${userId}`, { headers: { authorization: `Bearer ${h.token}` } }));
    assert.ok(Date.now() - t >= 140);
  });

  it("applies to the token endpoint too", async () => {
    await h.control("POST", "/faults", { path: "/oauth/token", status: 500, count: 1 });
    assert.equal((await h.requestToken()).status, 500);
    assert.equal((await h.requestToken()).status, 200);
  });

  it("applies a create, then drops the connection: Zoom did it, the answer was lost (applyFirst + drop)", async () => {
    await h.control("DELETE", "/calls");
    const added = await h.control<{ ids: number[] }>("POST", "/faults", {
      method: "POST",
      path: "/v2/users",
      applyFirst: true,
      drop: true,
      count: 1,
    });
    assert.equal(added.status, 201);
    const body = { action: "autoCreate", user_info: { email: "lost.answer@example.com", type: 1 } };
    await assert.rejects(
      fetch(`${h.sim.apiUrl}/users`, {
        method: "POST",
        headers: { authorization: `Bearer ${h.token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
      /fetch failed/,
    );
    const stored = await h.simUser("lost.answer@example.com");
    assert.equal(stored.status, 200, "the user was created");
    assert.equal(stored.body.status, "active");
    const log = await h.control<{ calls: { method: string; path: string; status: number; appliedStatus?: number }[] }>("GET", "/calls");
    assert.deepEqual(
      log.body.calls.map((c) => [c.method, c.path, c.status, c.appliedStatus]),
      [["POST", "/v2/users", 0, 201]],
    );
    assert.deepEqual((await h.control<{ faults: unknown[] }>("GET", "/faults")).body.faults, [], "count 1: the rule is gone");
    const again = await h.api<ZoomErrorBody>("POST", "/users", { body });
    assert.equal(again.status, 409, "a second create finds the first one's user");
  });

  it("applies a call, then answers a forced status instead (applyFirst + status)", async () => {
    await h.control("DELETE", "/calls");
    await h.control("POST", "/faults", { method: "PATCH", path: "/v2/users/{userId}", applyFirst: true, status: 503, count: 1 });
    const res = await h.api<ZoomErrorBody>("PATCH", `/users/${userId}`, { body: { dept: "Applied anyway" } });
    assert.equal(res.status, 503);
    assert.deepEqual(res.body, { code: 503, message: "Internal Server Error." });
    assert.equal((await h.simUser(userId)).body.profile.dept, "Applied anyway");
    const log = await h.control<{ calls: { status: number; code?: number; appliedStatus?: number }[] }>("GET", "/calls");
    assert.deepEqual(
      log.body.calls.map((c) => [c.status, c.code, c.appliedStatus]),
      [[503, 503, 204]],
    );
  });

  it("applies a call, then holds the answer until the hold ends (applyFirst + timeout)", async () => {
    const groupId = await h.createGroup("Held then gone");
    await h.control("DELETE", "/calls");
    await h.control("POST", "/faults", { method: "DELETE", path: "/v2/groups/*", applyFirst: true, timeout: true, holdMs: 100, count: 1 });
    await assert.rejects(fetch(`${h.sim.apiUrl}/groups/${groupId}`, { method: "DELETE", headers: { authorization: `Bearer ${h.token}` } }));
    assert.equal((await h.control("GET", `/groups/${groupId}`)).status, 404, "the group was deleted");
    const log = await h.control<{ calls: { status: number; appliedStatus?: number }[] }>("GET", "/calls");
    assert.deepEqual(
      log.body.calls.map((c) => [c.status, c.appliedStatus]),
      [[0, 204]],
    );
  });

  it("replaces a refusal too: the call's own error is what was applied", async () => {
    await h.control("DELETE", "/calls");
    await h.control("POST", "/faults", { method: "POST", path: "/v2/users", applyFirst: true, drop: true, count: 1 });
    const body = { action: "autoCreate", user_info: { email: "faulty@example.com", type: 1 } };
    await assert.rejects(
      fetch(`${h.sim.apiUrl}/users`, {
        method: "POST",
        headers: { authorization: `Bearer ${h.token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    );
    const log = await h.control<{ calls: { status: number; appliedStatus?: number }[] }>("GET", "/calls");
    assert.deepEqual(
      log.body.calls.map((c) => [c.status, c.appliedStatus]),
      [[0, 409]],
    );
  });

  it("drops the connection before the call runs without applyFirst", async () => {
    await h.control("DELETE", "/calls");
    await h.control("POST", "/faults", { method: "POST", path: "/v2/users", drop: true, count: 1 });
    const body = { action: "autoCreate", user_info: { email: "never.created@example.com", type: 1 } };
    await assert.rejects(
      fetch(`${h.sim.apiUrl}/users`, {
        method: "POST",
        headers: { authorization: `Bearer ${h.token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    );
    assert.equal((await h.simUser("never.created@example.com")).status, 404);
    const log = await h.control<{ calls: { status: number; appliedStatus?: number }[] }>("GET", "/calls");
    assert.deepEqual(
      log.body.calls.map((c) => [c.status, c.appliedStatus]),
      [[0, undefined]],
    );
  });

  it("applies a token request, then loses its answer", async () => {
    await h.control("POST", "/faults", { path: "/oauth/token", applyFirst: true, status: 500, count: 1 });
    assert.equal((await h.requestToken()).status, 500);
    const log = await h.control<{ calls: { path: string; status: number; appliedStatus?: number }[] }>("GET", "/calls");
    assert.deepEqual(
      log.body.calls
        .filter((c) => c.path === "/oauth/token")
        .map((c) => [c.status, c.appliedStatus])
        .at(-1),
      [500, 200],
    );
  });

  it("refuses applyFirst rules with nothing to answer, and more than one answer", async () => {
    for (const rule of [
      { applyFirst: true },
      { applyFirst: true, latencyMs: 10 },
      { applyFirst: "yes", drop: true },
      { drop: "yes" },
      { status: 500, drop: true },
      { timeout: true, drop: true, applyFirst: true },
      { status: 503, timeout: true },
    ]) {
      const res = await h.control<{ error: string }>("POST", "/faults", rule);
      assert.equal(res.status, 400, JSON.stringify(rule));
      assert.match(res.body.error, /applyFirst|drop|alternatives/, JSON.stringify(rule));
    }
    assert.equal((await h.control<{ faults: unknown[] }>("GET", "/faults")).body.faults.length, 0);
  });

  it("lists, removes one, clears, and refuses invalid rules", async () => {
    const added = await h.control<{ ids: number[] }>("POST", "/faults", {
      rules: [
        { path: "/v2/groups", status: 500 },
        { path: "/v2/roles", status: 500 },
      ],
    });
    assert.equal(added.body.ids.length, 2);
    const listed = await h.control<{ faults: { id: number; path: string }[] }>("GET", "/faults");
    assert.deepEqual(
      listed.body.faults.map((f) => f.path),
      ["/v2/groups", "/v2/roles"],
    );
    assert.equal((await h.control("DELETE", `/faults/${added.body.ids[0]}`)).status, 200);
    assert.equal((await h.control<{ faults: unknown[] }>("GET", "/faults")).body.faults.length, 1);
    assert.equal((await h.control("DELETE", "/faults")).status, 200);
    assert.equal((await h.control<{ faults: unknown[] }>("GET", "/faults")).body.faults.length, 0);
    assert.equal((await h.control("POST", "/faults", { path: "/v2/users" })).status, 400);
    assert.equal((await h.control("POST", "/faults", { status: 200 })).status, 400);
    assert.equal((await h.control("POST", "/faults", { status: 500, probability: 2 })).status, 400);
  });
});
