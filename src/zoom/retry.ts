// When a failed attempt may be repeated, and how long to wait first.

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Why an attempt produced no usable answer. */
export type AttemptFailure =
  | {
      kind: "timeout" | "network";
      /** The request provably never left: refused connection, DNS, connect timeout. */
      neverSent: boolean;
    }
  | { kind: "server"; status: number };

/**
 * GET, PUT, PATCH and DELETE are safe to send again: repeating them leaves Zoom in the same state. A POST creates
 * something, so it is repeated only when it never reached Zoom; after a timeout or a 5xx it may have been applied,
 * and a second create would duplicate it or fail confusingly. `repeatable` marks a POST that is harmless to repeat
 * (the OAuth token request).
 */
export function mayRetry(method: HttpMethod, failure: AttemptFailure, repeatable = false): boolean {
  if (method !== "POST" || repeatable) return true;
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
