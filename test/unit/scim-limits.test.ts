// What a hostile client cannot do with sizes: oversized filters and PATCHes, absurd paging. Each limit is tested at
// its value (accepted) and one past it (a SCIM 400 that says what to do).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { findAttribute, resourceSchemaFrom, type JsonObject } from "../../src/scim/attributes/index.js";
import { matchesFilter, parseFilter, parsePatchPath } from "../../src/scim/filter/index.js";
import { SCIM_LIMITS } from "../../src/scim/limits.js";
import { listResponse, parsePage, slicePage } from "../../src/scim/paging.js";
import { applyPatch, parsePatchRequest, type PatchOperation } from "../../src/scim/patch/index.js";
import { sameElement } from "../../src/scim/patch/multi-valued.js";
import { WorkingElements } from "../../src/scim/patch/working-elements.js";
import { CORE_GROUP_URN, CORE_USER_URN, PATCH_OP_URN, groupSchemaDefinition, userSchemaDefinition } from "../../src/scim/schemas.js";
import { refused } from "../helpers/refused.js";

const user = resourceSchemaFrom(userSchemaDefinition());
const group = resourceSchemaFrom(groupSchemaDefinition());

/** `userName eq "u0" or userName eq "u1" …` with `terms` comparisons. */
const orChain = (terms: number): string => Array.from({ length: terms }, (_, i) => `userName eq "u${i}"`).join(" or ");

describe("filter limits", () => {
  it("exports the limits the HTTP layer advertises", () => {
    assert.deepEqual(
      [
        SCIM_LIMITS.filterMaxLength,
        SCIM_LIMITS.filterMaxComparisons,
        SCIM_LIMITS.filterMaxDepth,
        SCIM_LIMITS.patchMaxOperations,
        SCIM_LIMITS.jsonMaxDepth,
      ],
      [10_000, 200, 16, 1_000, 64],
    );
    assert.ok(Object.isFrozen(SCIM_LIMITS));
  });

  it("accepts a filter of exactly 10,000 characters and refuses 10,001 before tokenising", () => {
    const prefix = 'userName eq "';
    const exact = `${prefix}${"a".repeat(SCIM_LIMITS.filterMaxLength - prefix.length - 1)}"`;
    assert.equal(exact.length, 10_000);
    assert.equal(parseFilter(exact, user).op, "eq");
    refused(
      () => parseFilter(`${exact} `, user),
      "invalidFilter",
      /10001 characters long; at most 10000 are accepted/,
      /split it into several requests/,
    );
    // An unclosed quote would be the tokeniser's complaint; the length is checked first.
    refused(() => parseFilter(`"${"x".repeat(20_000)}`, user), "invalidFilter", /20001 characters long/);
  });

  it("refuses 200,000 or-terms quickly, by length", () => {
    refused(() => parseFilter(orChain(200_000), user), "invalidFilter", /characters long; at most 10000/);
  });

  it("accepts 200 comparisons and refuses 201", () => {
    const node = parseFilter(orChain(200), user);
    assert.equal(node.op === "or" && node.filters.length, 200);
    assert.equal(matchesFilter({ userName: "u199" }, node), true);
    refused(() => parseFilter(orChain(201), user), "invalidFilter", /more than 200 comparisons/, /split it into several requests/);
  });

  it("counts comparisons inside value filters and after them", () => {
    const inside = Array.from({ length: 199 }, (_, i) => `value eq "m${i}"`).join(" or ");
    assert.equal(parseFilter(`members[${inside}] and displayName pr`, group).op, "and");
    refused(
      () => parseFilter(`members[${inside} or value eq "x"] and displayName pr`, group),
      "invalidFilter",
      /more than 200 comparisons/,
    );
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
    refused(
      () => parsePatchPath(`emails[${"(".repeat(20)}type eq "work"${")".repeat(20)}]`, user),
      "invalidFilter",
      /nests deeper than 16 levels/,
    );
  });
});

const email = (i: number): string => `user${i}@example.com`;
const ann = (emails: JsonObject[] = []): JsonObject => ({ schemas: [CORE_USER_URN], id: "u-1", userName: "ann@example.com", emails });
const sales = (members: JsonObject[] = []): JsonObject => ({ schemas: [CORE_GROUP_URN], id: "g-1", displayName: "Sales", members });
const patchBody = (operations: unknown[]): JsonObject => ({ schemas: [PATCH_OP_URN], Operations: operations });

describe("PATCH limits and cost", () => {
  it("accepts 1,000 operations and refuses 1,001 with invalidValue", () => {
    const op = { op: "replace", path: "displayName", value: "Ann" };
    assert.equal(parsePatchRequest(patchBody(Array.from({ length: 1_000 }, () => op))).length, 1_000);
    refused(
      () => parsePatchRequest(patchBody(Array.from({ length: 1_001 }, () => op))),
      "invalidValue",
      /at most 1000 operations; this one has 1001/,
      /further PATCH requests/,
    );
  });

  it("applies 10,000 adds to emails, deduplicating by value whatever its case", () => {
    const ops: PatchOperation[] = Array.from({ length: 10_000 }, (_, i) => ({
      op: "add",
      path: "emails",
      value: [{ value: email(i), type: "work" }],
    }));
    ops.push({ op: "add", path: "emails", value: [{ value: email(42).toUpperCase(), display: "again" }] });
    const emails = applyPatch(ann(), ops, user).emails as JsonObject[];
    assert.equal(emails.length, 10_000);
    assert.deepEqual(emails[0], { value: email(0), type: "work" });
    assert.deepEqual(emails[9_999], { value: email(9_999), type: "work" });
    // Re-adding keeps the stored spelling and merges what the client added.
    assert.deepEqual(emails[42], { value: email(42), type: "work", display: "again" });
  });

  it("applies 10,000 removes by filter and by value, in order with adds", () => {
    const start = Array.from({ length: 10_000 }, (_, i) => ({ value: email(i), type: "work" }));
    const ops: PatchOperation[] = [];
    for (let i = 0; i < 10_000; i += 2) ops.push({ op: "remove", path: `emails[value eq "${email(i).toUpperCase()}"]` });
    for (let i = 1; i < 10_000; i += 4) ops.push({ op: "remove", path: "emails", value: [{ value: email(i) }] });
    // Removed, then added again: it comes back at the end.
    ops.push({ op: "add", path: "emails", value: [{ value: email(0), type: "home" }] });
    const emails = (applyPatch(ann(start), ops, user).emails as JsonObject[]).map((e) => `${String(e.value)}/${String(e.type)}`);
    const expected = start.filter((_, i) => i % 4 === 3).map((e) => `${e.value}/work`);
    assert.deepEqual(emails, [...expected, `${email(0)}/home`]);
  });

  it("keeps one primary across thousands of operations", () => {
    const ops: PatchOperation[] = Array.from({ length: 5_000 }, (_, i) => ({
      op: "add",
      path: "emails",
      value: { value: email(i), primary: true },
    }));
    ops.push({ op: "replace", path: `emails[value eq "${email(7)}"].primary`, value: true });
    const emails = applyPatch(ann(), ops, user).emails as JsonObject[];
    assert.deepEqual(
      emails.flatMap((e, i) => (e.primary === true ? [i] : [])),
      [7],
    );
    assert.equal(emails.filter((e) => e.primary === false).length, 4_999);
  });

  it("applies 10,000 member adds and removes to a group like a set", () => {
    const ops: PatchOperation[] = [];
    const expected = new Set<string>();
    for (let i = 0; i < 10_000; i += 1) {
      const id = `u${(i * 7) % 3_000}`;
      const remove = i % 3 === 0;
      // A filter that matches nothing is noTarget; Entra's remove-by-value of a non-member is a no-op.
      const removal: PatchOperation = expected.has(id)
        ? { op: "remove", path: `members[value eq "${id}"]` }
        : { op: "remove", path: "members", value: [{ value: id }] };
      ops.push(remove ? removal : { op: "add", path: "members", value: [{ value: id }] });
      if (remove) expected.delete(id);
      else expected.add(id);
    }
    const members = (applyPatch(sales(), ops, group).members as JsonObject[] | undefined) ?? [];
    assert.deepEqual(new Set(members.map((m) => m.value)), expected);
    assert.equal(members.length, expected.size);
  });

  it("still refuses changes to readOnly attributes among many operations", () => {
    const ops: PatchOperation[] = Array.from({ length: 2_000 }, (_, i) => ({ op: "add", path: "emails", value: { value: email(i) } }));
    ops.push({ op: "add", path: "groups", value: [{ value: "g-9" }] });
    refused(() => applyPatch(ann(), ops, user), "mutability", /^Operations\[2000\] \(add at "groups"\) would change groups/);
  });
});

describe("PATCH element index", () => {
  // Deterministic pseudo-random choices, so a failure reproduces.
  let seed = 7;
  const pick = <T>(items: readonly T[]): T => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return items[seed % items.length]!;
  };

  it("finds exactly what a scan with sameElement finds", () => {
    for (const name of ["emails", "addresses", "members", "schemas"]) {
      const schema = name === "members" ? group : user;
      const attribute = findAttribute(schema.attributes, name)!;
      const values = ["a@x.example", "A@X.example", "b@x.example", 12, "12", "", null, true];
      const make = (): unknown =>
        attribute.type !== "complex"
          ? pick(values)
          : {
              value: pick(values),
              type: pick(["work", "WORK", "home", undefined]),
              locality: pick(["Oslo", "oslo", undefined]),
              display: pick(["A", undefined]),
            };
      const elements = Array.from({ length: 60 }, make);
      const working = new WorkingElements(attribute, elements);
      for (let i = 0; i < 300; i += 1) {
        const candidate = make();
        assert.equal(
          working.find(candidate),
          elements.findIndex((e) => sameElement(attribute, e, candidate)),
          JSON.stringify(candidate),
        );
      }
    }
  });
});

describe("paging", () => {
  const page = (startIndex: unknown, count: unknown): [number, number] => {
    const parsed = parsePage(startIndex, count);
    return [parsed.startIndex, parsed.count];
  };

  it("clamps startIndex below 1 to 1, count below 0 to 0 and above maxResults to maxResults", () => {
    assert.deepEqual(page(undefined, undefined), [1, 1_000]);
    assert.deepEqual(page("", null), [1, 1_000]);
    assert.deepEqual(page("0", "-5"), [1, 0]);
    assert.deepEqual(page("-100", "0"), [1, 0]);
    assert.deepEqual(page(" 7 ", "+5"), [7, 5]);
    assert.deepEqual(page(3, 1_000), [3, 1_000]);
    assert.deepEqual(page("1", "1001"), [1, 1_000]);
  });

  it("saturates huge numbers instead of breaking", () => {
    const huge = Number.MAX_SAFE_INTEGER;
    assert.deepEqual(page("99999999999999999999", "99999999999999999999"), [huge, 1_000]);
    assert.deepEqual(page("9".repeat(100_000), "-" + "9".repeat(100_000)), [huge, 0]);
    assert.deepEqual(page(JSON.parse("1e400"), JSON.parse("-1e400")), [huge, 0]);
    const parsed = parsePage(`1${"0".repeat(30)}`, "10");
    assert.deepEqual(slicePage([1, 2, 3], parsed), []);
    assert.equal(JSON.parse(JSON.stringify(listResponse([], 3, parsed))).startIndex, huge);
  });

  it("refuses what is not an integer with 400 invalidValue", () => {
    for (const raw of ["abc", "1.5", "1e3", "1e400", " ", "0x10", true, {}, Number.NaN, 2.5]) {
      refused(() => parsePage(raw, undefined), "invalidValue", /startIndex must be an integer/, /RFC 7644/);
      refused(() => parsePage(undefined, raw), "invalidValue", /count must be an integer/);
    }
    refused(() => parsePage("x".repeat(100_000), undefined), "invalidValue", /got "x{40}…"/);
  });
});
