// What an API handler sees and returns.
import type { Headers } from "../http-io.js";
import type { RateCategory } from "../options.js";
import type { Simulator } from "../sim.js";

export interface ApiRequest {
  sim: Simulator;
  /** Decoded path parameters, in template order. */
  params: string[];
  query: URLSearchParams;
  /** Parsed JSON body for operations that take one. */
  body: Record<string, unknown>;
  /** Response headers so far (tracking id, rate-limit headers); handlers may add to them. */
  headers: Headers;
  now: number;
}

export interface ApiResult {
  status: number;
  body?: unknown;
}

export type Handler = (req: ApiRequest) => ApiResult | Promise<ApiResult>;

export interface Operation {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Path below /v2, e.g. `/users/{userId}`. */
  template: string;
  category: RateCategory;
  /** Any one of these scopes grants the call (Zoom's OpenAPI `security`). */
  scopes: readonly string[];
  /** The scope a 4711 answer names (the granular admin scope). */
  scopeName: string;
  /** Requires a JSON object body. */
  body: boolean;
  /** Paid plans only: Free accounts get 400/200. */
  paid: boolean;
  handler: Handler;
}

export function param(req: ApiRequest, i: number): string {
  return req.params[i] ?? "";
}
