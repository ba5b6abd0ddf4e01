// Client-side pacing so that Zoom never answers 429. Zoom limits each account per category of call, whichever app,
// tenant or replica sends it, so the budget is per account: one per process (LocalRateBudget), or one shared by
// every replica through the store (a RateBudget the composition root injects).
//
// Starts are spaced evenly (GCRA, rate-budget.ts), granted first come first served per category. With the process's
// own budget a small burst is allowed (up to BURST_MS ahead of the pace, so calls that arrive together after a
// quiet spell do not queue), and a log of the last starts holds any window to the ceiling whatever the burst. A
// shared budget keeps a burst of one: no process sees the others' starts, so only the pace bounds their sum.
// No call waits in the queue past a bound (maxQueueWaitMs): it fails at once with RateQueueFullError instead.

import { LocalRateBudget, type RateBudget, type Reservation } from "./rate-budget.js";
import type { ZoomPlan, ZoomRateCategory } from "./types.js";
import { sleep } from "./retry.js";

export { LocalRateBudget, gcraStart, type RateBudget, type Reservation, type ReservationRequest } from "./rate-budget.js";

/** Requests per second per account (docs/zoom-behaviour.md §6). */
export const PLAN_RATE_LIMITS: Readonly<Record<ZoomPlan, Readonly<Record<ZoomRateCategory, number>>>> = {
  free: { light: 4, medium: 2, heavy: 1 },
  pro: { light: 30, medium: 20, heavy: 10 },
  business: { light: 80, medium: 60, heavy: 40 },
};

/** The longest a call waits for its slot before it is refused (RateQueueFullError), unless configured. */
export const DEFAULT_MAX_QUEUE_WAIT_MS = 5000;

/**
 * How far ahead of the even pace the process's own budget lets a start go: after a quiet spell, 1 + 150 ms / interval
 * calls start together (11 of Business's light calls, 3 of Pro's medium, 1 of Free's). Sized so that random
 * arrivals at 70 % of a Business ceiling almost never wait (measured: bench/pacing.ts).
 */
export const BURST_MS = 150;

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

/**
 * The start log holds any window of startWindowMs to this many starts: as many as the even pace itself starts in a
 * second (floor(1000 / interval) + 1, 74 of Business's 80 light calls). A burst then only moves starts earlier
 * within what the pace would have sent anyway: Zoom's busiest second is no fuller than with the pace alone, and
 * keeps its margin against starts that reach Zoom closer together than they left (jitter, a process that stalled).
 */
export function startsPerWindow(limit: number): number {
  return Math.floor(1000 / pacingIntervalMs(limit)) + 1;
}

/**
 * The window of the start log: as long as startsPerWindow(limit) intervals of the pace, less 1 ms. At least a
 * second, so no second holds more than startsPerWindow starts as scheduled; a hair shorter than the pace's own span,
 * so the evenly paced starts of a queue pass it and only a burst is held back.
 */
export function startWindowMs(limit: number): number {
  return startsPerWindow(limit) * pacingIntervalMs(limit) - 1;
}

/** Slots given up for lateness before a start goes anyway (a process late every time must still make progress). */
const MAX_LATE_RESERVATIONS = 2;

/** A call that would have waited past the queue bound for its slot; nothing was reserved or sent. */
export class RateQueueFullError extends Error {
  override name = "RateQueueFullError";
  constructor(
    readonly category: ZoomRateCategory,
    /** The bound it would have waited past. */
    readonly maxQueueWaitMs: number,
    /** When a call of this category would get a slot within the bound again (ms from now, ≥ 1000). */
    readonly retryAfterMs: number,
  ) {
    super(`the ${category} queue toward Zoom is full: a slot was more than ${maxQueueWaitMs} ms away`);
  }
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: Clock = { now: () => Date.now(), sleep };

export interface RateLimiterOptions {
  clock?: Clock;
  /** A budget shared with other limiters (other replicas); without one the limiter owns a LocalRateBudget. */
  budget?: RateBudget;
  maxQueueWaitMs?: number;
}

/** One account's limiter: a FIFO of reservations per category over a budget. */
export class RateLimiter {
  private plan: ZoomPlan;
  private maxQueueWaitMs: number;
  private readonly clock: Clock;
  private readonly budget: RateBudget;
  /** Whether this limiter alone reserves from its budget (then it may burst: its start log sees every start). */
  private readonly ownsBudget: boolean;
  /** Reservations are asked one after another per category, so they are granted in the order callers came. */
  private readonly tails = new Map<ZoomRateCategory, Promise<unknown>>();
  /** When a 429 last paused the category, as this process knows it (a sleeper re-checks it). */
  private readonly pausedUntil = new Map<ZoomRateCategory, number>();
  /** The granted starts of each category, oldest first, no more than the ceiling of them (own budget only). */
  private readonly starts = new Map<ZoomRateCategory, number[]>();

  constructor(plan: ZoomPlan, options: RateLimiterOptions = {}) {
    this.plan = plan;
    this.clock = options.clock ?? realClock;
    this.ownsBudget = options.budget === undefined;
    this.budget = options.budget ?? new LocalRateBudget();
    this.maxQueueWaitMs = checkedWait(options.maxQueueWaitMs ?? DEFAULT_MAX_QUEUE_WAIT_MS);
  }

  /**
   * Resolves when the caller may send one call of this category; returns how long it waited (ms). Throws
   * RateQueueFullError, having waited for nothing, when its slot would be more than the queue bound away.
   */
  async acquire(category: ZoomRateCategory): Promise<number> {
    const started = this.clock.now();
    const latestStartMs = started + this.maxQueueWaitMs;
    for (let late = 0; ;) {
      const at = await this.reserve(category, latestStartMs);
      const wait = at - this.clock.now();
      if (wait > 0) await this.clock.sleep(wait);
      // A 429 may have paused the category while we slept: our slot would likely be refused too.
      if (this.clock.now() < (this.pausedUntil.get(category) ?? 0)) {
        this.unlog(category, at);
        continue;
      }
      if (this.clock.now() - at > lateToleranceMs(this.limit(category)) && late < MAX_LATE_RESERVATIONS) {
        late += 1;
        this.unlog(category, at);
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

  /** Like the plan, per account: the last one configured wins. */
  setMaxQueueWait(ms: number): void {
    this.maxQueueWaitMs = checkedWait(ms);
  }

  getMaxQueueWait(): number {
    return this.maxQueueWaitMs;
  }

  /** A slot given up is no start: the log forgets it, so that it holds nobody back (the budget's pace still counts it). */
  private unlog(category: ZoomRateCategory, at: number): void {
    const log = this.starts.get(category);
    const index = log ? log.lastIndexOf(at) : -1;
    if (log && index !== -1) log.splice(index, 1);
  }

  private limit(category: ZoomRateCategory): number {
    return PLAN_RATE_LIMITS[this.plan][category];
  }

  private reserve(category: ZoomRateCategory, latestStartMs: number): Promise<number> {
    const previous = this.tails.get(category) ?? Promise.resolve();
    const take = (): Promise<number> => this.reserveNow(category, latestStartMs);
    const next = previous.then(take, take);
    this.tails.set(category, next);
    const release = (): void => {
      if (this.tails.get(category) === next) this.tails.delete(category);
    };
    next.then(release, release);
    return next;
  }

  /** One reservation, its turn come: the pace from the budget, no earlier than the start log allows. */
  private async reserveNow(category: ZoomRateCategory, latestStartMs: number): Promise<number> {
    const limit = this.limit(category);
    const now = this.clock.now();
    const log = this.starts.get(category) ?? [];
    const interval = pacingIntervalMs(limit);
    // Never before the previous start (a burst must not overtake the queue). When the log holds startsPerWindow
    // starts within the window, the next waits until the oldest leaves it, and one interval after the previous: a burst is
    // not echoed a window later, the queue goes on at the even pace.
    const previous = log[log.length - 1] ?? now;
    const held = startsPerWindow(limit);
    const oldest = log.length >= held ? log[log.length - held] : undefined;
    const windowFull = oldest !== undefined && oldest + startWindowMs(limit) > Math.max(now, previous);
    const notBefore = windowFull ? Math.max(oldest + startWindowMs(limit), previous + interval) : Math.max(now, previous);
    const reservation: Reservation = await this.budget.reserve(category, {
      nowMs: notBefore,
      intervalMs: interval,
      burstMs: this.ownsBudget ? BURST_MS : 0,
      latestStartMs,
    });
    if (!reservation.granted) {
      const retryAfterMs = Math.max(1000, reservation.startMs - latestStartMs + this.maxQueueWaitMs / 2);
      throw new RateQueueFullError(category, this.maxQueueWaitMs, retryAfterMs);
    }
    if (this.ownsBudget) {
      log.push(reservation.startMs);
      if (log.length > limit) log.splice(0, log.length - limit);
      this.starts.set(category, log);
    }
    return reservation.startMs;
  }
}

function checkedWait(ms: number): number {
  if (!(ms > 0) || !Number.isFinite(ms)) throw new RangeError(`the queue bound must be a positive number of ms, got ${ms}`);
  return ms;
}

const sharedLimiters = new Map<string, RateLimiter>();
const budgetLimiters = new WeakMap<RateBudget, Map<string, RateLimiter>>();

/**
 * The limiter of a Zoom account: one per process, or one per shared budget (the store-backed budget of one
 * account, which every replica's limiter for it reserves from). The plan and the queue bound last given win.
 */
export function rateLimiterForAccount(
  accountId: string,
  plan: ZoomPlan,
  budget?: RateBudget,
  maxQueueWaitMs: number = DEFAULT_MAX_QUEUE_WAIT_MS,
): RateLimiter {
  let limiters = sharedLimiters;
  if (budget) {
    limiters = budgetLimiters.get(budget) ?? new Map<string, RateLimiter>();
    budgetLimiters.set(budget, limiters);
  }
  let limiter = limiters.get(accountId);
  if (!limiter) {
    limiter = new RateLimiter(plan, { ...(budget ? { budget } : {}), maxQueueWaitMs });
    limiters.set(accountId, limiter);
  } else {
    limiter.setPlan(plan);
    limiter.setMaxQueueWait(maxQueueWaitMs);
  }
  return limiter;
}
