import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PLAN_RATE_LIMITS, RateLimiter, SlidingWindow, rateLimiterForAccount, type Clock } from "../../src/zoom/rate-limiter.js";

/** A clock that only moves when someone sleeps. */
function fakeClock(): Clock & { sleeps: number[] } {
  let now = 1_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

describe("PLAN_RATE_LIMITS", () => {
  it("matches Zoom's table", () => {
    assert.deepEqual(PLAN_RATE_LIMITS.free, { light: 4, medium: 2, heavy: 1 });
    assert.deepEqual(PLAN_RATE_LIMITS.pro, { light: 30, medium: 20, heavy: 10 });
    assert.deepEqual(PLAN_RATE_LIMITS.business, { light: 80, medium: 60, heavy: 40 });
  });
});

describe("SlidingWindow", () => {
  it("grants `limit` slots at once, then one per freed slot a window later", () => {
    const window = new SlidingWindow(3, 1000);
    assert.deepEqual(
      [0, 0, 0].map(() => window.reserve(0)),
      [0, 0, 0],
    );
    assert.equal(window.reserve(0), 1000);
    assert.equal(window.reserve(10), 1000);
    assert.equal(window.reserve(20), 1000);
    assert.equal(window.reserve(20), 2000);
  });

  it("never allows more than `limit` starts in any window", () => {
    const window = new SlidingWindow(5, 1000);
    const starts: number[] = [];
    let now = 0;
    for (let i = 0; i < 200; i++) {
      now += Math.floor(((i * 7919) % 97) / 3); // irregular arrivals
      starts.push(window.reserve(now));
    }
    for (let i = 0; i + 5 < starts.length; i++) {
      assert.ok((starts[i + 5] ?? 0) - (starts[i] ?? 0) >= 1000, `starts ${i}..${i + 5}`);
    }
    assert.deepEqual(
      [...starts].sort((a, b) => a - b),
      starts,
      "FIFO",
    );
  });

  it("grants nothing during a pause", () => {
    const window = new SlidingWindow(10, 1000);
    window.reserve(0);
    window.pauseUntil(1500);
    assert.equal(window.isPausedAt(1499), true);
    assert.equal(window.reserve(100), 1500);
    assert.equal(window.isPausedAt(1500), false);
    window.pauseUntil(1200); // an earlier pause never shortens a later one
    assert.equal(window.reserve(100), 1500);
  });

  it("follows a smaller limit", () => {
    const window = new SlidingWindow(4, 1000);
    for (let i = 0; i < 4; i++) window.reserve(0);
    window.setLimit(2);
    assert.equal(window.getLimit(), 2);
    assert.equal(window.reserve(0), 1000);
  });

  it("refuses a limit below one", () => {
    assert.throws(() => new SlidingWindow(0), RangeError);
  });
});

describe("RateLimiter", () => {
  it("makes the Free plan's fifth light call wait a window, and keeps categories apart", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter("free", clock, 1000);
    for (let i = 0; i < 4; i++) assert.equal(await limiter.acquire("light"), 0);
    assert.equal(await limiter.acquire("medium"), 0);
    assert.equal(await limiter.acquire("light"), 1000);
    assert.deepEqual(clock.sleeps, [1000]);
  });

  it("holds a paused category and re-queues a caller whose slot fell inside a pause", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter("free", clock, 1000);
    limiter.pause("light", 2500);
    assert.equal(await limiter.acquire("light"), 2500);
    assert.equal(await limiter.acquire("medium"), 0);
  });

  it("is resized by a new plan", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter("free", clock, 1000);
    await limiter.acquire("heavy");
    limiter.setPlan("pro");
    assert.equal(limiter.getPlan(), "pro");
    for (let i = 0; i < 9; i++) assert.equal(await limiter.acquire("heavy"), 0);
    assert.equal(await limiter.acquire("heavy"), 1000);
  });

  it("paces 31 Pro light calls over about a second on the real clock", async () => {
    const limiter = new RateLimiter("pro");
    const started = Date.now();
    await Promise.all(Array.from({ length: 31 }, () => limiter.acquire("light")));
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 990, `took ${elapsed} ms`);
    assert.ok(elapsed < 1500, `took ${elapsed} ms`);
  });

  it("is shared per account", () => {
    const a = rateLimiterForAccount("acct-shared-test", "free");
    const b = rateLimiterForAccount("acct-shared-test", "business");
    assert.equal(a, b);
    assert.equal(a.getPlan(), "business");
    assert.notEqual(rateLimiterForAccount("another-account", "free"), a);
  });
});
