// page_size and next_page_token handling shared by the list operations.
import { err } from "../errors.js";
import type { PageKind } from "../paging.js";
import type { ApiRequest } from "./types.js";

export const DEFAULT_PAGE_SIZE = 30;

/** page_size: default 30; not a positive integer → 400/300; above `max` → clamped to `max`. */
export function pageSize(req: ApiRequest, max: number): number {
  const raw = req.query.get("page_size");
  if (raw === null || raw === "") return DEFAULT_PAGE_SIZE;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw err.validation([{ field: "page_size", message: "Invalid field." }]);
  return Math.min(n, max);
}

/** The cursor a next_page_token carries, 0 without one. */
export function pageCursor(req: ApiRequest, kind: PageKind, scope: string): number {
  const token = req.query.get("next_page_token");
  if (token === null || token === "") return 0;
  return req.sim.pages.read(token, kind, scope, req.now, req.sim.config.pageTokenTtlSeconds * 1000);
}

export function nextToken(req: ApiRequest, kind: PageKind, scope: string, hasMore: boolean, lastCursor: number | undefined): string {
  return hasMore && lastCursor !== undefined ? req.sim.pages.issue(kind, scope, lastCursor, req.now) : "";
}

export function pageCount(total: number, size: number): number {
  return Math.ceil(total / size);
}
