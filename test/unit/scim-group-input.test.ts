// POST/PUT Group bodies as Okta, Entra and AWS-ILM-style clients send them.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ScimError } from "../../src/scim/errors.js";
import { memberIds, parseGroupBody } from "../../src/provisioning/groups/group-input.js";
import { groupVersion, toScimGroup } from "../../src/provisioning/groups/group-view.js";
import { CORE_GROUP_URN } from "../../src/scim/schemas.js";

describe("parseGroupBody", () => {
  it("reads Okta's and Entra's creates, ignoring Entra's extra schema and $ref null", () => {
    assert.deepEqual(parseGroupBody({ schemas: [CORE_GROUP_URN], displayName: "Sales", members: [] }), {
      displayName: "Sales",
      externalId: undefined,
      members: [],
    });
    const entra = parseGroupBody({
      schemas: [CORE_GROUP_URN, "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
      externalId: "8f1c",
      DisplayName: " Ops ",
      members: [{ value: "u-1", $ref: null, type: "user" }, { value: "u-1" }, { value: "u-2", display: "bo@x.com" }],
    });
    assert.deepEqual(entra, { displayName: "Ops", externalId: "8f1c", members: ["u-1", "u-2"] });
    assert.deepEqual(parseGroupBody({ displayName: "No schemas", externalId: "" }), {
      displayName: "No schemas",
      externalId: null,
      members: undefined,
    });
  });

  it("refuses bodies without a name, with wrong types, or with nested groups", () => {
    for (const body of [
      undefined,
      [],
      { members: [] },
      { displayName: "" },
      { displayName: 3 },
      { displayName: "x", members: [{ value: "g", type: "Group" }] },
      { displayName: "x", members: [{ value: "u", type: "Robot" }] },
    ]) {
      assert.throws(
        () => parseGroupBody(body),
        (error: unknown) => error instanceof ScimError && error.status === 400,
        JSON.stringify(body),
      );
    }
  });

  it("reads member values as objects or bare ids", () => {
    assert.deepEqual(memberIds([{ value: " u-1 " }, "u-2", null, [{ value: "u-3" }]], "members"), ["u-1", "u-2", "u-3"]);
    assert.deepEqual(memberIds(undefined, "members"), []);
  });
});

describe("toScimGroup", () => {
  it("renders members with display and $ref, and leaves them out when not loaded", () => {
    const stored = {
      tenant: "t",
      kind: "Group" as const,
      id: "g-1",
      externalId: "e",
      attributes: {},
      email: null,
      emails: [],
      created: "2024-01-01T00:00:00.000Z",
      lastModified: "2024-02-01T00:00:00.000Z",
      version: 2,
    };
    const view = toScimGroup({ id: "g-1", name: "Sales" }, [{ id: "u 1", email: "a@x.com" }, { id: "u-2" }], stored, "https://h/scim/v2");
    assert.deepEqual(view, {
      schemas: [CORE_GROUP_URN],
      id: "g-1",
      externalId: "e",
      displayName: "Sales",
      members: [
        { value: "u 1", display: "a@x.com", type: "User", $ref: "https://h/scim/v2/Users/u%201" },
        { value: "u-2", type: "User", $ref: "https://h/scim/v2/Users/u-2" },
      ],
      meta: {
        resourceType: "Group",
        created: "2024-01-01T00:00:00.000Z",
        lastModified: "2024-02-01T00:00:00.000Z",
        location: "https://h/scim/v2/Groups/g-1",
        // Issue 13: a version over name, externalId and member ids, whenever the members are loaded.
        version: groupVersion("Sales", "e", [{ id: "u-2" }, { id: "u 1" }]),
      },
    });
    const bare = toScimGroup({ id: "g-2", name: "Ops" }, undefined, undefined, "https://h/scim/v2");
    assert.deepEqual(Object.keys(bare), ["schemas", "id", "displayName", "meta"]);
    assert.equal((bare.meta as { version?: string }).version, undefined, "no version without the members it covers");
  });

  it("versions what the group holds: name, externalId and member ids, in any order", () => {
    const base = groupVersion("Sales", "e", [{ id: "a" }, { id: "b", email: "b@x.com" }]);
    assert.match(base, /^W\/".+"$/);
    assert.equal(groupVersion("Sales", "e", [{ id: "b" }, { id: "a" }]), base, "order and display do not count");
    assert.notEqual(groupVersion("Sales", "e", [{ id: "a" }]), base);
    assert.notEqual(groupVersion("Sales", null, [{ id: "a" }, { id: "b" }]), base);
    assert.notEqual(groupVersion("Sales 2", "e", [{ id: "a" }, { id: "b" }]), base);
  });
});
