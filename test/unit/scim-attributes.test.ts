// Attribute metadata from scimmy's declarations, path resolution, value locations and POST/PUT normalisation.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  LEGACY_ENTERPRISE_URN,
  attributeContainer,
  coerceBooleanString,
  findAttribute,
  normaliseValueTypes,
  readAttribute,
  resolveExtension,
  resolvePath,
  resourceSchemaFrom,
  scalarEquals,
  syncExtensionSchemas,
  type ResolvedPath,
} from "../../src/scim/attributes/index.js";
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

function resolved(path: string): ResolvedPath {
  const result = resolvePath(user, path);
  assert.ok(result, `${path} should resolve`);
  return result;
}

describe("resourceSchemaFrom", () => {
  it("describes the User schema with the common attributes of RFC 7643 §3", () => {
    assert.equal(user.id, CORE_USER_URN);
    assert.equal(user.name, "User");
    const id = findAttribute(user.attributes, "id");
    assert.deepEqual([id?.mutability, id?.returned, id?.caseExact], ["readOnly", "always", true]);
    const externalId = findAttribute(user.attributes, "externalId");
    assert.deepEqual([externalId?.mutability, externalId?.caseExact], ["readWrite", true]);
    const schemas = findAttribute(user.attributes, "schemas");
    assert.deepEqual([schemas?.returned, schemas?.multiValued], ["always", true]);
    const meta = findAttribute(user.attributes, "meta");
    assert.equal(meta?.mutability, "readOnly");
    assert.deepEqual(
      meta?.subAttributes.map((s) => `${s.name}:${s.type}:${s.mutability}`),
      [
        "resourceType:string:readOnly",
        "created:dateTime:readOnly",
        "lastModified:dateTime:readOnly",
        "location:reference:readOnly",
        "version:string:readOnly",
      ],
    );
    // Each common attribute appears once even though scimmy declares them too.
    assert.equal(user.attributes.filter((a) => a.name === "id").length, 1);
  });

  it("maps scimmy's config to RFC 7643 characteristics", () => {
    const userName = findAttribute(user.attributes, "userName");
    assert.deepEqual([userName?.type, userName?.caseExact, userName?.required, userName?.returned], ["string", false, true, "default"]);
    assert.equal(findAttribute(user.attributes, "password")?.returned, "never");
    assert.equal(findAttribute(user.attributes, "groups")?.mutability, "readOnly");
    assert.equal(findAttribute(user.attributes, "active")?.type, "boolean");
    const emails = findAttribute(user.attributes, "emails");
    assert.equal(emails?.multiValued, true);
    assert.deepEqual(findAttribute(emails?.subAttributes ?? [], "type")?.canonicalValues, ["work", "home", "other"]);
    assert.equal(findAttribute(emails?.subAttributes ?? [], "primary")?.type, "boolean");
  });

  it("lists the enterprise and Zoom extensions with their attributes", () => {
    assert.deepEqual(
      user.extensions.map((e) => [e.id, e.required]),
      [
        [ENTERPRISE_USER_URN, false],
        [ZOOM_USER_URN, false],
      ],
    );
    const zoom = user.extensions[1];
    assert.equal(findAttribute(zoom?.attributes ?? [], "status")?.mutability, "readOnly");
    assert.equal(findAttribute(zoom?.attributes ?? [], "type")?.type, "integer");
    const manager = findAttribute(user.extensions[0]?.attributes ?? [], "manager");
    assert.deepEqual(
      manager?.subAttributes.map((s) => s.name),
      ["value", "$ref", "displayName"],
    );
    // Extension attributes are not core attributes.
    assert.equal(findAttribute(user.attributes, "department"), undefined);
  });

  it("describes Group with immutable member sub-attributes and no extensions", () => {
    assert.equal(group.id, CORE_GROUP_URN);
    assert.deepEqual(group.extensions, []);
    const members = findAttribute(group.attributes, "members");
    assert.equal(members?.multiValued, true);
    assert.equal(findAttribute(members?.subAttributes ?? [], "value")?.mutability, "immutable");
    assert.equal(findAttribute(group.attributes, "displayName")?.required, true);
  });
});

describe("resolvePath", () => {
  it("resolves names case-insensitively to the schema's spelling", () => {
    assert.equal(resolved("USERNAME").canonical, "userName");
    assert.equal(resolved("name.givenname").canonical, "name.givenName");
    assert.equal(resolved("Emails.Value").canonical, "emails.value");
    assert.equal(resolved("emails.value").attribute.multiValued, true);
    assert.equal(resolved("meta.lastModified").subAttribute?.type, "dateTime");
  });

  it("resolves URN-qualified core and extension paths", () => {
    const core = resolved(`${CORE_USER_URN}:userName`);
    assert.deepEqual([core.canonical, core.isExtension, core.schemaId], ["userName", false, CORE_USER_URN]);
    const department = resolved(`${ENTERPRISE_USER_URN}:department`);
    assert.deepEqual([department.canonical, department.isExtension], [`${ENTERPRISE_USER_URN}:department`, true]);
    assert.equal(resolved(`${ENTERPRISE_USER_URN.toLowerCase()}:MANAGER.value`).canonical, `${ENTERPRISE_USER_URN}:manager.value`);
    assert.equal(resolved(`${ZOOM_USER_URN}:status`).attribute.mutability, "readOnly");
    assert.equal(resolved(`${LEGACY_ENTERPRISE_URN}:employeeNumber`).canonical, `${ENTERPRISE_USER_URN}:employeeNumber`);
  });

  it("rejects what is not an attribute path", () => {
    for (const path of [
      "",
      "nope",
      "name.nope",
      "name.givenName.x",
      "userName.x",
      "department",
      `${ENTERPRISE_USER_URN}`,
      `${ENTERPRISE_USER_URN}:nope`,
      "emails..value",
    ]) {
      assert.equal(resolvePath(user, path), undefined, path);
    }
    assert.equal(resolvePath(group, "userName"), undefined);
    assert.equal(resolvePath(group, "members.value")?.canonical, "members.value");
  });

  it("finds extensions by URN, the SCIM 1.1 enterprise URN included", () => {
    assert.equal(resolveExtension(user, ENTERPRISE_USER_URN.toUpperCase())?.id, ENTERPRISE_USER_URN);
    assert.equal(resolveExtension(user, LEGACY_ENTERPRISE_URN)?.legacy, true);
    assert.equal(resolveExtension(user, CORE_USER_URN), undefined);
    assert.equal(resolveExtension(group, LEGACY_ENTERPRISE_URN), undefined);
  });
});

describe("attribute values in a resource", () => {
  const resource = {
    userName: "ann@example.com",
    name: { givenName: "Ann", familyName: "Lee" },
    emails: [
      { value: "ann@example.com", type: "work", primary: true },
      { value: "ann@home.example", type: "home" },
    ],
    [ENTERPRISE_USER_URN]: { department: "Sales", manager: { value: "m-1" } },
  };

  it("reads core, sub-attribute, multi-valued and extension values", () => {
    assert.equal(readAttribute(resource, resolved("username")), "ann@example.com");
    assert.equal(readAttribute(resource, resolved("name.givenName")), "Ann");
    assert.deepEqual(readAttribute(resource, resolved("emails.value")), ["ann@example.com", "ann@home.example"]);
    assert.equal(readAttribute(resource, resolved(`${ENTERPRISE_USER_URN}:department`)), "Sales");
    assert.equal(readAttribute(resource, resolved(`${ENTERPRISE_USER_URN}:manager.value`)), "m-1");
    assert.equal(readAttribute(resource, resolved(`${ZOOM_USER_URN}:location`)), undefined);
    assert.equal(readAttribute(resource, resolved("phoneNumbers.value")), undefined);
  });

  it("locates extension attributes under the extension's URN key", () => {
    assert.equal(attributeContainer(resource, resolved(`${ENTERPRISE_USER_URN}:department`)), resource[ENTERPRISE_USER_URN]);
    assert.equal(attributeContainer(resource, resolved("userName")), resource);
    assert.equal(attributeContainer(resource, resolved(`${ZOOM_USER_URN}:location`)), undefined);
  });

  it("compares scalars as the attribute's case sensitivity and type say", () => {
    const userName = resolved("userName").attribute;
    const externalId = resolved("externalId").attribute;
    assert.equal(scalarEquals(userName, "Ann@Example.com", "ann@example.com"), true);
    assert.equal(scalarEquals(externalId, "ABC", "abc"), false);
    assert.equal(scalarEquals(resolved("meta.created").subAttribute!, "2024-01-01T00:00:00Z", "2024-01-01T01:00:00+01:00"), true);
  });
});

describe("normaliseValueTypes", () => {
  it("converts boolean strings at every level, and names to the schema's case", () => {
    const body = {
      UserName: "ann@example.com",
      Active: "True",
      emails: [{ Value: "ann@example.com", Primary: "false", type: "work" }],
      [ENTERPRISE_USER_URN.toLowerCase()]: { Department: "Sales" },
      [ZOOM_USER_URN]: { type: "2" },
    };
    assert.deepEqual(normaliseValueTypes(body, user), {
      userName: "ann@example.com",
      active: true,
      emails: [{ value: "ann@example.com", primary: false, type: "work" }],
      [ENTERPRISE_USER_URN]: { department: "Sales" },
      [ZOOM_USER_URN]: { type: 2 },
    });
  });

  it("drops null items from multi-valued arrays and flattens nested arrays (AWS-ILM)", () => {
    const body = { userName: "a@b.c", phoneNumbers: [null], emails: [[{ value: "a@b.c", type: "work", primary: true }]], title: "" };
    const normalised = normaliseValueTypes(body, user);
    assert.deepEqual(normalised.phoneNumbers, []);
    assert.deepEqual(normalised.emails, [{ value: "a@b.c", type: "work", primary: true }]);
    assert.equal(normalised.title, "", "empty strings are left for the service to judge");
    assert.deepEqual(
      normaliseValueTypes({ userName: "a@b.c", phoneNumbers: null }, user).phoneNumbers,
      [],
      "null is [] for a multi-valued attribute (RFC 7643 §2.5)",
    );
  });

  it("reads the SCIM 1.1 enterprise extension as the 2.0 one, keeping only 2.0 attributes", () => {
    const body = {
      userName: "a@b.c",
      schemas: [CORE_USER_URN, LEGACY_ENTERPRISE_URN],
      [LEGACY_ENTERPRISE_URN]: { employeeNumber: "42", department: "Ops", countryCode: "US", managerflag: "N" },
    };
    const normalised = normaliseValueTypes(body, user);
    assert.deepEqual(normalised[ENTERPRISE_USER_URN], { employeeNumber: "42", department: "Ops" });
    assert.equal(normalised[LEGACY_ENTERPRISE_URN], undefined);
    assert.deepEqual(normalised.schemas, [CORE_USER_URN, ENTERPRISE_USER_URN]);
  });

  it("leaves unknown attributes and the input alone", () => {
    const body = { userName: "a@b.c", "http://schemas.microsoft.com/x": 1, active: "yes" };
    const normalised = normaliseValueTypes(body, user);
    assert.equal(normalised["http://schemas.microsoft.com/x"], 1);
    assert.equal(normalised.active, "yes", "not a boolean string: validation rejects it later");
    assert.notEqual(normalised, body);
    assert.equal(coerceBooleanString(" FALSE "), false);
    assert.equal(coerceBooleanString("no"), "no");
  });
});

describe("syncExtensionSchemas", () => {
  it("lists exactly the extensions the resource has data for", () => {
    const resource: Record<string, unknown> = {
      schemas: [CORE_USER_URN, ZOOM_USER_URN],
      [ENTERPRISE_USER_URN]: { department: "Sales" },
      [ZOOM_USER_URN]: {},
    };
    syncExtensionSchemas(resource, user);
    assert.deepEqual(resource.schemas, [CORE_USER_URN, ENTERPRISE_USER_URN]);
  });
});
