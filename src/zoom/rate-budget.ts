// Where the rate limiter's reservations are kept: GCRA state per category (the theoretical arrival time) and a
// 429's pause. One per process (LocalRateBudget), or one shared by every replica through the store (a RateBudget
// the composition root injects).
//
// GCRA with a burst tolerance τ: each reservation moves the arrival time on by one interval T from the later of
// itself and now; a start may be up to τ ahead of it. Starts so granted make at most floor((W + τ) / T) + 1 in any
// window of W ms, and after a quiet spell at most 1 + floor(τ / T) go at once.

import type { ZoomRateCategory } from "./types.js";

export interface ReservationRequest {
  /** When the caller comes (epoch ms); the start is never before it. */
  nowMs: number;
  /** T: the spacing of starts. */
  intervalMs: number;
  /** τ: how far ahead of its arrival time a start may go (0: a burst of one). */
  burstMs: number;
  /** The latest start the caller accepts: a later slot is not taken (nothing is reserved). */
  latestStartMs: number;
}

/** A slot taken, or refused because it would have started past latestStartMs (then: when it would have started). */
export type Reservation = { granted: true; startMs: number } | { granted: false; startMs: number };

export interface RateBudget {
  /** Reserves one start of `category`, unless it would be later than the request's latest start. */
  reserve(category: ZoomRateCategory, request: ReservationRequest): Promise<Reservation>;
  /** No start of `category` before `untilMs`, in every process sharing the budget. */
  pause(category: ZoomRateCategory, untilMs: number): Promise<void>;
}

/** The start GCRA grants from a state: arrival time `tat`, a pause, a request (shared by both budgets' code). */
export function gcraStart(tat: number, pausedUntil: number, request: ReservationRequest): number {
  const { nowMs, burstMs } = request;
  return Math.max(nowMs, pausedUntil, Math.max(tat, nowMs, pausedUntil) - burstMs);
}

/** GCRA state in this process's memory. */
export class LocalRateBudget implements RateBudget {
  private readonly tat = new Map<ZoomRateCategory, number>();
  private readonly paused = new Map<ZoomRateCategory, number>();

  reserve(category: ZoomRateCategory, request: ReservationRequest): Promise<Reservation> {
    const paused = this.paused.get(category) ?? 0;
    const tat = this.tat.get(category) ?? 0;
    const startMs = gcraStart(tat, paused, request);
    if (startMs > request.latestStartMs) return Promise.resolve({ granted: false, startMs });
    this.tat.set(category, Math.max(tat, request.nowMs, paused) + request.intervalMs);
    return Promise.resolve({ granted: true, startMs });
  }

  pause(category: ZoomRateCategory, untilMs: number): Promise<void> {
    this.paused.set(category, Math.max(this.paused.get(category) ?? 0, untilMs));
    return Promise.resolve();
  }
}
