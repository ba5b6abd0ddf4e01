// RFC 7644 §3.4.2.3 sorting: the comparator, caseExact, missing values, multi-valued attributes, stability.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compareKeys, parseSort, sortByKeys, toKey } from "../../src/scim/sort.js";
import { userSchema } from "../../src/scim/user-schema.js";
import { groupSchema } from "../../src/scim/group-schema.js";
import { ScimError } from "../../src/scim/errors.js";

const sorted = (resources: Record<string, unknown>[], sortBy: string, sortOrder?: string): unknown[] => {
  const spec = parseSort(sortBy, sortOrder, userSchema)!;
  return sortByKeys(
    resources,
    resources.map((r) => spec.keyOf(r)),
    spec.descending,
  ).map((r) => r.id);
};

describe("scim/sort", () => {
  it("compares keys ascending with missing values last", () => {
    assert.ok(compareKeys("a", "b") < 0);
    assert.ok(compareKeys(2, 10) < 0, "numbers compare as numbers");
    assert.ok(compareKeys(undefined, "a") > 0);
    assert.ok(compareKeys("a", undefined) < 0);
    assert.equal(compareKeys(undefined, undefined), 0);
    assert.ok(compareKeys(false, true) < 0);
  });

  it("keys strings as caseExact says, dates as instants", () => {
    assert.equal(toKey("Bob", "string", false), "bob");
    assert.equal(toKey("Bob", "string", true), "Bob");
    assert.equal(toKey("", "string", false), undefined, "an empty string is no value");
    assert.equal(toKey("2024-01-01T00:00:00+01:00", "dateTime", false), Date.parse("2023-12-31T23:00:00Z"));
    assert.equal(toKey("not a date", "dateTime", false), undefined);
  });

  it("sorts userName case-insensitively (caseExact false) and id case-sensitively (caseExact true)", () => {
    const users = [
      { id: "b", userName: "bob@x" },
      { id: "a", userName: "Carol@x" },
      { id: "B", userName: "alice@x" },
    ];
    assert.deepEqual(sorted(users, "userName"), ["B", "b", "a"]);
    assert.deepEqual(sorted(users, "id"), ["B", "a", "b"], "upper case sorts before lower case code point by code point");
  });

  it("puts resources without a value last when ascending and first when descending, and keeps ties in order", () => {
    const users = [
      { id: "1", name: { familyName: "Smith" } },
      { id: "2" },
      { id: "3", name: { familyName: "adams" } },
      { id: "4", name: { familyName: "SMITH" } },
      { id: "5" },
    ];
    assert.deepEqual(sorted(users, "name.familyName"), ["3", "1", "4", "2", "5"]);
    assert.deepEqual(sorted(users, "name.familyName", "descending"), ["2", "5", "1", "4", "3"]);
  });

  it("sorts a multi-valued attribute by its primary value, else its first", () => {
    const users = [
      { id: "1", emails: [{ value: "z@x" }, { value: "a@x", primary: true }] },
      { id: "2", emails: [{ value: "m@x" }, { value: "b@x" }] },
      { id: "3", emails: [] },
    ];
    assert.deepEqual(sorted(users, "emails"), ["1", "2", "3"]);
    assert.deepEqual(sorted(users, "emails.value"), ["1", "2", "3"]);
  });

  it("resolves extension and meta attributes, and refuses unknown ones and bad orders with 400", () => {
    assert.equal(
      parseSort("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", undefined, userSchema)?.path.endsWith(
        ":department",
      ),
      true,
    );
    assert.equal(parseSort("meta.created", "descending", userSchema)?.type, "dateTime");
    assert.equal(parseSort("DISPLAYNAME", "Ascending", groupSchema)?.path, "displayName");
    assert.equal(parseSort(undefined, "descending", userSchema), undefined, "sortOrder alone sorts nothing");
    assert.throws(
      () => parseSort("nope", undefined, userSchema),
      (e: unknown) => e instanceof ScimError && e.status === 400,
    );
    assert.throws(
      () => parseSort("userName", "sideways", userSchema),
      (e: unknown) => e instanceof ScimError && e.status === 400,
    );
  });
});
