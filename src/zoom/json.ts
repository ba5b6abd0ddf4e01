// Defensive reading of Zoom's JSON: bodies may be empty (204), not JSON (a proxy's HTML page) or missing fields.
import { parseExactJson } from "../lib/exact-json.js";

/**
 * Parses a body that should be JSON; undefined for an empty body or one that is not JSON. Integers past 2^53 (Zoom
 * One plan codes reach 2^59) arrive as bigint, exact.
 */
export function parseJsonBody(body: string): unknown {
  if (body.trim() === "") return undefined;
  try {
    return parseExactJson(body);
  } catch {
    return undefined;
  }
}

import type { JsonObject } from "../lib/json.js";

export type { JsonObject };

export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

export function stringField(json: JsonObject | undefined, key: string): string | undefined {
  const value = json?.[key];
  return typeof value === "string" ? value : undefined;
}

export function numberField(json: JsonObject | undefined, key: string): number | undefined {
  const value = json?.[key];
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

export function arrayField(json: JsonObject | undefined, key: string): unknown[] {
  const value = json?.[key];
  return Array.isArray(value) ? value : [];
}
