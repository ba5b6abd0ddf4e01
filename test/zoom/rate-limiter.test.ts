import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  LocalRateBudget,
  lateToleranceMs,
  PLAN_RATE_LIMITS,
  RateLimiter,
  pacingIntervalMs,
  rateLimiterForAccount,
  type Clock,
} from "../../src/zoom/rate-limiter.js";

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

/** The most starts within any 1000 ms window (both ends included). */
function maxPerSecond(starts: readonly number[]): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while ((sorted[j] ?? 0) - (sorted[i] ?? 0) > 1000) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

const assertNear = (actual: number, expected: number): void => assert.ok(Math.abs(actual - expected) < 0.01, `${actual} ≉ ${expected}`);

describe("PLAN_RATE_LIMITS", () => {
  it("matches Zoom's table", () => {
    assert.deepEqual(PLAN_RATE_LIMITS.free, { light: 4, medium: 2, heavy: 1 });
    assert.deepEqual(PLAN_RATE_LIMITS.pro, { light: 30, medium: 20, heavy: 10 });
    assert.deepEqual(PLAN_RATE_LIMITS.business, { light: 80, medium: 60, heavy: 40 });
  });
});

describe("pacingIntervalMs", () => {
  it("keeps every 1000 ms window at or under the ceiling, and at 90 % of it or more", () => {
    for (const limit of [1, 2, 4, 10, 20, 30, 40, 60, 80]) {
      const interval = pacingIntervalMs(limit);
      const starts = Array.from({ length: 500 }, (_, i) => i * interval);
      assert.ok(maxPerSecond(starts) <= limit, `limit ${limit}: ${maxPerSecond(starts)}`);
      assert.ok(1000 / interval >= limit * 0.89, `limit ${limit}: ${1000 / interval}/s`);
    }
  });

  it("refuses a limit below one", () => {
    assert.throws(() => pacingIntervalMs(0), RangeError);
  });
});

describe("lateToleranceMs", () => {
  it("lets starts within it of their slots make at most the ceiling in any second", () => {
    for (const limit of [1, 2, 4, 10, 20, 30, 40, 60, 80]) {
      const interval = pacingIntervalMs(limit);
      const tolerance = lateToleranceMs(limit);
      // The worst case: every other start as late as it may be, the others on time.
      const starts = Array.from({ length: 500 }, (_, i) => i * interval + (i % 2 === 0 ? tolerance : 0));
      const shifted = Array.from({ length: 500 }, (_, i) => i * interval + (i % 2 === 1 ? tolerance : 0));
      assert.ok(maxPerSecond(starts) <= limit && maxPerSecond(shifted) <= limit, `limit ${limit}`);
      assert.ok(tolerance > 0, `limit ${limit}`);
    }
  });
});

describe("LocalRateBudget (GCRA, burst of one)", () => {
  it("spaces starts one interval apart in the order asked, from whenever the caller comes", async () => {
    const budget = new LocalRateBudget();
    assert.deepEqual(
      [await budget.reserve("light", 0, 100), await budget.reserve("light", 0, 100), await budget.reserve("light", 10, 100)],
      [0, 100, 200],
    );
    // After a quiet spell no burst has been saved up: the next start is now, the one after an interval later.
    assert.equal(await budget.reserve("light", 5000, 100), 5000);
    assert.equal(await budget.reserve("light", 5000, 100), 5100);
    assert.equal(await budget.reserve("medium", 5000, 100), 5000, "categories are apart");
  });

  it("grants nothing during a pause, and an earlier pause never shortens a later one", async () => {
    const budget = new LocalRateBudget();
    await budget.pause("light", 1500);
    await budget.pause("light", 1200);
    assert.equal(await budget.reserve("light", 100, 100), 1500);
    assert.equal(await budget.reserve("light", 100, 100), 1600);
  });
});

describe("RateLimiter", () => {
  it("paces the Free plan's light calls (4/s) one interval apart, and keeps categories apart", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter("free", clock);
    const interval = pacingIntervalMs(4);
    assert.equal(await limiter.acquire("light"), 0);
    assert.equal(await limiter.acquire("medium"), 0);
    assertNear(await limiter.acquire("light"), interval);
    assert.equal(clock.sleeps.length, 1);
  });

  it("holds a paused category and re-queues a caller whose slot fell inside a pause", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter("free", clock);
    await limiter.pause("light", 2500);
    assert.equal(await limiter.acquire("light"), 2500);
    assert.equal(await limiter.acquire("medium"), 0);
  });

  it("is resized by a new plan", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter("free", clock);
    await limiter.acquire("heavy");
    limiter.setPlan("pro");
    assert.equal(limiter.getPlan(), "pro");
    const before = clock.now();
    await limiter.acquire("heavy");
    await limiter.acquire("heavy");
    assert.ok(clock.now() - before <= 2 * pacingIntervalMs(10) + pacingIntervalMs(1), "Pro's heavy interval, not Free's");
  });

  it("grants concurrent callers in the order they came, never two in one interval", async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter("pro", clock);
    const order: number[] = [];
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        limiter.acquire("light").then(() => {
          order.push(i);
          starts.push(clock.now());
        }),
      ),
    );
    assert.deepEqual(
      order,
      Array.from({ length: 40 }, (_, i) => i),
    );
    assert.ok(maxPerSecond(starts) <= 30, `${maxPerSecond(starts)} in a second`);
  });

  it("gives up a slot it woke up too late for, and reserves again (at most twice)", async () => {
    let now = 0;
    const lateClock: Clock = {
      now: () => now,
      // Every sleep oversleeps by 200 ms (a busy event loop).
      sleep: async (ms) => {
        now += ms + 200;
      },
    };
    const budget = new LocalRateBudget();
    const limiter = new RateLimiter("pro", lateClock, budget);
    const interval = pacingIntervalMs(10);
    await budget.reserve("heavy", 0, interval);
    // Its slot is one interval away; it wakes 200 ms after it, gives it up, and the next slot is at once.
    assertNear(await limiter.acquire("heavy"), interval + 200);
    // The given-up slot and the one it took are both spent.
    assertNear(await budget.reserve("heavy", now, interval), now + interval);
  });

  it("reserves from an injected budget (several limiters on one budget share its pace)", async () => {
    const clock = fakeClock();
    const budget = new LocalRateBudget();
    const a = new RateLimiter("pro", clock, budget);
    const b = new RateLimiter("pro", clock, budget);
    await a.acquire("heavy");
    const waited = await b.acquire("heavy");
    assertNear(waited, pacingIntervalMs(10));
  });

  it("is shared per account, and per budget when one is given", () => {
    const a = rateLimiterForAccount("acct-shared-test", "free");
    const b = rateLimiterForAccount("acct-shared-test", "business");
    assert.equal(a, b);
    assert.equal(a.getPlan(), "business");
    assert.notEqual(rateLimiterForAccount("another-account", "free"), a);
    const budget = new LocalRateBudget();
    const c = rateLimiterForAccount("acct-shared-test", "pro", budget);
    assert.notEqual(c, a);
    assert.equal(rateLimiterForAccount("acct-shared-test", "pro", budget), c);
  });
});
