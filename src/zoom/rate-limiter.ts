// Client-side pacing so that Zoom rarely answers 429. Zoom limits each account per category of call, whichever app
// or tenant sends it, so one limiter per account id is shared by every client in the process.

import type { ZoomPlan, ZoomRateCategory } from "./types.js";
import { sleep } from "./retry.js";

/** Requests per second per account (docs/zoom-behaviour.md §6). */
export const PLAN_RATE_LIMITS: Readonly<Record<ZoomPlan, Readonly<Record<ZoomRateCategory, number>>>> = {
  free: { light: 4, medium: 2, heavy: 1 },
  pro: { light: 30, medium: 20, heavy: 10 },
  business: { light: 80, medium: 60, heavy: 40 },
};

/**
 * The window is a tenth longer than Zoom's second: requests paced exactly N per 1000 ms at our end can leave
 * unevenly (event loop) and arrive compressed by network jitter, and look like N+1 to Zoom. 10% of throughput
 * buys a 100 ms margin.
 */
export const DEFAULT_WINDOW_MS = 1100;

/**
 * At most `limit` starts in any `windowMs`. Pure: callers pass the clock. Each reservation is granted the earliest
 * time that keeps the window rule, in the order asked (so waiting is FIFO without a queue).
 */
export class SlidingWindow {
  private readonly starts: number[] = [];
  private pausedUntil = 0;

  constructor(
    private limit: number,
    private readonly windowMs: number = DEFAULT_WINDOW_MS,
  ) {
    if (!(limit >= 1)) throw new RangeError(`rate limit must be at least 1, got ${limit}`);
  }

  /** Reserves the next slot; returns when it may start (≥ now). */
  reserve(now: number): number {
    let at = Math.max(now, this.pausedUntil);
    if (this.starts.length >= this.limit) {
      const oldestInWindow = this.starts[this.starts.length - this.limit] ?? Number.NEGATIVE_INFINITY;
      at = Math.max(at, oldestInWindow + this.windowMs);
    }
    // Grants never go backwards, so the last `limit` grants are the only ones that matter.
    const last = this.starts[this.starts.length - 1];
    if (last !== undefined && at < last) at = last;
    this.starts.push(at);
    if (this.starts.length > this.limit) this.starts.splice(0, this.starts.length - this.limit);
    return at;
  }

  /** No slot is granted before `until` (after a 429). */
  pauseUntil(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }

  isPausedAt(now: number): boolean {
    return now < this.pausedUntil;
  }

  setLimit(limit: number): void {
    if (!(limit >= 1)) throw new RangeError(`rate limit must be at least 1, got ${limit}`);
    this.limit = limit;
    if (this.starts.length > limit) this.starts.splice(0, this.starts.length - limit);
  }

  getLimit(): number {
    return this.limit;
  }
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: Clock = { now: () => Date.now(), sleep };

/** One account's limiter: a sliding window per category. */
export class RateLimiter {
  private readonly windows = new Map<ZoomRateCategory, SlidingWindow>();
  private plan: ZoomPlan;

  constructor(
    plan: ZoomPlan,
    private readonly clock: Clock = realClock,
    private readonly windowMs: number = DEFAULT_WINDOW_MS,
  ) {
    this.plan = plan;
  }

  /** Resolves when the caller may send one call of this category; returns how long it waited (ms). */
  async acquire(category: ZoomRateCategory): Promise<number> {
    const window = this.window(category);
    const started = this.clock.now();
    for (;;) {
      const now = this.clock.now();
      const at = window.reserve(now);
      if (at > now) await this.clock.sleep(at - now);
      // A 429 may have paused the category while we slept: our slot would likely be refused too.
      if (!window.isPausedAt(this.clock.now())) return this.clock.now() - started;
    }
  }

  /** Holds every new call of the category for `ms` (Zoom said 429). */
  pause(category: ZoomRateCategory, ms: number): void {
    this.window(category).pauseUntil(this.clock.now() + ms);
  }

  /** Several tenants of one account may name different plans: the last one configured wins. */
  setPlan(plan: ZoomPlan): void {
    if (plan === this.plan) return;
    this.plan = plan;
    for (const [category, window] of this.windows) window.setLimit(PLAN_RATE_LIMITS[plan][category]);
  }

  getPlan(): ZoomPlan {
    return this.plan;
  }

  private window(category: ZoomRateCategory): SlidingWindow {
    let window = this.windows.get(category);
    if (!window) {
      window = new SlidingWindow(PLAN_RATE_LIMITS[this.plan][category], this.windowMs);
      this.windows.set(category, window);
    }
    return window;
  }
}

const sharedLimiters = new Map<string, RateLimiter>();

/** The process-wide limiter of a Zoom account. */
export function rateLimiterForAccount(accountId: string, plan: ZoomPlan): RateLimiter {
  let limiter = sharedLimiters.get(accountId);
  if (!limiter) {
    limiter = new RateLimiter(plan);
    sharedLimiters.set(accountId, limiter);
  } else {
    limiter.setPlan(plan);
  }
  return limiter;
}
