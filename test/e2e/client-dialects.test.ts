// The ways real SCIM clients (Okta, Entra ID, AWS-ILM-style integrations) bend RFC 7644, one by one, over HTTP:
// each must work without weakening what the RFC asks of well-behaved clients. The flows are in okta/entra/aws-ilm.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startHarness, TOKEN, type Harness, type ScimAnswer } from "../helpers/harness.js";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const LEGACY_ENTERPRISE = "urn:scim:schemas:extension:enterprise:1.0";
const ENTRA_GROUP = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

let h: Harness;

async function zoomUser(idOrEmail: string): Promise<Record<string, unknown> | undefined> {
  const answer = await h.simGet(`/_sim/users/${encodeURIComponent(idOrEmail)}`);
  return answer.status === 200 ? { ...answer.body, ...(answer.body.profile as Record<string, unknown> | undefined) } : undefined;
}

/** A request whose body is sent as-is, with exactly the Content-Type given (none when undefined). */
async function rawJson(method: string, path: string, body: unknown, contentType: string | undefined): Promise<ScimAnswer> {
  return h.scim(method, path, undefined, { raw: JSON.stringify(body), headers: contentType ? { "content-type": contentType } : {} });
}

const isScimJson = (answer: ScimAnswer): boolean => answer.headers.get("content-type")?.startsWith("application/scim+json") === true;

before(async () => {
  h = await startHarness({ env: { ZOOM_CREATE_ACTION: "autoCreate" } });
});
after(async () => h.close());

describe("request bodies", () => {
  it("reads JSON with no Content-Type, with application/json, and with text/plain", async () => {
    for (const [i, type] of [undefined, "application/json", "text/plain", "application/json; charset=utf-8"].entries()) {
      const answer = await rawJson("POST", "/Users", { schemas: [CORE], userName: `ctype${i}@dialect.example.com` }, type);
      assert.equal(answer.status, 201, `${String(type)}: ${answer.text}`);
      assert.equal(answer.body.userName, `ctype${i}@dialect.example.com`);
    }
  });

  it("creates a user without schemas, with [null] and empty strings (AWS-ILM)", async () => {
    const answer = await rawJson(
      "POST",
      "/Users/",
      {
        userName: "noschemas@dialect.example.com",
        name: { givenName: "No", familyName: "Schemas", middleName: "" },
        nickName: "",
        title: "",
        displayName: "",
        phoneNumbers: [null],
        emails: [{ value: "noschemas@dialect.example.com", type: "work", primary: true }],
        active: true,
      },
      "application/json",
    );
    assert.equal(answer.status, 201, answer.text);
    assert.ok((answer.body.schemas as string[]).includes(CORE));
    // Empty strings are unassigned values (RFC 7644 §3.4.2.2 "pr"): nothing is stored or sent to Zoom for them.
    for (const key of ["nickName", "title", "phoneNumbers"]) assert.equal(answer.body[key], undefined, key);
    assert.deepEqual(answer.body.name, { givenName: "No", familyName: "Schemas", formatted: "No Schemas" });
    const zoom = await zoomUser("noschemas@dialect.example.com");
    assert.equal(zoom?.first_name, "No");
    assert.equal(zoom?.display_name, "No Schemas", "Zoom derives the display name, as for any user created without one");
    assert.deepEqual(zoom?.phone_numbers ?? [], []);
  });

  it("reads the SCIM 1.x enterprise URN as the 2.0 extension on POST and PUT, ignoring its unknown keys", async () => {
    const created = await h.scim("POST", "/Users", {
      schemas: [CORE, LEGACY_ENTERPRISE],
      userName: "legacy@dialect.example.com",
      [LEGACY_ENTERPRISE]: { department: "Sales", organization: "Acme", division: "EMEA", countryCode: "FR", employeeNumber: "7" },
    });
    assert.equal(created.status, 201, created.text);
    // division is a 2.0 enterprise attribute too; countryCode has no home and is dropped.
    assert.deepEqual(created.body[ENTERPRISE], { department: "Sales", organization: "Acme", division: "EMEA", employeeNumber: "7" });
    assert.equal(created.body[LEGACY_ENTERPRISE], undefined);
    const id = String(created.body.id);
    assert.equal((await zoomUser(id))?.dept, "Sales");
    const replaced = await h.scim("PUT", `/Users/${id}`, {
      userName: "legacy@dialect.example.com",
      [LEGACY_ENTERPRISE]: { department: "Support", division: "APAC" },
    });
    assert.equal(replaced.status, 200, replaced.text);
    assert.equal((replaced.body[ENTERPRISE] as Record<string, unknown>).department, "Support");
    assert.equal((await zoomUser(id))?.dept, "Support");
  });

  it("reads attribute names and schema URNs in any case", async () => {
    const created = await h.scim("POST", "/Users", {
      SCHEMAS: [CORE.toUpperCase()],
      USERNAME: "anycase@dialect.example.com",
      Name: { GIVENNAME: "Any", familyname: "Case" },
      [ENTERPRISE.toUpperCase()]: { Department: "Ops" },
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.userName, "anycase@dialect.example.com");
    const zoom = await zoomUser("anycase@dialect.example.com");
    assert.equal(zoom?.first_name, "Any");
    assert.equal(zoom?.last_name, "Case");
    assert.equal(zoom?.dept, "Ops");
    const patched = await h.scim("PATCH", `/Users/${String(created.body.id)}`, {
      SCHEMAS: [PATCH],
      operations: [{ OP: "REPLACE", PATH: "NAME.FAMILYNAME", VALUE: "Cased" }],
    });
    assert.equal(patched.status, 200, patched.text);
    assert.equal((await zoomUser("anycase@dialect.example.com"))?.last_name, "Cased");
    const found = await h.scim(
      "GET",
      `/Users?FILTER=${encodeURIComponent('USERNAME EQ "ANYCASE@dialect.example.com"')}&ATTRIBUTES=NAME.GIVENNAME`,
    );
    assert.equal(found.body.totalResults, 1, found.text);
    assert.deepEqual((found.body.Resources as Record<string, unknown>[])[0]?.name, { givenName: "Any" });
  });

  it("adds a work email through a value-filtered path when the user has none (Entra)", async () => {
    const created = await h.scim("POST", "/Users", {
      userName: "homeonly@dialect.example.com",
      emails: [{ value: "me@home.example.com", type: "home" }],
    });
    assert.equal(created.status, 201, created.text);
    const answer = await h.scim("PATCH", `/Users/${String(created.body.id)}`, {
      schemas: [PATCH],
      Operations: [
        { op: "Replace", path: 'emails[type eq "work"].value', value: "me@work.example.com" },
        { op: "Replace", path: 'emails[type eq "work"].primary', value: "True" },
      ],
    });
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(answer.body.emails, [
      { value: "me@home.example.com", type: "home" },
      { value: "me@work.example.com", type: "work", primary: true },
    ]);
    assert.equal(
      (await zoomUser(String(created.body.id)))?.email,
      "homeonly@dialect.example.com",
      "userName, not emails, drives Zoom's email",
    );
  });

  it("takes booleans sent as strings in POST, PUT and PATCH (with and without path)", async () => {
    const created = await h.scim("POST", "/Users", {
      userName: "strbool@dialect.example.com",
      active: "False",
      emails: [{ value: "strbool@dialect.example.com", primary: "true" }],
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.active, false);
    assert.equal((created.body.emails as { primary: unknown }[])[0]?.primary, true);
    const id = String(created.body.id);
    assert.equal((await zoomUser(id))?.status, "inactive");
    const put = await h.scim("PUT", `/Users/${id}`, { userName: "strbool@dialect.example.com", active: "TRUE" });
    assert.equal(put.body.active, true, put.text);
    assert.equal((await zoomUser(id))?.status, "active");
    const withPath = await h.scim("PATCH", `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: "Replace", path: "active", value: "False" }],
    });
    assert.equal(withPath.body.active, false, withPath.text);
    assert.equal((await zoomUser(id))?.status, "inactive");
    const noPath = await h.scim("PATCH", `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: "replace", value: { active: "true" } }] });
    assert.equal(noPath.body.active, true, noPath.text);
    assert.equal((await zoomUser(id))?.status, "active");
  });

  it("accepts Entra's extra group schema URI and a group POST without schemas", async () => {
    const entra = await h.scim("POST", "/Groups", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group", ENTRA_GROUP],
      displayName: "Dialect Entra",
      externalId: "e-1",
      members: [],
    });
    assert.equal(entra.status, 201, entra.text);
    assert.equal(entra.headers.get("location"), (entra.body.meta as { location: string }).location);
    const bare = await rawJson("POST", "/Groups/", { displayName: "Dialect Bare", members: null }, "application/json");
    assert.equal(bare.status, 201, bare.text);
  });

  it("treats an empty Operations list as a no-op: 200 for users, 204 for groups", async () => {
    const user = await h.scim("POST", "/Users", { userName: "noop@dialect.example.com" });
    const group = await h.scim("POST", "/Groups", { displayName: "Dialect Noop" });
    const mark = await h.mark();
    const onUser = await h.scim("PATCH", `/Users/${String(user.body.id)}`, { schemas: [PATCH], Operations: [] });
    assert.equal(onUser.status, 200, onUser.text);
    assert.equal(onUser.body.userName, "noop@dialect.example.com");
    const onGroup = await h.scim("PATCH", `/Groups/${String(group.body.id)}`, { schemas: [PATCH], Operations: [] });
    assert.equal(onGroup.status, 204, onGroup.text);
    assert.equal((await h.callsSince(mark)).filter((c) => c.method !== "GET").length, 0);
  });
});

describe("paths and query strings", () => {
  it("serves trailing-slash paths for every method", async () => {
    const list = await h.scim("GET", "/Users/");
    assert.equal(list.status, 200, list.text);
    const created = await h.scim("POST", "/Users/", { userName: "slash@dialect.example.com" });
    assert.equal(created.status, 201, created.text);
    const id = String(created.body.id);
    assert.equal((await h.scim("GET", `/Users/${id}/`)).status, 200);
    assert.equal((await h.scim("PATCH", `/Users/${id}/`, { Operations: [{ op: "replace", path: "title", value: "Slash" }] })).status, 200);
    assert.equal((await h.scim("GET", "/Groups/")).status, 200);
    assert.equal((await h.scim("GET", "/ServiceProviderConfig/")).status, 200);
    assert.equal((await h.scim("DELETE", `/Users/${id}/`)).status, 204);
  });

  it("ignores query flags such as ?aadOptscim062020 on every endpoint", async () => {
    const created = await h.scim("POST", "/Users?aadOptscim062020", { userName: "flag@dialect.example.com" });
    assert.equal(created.status, 201, created.text);
    const id = String(created.body.id);
    const found = await h.scim("GET", `/Users?aadOptscim062020&filter=${encodeURIComponent('userName eq "flag@dialect.example.com"')}`);
    assert.equal(found.body.totalResults, 1, found.text);
    assert.equal((await h.scim("GET", `/Users/${id}?aadOptscim062020`)).status, 200);
    assert.equal((await h.scim("GET", "/Groups?aadOptscim062020&excludedAttributes=members")).status, 200);
    assert.equal((await h.scim("GET", "/ServiceProviderConfig?aadOptscim062020")).status, 200);
  });
});

describe("answers", () => {
  it("are application/scim+json, errors and discovery included", async () => {
    const answers = [
      await h.scim("GET", "/Users?count=1"),
      await h.scim("GET", "/Users/nope-nope-nope"),
      await h.scim("GET", "/Users", undefined, { token: null }),
      await h.scim("GET", "/Nope"),
      await h.scim("POST", "/Users", undefined, { raw: "{", headers: { "content-type": "application/json" } }),
      await h.scim("GET", "/ServiceProviderConfig"),
      await h.scim("GET", "/Schemas"),
      await h.scim("GET", "/ResourceTypes"),
      await h.scim("GET", "/Groups"),
      await h.scim("POST", "/Users", { userName: "ctype.answer@dialect.example.com" }),
    ];
    for (const answer of answers) assert.ok(isScimJson(answer), `${answer.status} ${String(answer.headers.get("content-type"))}`);
    assert.equal(answers.at(-1)?.status, 201);
    assert.match(String(answers.at(-1)?.headers.get("location")), /\/scim\/v2\/Users\/\S+$/);
  });

  it("make itemsPerPage the number returned", async () => {
    const total = (await h.scim("GET", "/Users?count=0")).body.totalResults as number;
    const last = await h.scim("GET", `/Users?startIndex=${total}&count=100`);
    assert.equal(last.body.itemsPerPage, 1);
    assert.equal((last.body.Resources as unknown[]).length, 1);
    const none = await h.scim("GET", `/Users?filter=${encodeURIComponent('userName eq "nobody@dialect.example.com"')}&count=100`);
    assert.equal(none.body.itemsPerPage, 0);
    const groups = await h.scim("GET", "/Groups?count=100");
    assert.equal(groups.body.itemsPerPage, (groups.body.Resources as unknown[]).length);
  });

  it("refuse malformed filters with 400 invalidFilter, on /Users, /Groups and .search", async () => {
    const bad = [
      "JOHNDOE",
      'userName eq "a" or',
      'userName xx "a"',
      'userName eq "a" and',
      '(userName eq "a"',
      'userName eq "a" userName',
      "userName eq",
      'emails[type eq "work"',
    ];
    for (const filter of bad) {
      for (const answer of [
        await h.scim("GET", `/Users?filter=${encodeURIComponent(filter)}`),
        await h.scim("GET", `/Groups?filter=${encodeURIComponent(filter.replace("userName", "displayName"))}`),
        await h.scim("POST", "/Users/.search", { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], filter }),
      ]) {
        assert.equal(answer.status, 400, `${filter}: ${answer.text}`);
        assert.equal(answer.body.scimType, "invalidFilter", filter);
        assert.ok(isScimJson(answer));
      }
    }
  });

  it("never let a client's Authorization case or extra spaces matter", async () => {
    const answer = await h.scim("GET", "/Users?count=1", undefined, { token: null, headers: { authorization: `bearer  ${TOKEN}` } });
    assert.equal(answer.status, 200);
  });
});
