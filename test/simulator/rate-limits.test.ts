import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Harness, type ZoomErrorBody } from "./helpers.js";

const QPS_MESSAGE = "You have reached the maximum per-second rate limit for this API. Try again later.";
const ISO_MIDNIGHT = /^\d{4}-\d\d-\d\dT00:00:00Z$/;

describe("rate limits: headers and per-second limits", () => {
  let h: Harness;
  let ownerId = "";
  before(async () => {
    // A frozen clock: every call below lands in the same one-second window until the test moves it.
    const frozen = Date.UTC(2026, 2, 1, 12, 0, 0);
    h = await Harness.start({ plan: "pro", clock: () => frozen });
    ownerId = (await h.control<{ ownerId: string }>("GET", "")).body.ownerId;
  });
  after(() => h.close());

  it("sends X-RateLimit-* headers with the category and the plan's per-second limit", async () => {
    const light = await h.api("GET", `/users/${ownerId}`);
    assert.equal(light.headers.get("x-ratelimit-category"), "Light");
    assert.equal(light.headers.get("x-ratelimit-type"), "QPS");
    assert.equal(light.headers.get("x-ratelimit-limit"), "30");
    assert.match(light.headers.get("x-ratelimit-remaining") ?? "", /^\d+$/);
    const medium = await h.api("GET", "/users");
    assert.equal(medium.headers.get("x-ratelimit-category"), "Medium");
    assert.equal(medium.headers.get("x-ratelimit-limit"), "20");
  });

  it("answers 429 past the per-second limit, with Zoom's body and Retry-After in seconds", async () => {
    await h.control("PATCH", "/config", { plan: "free" });
    await h.control("POST", "/clock", { advanceSeconds: 1 });
    // Free: Light 4/s; the clock is frozen, so exactly 4 of 20 calls pass.
    const answers = await Promise.all(Array.from({ length: 20 }, () => h.api<ZoomErrorBody>("GET", `/users/${ownerId}`)));
    const limited = answers.filter((a) => a.status === 429);
    assert.equal(limited.length, 16);
    assert.ok(answers.every((a) => a.status === 200 || a.status === 429));
    const first = limited[0];
    assert.deepEqual(first?.body, { code: 429, message: QPS_MESSAGE });
    assert.equal(first?.headers.get("retry-after"), "1");
    assert.equal(first?.headers.get("x-ratelimit-type"), "QPS");
    assert.equal(first?.headers.get("x-ratelimit-category"), "Light");
    // Categories have separate buckets: a Medium call still passes.
    assert.equal((await h.api("GET", "/users")).status, 200);
    await h.control("PATCH", "/config", { plan: "pro" });
  });

  it("reports the daily limit where the plan has one (Free: Light 6,000/day)", async () => {
    await h.control("PATCH", "/config", { plan: "free" });
    await h.control("POST", "/clock", { advanceSeconds: 1 }); // a fresh second after the burst above
    const res = await h.api("GET", `/users/${ownerId}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("x-ratelimit-type"), "Daily-limit");
    assert.equal(res.headers.get("x-ratelimit-limit"), "6000");
    await h.control("PATCH", "/config", { plan: "pro" });
  });
});

describe("rate limits: daily limits and caps", () => {
  let h: Harness;
  let ownerId = "";
  before(async () => {
    h = await Harness.start({
      plan: "free",
      tokenTtlSeconds: 7 * 86400,
      limits: { qps: { light: 1000, medium: 1000 }, daily: { light: 5 }, userCreatesPerDay: 2 },
    });
    ownerId = (await h.control<{ ownerId: string }>("GET", "")).body.ownerId;
  });
  after(() => h.close());

  it("answers the daily 429 with Retry-After as ISO date-time at midnight GMT, and resets the next day", async () => {
    for (let i = 0; i < 5; i++) assert.equal((await h.api("GET", `/users/${ownerId}`)).status, 200);
    const res = await h.api<ZoomErrorBody>("GET", `/users/${ownerId}`);
    assert.equal(res.status, 429);
    assert.equal(res.body.code, 429);
    assert.match(res.body.message, /^You have reached the maximum daily rate limit for this API\./);
    const retry = res.headers.get("retry-after") ?? "";
    assert.match(retry, ISO_MIDNIGHT);
    assert.equal(res.headers.get("x-ratelimit-type"), "Daily-limit");
    assert.equal(res.headers.get("x-ratelimit-remaining"), "0");
    await h.control("POST", "/clock", { advanceSeconds: 86400 });
    assert.equal((await h.api("GET", `/users/${ownerId}`)).status, 200);
  });

  it("caps action=create per day (429 daily); other create actions are not capped", async () => {
    await h.control("PATCH", "/config", { limits: { daily: { light: null } } });
    await h.createUser("cap1@example.com", "create");
    await h.createUser("cap2@example.com", "create");
    const third = await h.api<ZoomErrorBody>("POST", "/users", {
      body: { action: "create", user_info: { email: "cap3@example.com", type: 1 } },
    });
    assert.equal(third.status, 429);
    assert.match(third.headers.get("retry-after") ?? "", ISO_MIDNIGHT);
    assert.equal((await h.simUser("cap3@example.com")).status, 404);
    await h.createUser("cap3@example.com", "autoCreate");
  });
});

describe("rate limits: per-user locks", () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start({ plan: "business", delays: { userDeleteMs: 800, userCreateMs: 800 } });
    await h.control("POST", "/seed", { users: [{ email: "locked@example.com" }] });
  });
  after(() => h.close());

  it("allows one delete per user at a time: a concurrent second delete gets 429", async () => {
    const first = h.api("DELETE", "/users/locked@example.com");
    await new Promise((r) => setTimeout(r, 50));
    const during = await h.api("GET", "/users/locked@example.com");
    assert.equal(during.status, 200, "other calls proceed while the delete runs");
    const second = await h.api<ZoomErrorBody>("DELETE", "/users/locked@example.com");
    assert.equal(second.status, 429);
    assert.match(second.body.message, /Too many concurrent requests/);
    assert.equal((await first).status, 204);
  });

  it("locks a user being created: calls naming the email get 429 until the create completes", async () => {
    const create = h.api("POST", "/users", { body: { action: "autoCreate", user_info: { email: "newbie@example.com", type: 1 } } });
    await new Promise((r) => setTimeout(r, 50));
    const during = await h.api<ZoomErrorBody>("GET", "/users/newbie@example.com");
    assert.equal(during.status, 429);
    const dup = await h.api<ZoomErrorBody>("POST", "/users", {
      body: { action: "autoCreate", user_info: { email: "newbie@example.com", type: 1 } },
    });
    assert.equal(dup.status, 429);
    assert.equal((await create).status, 201);
    assert.equal((await h.api("GET", "/users/newbie@example.com")).status, 200);
  });
});

describe("rate limits: switched off", () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start({
      plan: "free",
      rateLimits: false,
      limits: { userCreatesPerDay: 1 },
      delays: { userDeleteMs: 300, userCreateMs: 300 },
    });
  });
  after(() => h.close());

  it("never answers 429: no per-second, daily or create limits", async () => {
    const answers = await Promise.all(Array.from({ length: 30 }, () => h.api("GET", "/users/summary")));
    assert.ok(answers.every((a) => a.status === 200));
    await h.createUser("a1@example.com", "create");
    await h.createUser("a2@example.com", "create");
  });

  it("has no per-user locks: concurrent calls just see the outcome (404, 409)", async () => {
    const [first, second] = await Promise.all([h.api("DELETE", "/users/a1@example.com"), h.api("DELETE", "/users/a1@example.com")]);
    assert.deepEqual([first.status, second.status].sort(), [204, 404]);
    const body = { action: "autoCreate", user_info: { email: "twice@example.com", type: 1 } };
    const creates = await Promise.all([h.api("POST", "/users", { body }), h.api("POST", "/users", { body })]);
    assert.deepEqual(creates.map((c) => c.status).sort(), [201, 409]);
  });
});
