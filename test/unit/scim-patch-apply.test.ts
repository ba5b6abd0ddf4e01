// applyPatch: RFC 7644 §3.5.2 add / replace / remove semantics on User and Group resources.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resourceSchemaFrom, type JsonObject } from "../../src/scim/attributes/index.js";
import { ScimError, type ScimType } from "../../src/scim/errors.js";
import { applyPatch, type PatchOperation } from "../../src/scim/patch/index.js";
import {
  CORE_GROUP_URN,
  CORE_USER_URN,
  ENTERPRISE_USER_URN,
  ZOOM_USER_URN,
  groupSchemaDefinition,
  userSchemaDefinition,
} from "../../src/scim/schemas.js";

const user = resourceSchemaFrom(userSchemaDefinition());
const group = resourceSchemaFrom(groupSchemaDefinition());

function ann(): JsonObject {
  return {
    schemas: [CORE_USER_URN, ZOOM_USER_URN],
    id: "u-1",
    externalId: "00u1",
    userName: "ann@example.com",
    name: { givenName: "Ann", familyName: "Lee" },
    displayName: "Ann Lee",
    active: true,
    emails: [
      { value: "ann@example.com", type: "work", primary: true },
      { value: "ann@home.example", type: "home" },
    ],
    phoneNumbers: [{ value: "+1 555 0100", type: "work" }],
    groups: [{ value: "g-1", display: "Sales" }],
    [ZOOM_USER_URN]: { status: "active", type: 2 },
    meta: { resourceType: "User", created: "2024-01-10T08:00:00Z", lastModified: "2024-05-01T12:30:00Z" },
  };
}

function sales(): JsonObject {
  return {
    schemas: [CORE_GROUP_URN],
    id: "g-1",
    displayName: "Sales",
    members: [
      { value: "u-1", display: "Ann Lee" },
      { value: "u-2", display: "Bo" },
    ],
    meta: { resourceType: "Group" },
  };
}

function patched(resource: JsonObject, ...operations: PatchOperation[]): JsonObject {
  return applyPatch(
    resource,
    operations,
    resource.schemas === undefined || (resource.schemas as string[]).includes(CORE_USER_URN) ? user : group,
  );
}

function fails(resource: JsonObject, operations: PatchOperation[], scimType: ScimType, detail: RegExp): void {
  const schema = (resource.schemas as string[]).includes(CORE_GROUP_URN) ? group : user;
  assert.throws(
    () => applyPatch(resource, operations, schema),
    (error: unknown) => {
      assert.ok(error instanceof ScimError, String(error));
      assert.equal(error.status, 400);
      assert.equal(error.scimType, scimType);
      assert.match(error.detail, detail);
      return true;
    },
  );
}

describe("applyPatch: add", () => {
  it("sets a simple attribute, and adds sub-attributes to a complex one", () => {
    const result = patched(ann(), { op: "add", path: "title", value: "CTO" }, { op: "add", path: "name", value: { middleName: "J" } });
    assert.equal(result.title, "CTO");
    assert.deepEqual(result.name, { givenName: "Ann", familyName: "Lee", middleName: "J" });
  });

  it("appends to a multi-valued attribute without duplicating an equal value", () => {
    const result = patched(ann(), {
      op: "add",
      path: "emails",
      value: [
        { value: "ANN@home.example", type: "home" },
        { value: "ann@other.example", type: "other" },
      ],
    });
    assert.deepEqual(result.emails, [
      { value: "ann@example.com", type: "work", primary: true },
      { value: "ann@home.example", type: "home" },
      { value: "ann@other.example", type: "other" },
    ]);
  });

  it("merges a re-added element: new mutable sub-attributes apply, immutable ones stay", () => {
    const email = patched(ann(), { op: "add", path: "emails", value: { value: "ann@home.example", type: "home", primary: "true" } });
    assert.deepEqual(email.emails, [
      { value: "ann@example.com", type: "work", primary: false },
      { value: "ann@home.example", type: "home", primary: true },
    ]);
    const member = patched(sales(), { op: "add", path: "members", value: [{ value: "u-1", display: "Someone else" }] });
    assert.deepEqual(member.members, sales().members);
  });

  it("adds members to a group, leaving existing ones alone", () => {
    const result = patched(sales(), { op: "add", path: "members", value: [{ value: "u-2" }, { value: "u-3", display: "Cy" }] });
    assert.deepEqual(result.members, [
      { value: "u-1", display: "Ann Lee" },
      { value: "u-2", display: "Bo" },
      { value: "u-3", display: "Cy" },
    ]);
  });

  it("adds attributes of a no-path value, merging complex ones", () => {
    const result = patched(ann(), {
      op: "add",
      value: { nickName: "Annie", name: { honorificPrefix: "Dr." }, emails: [{ value: "a@b.c", type: "other" }] },
    });
    assert.equal(result.nickName, "Annie");
    assert.deepEqual(result.name, { givenName: "Ann", familyName: "Lee", honorificPrefix: "Dr." });
    assert.equal((result.emails as unknown[]).length, 3);
  });

  it("writes extension attributes under the URN and lists the extension in schemas", () => {
    const result = patched(ann(), { op: "add", path: `${ENTERPRISE_USER_URN}:department`, value: "Sales" });
    assert.deepEqual(result[ENTERPRISE_USER_URN], { department: "Sales" });
    assert.deepEqual(result.schemas, [CORE_USER_URN, ZOOM_USER_URN, ENTERPRISE_USER_URN]);
  });

  it("sets a sub-attribute of a complex attribute, creating the complex value", () => {
    const result = patched({ schemas: [CORE_USER_URN], id: "u-9", userName: "x" }, { op: "add", path: "name.givenName", value: "Xi" });
    assert.deepEqual(result.name, { givenName: "Xi" });
  });
});

describe("applyPatch: replace", () => {
  it("replaces simple values and merges complex ones (unnamed sub-attributes stay)", () => {
    const result = patched(
      ann(),
      { op: "replace", path: "displayName", value: "Ann B. Lee" },
      { op: "replace", path: "name", value: { familyName: "Brown" } },
    );
    assert.equal(result.displayName, "Ann B. Lee");
    assert.deepEqual(result.name, { givenName: "Ann", familyName: "Brown" });
    const recased = patched(ann(), { op: "replace", path: "name", value: { givenName: "ANN" } });
    assert.deepEqual(recased.name, { givenName: "ANN", familyName: "Lee" }, "a change of case is a change");
  });

  it("replaces all values of a multi-valued attribute", () => {
    const result = patched(ann(), { op: "replace", path: "emails", value: [{ value: "new@example.com", type: "work", primary: true }] });
    assert.deepEqual(result.emails, [{ value: "new@example.com", type: "work", primary: true }]);
    const emptied = patched(ann(), { op: "replace", path: "phoneNumbers", value: [] });
    assert.equal(Object.hasOwn(emptied, "phoneNumbers"), false, "no values left: unassigned");
  });

  it("replaces the elements a filter selects, or one sub-attribute of them", () => {
    const whole = patched(ann(), { op: "replace", path: 'emails[type eq "home"]', value: { value: "ann@new-home.example", type: "home" } });
    assert.deepEqual((whole.emails as JsonObject[])[1], { value: "ann@new-home.example", type: "home" });
    const sub = patched(ann(), { op: "replace", path: 'emails[value ew "example.com"].value', value: "ann@example.org" });
    assert.deepEqual(
      (sub.emails as JsonObject[]).map((e) => e.value),
      ["ann@example.org", "ann@home.example"],
    );
  });

  it("creates the element an equality filter describes when none matches yet", () => {
    const result = patched(sales(), { op: "add", path: 'members[value eq "u-3"]', value: { display: "Cy" } });
    assert.deepEqual((result.members as JsonObject[])[2], { value: "u-3", display: "Cy" });
  });

  it("treats replace of an absent attribute as add", () => {
    const result = patched(
      ann(),
      { op: "replace", path: "nickName", value: "Annie" },
      { op: "replace", path: "addresses", value: { locality: "Oslo", type: "work" } },
    );
    assert.equal(result.nickName, "Annie");
    assert.deepEqual(result.addresses, [{ locality: "Oslo", type: "work" }]);
  });

  it("replaces top-level attributes of a no-path value", () => {
    const result = patched(ann(), { op: "replace", value: { active: false, displayName: "A. Lee", emails: [{ value: "x@example.com" }] } });
    assert.deepEqual([result.active, result.displayName, result.emails], [false, "A. Lee", [{ value: "x@example.com" }]]);
  });
});

describe("applyPatch: remove", () => {
  it("removes simple, complex and sub-attributes", () => {
    const result = patched(
      ann(),
      { op: "remove", path: "displayName" },
      { op: "remove", path: "name.givenName" },
      { op: "remove", path: "phoneNumbers" },
    );
    assert.equal(Object.hasOwn(result, "displayName"), false);
    assert.deepEqual(result.name, { familyName: "Lee" });
    assert.equal(Object.hasOwn(result, "phoneNumbers"), false);
    const noName = patched(ann(), { op: "remove", path: "name.givenName" }, { op: "remove", path: "name.familyName" });
    assert.equal(Object.hasOwn(noName, "name"), false, "a complex attribute without sub-attributes is unassigned");
  });

  it("removes the elements a filter selects (Okta's member removal)", () => {
    const result = patched(sales(), { op: "remove", path: 'members[value eq "u-1"]' });
    assert.deepEqual(result.members, [{ value: "u-2", display: "Bo" }]);
    const none = patched(result, { op: "remove", path: 'members[value eq "u-2"]' });
    assert.equal(Object.hasOwn(none, "members"), false);
  });

  it("removes a sub-attribute of filtered elements, dropping elements left without a value", () => {
    const primary = patched(ann(), { op: "remove", path: 'emails[type eq "work"].primary' });
    assert.deepEqual((primary.emails as JsonObject[])[0], { value: "ann@example.com", type: "work" });
    const value = patched(ann(), { op: "remove", path: 'emails[type eq "work"].value' });
    assert.deepEqual(value.emails, [{ value: "ann@home.example", type: "home" }]);
  });

  it("removes an absent attribute without complaint, and a whole extension by its URN", () => {
    assert.deepEqual(patched(ann(), { op: "remove", path: "nickName" }), ann());
    assert.deepEqual(patched(ann(), { op: "remove", path: `${ENTERPRISE_USER_URN}:department` }), ann());
    const withEnterprise = {
      ...ann(),
      schemas: [CORE_USER_URN, ZOOM_USER_URN, ENTERPRISE_USER_URN],
      [ENTERPRISE_USER_URN]: { department: "Sales" },
    };
    const result = patched(withEnterprise, { op: "remove", path: ENTERPRISE_USER_URN });
    assert.equal(Object.hasOwn(result, ENTERPRISE_USER_URN), false);
    assert.deepEqual(result.schemas, [CORE_USER_URN, ZOOM_USER_URN]);
    // The Zoom extension carries the readOnly status, so it cannot be removed.
    fails(ann(), [{ op: "remove", path: ZOOM_USER_URN }], "mutability", /status, which is readOnly/);
  });
});

describe("applyPatch: primary", () => {
  it("clears primary on the other elements when one becomes primary", () => {
    const viaFilter = patched(ann(), { op: "replace", path: 'emails[type eq "home"].primary', value: true });
    assert.deepEqual(
      (viaFilter.emails as JsonObject[]).map((e) => e.primary),
      [false, true],
    );
    const viaAdd = patched(ann(), { op: "add", path: "emails", value: [{ value: "new@example.com", type: "other", primary: true }] });
    assert.deepEqual(
      (viaAdd.emails as JsonObject[]).map((e) => e.primary),
      [false, undefined, true],
    );
  });

  it("refuses a value that makes two elements primary", () => {
    const emails = [
      { value: "a@example.com", primary: true },
      { value: "b@example.com", primary: true },
    ];
    fails(ann(), [{ op: "replace", path: "emails", value: emails }], "invalidValue", /marks 2 emails as primary/);
  });
});

describe("applyPatch: errors", () => {
  it("refuses unknown attributes with invalidPath", () => {
    fails(
      ann(),
      [{ op: "replace", path: "nope", value: 1 }],
      "invalidPath",
      /^Operations\[0\] \(replace at "nope"\): Invalid PATCH path 'nope': "nope" \(character 1\) is not an attribute of User/,
    );
    fails(ann(), [{ op: "add", value: { nope: 1 } }], "invalidPath", /"nope" .*is not an attribute of User/);
    fails(
      ann(),
      [{ op: "add", path: "name", value: { nope: "x" } }],
      "invalidPath",
      /"nope" in name is not a sub-attribute of name; it has formatted, familyName/,
    );
    fails(
      ann(),
      [{ op: "add", path: `${ENTERPRISE_USER_URN}`, value: { nope: "x" } }],
      "invalidPath",
      /"nope" is not an attribute of urn:ietf:params:scim:schemas:extension:enterprise:2.0:User/,
    );
    fails(ann(), [{ op: "add", path: "name.givenName.x", value: "x" }], "invalidPath", /is not an attribute of User/);
  });

  it("refuses malformed filters in paths with invalidFilter", () => {
    fails(ann(), [{ op: "remove", path: 'emails[type eq "work"' }], "invalidFilter", /never closed/);
    fails(ann(), [{ op: "remove", path: 'emails[nope eq "work"]' }], "invalidFilter", /not a sub-attribute of emails/);
    fails(ann(), [{ op: "remove", path: 'userName[value eq "x"]' }], "invalidPath", /not a complex attribute/);
    fails(ann(), [{ op: "remove", path: 'emails[type eq "work"] x' }], "invalidPath", /unexpected "x"/);
  });

  it("refuses a filter that matches nothing with noTarget", () => {
    fails(sales(), [{ op: "remove", path: 'members[value eq "u-9"]' }], "noTarget", /members\[value eq "u-9"\] selects nothing/);
    fails(ann(), [{ op: "replace", path: 'emails[value co "nobody"].type', value: "other" }], "noTarget", /selects nothing/);
    // Only an equality-only filter describes an element that could be created.
    fails(
      ann(),
      [{ op: "add", path: 'phoneNumbers[type eq "fax" or type eq "pager"].value', value: "+1 555 0199" }],
      "noTarget",
      /selects nothing/,
    );
  });

  it("refuses changes to readOnly attributes, but not a resend of the current value", () => {
    fails(ann(), [{ op: "replace", path: "id", value: "u-2" }], "mutability", /would change id, which is readOnly/);
    fails(ann(), [{ op: "replace", path: "meta.lastModified", value: "2030-01-01T00:00:00Z" }], "mutability", /meta/);
    fails(ann(), [{ op: "add", path: "groups", value: [{ value: "g-2" }] }], "mutability", /would change groups/);
    fails(
      ann(),
      [{ op: "replace", path: `${ZOOM_USER_URN}:status`, value: "inactive" }],
      "mutability",
      /zoom:1.0:User:status, which is readOnly/,
    );
    fails(ann(), [{ op: "remove", path: "meta" }], "mutability", /meta/);
    const same = patched(ann(), { op: "replace", value: { id: "u-1", meta: ann().meta, displayName: "Ann" } });
    assert.equal(same.displayName, "Ann");
  });

  it("refuses changing an immutable member sub-attribute", () => {
    fails(
      sales(),
      [{ op: "replace", path: 'members[value eq "u-1"].value', value: "u-9" }],
      "mutability",
      /would change value, which is immutable/,
    );
  });

  it("refuses values that do not fit the attribute", () => {
    fails(ann(), [{ op: "replace", path: "active", value: "yes" }], "invalidValue", /active must be true or false, not "yes"/);
    fails(
      ann(),
      [{ op: "replace", path: "name", value: "Ann Lee" }],
      "invalidValue",
      /name is complex; give an object of its sub-attributes/,
    );
    fails(ann(), [{ op: "replace", path: "displayName", value: { text: "x" } }], "invalidValue", /displayName must be a string/);
    fails(ann(), [{ op: "replace", path: `${ZOOM_USER_URN}:type`, value: "two" }], "invalidValue", /must be an integer/);
    fails(ann(), [{ op: "replace", path: "displayName", value: ["a", "b"] }], "invalidValue", /single-valued; give one value/);
    fails(ann(), [{ op: "replace", value: { [ENTERPRISE_USER_URN]: "Sales" } }], "invalidValue", /must be an object of its attributes/);
  });

  it("names the failing operation and leaves the input untouched", () => {
    const input = ann();
    const copy = structuredClone(input);
    fails(
      input,
      [
        { op: "replace", path: "displayName", value: "ok" },
        { op: "remove", path: "nope" },
      ],
      "invalidPath",
      /^Operations\[1\] \(remove at "nope"\)/,
    );
    assert.deepEqual(input, copy);
  });
});

describe("applyPatch: purity", () => {
  it("returns a new object and never mutates its input", () => {
    const input = ann();
    const copy = structuredClone(input);
    const result = patched(
      input,
      { op: "replace", path: 'emails[type eq "work"].value', value: "z@example.com" },
      { op: "remove", path: "name.givenName" },
    );
    assert.deepEqual(input, copy);
    assert.notEqual(result.emails, input.emails);
    assert.equal((result.emails as JsonObject[])[0]?.value, "z@example.com");
  });

  it("treats an empty operation list as a copy", () => {
    const input = ann();
    const result = applyPatch(input, [], user);
    assert.deepEqual(result, input);
    assert.notEqual(result, input);
  });
});
