// Evaluates a parsed filter against a resource (RFC 7644 §3.4.2.2). A comparison on a multi-valued attribute (or on
// a sub-attribute of one, "emails.value") matches when any value matches; a value filter `emails[…]` needs one element
// that satisfies all of it.
import type { AttributeMeta, ResolvedPath } from "../attributes/schema-meta.js";
import type { JsonObject } from "../attributes/json.js";
import { getProperty, isPresent } from "../attributes/json.js";
import { attributeContainer, coerceScalar } from "../attributes/values.js";
import type { CompareOperator, FilterNode, FilterValue } from "./ast.js";

/** True when `resource` satisfies `node` (parsed with the resource's schema: its resolved paths carry the rest). */
export function matchesFilter(resource: JsonObject, node: FilterNode): boolean {
  return evaluate(
    node,
    (path) => valuesAt(resource, path),
    (path) => elementsAt(resource, path),
  );
}

/**
 * True when one element of a multi-valued complex attribute satisfies a value filter (the `filter` of a `[]` node, or
 * an EqualityConjunct's valueFilter), whose paths name sub-attributes of that element.
 */
export function matchesValueFilter(element: unknown, node: FilterNode): boolean {
  return evaluate(
    node,
    (path) => subValues(element, path),
    () => [],
  );
}

type ValuesOf = (path: ResolvedPath) => unknown[];

function evaluate(node: FilterNode, valuesOf: ValuesOf, elementsOf: ValuesOf): boolean {
  switch (node.op) {
    case "and":
      return node.filters.every((f) => evaluate(f, valuesOf, elementsOf));
    case "or":
      return node.filters.some((f) => evaluate(f, valuesOf, elementsOf));
    case "not":
      return !evaluate(node.filter, valuesOf, elementsOf);
    case "[]": {
      const then = node.then;
      return elementsOf(node.path).some(
        (element) => matchesValueFilter(element, node.filter) && (then === undefined || matchesValueFilter(element, then)),
      );
    }
    case "pr":
      return valuesOf(node.path).some(isPresent);
    default:
      return compareValues(node.path.subAttribute ?? node.path.attribute, node.op, valuesOf(node.path), node.value);
  }
}

function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function elementsAt(resource: JsonObject, path: ResolvedPath): unknown[] {
  const container = attributeContainer(resource, path);
  return container === undefined ? [] : asList(getProperty(container, path.attribute.name));
}

/** Every value a path reaches in a resource: all elements' sub-attribute values for "emails.value". */
function valuesAt(resource: JsonObject, path: ResolvedPath): unknown[] {
  const elements = elementsAt(resource, path);
  const sub = path.subAttribute;
  if (sub === undefined) return path.attribute.multiValued ? elements : elements.slice(0, 1);
  return elements.flatMap((element) => asList(getProperty(element, sub.name)));
}

/** Inside a value filter a path is relative to the element: "type" of one email. */
function subValues(element: unknown, path: ResolvedPath): unknown[] {
  const sub = path.subAttribute;
  return sub === undefined ? [] : asList(getProperty(element, sub.name));
}

function compareValues(leaf: AttributeMeta, op: CompareOperator, values: unknown[], expected: FilterValue): boolean {
  if (expected === null) {
    // RFC 7643 §2.5: unassigned, null and [] are the same state.
    const present = values.some(isPresent);
    return op === "ne" ? present : !present;
  }
  if (op === "ne") {
    // An unassigned attribute is not equal to any value; a multi-valued one matches when any value differs.
    const present = values.filter(isPresent);
    return present.length === 0 || present.some((v) => !compareOne(leaf, "eq", v, expected));
  }
  return values.some((v) => compareOne(leaf, op, v, expected));
}

function compareOne(leaf: AttributeMeta, op: CompareOperator, rawActual: unknown, expected: string | number | boolean): boolean {
  const actual = coerceScalar(leaf, rawActual);
  switch (leaf.type) {
    case "boolean":
      return typeof actual === "boolean" && actual === expected;
    case "integer":
    case "decimal":
      return typeof actual === "number" && typeof expected === "number" && ordered(op, Math.sign(actual - expected));
    case "dateTime": {
      if (typeof actual !== "string" || typeof expected !== "string") return false;
      const [a, b] = [Date.parse(actual), Date.parse(expected)];
      if (!Number.isNaN(a) && !Number.isNaN(b) && !isSubstringOp(op)) return ordered(op, Math.sign(a - b));
      return compareStrings(op, actual, expected, false);
    }
    default: {
      if (typeof actual !== "string" && typeof actual !== "number") return false;
      return compareStrings(op, String(actual), String(expected), leaf.caseExact || leaf.type === "binary");
    }
  }
}

function isSubstringOp(op: CompareOperator): boolean {
  return op === "co" || op === "sw" || op === "ew";
}

function compareStrings(op: CompareOperator, rawActual: string, rawExpected: string, caseExact: boolean): boolean {
  const actual = caseExact ? rawActual : rawActual.toLowerCase();
  const expected = caseExact ? rawExpected : rawExpected.toLowerCase();
  switch (op) {
    case "co":
      return actual.includes(expected);
    case "sw":
      return actual.startsWith(expected);
    case "ew":
      return actual.endsWith(expected);
    default:
      // RFC 7644: strings order lexicographically.
      return ordered(op, actual === expected ? 0 : actual < expected ? -1 : 1);
  }
}

/** Whether an ordering result (-1, 0, 1 for actual vs expected) satisfies eq/ne/gt/ge/lt/le. */
function ordered(op: CompareOperator, sign: number): boolean {
  switch (op) {
    case "eq":
      return sign === 0;
    case "ne":
      return sign !== 0;
    case "gt":
      return sign > 0;
    case "ge":
      return sign >= 0;
    case "lt":
      return sign < 0;
    case "le":
      return sign <= 0;
    default:
      return false;
  }
}
