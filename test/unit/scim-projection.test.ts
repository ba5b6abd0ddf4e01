// attributes / excludedAttributes (RFC 7644 §3.4.2.5, §3.9; RFC 7643 §7 "returned").
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { resourceSchemaFrom, type JsonObject } from "../../src/scim/attributes/index.js";
import { ScimError } from "../../src/scim/errors.js";
import { parseAttributeList, projectResource, requestedAttributes } from "../../src/scim/projection/index.js";
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

const ann: JsonObject = {
  schemas: [CORE_USER_URN, ENTERPRISE_USER_URN, ZOOM_USER_URN],
  id: "u-1",
  externalId: "00u1",
  userName: "ann@example.com",
  name: { givenName: "Ann", familyName: "Lee", formatted: "Ann Lee" },
  displayName: "Ann Lee",
  active: true,
  password: "never shown",
  emails: [
    { value: "ann@example.com", type: "work", primary: true },
    { value: "ann@home.example", type: "home" },
  ],
  groups: [{ value: "g-1", display: "Sales", $ref: "https://scim.example/Groups/g-1" }],
  [ENTERPRISE_USER_URN]: { department: "Sales", manager: { value: "m-1", displayName: "Mo" } },
  [ZOOM_USER_URN]: { status: "active", type: 2 },
  meta: {
    resourceType: "User",
    created: "2024-01-10T08:00:00Z",
    lastModified: "2024-05-01T12:30:00Z",
    location: "https://scim.example/Users/u-1",
  },
};

const sales: JsonObject = {
  schemas: [CORE_GROUP_URN],
  id: "g-1",
  displayName: "Sales",
  members: [{ value: "u-1", display: "Ann Lee" }],
  meta: { resourceType: "Group" },
};

describe("parseAttributeList", () => {
  it("splits a comma-separated list, trimming items and skipping empty ones", () => {
    assert.deepEqual(parseAttributeList("userName, name.givenName,,emails.value "), ["userName", "name.givenName", "emails.value"]);
    assert.deepEqual(parseAttributeList(`${ENTERPRISE_USER_URN}:manager.value,${ENTERPRISE_USER_URN}`), [
      `${ENTERPRISE_USER_URN}:manager.value`,
      ENTERPRISE_USER_URN,
    ]);
    assert.deepEqual(parseAttributeList(["members", "displayName,id"]), ["members", "displayName", "id"]);
    assert.deepEqual(parseAttributeList(""), []);
    assert.deepEqual(parseAttributeList(undefined), []);
  });

  it("rejects what is not a list of attribute names with invalidValue", () => {
    for (const bad of [42, { a: 1 }, ["ok", 3], 'emails[type eq "work"]', "user name", "userName;drop"]) {
      assert.throws(
        () => parseAttributeList(bad, "excludedAttributes"),
        (error: unknown) =>
          error instanceof ScimError &&
          error.status === 400 &&
          error.scimType === "invalidValue" &&
          error.detail.includes('"excludedAttributes"'),
        JSON.stringify(bad),
      );
    }
  });
});

describe("projectResource", () => {
  it("returns the default view: everything but returned:never", () => {
    const { password: _password, ...expected } = ann;
    assert.deepEqual(projectResource(ann, user, {}), expected);
    assert.deepEqual(projectResource(ann, user, { attributes: [] }), expected, "an empty list is no list");
  });

  it("returns only the listed attributes plus id and schemas", () => {
    assert.deepEqual(projectResource(ann, user, { attributes: ["userName"] }), {
      schemas: ann.schemas,
      id: "u-1",
      userName: "ann@example.com",
    });
    assert.deepEqual(projectResource(ann, user, { attributes: ["USERNAME", "Name.GivenName", "emails.value"] }), {
      schemas: ann.schemas,
      id: "u-1",
      userName: "ann@example.com",
      name: { givenName: "Ann" },
      emails: [{ value: "ann@example.com" }, { value: "ann@home.example" }],
    });
    assert.deepEqual(projectResource(ann, user, { attributes: ["password", "meta.lastModified"] }), {
      schemas: ann.schemas,
      id: "u-1",
      meta: { lastModified: "2024-05-01T12:30:00Z" },
    });
  });

  it("projects extension attributes by URN-qualified path or whole extension", () => {
    assert.deepEqual(projectResource(ann, user, { attributes: [`${ENTERPRISE_USER_URN}:department`, `${ZOOM_USER_URN}`] }), {
      schemas: ann.schemas,
      id: "u-1",
      [ENTERPRISE_USER_URN]: { department: "Sales" },
      [ZOOM_USER_URN]: { status: "active", type: 2 },
    });
    assert.deepEqual(projectResource(ann, user, { attributes: [`${ENTERPRISE_USER_URN}:manager.value`, `${CORE_USER_URN}:displayName`] }), {
      schemas: ann.schemas,
      id: "u-1",
      displayName: "Ann Lee",
      [ENTERPRISE_USER_URN]: { manager: { value: "m-1" } },
    });
  });

  it("removes excluded attributes, sub-attributes and extensions, but never id or schemas", () => {
    const excluded = projectResource(ann, user, {
      excludedAttributes: ["emails", "name.familyName", "meta", ZOOM_USER_URN, `${ENTERPRISE_USER_URN}:manager`, "id", "schemas"],
    });
    assert.deepEqual(Object.keys(excluded), [
      "schemas",
      "id",
      "externalId",
      "userName",
      "name",
      "displayName",
      "active",
      "groups",
      ENTERPRISE_USER_URN,
    ]);
    assert.deepEqual(excluded.name, { givenName: "Ann", formatted: "Ann Lee" });
    assert.deepEqual(excluded[ENTERPRISE_USER_URN], { department: "Sales" });
    assert.deepEqual(excluded.schemas, ann.schemas, "schemas lists the resource's schemas, not the attributes shown");
  });

  it("drops an extension object that projection empties", () => {
    const result = projectResource(ann, user, {
      excludedAttributes: [`${ENTERPRISE_USER_URN}:department`, `${ENTERPRISE_USER_URN}:manager`],
    });
    assert.equal(Object.hasOwn(result, ENTERPRISE_USER_URN), false);
    assert.equal(Object.hasOwn(result, ZOOM_USER_URN), true);
  });

  it("lets attributes win when both parameters are given", () => {
    assert.deepEqual(projectResource(ann, user, { attributes: ["userName"], excludedAttributes: ["userName"] }), {
      schemas: ann.schemas,
      id: "u-1",
      userName: "ann@example.com",
    });
  });

  it("answers Entra's group read without members", () => {
    assert.deepEqual(projectResource(sales, group, { excludedAttributes: ["members"] }), {
      schemas: [CORE_GROUP_URN],
      id: "g-1",
      displayName: "Sales",
      meta: { resourceType: "Group" },
    });
    assert.deepEqual(projectResource(sales, group, { attributes: ["displayName"] }), {
      schemas: [CORE_GROUP_URN],
      id: "g-1",
      displayName: "Sales",
    });
  });

  it("ignores unknown names, and keeps unknown members only in the default view", () => {
    const odd: JsonObject = { ...sales, "urn:example:custom": { x: 1 }, members: [{ value: "u-1", extra: true }] };
    assert.deepEqual(projectResource(odd, group, { excludedAttributes: ["nope"] }), odd);
    assert.deepEqual(projectResource(odd, group, { attributes: ["members.value", "nope"] }), {
      schemas: [CORE_GROUP_URN],
      id: "g-1",
      members: [{ value: "u-1" }],
    });
    assert.deepEqual(projectResource(odd, group, { attributes: ["members"] }).members, [{ value: "u-1", extra: true }]);
  });

  it("does not change its input", () => {
    const copy = structuredClone(ann);
    projectResource(ann, user, { attributes: ["name.givenName"] });
    projectResource(ann, user, { excludedAttributes: ["emails.type"] });
    assert.deepEqual(ann, copy);
  });
});

describe("requestedAttributes", () => {
  it("tells whether an attribute will appear, so services can skip Zoom calls", () => {
    const noMembers = requestedAttributes(group, { excludedAttributes: ["members"] });
    assert.deepEqual(["members", "members.value", "displayName", "id", "meta"].map(noMembers), [false, false, true, true, true]);

    const onlyUserName = requestedAttributes(user, { attributes: ["userName"] });
    assert.deepEqual(["userName", "emails", "id", "schemas", "groups", `${ENTERPRISE_USER_URN}:manager`].map(onlyUserName), [
      true,
      false,
      true,
      true,
      false,
      false,
    ]);

    const subs = requestedAttributes(user, { attributes: ["name.givenName", `${ENTERPRISE_USER_URN}:manager.value`] });
    assert.deepEqual(
      [
        "name",
        "name.givenName",
        "name.familyName",
        `${ENTERPRISE_USER_URN}:manager`,
        `${ENTERPRISE_USER_URN}:department`,
        ENTERPRISE_USER_URN,
      ].map(subs),
      [true, true, false, true, false, true],
    );
  });

  it("never requests returned:never attributes and always requests returned:always ones", () => {
    const all = requestedAttributes(user, {});
    assert.deepEqual(["password", "id", "userName", `${ZOOM_USER_URN}:status`, "nope"].map(all), [false, true, true, true, true]);
    const excluded = requestedAttributes(user, { excludedAttributes: ["id", ZOOM_USER_URN] });
    assert.deepEqual(["id", `${ZOOM_USER_URN}:status`, ZOOM_USER_URN].map(excluded), [true, false, false]);
  });

  it("reads extension paths written with a dot after the URN", () => {
    const wants = requestedAttributes(user, { attributes: [`${ENTERPRISE_USER_URN}:manager`] });
    assert.equal(wants(`${ENTERPRISE_USER_URN}.manager`), true);
    assert.equal(wants(`${ENTERPRISE_USER_URN}.organization`), false);
  });
});
