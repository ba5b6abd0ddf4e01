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
    const added = await h.control<{ ids: number[] }>("POST", "/faults", { method: "GET", path: "/v2/users/{userId}", status: 503, count: 2 });
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
    assert.deepEqual(log.body.calls.map((c) => c.status), [0]);
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

  it("lists, removes one, clears, and refuses invalid rules", async () => {
    const added = await h.control<{ ids: number[] }>("POST", "/faults", {
      rules: [
        { path: "/v2/groups", status: 500 },
        { path: "/v2/roles", status: 500 },
      ],
    });
    assert.equal(added.body.ids.length, 2);
    const listed = await h.control<{ faults: { id: number; path: string }[] }>("GET", "/faults");
    assert.deepEqual(listed.body.faults.map((f) => f.path), ["/v2/groups", "/v2/roles"]);
    assert.equal((await h.control("DELETE", `/faults/${added.body.ids[0]}`)).status, 200);
    assert.equal((await h.control<{ faults: unknown[] }>("GET", "/faults")).body.faults.length, 1);
    assert.equal((await h.control("DELETE", "/faults")).status, 200);
    assert.equal((await h.control<{ faults: unknown[] }>("GET", "/faults")).body.faults.length, 0);
    assert.equal((await h.control("POST", "/faults", { path: "/v2/users" })).status, 400);
    assert.equal((await h.control("POST", "/faults", { status: 200 })).status, 400);
    assert.equal((await h.control("POST", "/faults", { status: 500, probability: 2 })).status, 400);
  });
});
