// The parsed, schema-resolved form of a SCIM filter (RFC 7644 §3.4.2.2).
import type { ResolvedPath } from "../attributes/schema-meta.js";

export type CompareOperator = "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "ge" | "lt" | "le";
export type FilterValue = string | number | boolean | null;

/** `path op value`. Inside a value filter the path names a sub-attribute and is evaluated against one element. */
export interface CompareNode {
  op: CompareOperator;
  path: ResolvedPath;
  value: FilterValue;
}

export interface PresentNode {
  op: "pr";
  path: ResolvedPath;
}

export interface LogicalNode {
  op: "and" | "or";
  filters: FilterNode[];
}

export interface NotNode {
  op: "not";
  filter: FilterNode;
}

/**
 * `emails[type eq "work" and value co "@x"]`: some element satisfies `filter`. With `then`
 * (`emails[type eq "work"].value eq "x"`), that same element must also satisfy `then`.
 */
export interface ValuePathNode {
  op: "[]";
  path: ResolvedPath;
  filter: FilterNode;
  then?: CompareNode | PresentNode;
}

export type FilterNode = CompareNode | PresentNode | LogicalNode | NotNode | ValuePathNode;

export const COMPARE_OPERATORS: readonly CompareOperator[] = ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"];
