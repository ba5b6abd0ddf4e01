// The Server-to-Server OAuth token request (account_credentials grant). Repeating it is harmless, so transport
// failures, 5xx and 429 are retried whatever the method; the endpoint's refusals become ZoomAuthError.

import { ZoomApiError, ZoomAuthError, ZoomUnavailableError } from "./errors.js";
import { headerValue, type HttpTransport } from "./http.js";
import { asObject, numberField, parseJsonBody, stringField } from "./json.js";
import type { Reporter } from "./observe.js";
import type { ZoomLogger } from "./config.js";
import { UNAVAILABLE_RETRY_AFTER_SECONDS, backoffDelayMs, sleep, type BackoffOptions } from "./retry.js";
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

  for (let attempt = 1; ; attempt++) {
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
    const canRetry = attempt <= ctx.maxRetries;

    if (!outcome.ok) {
      const { failure } = outcome;
      const networkCode = failure.code ? { networkCode: failure.code } : {};
      ctx.report({ method: "POST", path, status: 0, category: "oauth", durationMs, attempt, ...networkCode });
      if (canRetry) {
        await pause(ctx, attempt, undefined, failure.kind);
        continue;
      }
      throw new ZoomUnavailableError({
        kind: failure.kind,
        method: "POST",
        path,
        attempts: attempt,
        retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS,
        ...networkCode,
        detail: failure.message,
      });
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
      return { accessToken, expiresInSeconds: expiresIn > 0 ? expiresIn : DEFAULT_EXPIRES_IN };
    }

    const retryAfter = parseRetryAfter(headerValue(headers, "retry-after"), Date.now());
    if (status === 429 || status >= 500) {
      if (canRetry && (retryAfter === undefined || retryAfter.seconds * 1000 <= ctx.maxRetryAfterMs)) {
        await pause(ctx, attempt, retryAfter?.seconds, `status ${status}`);
        continue;
      }
      if (status === 429) {
        throw new ZoomApiError({
          status,
          code,
          zoomMessage: stringField(json, "message") ?? stringField(json, "reason") ?? "Too many token requests",
          method: "POST",
          path,
          retryAfterSeconds: Math.max(1, Math.ceil(retryAfter?.seconds ?? 1)),
          ...(trackingId ? { trackingId } : {}),
        });
      }
      throw new ZoomUnavailableError({
        kind: "server",
        status,
        method: "POST",
        path,
        attempts: attempt,
        retryAfterSeconds: Math.max(1, Math.ceil(retryAfter?.seconds ?? UNAVAILABLE_RETRY_AFTER_SECONDS)),
      });
    }

    throw new ZoomAuthError({
      status,
      error: stringField(json, "error"),
      reason: stringField(json, "reason") ?? stringField(json, "message"),
      clientId: ctx.clientId,
      accountId: ctx.accountId,
    });
  }
}

async function pause(ctx: OAuthContext, attempt: number, retryAfterSeconds: number | undefined, reason: string): Promise<void> {
  const delayMs = retryAfterSeconds !== undefined ? retryAfterSeconds * 1000 : backoffDelayMs(attempt, ctx.backoff);
  ctx.logger?.warn(
    { zoomCall: { method: "POST", category: "oauth", attempt, reason, delayMs } },
    "zoom token request failed, retrying",
  );
  await sleep(delayMs);
}
