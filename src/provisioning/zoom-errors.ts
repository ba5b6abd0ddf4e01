// Zoom's refusals and outages, told as SCIM errors a provisioning admin can act on.
import { StoreUnavailableError } from "../store/errors.js";
import {
  ZoomApiError,
  ZoomAuthError,
  ZoomError,
  ZoomInvalidIdentifierError,
  ZoomRateQueueError,
  ZoomUnavailableError,
} from "../zoom/index.js";
import { ScimError } from "../scim/errors.js";

/** Seat limits: meeting licences (2033, 2034, 3412), Zoom One plans (2038), the Zoom Phone licence (1102, answered as a 404). */
const SEAT_CODES = new Set([2033, 2034, 3412, 2038, 1102]);

/** Turns anything a Zoom call threw into a ScimError; `what` names the step, e.g. "deactivating the user". */
export function scimErrorFromZoom(error: unknown, what: string): ScimError {
  if (error instanceof ScimError) return error;
  if (error instanceof ZoomApiError) return fromApiError(error, what);
  if (error instanceof ZoomAuthError) {
    return new ScimError(
      503,
      undefined,
      `Zoom refused zoom-scim's Server-to-Server OAuth credentials while ${what} (${error.error ?? "error"}: ${error.reason ?? "no reason given"}). ` +
        "An administrator must check the Zoom app's account id, client id and client secret.",
      { retryAfterSeconds: 60 },
    );
  }
  if (error instanceof ZoomUnavailableError) {
    // A Zoom server error is a bad gateway; a timeout or network failure leaves Zoom unavailable.
    return new ScimError(
      error.kind === "server" ? 502 : 503,
      undefined,
      `Zoom is unavailable (${error.kind}) while ${what}; try again in ${error.retryAfterSeconds} s.`,
      {
        retryAfterSeconds: error.retryAfterSeconds,
      },
    );
  }
  if (error instanceof RangeError) return new ScimError(400, "invalidValue", `${what}: ${error.message}`);
  return new ScimError(500, undefined, `Unexpected failure while ${what}.`, { cause: error });
}

function fromApiError(error: ZoomApiError, what: string): ScimError {
  const said = `Zoom said: "${error.zoomMessage}"`;
  if (error instanceof ZoomRateQueueError) {
    const wait = error.retryAfterSeconds ?? 1;
    return new ScimError(
      429,
      undefined,
      `Too many requests for the Zoom account's rate limit: ${what} would have waited more than ${error.maxQueueWaitMs / 1000} s ` +
        `for a turn among its ${error.category} calls, so nothing was sent to Zoom. Try again in ${wait} s, or send fewer requests at once.`,
      { retryAfterSeconds: wait },
    );
  }
  if (error.status === 429) {
    const wait = error.retryAfterSeconds ?? 1;
    return new ScimError(429, undefined, `Zoom's rate limit was reached while ${what}; ${said}. Try again in ${wait} s.`, {
      retryAfterSeconds: wait,
    });
  }
  switch (error.code) {
    case 1001:
    case 4130:
      return new ScimError(404, undefined, `Not found in Zoom while ${what}; ${said}.`);
    case 1005:
    case 4132:
      return new ScimError(409, "uniqueness", `${said} (while ${what}).`);
    case 1009:
      return new ScimError(
        409,
        "uniqueness",
        `The email belongs to a Zoom account outside this account; ${said}. The person must leave that account first, or use another email.`,
      );
    case 1107:
    case 1116:
      return new ScimError(
        400,
        "invalidValue",
        `${said} (while ${what}). The email's domain must be one the Zoom account manages or allows.`,
      );
    case 200:
      // "Only available for Paid account": a plan limit, not a protected user.
      return new ScimError(
        400,
        "invalidValue",
        `Zoom refused ${what}: ${error.zoomMessage}. The Zoom account's plan does not offer this; upgrade the plan or leave the attribute unchanged.`,
      );
    case 1117:
      return new ScimError(
        400,
        "invalidValue",
        `Zoom refused ${what}: ${error.zoomMessage}. Zoom does not let owners or admins be deactivated or removed this way; demote the user in Zoom (roles) first.`,
      );
    case 1120:
      return new ScimError(409, undefined, `The user's Zoom invitation is no longer valid while ${what}; ${said}.`);
    case 1034:
      return new ScimError(400, "invalidValue", `Unknown Zoom role while ${what}; ${said}.`);
    case 4131:
      return new ScimError(404, undefined, `The user is not a member of the Zoom group (while ${what}); ${said}.`);
    case 4700:
    case 4711:
      return new ScimError(
        503,
        undefined,
        `zoom-scim's Zoom app lacks a scope needed for ${what}; ${said}. An administrator must add the scope to the Zoom app.`,
        {
          retryAfterSeconds: 300,
        },
      );
    case 124:
      return new ScimError(503, undefined, `Zoom rejected zoom-scim's access token while ${what}; try again shortly.`, {
        retryAfterSeconds: 5,
      });
    default:
      break;
  }
  if (error.code !== undefined && SEAT_CODES.has(error.code)) {
    return new ScimError(
      409,
      undefined,
      `Zoom has no free licence for ${what}; ${said}. Buy or free a Zoom licence (or provision the user as Basic) and try again.`,
    );
  }
  if (error.status === 404) return new ScimError(404, undefined, `Not found in Zoom while ${what}; ${said}.`);
  if (error.status === 409) return new ScimError(409, "uniqueness", `${said} (while ${what}).`);
  const fields = error.fieldErrors?.map((f) => `${f.field ?? "?"}: ${f.message ?? ""}`).join("; ");
  return new ScimError(400, "invalidValue", `Zoom refused ${what}; ${said}${fields ? ` (${fields})` : ""}.`);
}

export const isZoomNotFound = (error: unknown): boolean =>
  error instanceof ZoomApiError && (error.status === 404 || error.code === 1001 || error.code === 4130);

/** A Zoom failure that reached the HTTP layer unconverted (reads let them through): as a SCIM error. */
/** A Zoom read whose "not found" is an answer: undefined then, any other failure thrown as it came. */
export async function unlessNotFound<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (isZoomNotFound(error)) return undefined;
    throw error;
  }
}

export function scimErrorFromUnhandled(error: unknown): ScimError | undefined {
  // An id Zoom's URLs would not take: refused before any call, the client's value named in the message.
  if (error instanceof ZoomInvalidIdentifierError) return new ScimError(400, "invalidValue", `${error.message}; nothing was sent to Zoom.`);
  if (isStoreUnavailable(error))
    return new ScimError(
      503,
      undefined,
      "zoom-scim's store (PostgreSQL) is unreachable: the request was not completed, and what it had asked of Zoom, if anything, is reported by a retry of the same request. Retry later.",
      { retryAfterSeconds: 5, cause: error },
    );
  return error instanceof ZoomError ? scimErrorFromZoom(error, "calling Zoom") : undefined;
}

function isStoreUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++)
    if (e instanceof StoreUnavailableError) return true;
  return false;
}

/** Not found, or a pending user whose invitation expired (1120): either way there is no user to show. */
export const isZoomUserGone = (error: unknown): boolean => isZoomNotFound(error) || (error instanceof ZoomApiError && error.code === 1120);

/** Zoom's 1120: the user was invited and the invitation expired (its per-user calls then all fail). */
export const isExpiredInvitation = (error: unknown): boolean => error instanceof ZoomApiError && error.code === 1120;
