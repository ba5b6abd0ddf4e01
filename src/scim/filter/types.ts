// Which comparisons fit which attribute types (RFC 7644 §3.4.2.2), and the comparison value in the attribute's type.
import type { ResolvedPath } from "../attributes/schema-meta.js";
import { leafOf } from "../attributes/schema-meta.js";
import { coerceScalar } from "../attributes/values.js";
import type { CompareOperator, FilterValue } from "./ast.js";

const ORDERING: ReadonlySet<string> = new Set(["gt", "ge", "lt", "le"]);
const SUBSTRING: ReadonlySet<string> = new Set(["co", "sw", "ew"]);

/**
 * Checks that `path op value` is meaningful and returns the value in the attribute's type ("true" → true for
 * booleans, "2" → 2 for numbers, 12345 → "12345" for strings). Calls `fail` with a client-facing reason otherwise.
 */
export function checkComparison(
  path: ResolvedPath,
  op: CompareOperator | "pr",
  value: FilterValue,
  fail: (message: string) => never,
): FilterValue {
  const leaf = leafOf(path);
  const name = path.canonical;
  if (leaf.returned === "never") fail(`"${name}" is never returned, so it cannot be filtered on`);
  if (op === "pr") return null;
  if (leaf.type === "complex") {
    const example = leaf.subAttributes.find((s) => s.name === "value") ?? leaf.subAttributes[0];
    const hint =
      example === undefined ? "" : `, e.g. ${name}.${example.name} ${op} …, or select elements with ${name}[${example.name} ${op} …]`;
    fail(`"${name}" is complex; compare one of its sub-attributes${hint}`);
  }
  if (value === null) {
    if (op !== "eq" && op !== "ne") fail(`"${op}" cannot compare "${name}" with null; use "${name} pr" or "${name} eq null"`);
    return null;
  }
  switch (leaf.type) {
    case "boolean": {
      if (op !== "eq" && op !== "ne") fail(`"${op}" does not apply to the boolean attribute "${name}"; use eq or ne`);
      const coerced = coerceScalar(leaf, value);
      if (typeof coerced !== "boolean") fail(`"${name}" is boolean; compare it with true or false, not ${JSON.stringify(value)}`);
      return coerced;
    }
    case "integer":
    case "decimal": {
      if (SUBSTRING.has(op)) fail(`"${op}" does not apply to the number attribute "${name}"; use eq, ne, gt, ge, lt or le`);
      const coerced = coerceScalar(leaf, value);
      if (typeof coerced !== "number") fail(`"${name}" is a number; compare it with a number, not ${JSON.stringify(value)}`);
      return coerced;
    }
    case "dateTime":
      if (typeof value !== "string" || Number.isNaN(Date.parse(value))) {
        fail(`"${name}" is a dateTime; compare it with a quoted timestamp such as "2024-05-13T04:42:34Z", not ${JSON.stringify(value)}`);
      }
      return value;
    case "binary":
      if (ORDERING.has(op) || SUBSTRING.has(op)) fail(`"${op}" does not apply to the binary attribute "${name}"; use eq, ne or pr`);
      if (typeof value !== "string") fail(`"${name}" is binary; compare it with a quoted base64 string`);
      return value;
    default:
      // string and reference
      if (typeof value === "boolean") fail(`"${name}" is a string; compare it with a quoted value, not ${String(value)}`);
      return typeof value === "number" ? String(value) : value;
  }
}
