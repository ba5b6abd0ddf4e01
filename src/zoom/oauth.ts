// The Server-to-Server OAuth token request (account_credentials grant), through retry.ts's loop. Repeating it is
// harmless, so transport failures, 5xx and 429 are retried although it is a POST; the endpoint's refusals become
// ZoomAuthError.

import { ZoomApiError, ZoomAuthError, ZoomUnavailableError } from "./errors.js";
import { headerValue, type HttpTransport } from "./http.js";
import { asObject, numberField, parseJsonBody, stringField } from "./json.js";
import type { Reporter } from "./observe.js";
import type { ZoomLogger } from "./config.js";
import { UNAVAILABLE_RETRY_AFTER_SECONDS, withRetries, type AttemptOutcome, type BackoffOptions, type RetryPolicy } from "./retry.js";
import { parseRetryAfter } from "./retry-after.js";
import type { IssuedToken } from "./token-provider.js";

export interface OAuthContext {
  oauthUrl: string;
  accountId: string;
  clientId: string;
  clientSecret: string;
  transport: HttpTransport;
  report: Reporter;
  logger: ZoomLogger | undefined;
  maxRetries: number;
  maxRetryAfterMs: number;
  backoff: BackoffOptions;
}

const DEFAULT_EXPIRES_IN = 3600;

export async function requestAccessToken(ctx: OAuthContext): Promise<IssuedToken> {
  const path = new URL(ctx.oauthUrl).pathname;
  const basic = Buffer.from(`${ctx.clientId}:${ctx.clientSecret}`).toString("base64");
  const body = new URLSearchParams({ grant_type: "account_credentials", account_id: ctx.accountId }).toString();

  const policy: RetryPolicy = {
    maxRetries: ctx.maxRetries,
    backoff: ctx.backoff,
    maxRetryAfterMs: ctx.maxRetryAfterMs,
    // The token request creates nothing: sending it twice only issues a second token, whatever reached Zoom.
    mayRepeat: () => true,
    logger: ctx.logger,
    logFields: () => ({ method: "POST", category: "oauth" }),
    logMessage: "zoom token request failed, retrying",
  };

  return withRetries(policy, async (attempt): Promise<AttemptOutcome<IssuedToken>> => {
    const started = performance.now();
    const outcome = await ctx.transport.send({
      method: "POST",
      url: ctx.oauthUrl,
      headers: {
        authorization: `Basic ${basic}`,
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
      },
      body,
    });
    const durationMs = Math.round(performance.now() - started);

    if (!outcome.ok) {
      const { failure } = outcome;
      const networkCode = failure.code ? { networkCode: failure.code } : {};
      ctx.report({ method: "POST", path, status: 0, category: "oauth", durationMs, attempt, ...networkCode });
      return {
        retry: {
          failure,
          reason: failure.kind,
          giveUp: ({ attempts }) =>
            new ZoomUnavailableError({
              kind: failure.kind,
              method: "POST",
              path,
              attempts,
              retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS,
              ...networkCode,
              detail: failure.message,
            }),
        },
      };
    }

    const { status, headers } = outcome.response;
    const json = asObject(parseJsonBody(outcome.response.body));
    const trackingId = headerValue(headers, "x-zm-trackingid");
    const code = numberField(json, "code");
    ctx.report({
      method: "POST",
      path,
      status,
      category: "oauth",
      durationMs,
      attempt,
      ...(code !== undefined ? { code } : {}),
      ...(trackingId ? { trackingId } : {}),
      ...(status >= 400 ? { zoomMessage: stringField(json, "reason") ?? stringField(json, "message") ?? `HTTP ${status}` } : {}),
    });

    if (status >= 200 && status < 300) {
      const accessToken = stringField(json, "access_token");
      if (accessToken === undefined || accessToken === "") {
        throw new ZoomAuthError({
          status,
          error: "invalid_response",
          reason: "token response without access_token",
          clientId: ctx.clientId,
          accountId: ctx.accountId,
        });
      }
      const expiresIn = numberField(json, "expires_in") ?? DEFAULT_EXPIRES_IN;
      return { done: { accessToken, expiresInSeconds: expiresIn > 0 ? expiresIn : DEFAULT_EXPIRES_IN } };
    }

    if (status === 429 || status >= 500) {
      const retryAfter = parseRetryAfter(headerValue(headers, "retry-after"), Date.now());
      return {
        retry: {
          failure: status === 429 ? { kind: "refused", status } : { kind: "server", status },
          reason: `status ${status}`,
          // A Retry-After past maxRetryAfterMs ends the loop: the token request then fails with it.
          ...(retryAfter === undefined ? {} : { waitMs: retryAfter.seconds * 1000 }),
          giveUp: ({ attempts }) =>
            status === 429
              ? new ZoomApiError({
                  status,
                  code,
                  zoomMessage: stringField(json, "message") ?? stringField(json, "reason") ?? "Too many token requests",
                  method: "POST",
                  path,
                  retryAfterSeconds: Math.max(1, Math.ceil(retryAfter?.seconds ?? 1)),
                  ...(trackingId ? { trackingId } : {}),
                })
              : new ZoomUnavailableError({
                  kind: "server",
                  status,
                  method: "POST",
                  path,
                  attempts,
                  retryAfterSeconds: Math.max(1, Math.ceil(retryAfter?.seconds ?? UNAVAILABLE_RETRY_AFTER_SECONDS)),
                }),
        },
      };
    }

    throw new ZoomAuthError({
      status,
      error: stringField(json, "error"),
      reason: stringField(json, "reason") ?? stringField(json, "message"),
      clientId: ctx.clientId,
      accountId: ctx.accountId,
    });
  });
}
