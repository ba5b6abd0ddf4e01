// The Zoom REST client: typed Users/Groups/Roles operations over Server-to-Server OAuth, with client-side rate
// limiting and a retry policy. It knows nothing of SCIM.

export { ZoomClient, createZoomClient } from "./client.js";
export type { ZoomClientConfig, ZoomClientObserver, ZoomLogger } from "./config.js";
export {
  ZoomError,
  ZoomApiError,
  ZoomRateQueueError,
  ZoomAuthError,
  ZoomUnavailableError,
  ZoomInvalidIdentifierError,
  type ZoomIdentifierKind,
  type ZoomFieldError,
  type ZoomUnavailableKind,
} from "./errors.js";
export { isZoomEmail, isZoomId, isZoomUserId } from "./path.js";
export {
  DEFAULT_MAX_QUEUE_WAIT_MS,
  PLAN_RATE_LIMITS,
  gcraStart,
  pacingIntervalMs,
  type RateBudget,
  type Reservation,
  type ReservationRequest,
} from "./rate-limiter.js";
export type { SharedToken, SharedTokens } from "./token-provider.js";
export { parseRetryAfter, type RetryAfter } from "./retry-after.js";
export * from "./types.js";
