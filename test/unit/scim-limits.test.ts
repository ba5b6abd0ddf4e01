// What a hostile client cannot do: oversized filters and PATCHes, prototype keys, deep JSON, absurd paging, regex
// backtracking. Each limit is tested at its value (accepted) and one past it (a SCIM 400 that says what to do).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resourceSchemaFrom } from "../../src/scim/attributes/index.js";
import { ScimError, type ScimType } from "../../src/scim/errors.js";
import { matchesFilter, parseFilter, parsePatchPath } from "../../src/scim/filter/index.js";
import { SCIM_LIMITS } from "../../src/scim/limits.js";
import { groupSchemaDefinition, userSchemaDefinition } from "../../src/scim/schemas.js";

const user = resourceSchemaFrom(userSchemaDefinition());
const group = resourceSchemaFrom(groupSchemaDefinition());

/** Asserts `run` throws a ScimError 400 of `scimType` whose detail matches every pattern. */
function refused(run: () => unknown, scimType: ScimType, ...details: RegExp[]): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof ScimError, `expected a ScimError, got ${String(error)}`);
    assert.equal(error.status, 400);
    assert.equal(error.scimType, scimType);
    for (const detail of details) assert.match(error.detail, detail);
    return true;
  });
}

/** `userName eq "u0" or userName eq "u1" …` with `terms` comparisons. */
const orChain = (terms: number): string => Array.from({ length: terms }, (_, i) => `userName eq "u${i}"`).join(" or ");

describe("filter limits", () => {
  it("exports the limits the HTTP layer advertises", () => {
    assert.deepEqual(
      [SCIM_LIMITS.filterMaxLength, SCIM_LIMITS.filterMaxComparisons, SCIM_LIMITS.filterMaxDepth, SCIM_LIMITS.patchMaxOperations, SCIM_LIMITS.jsonMaxDepth],
      [10_000, 200, 16, 1_000, 64],
    );
    assert.ok(Object.isFrozen(SCIM_LIMITS));
  });

  it("accepts a filter of exactly 10,000 characters and refuses 10,001 before tokenising", () => {
    const prefix = 'userName eq "';
    const exact = `${prefix}${"a".repeat(SCIM_LIMITS.filterMaxLength - prefix.length - 1)}"`;
    assert.equal(exact.length, 10_000);
    assert.equal(parseFilter(exact, user).op, "eq");
    refused(() => parseFilter(`${exact} `, user), "invalidFilter", /10001 characters long; at most 10000 are accepted/, /split it into several requests/);
    // An unclosed quote would be the tokeniser's complaint; the length is checked first.
    refused(() => parseFilter(`"${"x".repeat(20_000)}`, user), "invalidFilter", /20001 characters long/);
  });

  it("refuses 200,000 or-terms quickly, by length", () => {
    refused(() => parseFilter(orChain(200_000), user), "invalidFilter", /characters long; at most 10000/);
  });

  it("accepts 200 comparisons and refuses 201", () => {
    const node = parseFilter(orChain(200), user);
    assert.equal(node.op === "or" && node.filters.length, 200);
    assert.equal(matchesFilter({ userName: "u199" }, node, user), true);
    refused(() => parseFilter(orChain(201), user), "invalidFilter", /more than 200 comparisons/, /split it into several requests/);
  });

  it("counts comparisons inside value filters and after them", () => {
    const inside = Array.from({ length: 199 }, (_, i) => `value eq "m${i}"`).join(" or ");
    assert.equal(parseFilter(`members[${inside}] and displayName pr`, group).op, "and");
    refused(() => parseFilter(`members[${inside} or value eq "x"] and displayName pr`, group), "invalidFilter", /more than 200 comparisons/);
    const values = Array.from({ length: 199 }, (_, i) => `emails[type eq "t${i}"].value eq "v"`).join(" or ");
    refused(() => parseFilter(values, user), "invalidFilter", /more than 200 comparisons/);
  });

  it("accepts nesting 16 deep and refuses 17, counting (, [ and not", () => {
    const parens = (depth: number): string => `${"(".repeat(depth)}title pr${")".repeat(depth)}`;
    assert.equal(parseFilter(parens(16), user).op, "pr");
    refused(() => parseFilter(parens(17), user), "invalidFilter", /nests deeper than 16 levels/, /flatten it/);
    assert.equal(parseFilter(`${"not ".repeat(16)}title pr`, user).op, "not");
    refused(() => parseFilter(`${"not ".repeat(17)}title pr`, user), "invalidFilter", /nests deeper than 16 levels/);
    const bracketed = (depth: number): string => `${"(".repeat(depth)}emails[type eq "work"]${")".repeat(depth)}`;
    assert.equal(parseFilter(bracketed(15), user).op, "[]");
    refused(() => parseFilter(bracketed(16), user), "invalidFilter", /nests deeper than 16 levels/);
  });

  it("refuses nesting as deep as the length allows without overflowing the stack", () => {
    refused(() => parseFilter(`${"(".repeat(9_990)}title pr`, user), "invalidFilter", /nests deeper than 16 levels/);
    refused(() => parseFilter(`${"not (".repeat(1_990)}title pr`, user), "invalidFilter", /nests deeper than 16 levels/);
  });

  it("bounds PATCH paths the same way, as invalidPath", () => {
    refused(() => parsePatchPath(`${"a".repeat(10_001)}`, user), "invalidPath", /10001 characters long/);
    refused(() => parsePatchPath(`emails[${"(".repeat(20)}type eq "work"${")".repeat(20)}]`, user), "invalidFilter", /nests deeper than 16 levels/);
  });
});
