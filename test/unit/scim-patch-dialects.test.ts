// PATCH bodies as Okta, Microsoft Entra ID and AWS-ILM-style clients really send them (as their
// vendors document them and README lists), read with parsePatchRequest and applied with applyPatch.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LEGACY_ENTERPRISE_URN, resourceSchemaFrom, type JsonObject, type ResourceSchema } from "../../src/scim/attributes/index.js";
import { ScimError } from "../../src/scim/errors.js";
import { applyPatch, parsePatchRequest } from "../../src/scim/patch/index.js";
import {
  CORE_GROUP_URN,
  CORE_USER_URN,
  ENTERPRISE_USER_URN,
  PATCH_OP_URN,
  groupSchemaDefinition,
  userSchemaDefinition,
} from "../../src/scim/schemas.js";

const user = resourceSchemaFrom(userSchemaDefinition());
const group = resourceSchemaFrom(groupSchemaDefinition());

function okta(): JsonObject {
  return {
    schemas: [CORE_USER_URN],
    id: "KDcuGIm1S5a6aQpoD8QGpw",
    userName: "ann.lee@example.com",
    name: { givenName: "Ann", familyName: "Lee" },
    emails: [{ primary: true, value: "ann.lee@example.com", type: "work" }],
    displayName: "Ann Lee",
    locale: "en-US",
    externalId: "00u1abcd",
    groups: [],
    active: true,
    meta: {
      resourceType: "User",
      created: "2024-01-10T08:00:00Z",
      lastModified: "2024-05-01T12:30:00Z",
      location: "https://scim.example/Users/KDcuGIm1S5a6aQpoD8QGpw",
    },
  };
}

function noEmail(): JsonObject {
  const { emails: _emails, ...rest } = okta();
  return rest;
}

function groupOf(...members: string[]): JsonObject {
  return {
    schemas: [CORE_GROUP_URN],
    id: "g-1",
    displayName: "Sales",
    members: members.map((value) => ({ value, display: `${value}@example.com` })),
    meta: { resourceType: "Group" },
  };
}

function patch(resource: JsonObject, body: unknown, schema: ResourceSchema = user): JsonObject {
  return applyPatch(resource, parsePatchRequest(body), schema);
}

const memberIds = (resource: JsonObject): unknown[] => ((resource.members as JsonObject[] | undefined) ?? []).map((m) => m.value);

describe("Okta", () => {
  it("deactivates and reactivates with a no-path replace", () => {
    const off = patch(okta(), { schemas: [PATCH_OP_URN], Operations: [{ op: "replace", value: { active: false } }] });
    assert.equal(off.active, false);
    const on = patch(off, { schemas: [PATCH_OP_URN], Operations: [{ op: "replace", value: { active: true } }] });
    assert.deepEqual(on, okta());
  });

  it("renames a group while resending its id", () => {
    const body = { schemas: [PATCH_OP_URN], Operations: [{ op: "replace", value: { id: "g-1", displayName: "Sales EMEA" } }] };
    const renamed = patch(groupOf("u-1"), body, group);
    assert.equal(renamed.displayName, "Sales EMEA");
    assert.equal(renamed.id, "g-1");
    assert.throws(
      () => patch(groupOf("u-1"), { ...body, Operations: [{ op: "replace", value: { id: "g-2", displayName: "x" } }] }, group),
      (error: unknown) => error instanceof ScimError && error.scimType === "mutability" && /would change id/.test(error.detail),
    );
  });

  it("pushes membership changes: remove by filter, add, and full replace", () => {
    const changed = patch(
      groupOf("00u1", "00u2"),
      {
        schemas: [PATCH_OP_URN],
        Operations: [
          { op: "remove", path: 'members[value eq "00u1"]' },
          { op: "add", path: "members", value: [{ value: "00u3", display: "cy@example.com" }] },
        ],
      },
      group,
    );
    assert.deepEqual(memberIds(changed), ["00u2", "00u3"]);
    const pushed = patch(
      changed,
      { schemas: [PATCH_OP_URN], Operations: [{ op: "replace", path: "members", value: [{ value: "00u9", display: "z@example.com" }] }] },
      group,
    );
    assert.deepEqual(pushed.members, [{ value: "00u9", display: "z@example.com" }]);
    const emptied = patch(pushed, { schemas: [PATCH_OP_URN], Operations: [{ op: "replace", path: "members", value: [] }] }, group);
    assert.equal(Object.hasOwn(emptied, "members"), false);
  });
});

describe("Microsoft Entra ID", () => {
  it("applies PascalCase ops, string booleans and URN paths in one request", () => {
    const result = patch(okta(), {
      schemas: [PATCH_OP_URN],
      Operations: [
        { op: "Replace", path: "active", value: "False" },
        { op: "Replace", path: "displayName", value: "Ann B. Lee" },
        { op: "Add", path: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber", value: "701984" },
        { op: "Add", path: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", value: "Sales" },
        { op: "Replace", path: "name.familyName", value: "Brown" },
        { op: "Add", path: 'phoneNumbers[type eq "mobile"].value', value: "+1 555 0100" },
        { op: "Add", path: 'addresses[type eq "work"].locality', value: "Oslo" },
      ],
    });
    assert.equal(result.active, false);
    assert.equal(result.displayName, "Ann B. Lee");
    assert.deepEqual(result[ENTERPRISE_USER_URN], { employeeNumber: "701984", department: "Sales" });
    assert.deepEqual(result.name, { givenName: "Ann", familyName: "Brown" });
    assert.deepEqual(result.phoneNumbers, [{ type: "mobile", value: "+1 555 0100" }]);
    assert.deepEqual(result.addresses, [{ type: "work", locality: "Oslo" }]);
    assert.deepEqual(result.schemas, [CORE_USER_URN, ENTERPRISE_USER_URN]);
  });

  it("sets the work email through a value-filtered path, creating it when the user has none", () => {
    const body = {
      schemas: [PATCH_OP_URN],
      Operations: [{ op: "Replace", path: 'emails[type eq "work"].value', value: "ann@contoso.com" }],
    };
    assert.deepEqual(patch(noEmail(), body).emails, [{ type: "work", value: "ann@contoso.com" }]);
    assert.deepEqual(patch(okta(), body).emails, [{ primary: true, value: "ann@contoso.com", type: "work" }]);
    assert.equal(patch(okta(), body).userName, "ann.lee@example.com", "userName is not touched");
    const add = { schemas: [PATCH_OP_URN], Operations: [{ op: "Add", path: 'emails[type eq "work"].value', value: "ann@contoso.com" }] };
    assert.deepEqual(patch(noEmail(), add).emails, [{ type: "work", value: "ann@contoso.com" }]);
  });

  it("sets and clears the manager, given as a bare id", () => {
    const path = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager";
    const set = patch(okta(), { schemas: [PATCH_OP_URN], Operations: [{ op: "Add", path, value: "m-1" }] });
    assert.deepEqual(set[ENTERPRISE_USER_URN], { manager: { value: "m-1" } });
    const cleared = patch(set, { schemas: [PATCH_OP_URN], Operations: [{ op: "Remove", path }] });
    assert.equal(Object.hasOwn(cleared, ENTERPRISE_USER_URN), false);
    assert.deepEqual(cleared.schemas, [CORE_USER_URN]);
  });

  it("removes a manager the server shows with its readOnly displayName (its validator's remove)", () => {
    const path = `${ENTERPRISE_USER_URN}:manager`;
    const shown = { ...okta(), [ENTERPRISE_USER_URN]: { department: "R&D", manager: { value: "m-1", displayName: "boss@example.com" } } };
    const removed = patch(shown, { schemas: [PATCH_OP_URN], Operations: [{ op: "remove", path }] });
    assert.deepEqual(removed[ENTERPRISE_USER_URN], { department: "R&D" });
    const nulled = patch(shown, { schemas: [PATCH_OP_URN], Operations: [{ op: "replace", path, value: null }] });
    assert.deepEqual(nulled[ENTERPRISE_USER_URN], { department: "R&D" });
    assert.throws(
      () => patch(shown, { schemas: [PATCH_OP_URN], Operations: [{ op: "replace", path: `${path}.displayName`, value: "x" }] }),
      (error: unknown) => error instanceof ScimError && error.scimType === "mutability",
      "the displayName alone is still the server's",
    );
  });

  it("reads SCIM 1.1's manager.managerId as manager.value, in a value and in a path", () => {
    const path = `${ENTERPRISE_USER_URN}:manager`;
    const inValue = patch(okta(), { schemas: [PATCH_OP_URN], Operations: [{ op: "add", path, value: { managerId: "m-1" } }] });
    assert.deepEqual(inValue[ENTERPRISE_USER_URN], { manager: { value: "m-1" } });
    const inPath = patch(inValue, { schemas: [PATCH_OP_URN], Operations: [{ op: "replace", path: `${path}.managerId`, value: "m-2" }] });
    assert.deepEqual(inPath[ENTERPRISE_USER_URN], { manager: { value: "m-2" } });
    const legacy = patch(okta(), {
      schemas: [PATCH_OP_URN],
      Operations: [{ op: "replace", value: { [LEGACY_ENTERPRISE_URN]: { manager: { managerId: "m-3" } } } }],
    });
    assert.deepEqual(legacy[ENTERPRISE_USER_URN], { manager: { value: "m-3" } });
  });

  it("adds and removes members by value, idempotently", () => {
    const add = { schemas: [PATCH_OP_URN], Operations: [{ op: "Add", path: "members", value: [{ $ref: null, value: "u-2" }] }] };
    const added = patch(groupOf("u-1"), add, group);
    assert.deepEqual(added.members, [{ value: "u-1", display: "u-1@example.com" }, { value: "u-2" }]);
    assert.deepEqual(patch(added, add, group), added, "re-adding a member changes nothing");
    const remove = { schemas: [PATCH_OP_URN], Operations: [{ op: "Remove", path: "members", value: [{ $ref: null, value: "u-1" }] }] };
    const removed = patch(added, remove, group);
    assert.deepEqual(memberIds(removed), ["u-2"]);
    assert.deepEqual(patch(removed, remove, group), removed, "removing a non-member by value changes nothing");
  });

  it("applies aadOptscim062020's no-path replace with dotted, URN and filtered keys", () => {
    const result = patch(noEmail(), {
      schemas: [PATCH_OP_URN],
      Operations: [
        {
          op: "replace",
          value: {
            "name.givenName": "Annie",
            "name.familyName": "Lee-Brown",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber": "701984",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager": { value: "m-2" },
            'emails[type eq "work"].value': "annie@contoso.com",
            active: false,
          },
        },
      ],
    });
    assert.deepEqual(result.name, { givenName: "Annie", familyName: "Lee-Brown" });
    assert.deepEqual(result[ENTERPRISE_USER_URN], { employeeNumber: "701984", manager: { value: "m-2" } });
    assert.deepEqual(result.emails, [{ type: "work", value: "annie@contoso.com" }]);
    assert.equal(result.active, false);
  });

  it("accepts its validator's empty Operations list", () => {
    assert.deepEqual(parsePatchRequest({ schemas: [PATCH_OP_URN], Operations: [] }), []);
  });
});

describe("AWS-ILM-style clients", () => {
  it("enables and disables with string booleans", () => {
    const disabled = patch(okta(), { schemas: [PATCH_OP_URN], Operations: [{ op: "replace", path: "active", value: "false" }] });
    assert.equal(disabled.active, false);
    assert.equal(patch(disabled, { schemas: [PATCH_OP_URN], Operations: [{ op: "replace", path: "active", value: "true" }] }).active, true);
  });

  it("applies one operation per attribute with whole sub-objects, wrapped arrays, nulls and the SCIM 1.1 URN", () => {
    const result = patch(okta(), {
      schemas: [PATCH_OP_URN],
      Operations: [
        { op: "replace", path: "emails", value: [[{ primary: true, type: "work", value: "ann@corp.example" }]] },
        { op: "add", path: "phoneNumbers", value: [null] },
        { op: "replace", path: "name", value: { givenName: "Ann", familyName: "Lee-Brown" } },
        { op: "add", path: "title", value: "Engineer" },
        { op: "replace", path: "externalId", value: "E123" },
        { op: "add", path: "userType", value: "Employee" },
        {
          op: "add",
          path: LEGACY_ENTERPRISE_URN,
          value: { employeeNumber: "123", department: "R&D", division: "Cloud", costCenter: "CC1", countryCode: "840", managerflag: "N" },
        },
      ],
    });
    assert.deepEqual(result.emails, [{ primary: true, type: "work", value: "ann@corp.example" }]);
    assert.equal(Object.hasOwn(result, "phoneNumbers"), false);
    assert.deepEqual(result.name, { givenName: "Ann", familyName: "Lee-Brown" });
    assert.deepEqual([result.title, result.externalId, result.userType], ["Engineer", "E123", "Employee"]);
    assert.deepEqual(result[ENTERPRISE_USER_URN], { employeeNumber: "123", department: "R&D", division: "Cloud", costCenter: "CC1" });
    assert.equal(Object.hasOwn(result, LEGACY_ENTERPRISE_URN), false);
  });

  it("clears attributes sent as null", () => {
    const result = patch(okta(), {
      Operations: [
        { op: "replace", path: "locale", value: null },
        { op: "replace", value: { displayName: null, name: { givenName: null } } },
        { op: "replace", path: "emails", value: null },
      ],
    });
    assert.equal(Object.hasOwn(result, "locale"), false);
    assert.equal(Object.hasOwn(result, "displayName"), false);
    assert.deepEqual(result.name, { familyName: "Lee" });
    assert.equal(Object.hasOwn(result, "emails"), false);
  });

  it("adds and removes one member per request", () => {
    const added = patch(
      groupOf("u-1"),
      { schemas: [PATCH_OP_URN], Operations: [{ op: "add", path: "members", value: [{ value: "u-2" }] }] },
      group,
    );
    assert.deepEqual(memberIds(added), ["u-1", "u-2"]);
    const removed = patch(
      added,
      { schemas: [PATCH_OP_URN], Operations: [{ op: "remove", path: "members", value: [{ value: "u-1" }] }] },
      group,
    );
    assert.deepEqual(memberIds(removed), ["u-2"]);
  });
});

describe("any client", () => {
  it("accepts attribute names and URNs in any case", () => {
    const result = patch(okta(), {
      Operations: [
        { op: "replace", path: "DISPLAYNAME", value: "A" },
        { op: "replace", value: { NickName: "Annie", "Name.GivenName": "Anne" } },
        { op: "add", path: "URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER:Department", value: "Ops" },
        { op: "replace", path: 'EMAILS[TYPE EQ "work"].VALUE', value: "a@example.com" },
      ],
    });
    assert.equal(result.displayName, "A");
    assert.equal(result.nickName, "Annie");
    assert.equal((result.name as JsonObject).givenName, "Anne");
    assert.deepEqual(result[ENTERPRISE_USER_URN], { department: "Ops" });
    assert.equal((result.emails as JsonObject[])[0]?.value, "a@example.com");
    assert.equal(Object.keys(result).filter((k) => k.toLowerCase() === "displayname").length, 1);
  });

  it("reads core attributes nested under the core schema's URN, and an empty schemas list as none", () => {
    const result = patch(okta(), {
      schemas: [],
      Operations: [{ op: "replace", value: { [CORE_USER_URN]: { displayName: "A. Lee", active: "false" } } }],
    });
    assert.deepEqual([result.displayName, result.active], ["A. Lee", false]);
  });

  it("ignores schemas inside a no-path value", () => {
    const result = patch(okta(), { Operations: [{ op: "replace", value: { schemas: ["urn:whatever"], title: "CTO" } }] });
    assert.deepEqual(result.schemas, [CORE_USER_URN]);
    assert.equal(result.title, "CTO");
  });
});
