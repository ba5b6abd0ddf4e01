// A small validator for Zoom request bodies, reporting Zoom's `errors:[{field,message}]` entries
// with dotted field names (`user_info.email`), as Zoom's error documentation shows.
import type { FieldError } from "./errors.js";
import { isRecord } from "./http-io.js";

export type FieldSpec =
  | { type: "string"; maxLength?: number; minLength?: number; enum?: readonly string[]; format?: "email" }
  | { type: "integer"; enum?: readonly number[]; min?: number; max?: number }
  | { type: "boolean" }
  | { type: "array"; maxItems?: number; minItems?: number; items?: FieldSpec }
  | ObjectSpec;

export interface ObjectSpec {
  type: "object";
  props: Record<string, FieldSpec>;
  required?: readonly string[];
  /** Refuse fields not listed in `props`. */
  closed?: boolean;
}

const INVALID = "Invalid field.";
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isEmail(value: string): boolean {
  return value.length <= 128 && EMAIL.test(value);
}

export function validate(value: unknown, spec: FieldSpec, field: string, out: FieldError[]): void {
  switch (spec.type) {
    case "string":
      if (typeof value !== "string") return void out.push({ field, message: INVALID });
      if (spec.maxLength !== undefined && value.length > spec.maxLength) out.push({ field, message: INVALID });
      else if (spec.minLength !== undefined && value.length < spec.minLength) out.push({ field, message: INVALID });
      else if (spec.enum && !spec.enum.includes(value)) out.push({ field, message: INVALID });
      else if (spec.format === "email" && !isEmail(value)) out.push({ field, message: INVALID });
      return;
    case "integer":
      // Integers past 2^53 parse to bigint (lib/exact-json.ts): whole numbers, beyond any documented bound.
      if (typeof value === "bigint") return;
      if (typeof value !== "number" || !Number.isInteger(value)) return void out.push({ field, message: INVALID });
      if (spec.enum && !spec.enum.includes(value)) out.push({ field, message: INVALID });
      else if (spec.min !== undefined && value < spec.min) out.push({ field, message: INVALID });
      else if (spec.max !== undefined && value > spec.max) out.push({ field, message: INVALID });
      return;
    case "boolean":
      if (typeof value !== "boolean") out.push({ field, message: INVALID });
      return;
    case "array":
      if (!Array.isArray(value)) return void out.push({ field, message: INVALID });
      if (spec.maxItems !== undefined && value.length > spec.maxItems) return void out.push({ field, message: INVALID });
      if (spec.minItems !== undefined && value.length < spec.minItems) return void out.push({ field, message: INVALID });
      if (spec.items) {
        const items = spec.items;
        value.forEach((item: unknown, i) => validate(item, items, `${field}[${i}]`, out));
      }
      return;
    case "object":
      validateObject(value, spec, field, out);
      return;
  }
}

export function validateObject(value: unknown, spec: ObjectSpec, prefix: string, out: FieldError[]): void {
  const at = (key: string): string => (prefix ? `${prefix}.${key}` : key);
  if (!isRecord(value)) {
    out.push({ field: prefix || "body", message: INVALID });
    return;
  }
  for (const key of spec.required ?? []) {
    if (value[key] === undefined || value[key] === null) out.push({ field: at(key), message: INVALID });
  }
  for (const [key, item] of Object.entries(value)) {
    const child = spec.props[key];
    if (!child) {
      if (spec.closed) out.push({ field: at(key), message: INVALID });
      continue;
    }
    if (item === undefined || (item === null && !spec.required?.includes(key))) continue;
    validate(item, child, at(key), out);
  }
}
