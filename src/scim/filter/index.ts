// SCIM filters (RFC 7644 §3.4.2.2): parse against a schema, evaluate, and find indexable equalities.
export type { CompareNode, CompareOperator, FilterNode, FilterValue, LogicalNode, NotNode, PresentNode, ValuePathNode } from "./ast.js";
export { parseFilter, parsePatchPath } from "./parser.js";
export type { ParsedPatchPath } from "./parser.js";
export { matchesFilter, matchesValueFilter } from "./match.js";
export { equalityConjuncts } from "./conjuncts.js";
export type { EqualityConjunct } from "./conjuncts.js";
