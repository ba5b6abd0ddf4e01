// One Zoom API call, whatever the operation: token, rate-limit slot, attempt, and what each outcome means for
// retry.ts's loop (shared with the token request), which decides whether and when to repeat.
//
//   outcome                               | what happens
//   --------------------------------------+------------------------------------------------------------------
//   2xx                                   | return (body parsed if any)
//   401 code 124                          | drop the token, renew, retry once (does not use a retry)
//   429 daily limit                       | throw ZoomApiError 429, retryAfterSeconds until the reset
//   429 per-second                        | pause the category for Retry-After (else 1 s), retry, any method
//   429 concurrent requests (per user)    | this call waits Retry-After (else backoff), retry, any method
//   5xx                                   | backoff, retry GET/PUT/PATCH/DELETE; POST: ZoomUnavailableError
//   timeout / connection reset …          | backoff, retry GET/PUT/PATCH/DELETE; POST: ZoomUnavailableError
//   refused / DNS / connect timeout       | backoff, retry any method (the request never left)
//   other 4xx                             | throw ZoomApiError
//
// A 429 is safe to repeat even for POST: Zoom refused it before doing anything.

import { stringifyExact } from "../lib/exact-json.js";
import type { ResolvedZoomConfig, ZoomClientObserver } from "./config.js";
import { ZoomApiError, ZoomRateQueueError, ZoomUnavailableError, type ZoomFieldError } from "./errors.js";
import { headerValue, type HttpTransport } from "./http.js";
import { arrayField, asObject, numberField, parseJsonBody, stringField, type JsonObject } from "./json.js";
import { zoomErrorFields, type Reporter } from "./observe.js";
import { pathWithoutEmails } from "../lib/redact.js";
import type { ZoomPath } from "./path.js";
import { RateQueueFullError, type RateLimiter } from "./rate-limiter.js";
import { UNAVAILABLE_RETRY_AFTER_SECONDS, mayRetry, withRetries, type AttemptOutcome, type HttpMethod, type RetryPolicy } from "./retry.js";
import { classifyTooManyRequests, parseRetryAfter, secondsUntilUtcMidnight } from "./retry-after.js";
import type { TokenProvider } from "./token-provider.js";
import type { ZoomRateCategory } from "./types.js";

export interface ZoomRequest {
  method: HttpMethod;
  /** Below the API base, no query: `/users/abc`. Only path.ts makes these, from checked, encoded segments. */
  path: ZoomPath;
  category: ZoomRateCategory;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
}

export interface ZoomResponse {
  status: number;
  /** The parsed body; undefined when empty (204) or not JSON. */
  json: unknown;
}

/** Wait after a per-second 429 without Retry-After. */
const PER_SECOND_PAUSE_MS = 1000;

export interface CallerDeps {
  config: ResolvedZoomConfig;
  transport: HttpTransport;
  tokens: TokenProvider;
  limiter: RateLimiter | undefined;
  report: Reporter;
}

export class ZoomCaller {
  constructor(private readonly deps: CallerDeps) {}

  async call(request: ZoomRequest): Promise<ZoomResponse> {
    const { config, transport, tokens, limiter, report } = this.deps;
    const { method, path, category } = request;
    const searchParams = toSearchParams(request.query);
    // bigint plan codes go out as their exact digits.
    const body = request.body === undefined ? undefined : stringifyExact(request.body);
    const policy: RetryPolicy = {
      maxRetries: config.maxRetries,
      backoff: config.backoff,
      maxRetryAfterMs: config.maxRetryAfterMs,
      mayRepeat: (failure) => mayRetry(method, failure),
      logger: config.logger,
      logFields: () => ({ method, path: pathWithoutEmails(path), category }),
      logMessage: "zoom call failed, retrying",
    };
    let renewedToken = false;

    return withRetries(policy, async (attempt): Promise<AttemptOutcome<ZoomResponse>> => {
      const token = await tokens.getToken();
      if (limiter) await acquireSlot(limiter, request, config.observer);

      const started = performance.now();
      const outcome = await transport.send({
        method,
        url: config.apiUrl + path,
        headers: {
          authorization: `Bearer ${token}`,
          accept: "application/json",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(searchParams === undefined ? {} : { searchParams }),
        ...(body === undefined ? {} : { body }),
      });
      const durationMs = Math.round(performance.now() - started);

      if (!outcome.ok) {
        const { failure } = outcome;
        report({ method, path, status: 0, category, durationMs, attempt, ...(failure.code ? { networkCode: failure.code } : {}) });
        return {
          retry: {
            failure,
            reason: failure.code ?? failure.kind,
            giveUp: ({ attempts }) =>
              new ZoomUnavailableError({
                kind: failure.kind,
                method,
                path,
                attempts,
                retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS,
                ...(failure.code ? { networkCode: failure.code } : {}),
                detail: failure.message,
              }),
          },
        };
      }

      const { status, headers } = outcome.response;
      const json = parseJsonBody(outcome.response.body);
      const object = asObject(json);
      const code = numberField(object, "code");
      const trackingId = headerValue(headers, "x-zm-trackingid");
      const zoomMessage = status >= 400 ? (stringField(object, "message") ?? bodySnippet(outcome.response.body)) : undefined;
      report({
        method,
        path,
        status,
        category,
        durationMs,
        attempt,
        ...(code !== undefined && status >= 400 ? { code } : {}),
        ...(trackingId ? { trackingId } : {}),
        ...(zoomMessage !== undefined ? { zoomMessage } : {}),
      });
      // What the retry loop's log line says of Zoom's answer (its message is redacted there).
      const logDetail = { status, code, zoomMessage, trackingId };

      if (status >= 200 && status < 300) return { done: { status, json } };

      const apiError = (retryAfterSeconds?: number): ZoomApiError =>
        new ZoomApiError({
          status,
          code,
          zoomMessage: stringField(object, "message") ?? bodySnippet(outcome.response.body) ?? `HTTP ${status}`,
          method,
          path,
          ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
          ...(trackingId ? { trackingId } : {}),
          ...fieldErrors(object),
        });

      if (status === 401 && code === 124 && !renewedToken) {
        // A stale token: renew it and repeat once, without using a retry; a second refusal is thrown below.
        renewedToken = true;
        tokens.invalidate(token);
        config.logger?.warn(
          { zoomCall: { method, path: pathWithoutEmails(path), category, attempt, ...zoomErrorFields(logDetail) } },
          "zoom refused the access token, renewing it",
        );
        return { retry: { failure: { kind: "refused", status }, reason: "token refused", free: true, giveUp: () => apiError() } };
      }

      const retryAfter = parseRetryAfter(headerValue(headers, "retry-after"), Date.now());

      if (status === 429) {
        const kind = classifyTooManyRequests({
          rateLimitType: headerValue(headers, "x-ratelimit-type"),
          message: stringField(object, "message"),
          retryAfter,
        });
        if (kind === "daily") throw apiError(Math.ceil(retryAfter?.seconds ?? secondsUntilUtcMidnight(Date.now())));
        // Without Retry-After: a per-second limit clears within the second; the concurrency lock, with backoff.
        const waitMs = retryAfter !== undefined ? retryAfter.seconds * 1000 : kind === "per-second" ? PER_SECOND_PAUSE_MS : undefined;
        const pauseCategory = (pauseMs: number): void => {
          // Every caller of this account and category holds off, not just this one.
          // The shared budget may be unreachable: this process's own pause holds regardless.
          void limiter?.pause(category, pauseMs).catch(() => undefined);
          config.logger?.warn(
            { zoomCall: { method, path: pathWithoutEmails(path), category, attempt, pauseMs, ...zoomErrorFields(logDetail) } },
            "zoom rate limit hit, pausing category",
          );
        };
        return {
          retry: {
            failure: { kind: "refused", status },
            reason: `429 ${kind}`,
            logDetail,
            ...(waitMs === undefined ? {} : { waitMs }),
            ...(kind === "per-second" && limiter ? { waitsElsewhere: pauseCategory } : {}),
            giveUp: (spent) => apiError(Math.max(1, Math.ceil(spent.waitMs / 1000))),
          },
        };
      }

      if (status >= 500) {
        // Zoom's hint is followed when it is short enough; a longer one would end the loop, so backoff instead.
        const hinted = retryAfter !== undefined && retryAfter.seconds * 1000 <= config.maxRetryAfterMs;
        return {
          retry: {
            failure: { kind: "server", status },
            reason: `status ${status}`,
            logDetail,
            ...(hinted ? { waitMs: retryAfter.seconds * 1000 } : {}),
            giveUp: ({ attempts }) =>
              new ZoomUnavailableError({
                kind: "server",
                status,
                method,
                path,
                attempts,
                retryAfterSeconds: retryAfter === undefined ? UNAVAILABLE_RETRY_AFTER_SECONDS : Math.max(1, Math.ceil(retryAfter.seconds)),
                ...(code !== undefined ? { detail: `code ${code}` } : {}),
              }),
          },
        };
      }

      throw apiError();
    });
  }
}

/**
 * The call's rate-limit slot, with the wait reported to the observer (queue depth and waiting time); a queue past
 * its bound is this call's 429, with nothing sent.
 */
async function acquireSlot(limiter: RateLimiter, request: ZoomRequest, observer: ZoomClientObserver): Promise<void> {
  observer.limiterQueued?.(request.category);
  let waitedMs: number | undefined;
  try {
    waitedMs = await limiter.acquire(request.category);
  } catch (error) {
    if (!(error instanceof RateQueueFullError)) throw error;
    throw new ZoomRateQueueError({
      method: request.method,
      path: request.path,
      category: error.category,
      maxQueueWaitMs: error.maxQueueWaitMs,
      retryAfterSeconds: Math.ceil(error.retryAfterMs / 1000),
    });
  } finally {
    observer.limiterDequeued?.(request.category, waitedMs);
  }
}

function toSearchParams(query: ZoomRequest["query"]): Record<string, string> | undefined {
  if (!query) return undefined;
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params[key] = String(value);
  return Object.keys(params).length === 0 ? undefined : params;
}

function fieldErrors(object: JsonObject | undefined): { fieldErrors?: ZoomFieldError[] } {
  const errors = arrayField(object, "errors")
    .map(asObject)
    .filter((e): e is JsonObject => e !== undefined)
    .map((e) => {
      const item: ZoomFieldError = {};
      const field = stringField(e, "field");
      const message = stringField(e, "message");
      if (field !== undefined) item.field = field;
      if (message !== undefined) item.message = message;
      return item;
    });
  return errors.length === 0 ? {} : { fieldErrors: errors };
}

/** A non-JSON error body (a proxy's page) shortened for the message. */
function bodySnippet(body: string): string | undefined {
  const text = body.replace(/\s+/g, " ").trim();
  if (text === "" || text.startsWith("{")) return undefined;
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
