// Reading PatchOp bodies (RFC 7644 §3.5.2) as Okta, Entra ID and AWS-ILM-style clients send them.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ScimError, type ScimType } from "../../src/scim/errors.js";
import { parsePatchRequest } from "../../src/scim/patch/index.js";
import { PATCH_OP_URN } from "../../src/scim/schemas.js";

function rejects(body: unknown, scimType: ScimType, detail: RegExp): void {
  assert.throws(
    () => parsePatchRequest(body),
    (error: unknown) => {
      assert.ok(error instanceof ScimError);
      assert.equal(error.status, 400);
      assert.equal(error.scimType, scimType);
      assert.match(error.detail, detail);
      return true;
    },
  );
}

describe("parsePatchRequest", () => {
  it("reads Okta's deactivation and group pushes", () => {
    assert.deepEqual(parsePatchRequest({ schemas: [PATCH_OP_URN], Operations: [{ op: "replace", value: { active: false } }] }), [
      { op: "replace", value: { active: false } },
    ]);
    assert.deepEqual(
      parsePatchRequest({
        schemas: [PATCH_OP_URN],
        Operations: [
          { op: "remove", path: 'members[value eq "00u1"]' },
          { op: "add", path: "members", value: [{ value: "00u2", display: "bo@example.com" }] },
        ],
      }),
      [
        { op: "remove", path: 'members[value eq "00u1"]' },
        { op: "add", path: "members", value: [{ value: "00u2", display: "bo@example.com" }] },
      ],
    );
  });

  it("reads Entra's PascalCase ops, string booleans and removal by value", () => {
    const operations = parsePatchRequest({
      schemas: [PATCH_OP_URN],
      Operations: [
        { op: "Replace", path: "active", value: "False" },
        { op: "Add", path: 'emails[type eq "work"].value', value: "ann@example.com" },
        { op: "Remove", path: "members", value: [{ $ref: null, value: "u-1" }] },
      ],
    });
    assert.deepEqual(
      operations.map((o) => o.op),
      ["replace", "add", "remove"],
    );
    assert.equal(operations[0]?.value, "False", "values are converted where the schema is known");
    assert.deepEqual(operations[2]?.value, [{ $ref: null, value: "u-1" }]);
  });

  it("accepts a body without schemas, member names in any case, and an empty Operations list", () => {
    assert.deepEqual(parsePatchRequest({ Operations: [{ op: "replace", path: "active", value: "true" }] }), [
      { op: "replace", path: "active", value: "true" },
    ]);
    assert.deepEqual(parsePatchRequest({ schemas: [PATCH_OP_URN], operations: [{ OP: "ADD", Path: " title ", Value: "CTO" }] }), [
      { op: "add", path: "title", value: "CTO" },
    ]);
    assert.deepEqual(parsePatchRequest({ schemas: [PATCH_OP_URN], Operations: [] }), []);
    assert.deepEqual(parsePatchRequest({ schemas: PATCH_OP_URN.toLowerCase(), Operations: [] }), []);
  });

  it("keeps null values: they clear the attribute", () => {
    assert.deepEqual(parsePatchRequest({ Operations: [{ op: "replace", path: "phoneNumbers", value: null }] }), [
      { op: "replace", path: "phoneNumbers", value: null },
    ]);
    assert.deepEqual(parsePatchRequest({ Operations: [{ op: "replace", path: "", value: { title: null } }] }), [
      { op: "replace", value: { title: null } },
    ]);
  });

  it("rejects bodies that are not PatchOp messages", () => {
    rejects(null, "invalidSyntax", /must be a JSON object/);
    rejects([], "invalidSyntax", /must be a JSON object/);
    rejects({ schemas: [PATCH_OP_URN] }, "invalidSyntax", /needs an "Operations" array.*has none/);
    rejects({ schemas: [PATCH_OP_URN], Operations: { op: "add" } }, "invalidSyntax", /needs an "Operations" array/);
    rejects(
      { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], Operations: [] },
      "invalidSyntax",
      /must list "urn:ietf:params:scim:api:messages:2.0:PatchOp"/,
    );
  });

  it("rejects malformed operations, saying which one", () => {
    rejects({ Operations: ["add"] }, "invalidSyntax", /Operations\[0\] must be an object/);
    rejects(
      {
        Operations: [
          { op: "replace", value: {} },
          { op: "move", path: "a" },
        ],
      },
      "invalidSyntax",
      /Operations\[1\]\.op is "move"; it must be "add", "remove" or "replace"/,
    );
    rejects({ Operations: [{ path: "title", value: "x" }] }, "invalidSyntax", /Operations\[0\]\.op is null/);
    rejects({ Operations: [{ op: "remove" }] }, "noTarget", /"remove" without a "path"/);
    rejects({ Operations: [{ op: "add", path: "title" }] }, "invalidValue", /"add" without a "value"/);
    rejects({ Operations: [{ op: "replace", value: "Ann" }] }, "invalidValue", /no "path", so its "value" must be an object/);
    rejects({ Operations: [{ op: "add", path: 42, value: "x" }] }, "invalidPath", /path must be a string/);
  });
});
