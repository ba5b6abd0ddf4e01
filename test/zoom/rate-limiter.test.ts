import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  BURST_MS,
  DEFAULT_MAX_QUEUE_WAIT_MS,
  LocalRateBudget,
  lateToleranceMs,
  PLAN_RATE_LIMITS,
  RateLimiter,
  RateQueueFullError,
  pacingIntervalMs,
  rateLimiterForAccount,
  startWindowMs,
  startsPerWindow,
  type Clock,
  type ReservationRequest,
} from "../../src/zoom/rate-limiter.js";
import type { ZoomRateCategory } from "../../src/zoom/types.js";

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

/**
 * Virtual time: a sleep is a timer, and run() moves the clock from timer to timer (each after every promise that
 * can settle has), waking each `late(ms)` past its time: a busy event loop.
 */
class VirtualClock implements Clock {
  private current = 1_000_000;
  private readonly timers: { at: number; seq: number; wake: () => void }[] = [];
  private seq = 0;
  constructor(private readonly late: () => number = () => 0) {}
  now(): number {
    return this.current;
  }
  sleep(ms: number): Promise<void> {
    return new Promise((wake) => this.timers.push({ at: this.current + Math.max(0, ms) + this.late(), seq: this.seq++, wake }));
  }
  async run(): Promise<void> {
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      if (this.timers.length === 0) return;
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift();
      if (!next) return;
      this.current = Math.max(this.current, next.at);
      next.wake();
    }
  }
}

/** Deterministic pseudo-random numbers in [0, 1). */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** Callers arriving at the given offsets (ms from now); answers each one's start, or the error it got. */
async function drive(
  limiter: RateLimiter,
  clock: VirtualClock,
  category: ZoomRateCategory,
  arrivals: readonly number[],
): Promise<{ order: number[]; starts: number[]; waits: number[]; refused: number[] }> {
  const order: number[] = [];
  const starts: number[] = [];
  const waits: number[] = [];
  const refused: number[] = [];
  const base = clock.now();
  const callers = arrivals.map(async (offset, i) => {
    await clock.sleep(base + offset - clock.now());
    try {
      waits[i] = await limiter.acquire(category);
      order.push(i);
      starts.push(clock.now());
    } catch (error) {
      if (!(error instanceof RateQueueFullError)) throw error;
      refused.push(i);
    }
  });
  await clock.run();
  await Promise.all(callers);
  return { order, starts, waits, refused };
}

const request = (nowMs: number, intervalMs: number, burstMs = 0, latestStartMs = Infinity): ReservationRequest => ({
  nowMs,
  intervalMs,
  burstMs,
  latestStartMs,
});

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

describe("LocalRateBudget (GCRA)", () => {
  it("with a burst of one, spaces starts one interval apart in the order asked, from whenever the caller comes", async () => {
    const budget = new LocalRateBudget();
    const start = async (now: number): Promise<number> => (await budget.reserve("light", request(now, 100))).startMs;
    assert.deepEqual([await start(0), await start(0), await start(10)], [0, 100, 200]);
    // After a quiet spell no burst has been saved up: the next start is now, the one after an interval later.
    assert.equal(await start(5000), 5000);
    assert.equal(await start(5000), 5100);
    assert.equal((await budget.reserve("medium", request(5000, 100))).startMs, 5000, "categories are apart");
  });

  it("with a burst tolerance, lets 1 + tolerance / interval start together after a quiet spell, then paces", async () => {
    const budget = new LocalRateBudget();
    const starts: number[] = [];
    for (let i = 0; i < 6; i++) starts.push((await budget.reserve("light", request(0, 100, 250))).startMs);
    assert.deepEqual(starts, [0, 0, 0, 50, 150, 250]);
  });

  it("refuses a slot past the latest start, and takes nothing then", async () => {
    const budget = new LocalRateBudget();
    await budget.reserve("light", request(0, 100));
    await budget.reserve("light", request(0, 100));
    assert.deepEqual(await budget.reserve("light", request(0, 100, 0, 150)), { granted: false, startMs: 200 });
    assert.deepEqual(await budget.reserve("light", request(0, 100, 0, 200)), { granted: true, startMs: 200 });
  });

  it("grants nothing during a pause, and an earlier pause never shortens a later one", async () => {
    const budget = new LocalRateBudget();
    await budget.pause("light", 1500);
    await budget.pause("light", 1200);
    assert.equal((await budget.reserve("light", request(100, 100))).startMs, 1500);
    assert.equal((await budget.reserve("light", request(100, 100))).startMs, 1600);
  });
});

describe("RateLimiter", () => {
  it("lets a small burst start at once, then spaces the queue evenly, first come first served", async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter("business", { clock });
    const interval = pacingIntervalMs(80);
    const { order, starts } = await drive(limiter, clock, "light", Array<number>(40).fill(0));
    assert.deepEqual(
      order,
      Array.from({ length: 40 }, (_, i) => i),
    );
    const burst = 1 + Math.floor(BURST_MS / interval);
    const t0 = starts[0] ?? 0;
    assert.equal(starts.filter((s) => s === t0).length, burst, "the burst");
    // The k-th start is k intervals after the first, less the burst tolerance: evenly spaced once the burst is spent.
    for (let k = 0; k < starts.length; k++) assertNear((starts[k] ?? 0) - t0, Math.max(0, k * interval - BURST_MS));
  });

  it("never lets more than the ceiling start in any second: bursts, random arrivals, late wake-ups", async () => {
    for (const [plan, category] of [
      ["business", "light"],
      ["business", "heavy"],
      ["pro", "medium"],
      ["free", "light"],
    ] as const) {
      const limit = PLAN_RATE_LIMITS[plan][category];
      const random = seeded(limit);
      // Wake-ups up to the tolerance late, and now and then later (the caller then reserves again).
      const clock = new VirtualClock(() => (random() < 0.9 ? random() * lateToleranceMs(limit) : random() * 200));
      const limiter = new RateLimiter(plan, { clock, maxQueueWaitMs: 60_000 });
      // Bursts of twice the ceiling at once, quiet spells, and Poisson arrivals at 1.5 times the ceiling.
      const arrivals: number[] = [];
      let t = 0;
      for (let round = 0; round < 4; round++) {
        for (let i = 0; i < 2 * limit; i++) arrivals.push(t);
        t += 3000 + (2 * limit * 1000) / limit;
        for (let i = 0; i < 3 * limit; i++) arrivals.push((t += (-Math.log(1 - random()) * 1000) / (1.5 * limit)));
        t += 2000;
      }
      const { starts, refused } = await drive(limiter, clock, category, arrivals);
      assert.equal(refused.length, 0);
      assert.equal(starts.length, arrivals.length);
      // Zoom may see a start up to the rest of the pace's margin early or late (network jitter).
      const jitter = startWindowMs(limit) - 1000 - lateToleranceMs(limit);
      assert.ok(maxPerSecond(starts) <= limit, `${plan} ${category}: ${maxPerSecond(starts)} in a second`);
      const jittered = starts.map((s, i) => s + (i % 2 === 0 ? jitter : 0));
      assert.ok(maxPerSecond(jittered) <= limit, `${plan} ${category} jittered: ${maxPerSecond(jittered)} in a second`);
    }
  });

  it("keeps any second, bursts included, to what the even pace alone would start in it", async () => {
    for (const [plan, category] of [
      ["business", "light"],
      ["business", "medium"],
      ["pro", "light"],
      ["free", "light"],
    ] as const) {
      const limit = PLAN_RATE_LIMITS[plan][category];
      const random = seeded(7 * limit);
      const clock = new VirtualClock();
      const limiter = new RateLimiter(plan, { clock, maxQueueWaitMs: 60_000 });
      const arrivals: number[] = [];
      let t = 0;
      for (let round = 0; round < 6; round++) {
        // A quiet spell, a burst of a tenth of the ceiling, then random arrivals at 70 % or 130 % of it.
        t += 1500;
        for (let i = 0; i < Math.max(1, limit / 10); i++) arrivals.push(t);
        const rate = (round % 2 === 0 ? 0.7 : 1.3) * limit;
        for (let i = 0; i < 2 * limit; i++) arrivals.push((t += (-Math.log(1 - random()) * 1000) / rate));
      }
      const { starts } = await drive(limiter, clock, category, arrivals);
      assert.equal(starts.length, arrivals.length);
      // Evenly spaced starts one interval apart make at most this many in a second.
      const paced = Math.floor(1000 / pacingIntervalMs(limit)) + 1;
      assert.equal(startsPerWindow(limit), paced);
      assert.ok(maxPerSecond(starts) <= paced, `${plan} ${category}: ${maxPerSecond(starts)} in a second, the pace starts ${paced}`);
    }
  });

  it("refuses at once, reserving nothing, a call whose slot is past the queue bound", async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter("free", { clock, maxQueueWaitMs: 3000 });
    const interval = pacingIntervalMs(1);
    // Free heavy: one a second. Slots at 0, 1087, 2174 are within 3 s; the fourth and fifth are not.
    const { starts, refused, waits } = await drive(limiter, clock, "heavy", [0, 0, 0, 0, 0]);
    assert.deepEqual(refused, [3, 4]);
    assert.equal(starts.length, 3);
    assertNear(waits[2] ?? 0, 2 * interval);
    // The refused took no slot: the next caller gets the one right after the last granted start.
    const t0 = starts[0] ?? 0;
    const next = await drive(limiter, clock, "heavy", [0]);
    assertNear((next.starts[0] ?? 0) - t0, 3 * interval);
  });

  it("says when to come back: when the queue would be well within the bound again", async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter("free", { clock, maxQueueWaitMs: 2000 });
    const pending = [limiter.acquire("heavy"), limiter.acquire("heavy")];
    const refusal = await limiter.acquire("heavy").then(
      () => undefined,
      (error: unknown) => error,
    );
    assert.ok(refusal instanceof RateQueueFullError);
    assert.equal(refusal.category, "heavy");
    assert.equal(refusal.maxQueueWaitMs, 2000);
    assert.ok(refusal.retryAfterMs >= 1000 && refusal.retryAfterMs <= 2000 + pacingIntervalMs(1), String(refusal.retryAfterMs));
    await clock.run();
    await Promise.all(pending);
  });

  it("has a documented default bound, and refuses a bound that is not a positive number", () => {
    assert.equal(new RateLimiter("pro").getMaxQueueWait(), DEFAULT_MAX_QUEUE_WAIT_MS);
    assert.throws(() => new RateLimiter("pro", { maxQueueWaitMs: 0 }), RangeError);
    assert.throws(() => new RateLimiter("pro").setMaxQueueWait(Number.NaN), RangeError);
  });

  it("holds a paused category and re-queues a caller whose slot fell inside a pause", async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter("free", { clock });
    await limiter.pause("light", 2500);
    const paused = limiter.acquire("light");
    const other = limiter.acquire("medium");
    await clock.run();
    assert.equal(await paused, 2500);
    assert.equal(await other, 0);
  });

  it("is resized by a new plan", async () => {
    const clock = new VirtualClock();
    const limiter = new RateLimiter("free", { clock });
    const first = await drive(limiter, clock, "heavy", [0, 0]);
    assertNear((first.starts[1] ?? 0) - (first.starts[0] ?? 0), pacingIntervalMs(1));
    limiter.setPlan("pro");
    assert.equal(limiter.getPlan(), "pro");
    const later = await drive(limiter, clock, "heavy", [5000, 5000, 5000]);
    const interval = pacingIntervalMs(10);
    assert.deepEqual(later.waits.slice(0, 2), [0, 0], "Pro's heavy burst of two, not Free's single start");
    assertNear(later.waits[2] ?? 0, 2 * interval - BURST_MS);
  });

  it("gives up a slot it woke up too late for, and reserves again (at most twice)", async () => {
    // Every sleep oversleeps by 200 ms (a busy event loop).
    const clock = new VirtualClock(() => 200);
    const budget = new LocalRateBudget();
    const limiter = new RateLimiter("pro", { clock, budget });
    const interval = pacingIntervalMs(10);
    await budget.reserve("heavy", request(clock.now(), interval));
    // Its slot is one interval away; it wakes 200 ms after it, gives it up, and the next slot is at once.
    const waited = limiter.acquire("heavy");
    await clock.run();
    assertNear(await waited, interval + 200);
    // The given-up slot and the one it took are both spent.
    assertNear((await budget.reserve("heavy", request(clock.now(), interval))).startMs, clock.now() + interval);
  });

  it("reserves from an injected budget with a burst of one (several limiters on one budget share its pace)", async () => {
    const clock = new VirtualClock();
    const budget = new LocalRateBudget();
    const a = new RateLimiter("pro", { clock, budget });
    const b = new RateLimiter("pro", { clock, budget });
    const both = [a.acquire("heavy"), b.acquire("heavy"), a.acquire("heavy")];
    await clock.run();
    const waits = await Promise.all(both);
    assert.equal(waits[0], 0);
    assertNear(waits[1] ?? 0, pacingIntervalMs(10));
    assertNear(waits[2] ?? 0, 2 * pacingIntervalMs(10));
  });

  it("is shared per account, and per budget when one is given; the last plan and bound given win", () => {
    const a = rateLimiterForAccount("acct-shared-test", "free");
    const b = rateLimiterForAccount("acct-shared-test", "business", undefined, 1234);
    assert.equal(a, b);
    assert.equal(a.getPlan(), "business");
    assert.equal(a.getMaxQueueWait(), 1234);
    assert.notEqual(rateLimiterForAccount("another-account", "free"), a);
    const budget = new LocalRateBudget();
    const c = rateLimiterForAccount("acct-shared-test", "pro", budget);
    assert.notEqual(c, a);
    assert.equal(rateLimiterForAccount("acct-shared-test", "pro", budget), c);
  });
});
