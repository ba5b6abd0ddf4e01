// The Zoom client's configuration and its defaults.

import { DEFAULT_MAX_QUEUE_WAIT_MS, type RateBudget } from "./rate-limiter.js";
import type { BackoffOptions } from "./retry.js";
import type { SharedTokens } from "./token-provider.js";
import type { ZoomCallRecord, ZoomPlan, ZoomRateCategory } from "./types.js";

/** pino-compatible: a pino logger (or child) fits. */
export interface ZoomLogger {
  debug(obj: object, msg?: string): void;
  /** Whether a level is logged at all (pino's): a debug line per call is not even built when it is not. */
  isLevelEnabled?(level: string): boolean;
  /** Zoom's refusals the caller handles (4xx); at debug when the logger has no info level. */
  info?(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/** What the client tells whoever watches it (metrics), beyond single calls (onCall). Each callback is optional. */
export interface ZoomClientObserver {
  /** A call starts waiting for its rate-limit slot. */
  limiterQueued?(category: ZoomRateCategory): void;
  /** It stopped waiting: after `waitedMs` with a slot, or undefined when the wait failed (the shared budget was unreachable). */
  limiterDequeued?(category: ZoomRateCategory, waitedMs: number | undefined): void;
  /** A token request ended: a new token ("success") or none ("failure": refused credentials, Zoom unreachable). */
  tokenRequested?(outcome: "success" | "failure"): void;
}

export interface ZoomClientConfig {
  /** REST base, e.g. https://api.zoom.us/v2 (a trailing slash is fine). */
  apiUrl: string;
  /** Token endpoint, e.g. https://zoom.us/oauth/token. */
  oauthUrl: string;
  accountId: string;
  clientId: string;
  clientSecret: string;
  /** Sizes the client-side rate limiter. */
  plan: ZoomPlan;
  /** Client-side rate limiting; default true. */
  rateLimit?: boolean;
  /** Per attempt; default 15000. */
  timeoutMs?: number;
  /** Retries after the first attempt for network errors, timeouts, 5xx and per-second 429s; default 3. */
  maxRetries?: number;
  /** Called once per HTTP attempt, OAuth included. */
  onCall?: (record: ZoomCallRecord) => void;
  logger?: ZoomLogger;
  /** Backoff before the first retry (its upper bound); doubles per retry up to 4 s. Default 250. */
  retryBaseDelayMs?: number;
  /** Longest Retry-After the client waits out by itself; past it the 429 is thrown. Default 10000. */
  maxRetryAfterMs?: number;
  /** The account's rate budget shared by several replicas (default: this process's own). */
  rateBudget?: RateBudget;
  /** The longest a call waits for its rate-limit slot; past it the call fails as a 429 (ZoomRateQueueError). Default 5000. */
  maxQueueWaitMs?: number;
  /** The app's token shared by several replicas (default: this process's own). */
  sharedTokens?: SharedTokens;
  /** Rate-limiter waits and token requests, for metrics. */
  observer?: ZoomClientObserver;
}

export interface ResolvedZoomConfig {
  apiUrl: string;
  oauthUrl: string;
  accountId: string;
  clientId: string;
  clientSecret: string;
  plan: ZoomPlan;
  rateLimit: boolean;
  timeoutMs: number;
  maxRetries: number;
  onCall: ((record: ZoomCallRecord) => void) | undefined;
  logger: ZoomLogger | undefined;
  backoff: BackoffOptions;
  maxRetryAfterMs: number;
  rateBudget: RateBudget | undefined;
  sharedTokens: SharedTokens | undefined;
  observer: ZoomClientObserver;
  maxQueueWaitMs: number;
}

export function resolveConfig(config: ZoomClientConfig): ResolvedZoomConfig {
  for (const key of ["apiUrl", "oauthUrl", "accountId", "clientId", "clientSecret"] as const) {
    if (typeof config[key] !== "string" || config[key] === "") throw new TypeError(`Zoom client: ${key} is required`);
  }
  for (const key of ["apiUrl", "oauthUrl"] as const) {
    if (!URL.canParse(config[key])) throw new TypeError(`Zoom client: ${key} is not a URL: ${config[key]}`);
  }
  const timeoutMs = config.timeoutMs ?? 15_000;
  const maxRetries = config.maxRetries ?? 3;
  const retryBaseDelayMs = config.retryBaseDelayMs ?? 250;
  if (!(timeoutMs > 0)) throw new RangeError("Zoom client: timeoutMs must be positive");
  if (!(maxRetries >= 0) || !Number.isInteger(maxRetries)) throw new RangeError("Zoom client: maxRetries must be a whole number ≥ 0");
  if (config.maxQueueWaitMs !== undefined && !(config.maxQueueWaitMs > 0 && Number.isFinite(config.maxQueueWaitMs)))
    throw new RangeError("Zoom client: maxQueueWaitMs must be a positive number");
  if (!(retryBaseDelayMs >= 0)) throw new RangeError("Zoom client: retryBaseDelayMs must be ≥ 0");
  return {
    apiUrl: config.apiUrl.replace(/\/+$/, ""),
    oauthUrl: config.oauthUrl,
    accountId: config.accountId,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    plan: config.plan,
    rateLimit: config.rateLimit ?? true,
    timeoutMs,
    maxRetries,
    onCall: config.onCall,
    logger: config.logger,
    backoff: { baseMs: retryBaseDelayMs, capMs: Math.max(retryBaseDelayMs, 4000) },
    maxRetryAfterMs: config.maxRetryAfterMs ?? 10_000,
    rateBudget: config.rateBudget,
    sharedTokens: config.sharedTokens,
    observer: config.observer ?? {},
    maxQueueWaitMs: config.maxQueueWaitMs ?? DEFAULT_MAX_QUEUE_WAIT_MS,
  };
}
