// Group PATCH bodies (Okta, Entra, AWS-ILM) → renames, externalId and membership operations, and their end state.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ScimError, type ScimType } from "../../src/scim/errors.js";
import {
  applyMemberOps,
  foldMemberDelta,
  interpretGroupPatch,
  needsCurrentMembers,
  type GroupPatch,
} from "../../src/provisioning/groups/group-patch.js";
import { parsePatchRequest } from "../../src/scim/patch/index.js";
import { PATCH_OP_URN } from "../../src/scim/schemas.js";

const GROUP_ID = "g-1";
const read = (...operations: unknown[]): GroupPatch =>
  interpretGroupPatch(parsePatchRequest({ schemas: [PATCH_OP_URN], Operations: operations }), GROUP_ID);

function refuses(operation: unknown, scimType: ScimType, detail: RegExp): void {
  assert.throws(
    () => read(operation),
    (error: unknown) => error instanceof ScimError && error.status === 400 && error.scimType === scimType && detail.test(error.detail),
    JSON.stringify(operation),
  );
}

describe("interpretGroupPatch", () => {
  it("reads Okta's rename (with its own id repeated) and membership pushes", () => {
    assert.deepEqual(read({ op: "replace", value: { id: GROUP_ID, displayName: " Sales " } }), {
      displayName: "Sales",
      externalId: undefined,
      memberOps: [],
    });
    assert.deepEqual(
      read(
        { op: "remove", path: 'members[value eq "u-1"]' },
        { op: "add", path: "members", value: [{ value: "u-2", display: "bo@x.com" }] },
      ).memberOps,
      [
        { kind: "remove", ids: ["u-1"] },
        { kind: "add", ids: ["u-2"] },
      ],
    );
    assert.deepEqual(read({ op: "replace", path: "members", value: [{ value: "u-3" }, { value: "u-3" }] }).memberOps, [
      { kind: "replace", ids: ["u-3"] },
    ]);
  });

  it("reads Entra's PascalCase ops, $ref null and value-array removes; no value removes everyone", () => {
    assert.deepEqual(
      read(
        { op: "Add", path: "members", value: [{ $ref: null, value: "u-1" }] },
        { op: "Remove", path: "members", value: [{ $ref: null, value: "u-2" }] },
        { op: "remove", path: "members" },
      ).memberOps,
      [{ kind: "add", ids: ["u-1"] }, { kind: "remove", ids: ["u-2"] }, { kind: "clear" }],
    );
    assert.deepEqual(read({ op: "remove", path: 'members[value eq "a" or value eq "b"]' }).memberOps, [
      { kind: "remove", ids: ["a", "b"] },
    ]);
    assert.equal(read({ op: "remove", path: 'members[display eq "ann@x.com"]' }).memberOps[0]?.kind, "removeWhere");
  });

  it("reads externalId, URN-qualified names and a lone member object", () => {
    const patch = read(
      { op: "replace", value: { "urn:ietf:params:scim:schemas:core:2.0:Group:displayName": "Ops", externalId: "ext" } },
      { op: "add", path: "members", value: { value: "u-9" } },
      { op: "remove", path: "externalId" },
    );
    assert.deepEqual(patch, { displayName: "Ops", externalId: null, memberOps: [{ kind: "add", ids: ["u-9"] }] });
  });

  it("refuses what Zoom groups cannot do, naming the operation", () => {
    refuses({ op: "replace", path: 'members[value eq "u-1"].display', value: "x" }, "mutability", /Operations\[0\].*immutable/);
    refuses({ op: "replace", path: 'members[value eq "u-1"]', value: { value: "u-2" } }, "mutability", /immutable/);
    refuses({ op: "add", path: "members.value", value: "u-1" }, "mutability", /sub-attribute/);
    refuses({ op: "replace", value: { id: "other" } }, "mutability", /read-only/);
    refuses({ op: "replace", path: "displayName", value: "  " }, "invalidValue", /non-empty/);
    refuses({ op: "remove", path: "displayName" }, "invalidValue", /must have a name/);
    refuses({ op: "add", path: "members", value: [{ value: "g-2", type: "Group" }] }, "invalidValue", /cannot contain groups/);
    refuses({ op: "add", path: "members", value: [{ display: "no id" }] }, "invalidValue", /no user id/);
    refuses({ op: "add", path: "owners", value: [] }, "invalidPath", /owners/);
  });
});

describe("membership end state", () => {
  it("folds adds and removes by id: the last operation naming a user wins", () => {
    const ops = read(
      { op: "add", path: "members", value: [{ value: "a" }, { value: "b" }] },
      { op: "remove", path: 'members[value eq "a"]' },
      { op: "remove", path: 'members[value eq "c"]' },
      { op: "add", path: "members", value: [{ value: "c" }] },
    ).memberOps;
    assert.equal(needsCurrentMembers(ops), false);
    assert.deepEqual(foldMemberDelta(ops), { add: ["b", "c"], remove: ["a"] });
  });

  it("applies replace, remove-all and filtered removes to the current members, in order", () => {
    const current = [
      { id: "a", email: "a@x.com" },
      { id: "b", email: "b@x.com" },
      { id: "c", email: "c@y.com" },
    ];
    const ops = read(
      { op: "remove", path: 'members[display ew "@y.com"]' },
      { op: "add", path: "members", value: [{ value: "d" }] },
      { op: "remove", path: 'members[value eq "a"]' },
    ).memberOps;
    assert.equal(needsCurrentMembers(ops), true);
    assert.deepEqual(applyMemberOps(current, ops), ["b", "d"]);
    assert.deepEqual(applyMemberOps(current, read({ op: "replace", path: "members", value: [{ value: "c" }, { value: "e" }] }).memberOps), [
      "c",
      "e",
    ]);
    assert.deepEqual(
      applyMemberOps(current, read({ op: "remove", path: "members" }, { op: "add", path: "members", value: [{ value: "a" }] }).memberOps),
      ["a"],
    );
    assert.throws(() => foldMemberDelta(ops), TypeError);
  });
});
