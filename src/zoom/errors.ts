// Typed failures of the Zoom client. Every field is safe to log: no error ever holds the client secret, the Basic
// header or an access token (nor a got error, whose options carry the request headers).

/** Base of every error the Zoom client throws (besides RangeError, and its ZoomInvalidIdentifierError, for misuse). */
export class ZoomError extends Error {
  override name = "ZoomError";
}

export interface ZoomFieldError {
  field?: string;
  message?: string;
}

export interface ZoomApiErrorInit {
  status: number;
  code: number | undefined;
  zoomMessage: string;
  method: string;
  path: string;
  retryAfterSeconds?: number;
  trackingId?: string;
  fieldErrors?: ZoomFieldError[];
}

/** Zoom answered the call with an error status (4xx, or a 429 we could not wait out). */
export class ZoomApiError extends ZoomError {
  override name = "ZoomApiError";
  readonly status: number;
  /** Zoom's business error code (1001, 1005, 4130 …), when the body had one. */
  readonly code: number | undefined;
  readonly zoomMessage: string;
  readonly method: string;
  readonly path: string;
  readonly retryAfterSeconds?: number;
  readonly trackingId?: string;
  /** Per-field details of a validation failure (code 300). */
  readonly fieldErrors?: ZoomFieldError[];

  constructor(init: ZoomApiErrorInit) {
    const code = init.code === undefined ? "" : ` (code ${init.code})`;
    super(`Zoom ${init.method} ${init.path} answered ${init.status}${code}: ${init.zoomMessage}`);
    this.status = init.status;
    this.code = init.code;
    this.zoomMessage = init.zoomMessage;
    this.method = init.method;
    this.path = init.path;
    if (init.retryAfterSeconds !== undefined) this.retryAfterSeconds = init.retryAfterSeconds;
    if (init.trackingId !== undefined) this.trackingId = init.trackingId;
    if (init.fieldErrors !== undefined) this.fieldErrors = init.fieldErrors;
  }
}

/**
 * A 429 of zoom-scim's own: the call would have waited longer than the queue bound for its slot under Zoom's rate
 * limit, so it was not sent. Zoom itself said nothing; callers treat it as any 429 (retryAfterSeconds is set).
 */
export class ZoomRateQueueError extends ZoomApiError {
  override name = "ZoomRateQueueError";
  readonly category: string;
  readonly maxQueueWaitMs: number;

  constructor(init: { method: string; path: string; category: string; maxQueueWaitMs: number; retryAfterSeconds: number }) {
    super({
      status: 429,
      code: undefined,
      zoomMessage: `not sent: more ${init.category} calls are queued for the account's rate limit than ${init.maxQueueWaitMs} ms can serve`,
      method: init.method,
      path: init.path,
      retryAfterSeconds: init.retryAfterSeconds,
    });
    this.category = init.category;
    this.maxQueueWaitMs = init.maxQueueWaitMs;
  }
}

export interface ZoomAuthErrorInit {
  status: number;
  /** OAuth `error`, e.g. `invalid_client`. */
  error: string | undefined;
  /** OAuth `reason`, e.g. `Invalid client_id or client_secret`. */
  reason: string | undefined;
  clientId: string;
  accountId: string;
}

/** The OAuth endpoint refused to issue a token (bad credentials, wrong account, unsupported grant …). */
export class ZoomAuthError extends ZoomError {
  override name = "ZoomAuthError";
  readonly status: number;
  readonly error: string | undefined;
  readonly reason: string | undefined;
  readonly clientId: string;
  readonly accountId: string;

  constructor(init: ZoomAuthErrorInit) {
    const what = [init.error, init.reason].filter((s) => s !== undefined && s !== "").join(": ");
    super(
      `Zoom OAuth refused a token for client ${init.clientId} (account ${init.accountId}): ` +
        `${init.status}${what === "" ? "" : ` ${what}`}`,
    );
    this.status = init.status;
    this.error = init.error;
    this.reason = init.reason;
    this.clientId = init.clientId;
    this.accountId = init.accountId;
  }
}

export type ZoomUnavailableKind = "timeout" | "network" | "server";

export interface ZoomUnavailableErrorInit {
  kind: ZoomUnavailableKind;
  method: string;
  path: string;
  attempts: number;
  retryAfterSeconds: number;
  status?: number;
  /** Node's error code for network failures (ECONNREFUSED …). */
  networkCode?: string;
  detail?: string;
}

/** Zoom could not be reached or kept failing (network error, timeout, 5xx) after the retries the call allowed. */
export class ZoomUnavailableError extends ZoomError {
  override name = "ZoomUnavailableError";
  readonly kind: ZoomUnavailableKind;
  readonly method: string;
  readonly path: string;
  readonly attempts: number;
  /** When the caller may try again. */
  readonly retryAfterSeconds: number;
  readonly status?: number;
  readonly networkCode?: string;

  constructor(init: ZoomUnavailableErrorInit) {
    const cause =
      init.kind === "server"
        ? `server error ${init.status ?? "?"}`
        : init.kind === "timeout"
          ? "timed out"
          : `network error${init.networkCode === undefined ? "" : ` ${init.networkCode}`}`;
    const detail = init.detail === undefined ? "" : ` (${init.detail})`;
    super(`Zoom ${init.method} ${init.path} unavailable after ${init.attempts} attempt(s): ${cause}${detail}`);
    this.kind = init.kind;
    this.method = init.method;
    this.path = init.path;
    this.attempts = init.attempts;
    this.retryAfterSeconds = init.retryAfterSeconds;
    if (init.status !== undefined) this.status = init.status;
    if (init.networkCode !== undefined) this.networkCode = init.networkCode;
  }
}

export type ZoomIdentifierKind =
  "user id" | "user id or email" | "group id" | "role id" | "site id" | "phone number or id" | "calling plan type";

/**
 * A value meant for a Zoom URL path that is not shaped like what Zoom hands out (see path.ts): thrown before any
 * network call. A RangeError, so that callers treating misuse as invalid input do so here too; the message is
 * written for the administrator whose client sent the value.
 */
export class ZoomInvalidIdentifierError extends RangeError {
  override name = "ZoomInvalidIdentifierError";
  readonly kind: ZoomIdentifierKind;
  /** The refused value, cut to 100 characters. */
  readonly value: string;

  constructor(kind: ZoomIdentifierKind, value: unknown) {
    super(`${shown(value)} is not a Zoom ${kind}`);
    this.kind = kind;
    this.value = typeof value === "string" ? value.slice(0, 100) : String(value);
  }
}

const SHOWN_CHARS = 40;

/** The value as an admin can read it: quoted with escapes (control characters stay visible), long ones cut. */
function shown(value: unknown): string {
  if (typeof value !== "string") return value === null || value === undefined ? String(value) : `A ${typeof value}`;
  if (value.length <= SHOWN_CHARS) return JSON.stringify(value);
  return `${JSON.stringify(`${value.slice(0, SHOWN_CHARS)}…`)} (${value.length} characters)`;
}
