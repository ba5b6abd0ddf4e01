// The equality conditions every match of a filter must meet, so a service can look candidates up by index (userName,
// externalId, id, emails.value, members.value …) before evaluating the whole filter on them.
import type { ResolvedPath } from "../attributes/schema-meta.js";
import type { CompareNode, FilterNode, FilterValue, PresentNode } from "./ast.js";

export interface EqualityConjunct {
  /** Canonical path: "userName", "emails.value", "members.value", "urn:…:enterprise:2.0:User:employeeNumber". */
  path: string;
  /** The comparison value in the attribute's type. */
  value: FilterValue;
  /** Whether the value compares case-sensitively (id, externalId) or not (userName, emails.value …). */
  caseExact: boolean;
  resolved: ResolvedPath;
  /**
   * For a condition inside a value filter: the other conditions the SAME element must meet, e.g. `type eq "work"` for
   * `emails[type eq "work"].value eq "x"`. Evaluate it with matchesValueFilter(element, valueFilter).
   */
  valueFilter?: FilterNode;
}

/** The operands of an and-chain (nested ands flattened); a lone node is a chain of one. */
function conjunctsOf(node: FilterNode): FilterNode[] {
  return node.op === "and" ? node.filters.flatMap(conjunctsOf) : [node];
}

function toConjunct(node: CompareNode, valueFilter?: FilterNode): EqualityConjunct {
  const leaf = node.path.subAttribute ?? node.path.attribute;
  const conjunct: EqualityConjunct = { path: node.path.canonical, value: node.value, caseExact: leaf.caseExact, resolved: node.path };
  if (valueFilter !== undefined) conjunct.valueFilter = valueFilter;
  return conjunct;
}

function isEquality(node: FilterNode): node is CompareNode {
  return node.op === "eq";
}

/**
 * The `eq` comparisons that every resource matching `node` satisfies: those of a single comparison or of the
 * top-level `and` chain, including equalities inside value filters (`members[value eq "u"]` → members.value = "u";
 * `emails[type eq "work"].value eq "x"` → emails.value = "x" with valueFilter `type eq "work"`). Comparisons under
 * `or` or `not` are not necessary conditions and are left out.
 */
export function equalityConjuncts(node: FilterNode): EqualityConjunct[] {
  const out: EqualityConjunct[] = [];
  for (const part of conjunctsOf(node)) {
    if (isEquality(part)) {
      out.push(toConjunct(part));
      continue;
    }
    if (part.op !== "[]") continue;
    const elementConditions: Array<FilterNode | CompareNode | PresentNode> = [...conjunctsOf(part.filter)];
    if (part.then !== undefined) elementConditions.push(part.then);
    // The condition after the brackets is usually the selective one; list it first.
    const ordered = part.then === undefined ? elementConditions : [part.then, ...elementConditions.slice(0, -1)];
    for (const condition of ordered) {
      if (!isEquality(condition)) continue;
      const rest = elementConditions.filter((c) => c !== condition);
      const valueFilter = rest.length === 0 ? undefined : rest.length === 1 ? rest[0] : { op: "and" as const, filters: rest };
      out.push(toConjunct(condition, valueFilter));
    }
  }
  return out;
}
