// Discovery tells the truth: /Schemas and /ResourceTypes validate against RFC 7643 §7 and §6 (JSON Schemas written
// from the RFC text below), members offer only "User" while nested groups are refused, and every attribute zoom-scim
// cannot keep is readOnly (or absent).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Ajv } from "ajv";
import { startHarness, type Harness } from "../helpers/harness.js";

const SCHEMA_URN = "urn:ietf:params:scim:schemas:core:2.0:Schema";
const RESOURCE_TYPE_URN = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";

/** RFC 7643 §7: an attribute definition. §2.3.8: sub-attributes of a complex attribute have no sub-attributes. */
const attribute = (nested: boolean): Record<string, unknown> => ({
  type: "object",
  required: ["name", "type", "multiValued", "required", "mutability", "returned"],
  properties: {
    name: { type: "string", pattern: "^[A-Za-z$][\\w$-]*$" },
    type: { enum: ["string", "boolean", "decimal", "integer", "dateTime", "reference", "complex", "binary"] },
    multiValued: { type: "boolean" },
    description: { type: "string" },
    required: { type: "boolean" },
    canonicalValues: { type: "array" },
    caseExact: { type: "boolean" },
    mutability: { enum: ["readOnly", "readWrite", "immutable", "writeOnly"] },
    returned: { enum: ["always", "never", "default", "request"] },
    uniqueness: { enum: ["none", "server", "global"] },
    referenceTypes: { type: "array", items: { type: "string" }, minItems: 1 },
    subAttributes: nested ? { type: "array", items: { $ref: "#/$defs/subAttribute" }, minItems: 1 } : false,
  },
  allOf: [
    // §7 referenceTypes: "A multi-valued array of JSON strings that indicate the SCIM resource types that may be referenced."
    { if: { properties: { type: { const: "reference" } } }, then: { required: ["referenceTypes"] } },
    ...(nested ? [{ if: { properties: { type: { const: "complex" } } }, then: { required: ["subAttributes"] } }] : []),
  ],
});

/** RFC 7643 §7: a Schema resource (id and attributes REQUIRED). */
const SCHEMA_RESOURCE = {
  type: "object",
  required: ["schemas", "id", "attributes"],
  properties: {
    schemas: { type: "array", contains: { const: SCHEMA_URN } },
    id: { type: "string", pattern: "^urn:" },
    name: { type: "string" },
    description: { type: "string" },
    attributes: { type: "array", items: { $ref: "#/$defs/attribute" }, minItems: 1 },
  },
  $defs: { attribute: attribute(true), subAttribute: attribute(false) },
};

/** RFC 7643 §6: a ResourceType (name, endpoint, schema REQUIRED; each extension's schema and required REQUIRED). */
const RESOURCE_TYPE = {
  type: "object",
  required: ["schemas", "name", "endpoint", "schema"],
  properties: {
    schemas: { type: "array", contains: { const: RESOURCE_TYPE_URN } },
    id: { type: "string" },
    name: { type: "string" },
    description: { type: "string" },
    endpoint: { type: "string", pattern: "^/" },
    schema: { type: "string", pattern: "^urn:" },
    schemaExtensions: {
      type: "array",
      items: {
        type: "object",
        required: ["schema", "required"],
        properties: { schema: { type: "string", pattern: "^urn:" }, required: { type: "boolean" } },
      },
    },
  },
};

interface Attribute {
  name: string;
  mutability: string;
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: Attribute[];
}

let h: Harness;
const ajv = new Ajv({ allErrors: true, strict: false });

before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

async function listed(path: string): Promise<Record<string, unknown>[]> {
  const answer = await h.scim("GET", path);
  assert.equal(answer.status, 200, answer.text);
  return answer.body.Resources as Record<string, unknown>[];
}

function attributeOf(schema: Record<string, unknown>, name: string): Attribute {
  const found = (schema.attributes as Attribute[]).find((a) => a.name === name);
  assert.ok(found, `${String(schema.id)} has ${name}`);
  return found;
}

describe("discovery", () => {
  it("serves /Schemas that validate against RFC 7643 §7", async () => {
    const validate = ajv.compile(SCHEMA_RESOURCE);
    const schemas = await listed("/Schemas");
    assert.ok(schemas.length >= 4, "User, Group and the two user extensions");
    for (const schema of schemas) assert.ok(validate(schema), `${String(schema.id)}: ${ajv.errorsText(validate.errors)}`);
    const one = await h.scim("GET", `/Schemas/${GROUP}`);
    assert.ok(validate(one.body), ajv.errorsText(validate.errors));
  });

  it("serves /ResourceTypes that validate against RFC 7643 §6, and name schemas /Schemas serves", async () => {
    const validate = ajv.compile(RESOURCE_TYPE);
    const served = new Set((await listed("/Schemas")).map((s) => s.id));
    const types = await listed("/ResourceTypes");
    assert.deepEqual(types.map((t) => t.name).sort(), ["Group", "User"]);
    for (const type of types) {
      assert.ok(validate(type), `${String(type.name)}: ${ajv.errorsText(validate.errors)}`);
      assert.ok(served.has(type.schema), `${String(type.schema)} is served`);
      for (const extension of (type.schemaExtensions as { schema: string }[] | undefined) ?? []) assert.ok(served.has(extension.schema));
    }
  });

  it("offers members of type User only, matching the refusal of nested groups", async () => {
    const group = (await h.scim("GET", `/Schemas/${GROUP}`)).body;
    const members = attributeOf(group, "members");
    const sub = (name: string): Attribute | undefined => members.subAttributes?.find((s) => s.name === name);
    assert.deepEqual(sub("type")?.canonicalValues, ["User"]);
    assert.deepEqual(sub("$ref")?.referenceTypes, ["User"]);
    const nested = await h.scim("POST", "/Groups", { schemas: [GROUP], displayName: "Nest", members: [{ value: "abc", type: "Group" }] });
    assert.equal(nested.status, 400, nested.text);
  });

  it("marks what zoom-scim computes or Zoom decides readOnly", async () => {
    const schemas = await listed("/Schemas");
    const user = schemas.find((s) => s.id === "urn:ietf:params:scim:schemas:core:2.0:User")!;
    const zoom = schemas.find((s) => s.id === "urn:ietf:params:scim:schemas:extension:zoom:1.0:User")!;
    // id and meta are common attributes (RFC 7643 §3.1), not listed in a schema.
    assert.equal(attributeOf(user, "groups").mutability, "readOnly");
    assert.ok(attributeOf(user, "groups").subAttributes?.every((s) => s.mutability === "readOnly"));
    assert.equal(attributeOf(zoom, "status").mutability, "readOnly");
    // The password is sent to Zoom when it creates users with a password (autoCreate), and never read back.
    assert.equal(attributeOf(user, "password").mutability, "writeOnly");
  });
});
