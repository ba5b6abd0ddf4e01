// RFC 7644 §3.4.2.4 pagination: 1-based startIndex, count capped at the advertised maxResults.
import { badRequest } from "./errors.js";
import { LIST_RESPONSE_URN } from "./schemas.js";
import type { JsonObject } from "../lib/json.js";

/** Advertised as filter.maxResults; also the page size when a client gives no count. */
export const MAX_RESULTS = 1000;

export interface Page {
  startIndex: number;
  count: number;
}

function integer(name: string, raw: unknown): number | undefined {
  if (raw === undefined || raw === null || raw === "") return undefined;
  const text = String(raw).trim();
  if (!/^-?\d+$/.test(text)) throw badRequest("invalidValue", `${name} must be an integer, got "${text}"`);
  return Number.parseInt(text, 10);
}

export function parsePage(startIndexRaw: unknown, countRaw: unknown): Page {
  const startIndex = integer("startIndex", startIndexRaw) ?? 1;
  const count = integer("count", countRaw) ?? MAX_RESULTS;
  // RFC 7644: a startIndex below 1 is read as 1, a negative count as 0.
  return { startIndex: Math.max(1, startIndex), count: Math.min(Math.max(0, count), MAX_RESULTS) };
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
