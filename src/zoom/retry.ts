// The one retry loop of the Zoom client, for API calls and the OAuth token request alike: when a failed attempt may
// be repeated, how long to wait first, and when to give up.

import type { ZoomLogger } from "./config.js";
import { zoomErrorFields } from "./observe.js";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Why an attempt produced no usable answer. */
export type AttemptFailure =
  | {
      kind: "timeout" | "network";
      /** The request provably never left: refused connection, DNS, connect timeout. */
      neverSent: boolean;
    }
  | { kind: "server"; status: number }
  /** Zoom turned the request away before acting on it (429, or 401 for a stale token). */
  | { kind: "refused"; status: number };

/**
 * GET, PUT, PATCH and DELETE are safe to send again: repeating them leaves Zoom in the same state. A POST creates
 * something, so it is repeated only when it never reached Zoom, or Zoom refused it unread; after a timeout or a 5xx
 * it may have been applied, and a second create would duplicate it or fail confusingly.
 */
export function mayRetry(method: HttpMethod, failure: AttemptFailure): boolean {
  if (method !== "POST" || failure.kind === "refused") return true;
  return failure.kind !== "server" && failure.neverSent;
}

export interface BackoffOptions {
  /** Delay before the first retry (its upper bound). */
  baseMs: number;
  /** No delay exceeds this. */
  capMs: number;
}

/** What ZoomUnavailableError suggests when Zoom is unreachable and said nothing itself. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 10;

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 250, capMs: 4000 };

/**
 * Exponential backoff with "equal jitter": the n-th retry (1-based) waits between half and all of
 * min(cap, base·2^(n-1)), so clients that failed together spread out but never retry immediately.
 */
export function backoffDelayMs(retry: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const n = Math.max(1, Math.floor(retry));
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** (n - 1));
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(ceiling / 2 + (r * ceiling) / 2);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  backoff: BackoffOptions;
  /** Longest wait an attempt may ask for (Zoom's Retry-After); a longer one ends the loop. */
  maxRetryAfterMs: number;
  /** Whether the request may be sent again after this failure: `mayRetry` for its method, unless it creates nothing. */
  mayRepeat: (failure: AttemptFailure) => boolean;
  logger: ZoomLogger | undefined;
  /** Logged with each wait, besides attempt, reason and delayMs (built only then: most calls never wait). */
  logFields: () => Record<string, unknown>;
  logMessage: string;
}

/** A failed attempt that the loop may repeat. */
export interface RetryRequest {
  failure: AttemptFailure;
  /** For the log: `status 503`, `ECONNRESET` … */
  reason: string;
  /** Zoom's answer (status, code, message, tracking id), for the log line of the wait. */
  logDetail?: { status: number; code?: number | undefined; zoomMessage?: string | undefined; trackingId?: string | undefined };
  /** A wait Zoom asked for, or a fixed pause: bounded by maxRetryAfterMs. Without it, jittered backoff. */
  waitMs?: number;
  /** Someone else holds the next attempt back for `ms` (the rate limiter's category pause): the loop does not sleep. */
  waitsElsewhere?: (ms: number) => void;
  /** Repeat at once without using a retry, once per loop (after renewing a refused token). */
  free?: boolean;
  /** What to throw when the loop may not repeat: the attempts made, and the wait a retry would have had. */
  giveUp: (spent: { attempts: number; waitMs: number }) => Error;
}

/** An attempt's answer (`done`), or its failure (`retry`). Failures no retry can help are thrown by the attempt. */
export type AttemptOutcome<T> = { done: T } | { retry: RetryRequest };

/** Runs `attempt` (numbered from 1) until it is done, or a failure may not or need not be repeated. */
export async function withRetries<T>(policy: RetryPolicy, attempt: (n: number) => Promise<AttemptOutcome<T>>): Promise<T> {
  let retries = 0;
  let freeUsed = false;
  for (let n = 1; ; n++) {
    const outcome = await attempt(n);
    if ("done" in outcome) return outcome.done;
    const request = outcome.retry;
    if (request.free && !freeUsed) {
      freeUsed = true;
      continue;
    }
    const waitMs = request.waitMs ?? backoffDelayMs(retries + 1, policy.backoff);
    const allowed =
      !request.free &&
      retries < policy.maxRetries &&
      (request.waitMs === undefined || request.waitMs <= policy.maxRetryAfterMs) &&
      policy.mayRepeat(request.failure);
    if (!allowed) throw request.giveUp({ attempts: n, waitMs });
    retries++;
    if (request.waitsElsewhere) {
      request.waitsElsewhere(waitMs);
    } else {
      const zoom = request.logDetail ? zoomErrorFields(request.logDetail) : {};
      policy.logger?.warn(
        { zoomCall: { ...policy.logFields(), attempt: n, reason: request.reason, delayMs: waitMs, ...zoom } },
        policy.logMessage,
      );
      await sleep(waitMs);
    }
  }
}
