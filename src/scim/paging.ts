// RFC 7644 §3.4.2.4 pagination: 1-based startIndex, count capped at the advertised maxResults.
import type { JsonObject } from "./attributes/json.js";
import { badRequest } from "./errors.js";
import { SCIM_LIMITS } from "./limits.js";
import { LIST_RESPONSE_URN } from "./schemas.js";

/** Advertised as filter.maxResults; also the page size when a client gives no count. */
export const MAX_RESULTS = SCIM_LIMITS.maxResults;

export interface Page {
  startIndex: number;
  count: number;
}

// Digits only, so the test is linear; any length is fine, Number() saturates at Infinity.
const INTEGER_TEXT = /^[+-]?\d+$/;

function integer(name: string, raw: unknown): number | undefined {
  if (raw === undefined || raw === null || raw === "") return undefined;
  // A SearchRequest carries JSON numbers; 1e400 parses as Infinity, which is a (huge) integer here.
  if (typeof raw === "number" && (Number.isInteger(raw) || Math.abs(raw) === Infinity)) return raw;
  const text = String(raw).trim();
  if (typeof raw !== "number" && INTEGER_TEXT.test(text)) return Number(text);
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  throw badRequest(
    "invalidValue",
    `${name} must be an integer, got "${shown}"; RFC 7644 §3.4.2.4 pages with startIndex=1,2,… and count=0…${MAX_RESULTS}`,
  );
}

/** startIndex below 1 reads as 1 and a negative count as 0 (RFC 7644 §3.4.2.4); count above maxResults as maxResults. */
export function parsePage(startIndexRaw: unknown, countRaw: unknown): Page {
  const startIndex = integer("startIndex", startIndexRaw) ?? 1;
  const count = integer("count", countRaw) ?? MAX_RESULTS;
  // Capped at the largest safe integer, so a huge startIndex is still an integer in the ListResponse.
  return { startIndex: Math.min(Math.max(1, startIndex), Number.MAX_SAFE_INTEGER), count: Math.min(Math.max(0, count), MAX_RESULTS) };
}

export function slicePage<T>(items: readonly T[], page: Page): T[] {
  return items.slice(page.startIndex - 1, page.startIndex - 1 + page.count);
}

export function listResponse(resources: JsonObject[], totalResults: number, page: Page): JsonObject {
  return {
    schemas: [LIST_RESPONSE_URN],
    totalResults,
    startIndex: page.startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
