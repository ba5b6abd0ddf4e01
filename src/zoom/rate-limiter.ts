// Client-side pacing so that Zoom never answers 429. Zoom limits each account per category of call, whichever app,
// tenant or replica sends it, so the budget is per account: one per process (LocalRateBudget), or one shared by
// every replica through the store (a RateBudget the composition root injects).
//
// Pacing is GCRA with a burst of one: starts are spaced one interval apart, granted first come first served. With
// a sustained rate r below the ceiling L, any 1000 ms window holds at most floor(r) + 1 ≤ L starts as scheduled.
// A larger burst would have to be paid for with a lower rate (each permit of burst is one start less per second).

import type { ZoomPlan, ZoomRateCategory } from "./types.js";
import { sleep } from "./retry.js";

/** Requests per second per account (docs/zoom-behaviour.md §6). */
export const PLAN_RATE_LIMITS: Readonly<Record<ZoomPlan, Readonly<Record<ZoomRateCategory, number>>>> = {
  free: { light: 4, medium: 2, heavy: 1 },
  pro: { light: 30, medium: 20, heavy: 10 },
  business: { light: 80, medium: 60, heavy: 40 },
};

/**
 * Milliseconds between starts for a ceiling of `limit` per second: 92 % of it, so floor(rate) + 1 ≤ limit holds
 * for every ceiling, and the starts our event loop delays (then sends close to the next one) still leave Zoom's
 * second one or two calls short of the ceiling (measured: bench/replicas.ts). The 0.1 ms keeps rounding on our side.
 */
export function pacingIntervalMs(limit: number): number {
  if (!(limit >= 1)) throw new RangeError(`rate limit must be at least 1, got ${limit}`);
  return 1000 / (limit * 0.92) + 0.1;
}

/**
 * How late past its slot a start may still go. A caller woken late (a busy event loop) and the next one on time
 * would reach Zoom closer together than the interval; a start later than this gives its slot up and reserves
 * again. Sized so that starts within it of their slots still make at most `limit` in any second.
 */
export function lateToleranceMs(limit: number): number {
  const interval = pacingIntervalMs(limit);
  const rate = 1000 / interval;
  return Math.max(0, ((limit - 0.01 - rate) / 2) * interval);
}

/** Slots given up for lateness before a start goes anyway (a process late every time must still make progress). */
const MAX_LATE_RESERVATIONS = 2;

/** Where reservations are kept: the arrival time per category, and a 429's pause. */
export interface RateBudget {
  /** Reserves one start of `category`, `intervalMs` after the previous one; answers when it may start (epoch ms, ≥ nowMs). */
  reserve(category: ZoomRateCategory, nowMs: number, intervalMs: number): Promise<number>;
  /** No start of `category` before `untilMs`, in every process sharing the budget. */
  pause(category: ZoomRateCategory, untilMs: number): Promise<void>;
}

/** GCRA state in this process's memory. */
export class LocalRateBudget implements RateBudget {
  private readonly tat = new Map<ZoomRateCategory, number>();
  private readonly paused = new Map<ZoomRateCategory, number>();

  reserve(category: ZoomRateCategory, nowMs: number, intervalMs: number): Promise<number> {
    const paused = this.paused.get(category) ?? 0;
    const tat = Math.max(this.tat.get(category) ?? 0, nowMs, paused) + intervalMs;
    this.tat.set(category, tat);
    return Promise.resolve(Math.max(nowMs, paused, tat - intervalMs));
  }

  pause(category: ZoomRateCategory, untilMs: number): Promise<void> {
    this.paused.set(category, Math.max(this.paused.get(category) ?? 0, untilMs));
    return Promise.resolve();
  }
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: Clock = { now: () => Date.now(), sleep };

/** One account's limiter: a FIFO of reservations per category over a budget. */
export class RateLimiter {
  private plan: ZoomPlan;
  /** Reservations are asked one after another per category, so they are granted in the order callers came. */
  private readonly tails = new Map<ZoomRateCategory, Promise<unknown>>();
  /** When a 429 last paused the category, as this process knows it (a sleeper re-checks it). */
  private readonly pausedUntil = new Map<ZoomRateCategory, number>();

  constructor(
    plan: ZoomPlan,
    private readonly clock: Clock = realClock,
    private readonly budget: RateBudget = new LocalRateBudget(),
  ) {
    this.plan = plan;
  }

  /** Resolves when the caller may send one call of this category; returns how long it waited (ms). */
  async acquire(category: ZoomRateCategory): Promise<number> {
    const started = this.clock.now();
    for (let late = 0; ;) {
      const at = await this.reserve(category);
      const wait = at - this.clock.now();
      if (wait > 0) await this.clock.sleep(wait);
      // A 429 may have paused the category while we slept: our slot would likely be refused too.
      if (this.clock.now() < (this.pausedUntil.get(category) ?? 0)) continue;
      if (this.clock.now() - at > lateToleranceMs(PLAN_RATE_LIMITS[this.plan][category]) && late < MAX_LATE_RESERVATIONS) {
        late += 1;
        continue;
      }
      return this.clock.now() - started;
    }
  }

  /** Holds every new call of the category for `ms` (Zoom said 429), here and in every process sharing the budget. */
  async pause(category: ZoomRateCategory, ms: number): Promise<void> {
    const until = this.clock.now() + ms;
    this.pausedUntil.set(category, Math.max(this.pausedUntil.get(category) ?? 0, until));
    await this.budget.pause(category, until);
  }

  /** Several tenants of one account may name different plans: the last one configured wins. */
  setPlan(plan: ZoomPlan): void {
    this.plan = plan;
  }

  getPlan(): ZoomPlan {
    return this.plan;
  }

  private reserve(category: ZoomRateCategory): Promise<number> {
    const interval = pacingIntervalMs(PLAN_RATE_LIMITS[this.plan][category]);
    const previous = this.tails.get(category) ?? Promise.resolve();
    const next = previous.then(
      () => this.budget.reserve(category, this.clock.now(), interval),
      () => this.budget.reserve(category, this.clock.now(), interval),
    );
    this.tails.set(category, next);
    const release = (): void => {
      if (this.tails.get(category) === next) this.tails.delete(category);
    };
    next.then(release, release);
    return next;
  }
}

const sharedLimiters = new Map<string, RateLimiter>();
const budgetLimiters = new WeakMap<RateBudget, Map<string, RateLimiter>>();

/**
 * The limiter of a Zoom account: one per process, or one per shared budget (the store-backed budget of one
 * account, which every replica's limiter for it reserves from).
 */
export function rateLimiterForAccount(accountId: string, plan: ZoomPlan, budget?: RateBudget): RateLimiter {
  let limiters = sharedLimiters;
  if (budget) {
    limiters = budgetLimiters.get(budget) ?? new Map<string, RateLimiter>();
    budgetLimiters.set(budget, limiters);
  }
  let limiter = limiters.get(accountId);
  if (!limiter) {
    limiter = new RateLimiter(plan, realClock, budget);
    limiters.set(accountId, limiter);
  } else {
    limiter.setPlan(plan);
  }
  return limiter;
}
