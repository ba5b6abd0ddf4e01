// What a hostile client cannot do with shapes: prototype keys, deep JSON, regex backtracking. Each is refused with a
// SCIM 400 that says what to do, or made harmless, never a RangeError or a frozen event loop.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkJsonDepth, cloneJson, flattenArrays, isPresent, jsonEqual, setProperty } from "../../src/scim/attributes/json.js";
import {
  coerceScalar,
  findAttribute,
  LEGACY_ENTERPRISE_URN,
  normaliseValueTypes,
  resourceSchemaFrom,
  type JsonObject,
} from "../../src/scim/attributes/index.js";
import { matchesFilter, parseFilter } from "../../src/scim/filter/index.js";
import { SCIM_LIMITS } from "../../src/scim/limits.js";
import { parsePage } from "../../src/scim/paging.js";
import { applyPatch, parsePatchRequest } from "../../src/scim/patch/index.js";
import { parseAttributeList, projectResource } from "../../src/scim/projection/index.js";
import { CORE_USER_URN, ENTERPRISE_USER_URN, PATCH_OP_URN, ZOOM_USER_URN, userSchemaDefinition } from "../../src/scim/schemas.js";
import { refused } from "../helpers/refused.js";

const user = resourceSchemaFrom(userSchemaDefinition());
const ann = (emails: JsonObject[] = []): JsonObject => ({ schemas: [CORE_USER_URN], id: "u-1", userName: "ann@example.com", emails });
const patchBody = (operations: unknown[]): JsonObject => ({ schemas: [PATCH_OP_URN], Operations: operations });

describe("prototype keys", () => {
  const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();
  const untouched = (): void => {
    assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), prototypeNames);
    assert.equal(({} as JsonObject).polluted, undefined);
  };
  const polluting = (): JsonObject =>
    JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}') as JsonObject;

  it("are no PATCH path: 400 invalidPath", () => {
    const paths = [
      "__proto__",
      "__proto__.polluted",
      "constructor",
      "constructor.prototype",
      "prototype",
      "name.__proto__",
      "name.constructor",
      'emails[type eq "work"].__proto__',
      `${ENTERPRISE_USER_URN}:__proto__`,
      "constructor[value eq 1]",
    ];
    for (const path of paths) {
      for (const op of ["add", "replace", "remove"] as const)
        refused(() => applyPatch(ann(), [{ op, path, value: { polluted: true } }], user), "invalidPath");
    }
    refused(() => applyPatch(ann(), [{ op: "add", path: 'emails[__proto__ eq "x"]', value: { value: "x" } }], user), "invalidFilter");
    untouched();
  });

  it("are no attribute in PATCH values: 400 invalidPath, or ignored under the SCIM 1.1 URN", () => {
    refused(() => applyPatch(ann(), [{ op: "add", value: polluting() }], user), "invalidPath", /"__proto__"/);
    refused(() => applyPatch(ann(), [{ op: "replace", value: { [CORE_USER_URN]: polluting() } }], user), "invalidPath");
    refused(() => applyPatch(ann(), [{ op: "add", path: "name", value: polluting() }], user), "invalidPath", /not a sub-attribute of name/);
    refused(() => applyPatch(ann(), [{ op: "add", path: "emails", value: [{ value: "x@y.z", ...polluting() }] }], user), "invalidPath");
    refused(() => applyPatch(ann(), [{ op: "add", path: ENTERPRISE_USER_URN, value: polluting() }], user), "invalidPath");
    const legacy = applyPatch(ann(), [{ op: "add", value: { [LEGACY_ENTERPRISE_URN]: polluting() } }], user);
    assert.equal(Object.getPrototypeOf(legacy), Object.prototype);
    const body = JSON.parse(`{"Operations":[{"op":"add","value":{"__proto__":{"polluted":true}}}]}`) as unknown;
    refused(() => applyPatch(ann(), parsePatchRequest(body), user), "invalidPath");
    untouched();
  });

  it("are no filter attribute: 400 invalidFilter", () => {
    for (const filter of [
      "__proto__ pr",
      'constructor eq "x"',
      "prototype pr",
      "name.__proto__ pr",
      'emails[constructor eq "x"]',
      `${ENTERPRISE_USER_URN}:__proto__ pr`,
      'emails[type eq "work"].__proto__ pr',
    ]) {
      refused(() => parseFilter(filter, user), "invalidFilter", /is not an? (sub-)?attribute/);
    }
    untouched();
  });

  it("select nothing in projections and never reach an answer", () => {
    refused(() => parseAttributeList("__proto__"), "invalidValue", /not an attribute name/);
    const names = parseAttributeList("constructor,prototype,name.__proto__,toString");
    const resource = { ...ann(), ...polluting(), name: { givenName: "Ann", ...polluting() } };
    assert.deepEqual(projectResource(resource, user, { attributes: names }), { schemas: [CORE_USER_URN], id: "u-1" });
    for (const options of [{}, { excludedAttributes: names }, { attributes: ["name"] }]) {
      const projected = projectResource(resource, user, options);
      assert.equal(Object.getPrototypeOf(projected), Object.prototype);
      assert.ok(!Object.hasOwn(projected, "__proto__") && !Object.hasOwn(projected, "constructor"));
      assert.equal((projected.name as JsonObject).givenName, "Ann");
      assert.ok(!Object.hasOwn(projected.name as JsonObject, "__proto__"));
    }
    untouched();
  });

  it("are dropped from POST/PUT bodies, so validation cannot inherit attributes", () => {
    const body = JSON.parse(
      '{"__proto__":{"userName":"evil","active":true},"userName":"ann","name":{"__proto__":{"givenName":"evil"}}}',
    ) as JsonObject;
    const normalised = normaliseValueTypes(body, user);
    assert.equal(Object.getPrototypeOf(normalised), Object.prototype);
    assert.equal(normalised.active, undefined);
    assert.deepEqual(normalised, { userName: "ann", name: {} });
    untouched();
  });

  it("are written as own properties by setProperty", () => {
    const object: JsonObject = {};
    setProperty(object, "__proto__", { polluted: true });
    assert.equal(Object.getPrototypeOf(object), Object.prototype);
    assert.deepEqual(Object.keys(object), ["__proto__"]);
    untouched();
  });
});

/** `[[[…"x"…]]]` or `{"a":{"a":…}}` nested `depth` levels. */
function nested(depth: number, kind: "array" | "object"): unknown {
  let value: unknown = "x";
  for (let i = 0; i < depth; i += 1) value = kind === "array" ? [value] : { a: value };
  return value;
}

describe("deep JSON", () => {
  it("checks depth 64 as accepted and 65 as 400 invalidSyntax", () => {
    checkJsonDepth(nested(64, "object"));
    refused(() => checkJsonDepth(nested(65, "array")), "invalidSyntax", /deeper than 64 levels/);
    assert.deepEqual(cloneJson(nested(64, "array")), nested(64, "array"));
    refused(() => cloneJson(nested(100_000, "object")), "invalidSyntax", /deeper than 64 levels/);
  });

  it("walks 100,000 levels without overflowing", () => {
    const deep = nested(100_000, "array");
    assert.deepEqual(flattenArrays([deep, deep]), ["x", "x"]);
    assert.equal(isPresent(deep), true);
    assert.equal(isPresent(nested(100_000, "object") as JsonObject), true);
    assert.equal(jsonEqual(nested(100_000, "object"), nested(100_000, "object")), true);
    assert.equal(jsonEqual(deep, nested(100_000, "object")), false);
    assert.equal(matchesFilter({ title: deep }, parseFilter("title pr", user)), true);
  });

  it("refuses deep PATCH and POST bodies, and applies deep values as SCIM errors, not RangeErrors", () => {
    refused(
      () => parsePatchRequest(patchBody([{ op: "add", path: "title", value: nested(65, "array") }])),
      "invalidSyntax",
      /PATCH body nests/,
    );
    assert.equal(parsePatchRequest(patchBody([{ op: "add", path: "title", value: nested(60, "array") }])).length, 1);
    refused(() => normaliseValueTypes({ userName: "ann", x: nested(100_000, "object") }, user), "invalidSyntax", /deeper than 64/);
    assert.equal(applyPatch(ann(), [{ op: "replace", path: "title", value: nested(100_000, "array") }], user).title, "x");
    refused(
      () => applyPatch(ann(), [{ op: "replace", path: "title", value: nested(100_000, "object") }], user),
      "invalidValue",
      /must be a string, not object/,
    );
    refused(() => applyPatch({ ...ann(), x: nested(100, "array") }, [], user), "invalidSyntax");
  });
});

describe("regular expressions on client input stay linear", () => {
  // Each input below made a backtracking pattern take seconds to hours; these finish in milliseconds.
  const digits = "1".repeat(100_000);
  const spaces = " ".repeat(100_000);
  const decimal = { ...findAttribute(user.attributes, "displayName")!, type: "decimal" as const };

  it("coerces numbers and booleans", () => {
    assert.equal(coerceScalar(decimal, `${digits}x`), `${digits}x`);
    assert.equal(coerceScalar(decimal, `${digits}.${digits}e${digits}!`), `${digits}.${digits}e${digits}!`);
    assert.equal(coerceScalar(decimal, `${spaces}1.5${spaces}`), 1.5);
    assert.equal(coerceScalar(findAttribute(user.attributes, "active")!, `${spaces}x`), `${spaces}x`);
    refused(
      () => applyPatch(ann(), [{ op: "replace", path: `${ZOOM_USER_URN}:type`, value: `${spaces}${digits}${spaces}x` }], user),
      "invalidValue",
      /must be an integer/,
    );
  });

  it("tokenises filters, attribute lists and paging parameters", () => {
    const long = "1".repeat(SCIM_LIMITS.filterMaxLength - 20);
    refused(() => parseFilter(`title eq ${long}x`, user), "invalidFilter", /is not a number/);
    assert.equal(parseFilter(`title eq "${"\\\\".repeat(4_000)}"`, user).op, "eq");
    refused(() => parseAttributeList(`${"a".repeat(100_000)}!`), "invalidValue", /not an attribute name/);
    refused(() => parsePage(`${digits}x`, undefined), "invalidValue");
  });
});
