// /Users end to end, discovery, creating and reading: SCIM over HTTP against a running zoom-scim and a running Zoom
// simulator, asserting the SCIM answers, Zoom's resulting state and the Zoom calls each operation made.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { get } from "node:http";
import { TOKEN } from "../helpers/harness.js";
import { CORE, ENTERPRISE, h, newUser, seedUsers, useUsersHarness, ZOOM_EXT, zoomUser } from "../helpers/users.js";

useUsersHarness();

describe("discovery and authentication", () => {
  it("advertises only what works", async () => {
    const spc = await h.scim("GET", "/ServiceProviderConfig");
    assert.equal(spc.status, 200);
    assert.equal(spc.headers.get("content-type")?.startsWith("application/scim+json"), true);
    assert.deepEqual(spc.body.filter, { supported: true, maxResults: 1000 });
    assert.equal((spc.body.patch as { supported: boolean }).supported, true);
    // Issue 13: /Bulk is supported now.
    assert.equal((spc.body.bulk as { supported: boolean; maxOperations: number }).supported, true);
    assert.equal(typeof (spc.body.bulk as { maxOperations: number }).maxOperations, "number");
    // Sorting and ETags work since issue 13.
    assert.equal((spc.body.sort as { supported: boolean }).supported, true);
    assert.equal((spc.body.etag as { supported: boolean }).supported, true);
    assert.equal((spc.body.authenticationSchemes as { type: string }[])[0]?.type, "oauthbearertoken");
    const schema = await h.scim("GET", `/Schemas/${ZOOM_EXT}`);
    assert.equal(schema.status, 200);
    assert.ok((schema.body.attributes as { name: string }[]).some((a) => a.name === "status"));
    const me = await h.scim("GET", "/Me");
    assert.equal(me.status, 501);
    // Issue 13: /Bulk is served; an empty Operations list is a malformed request, no longer 501.
    assert.equal(
      (await h.scim("POST", "/Bulk", { schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], Operations: [] })).status,
      400,
    );
    const types = await h.scim("GET", "/ResourceTypes");
    assert.ok((types.body.Resources as { name: string }[]).some((t) => t.name === "User"));
  });

  it("refuses a missing or wrong token with a SCIM 401, and keeps /healthz open", async () => {
    const missing = await h.scim("GET", "/Users", undefined, { token: null });
    assert.equal(missing.status, 401);
    assert.equal(missing.body.status, "401");
    assert.match(String(missing.headers.get("www-authenticate")), /^Bearer/);
    const wrong = await h.scim("GET", "/Users", undefined, { token: "not-the-token-at-all" });
    assert.equal(wrong.status, 401);
    assert.match(String(wrong.body.detail), /not valid/);
    const health = await h.scim("GET", "/healthz", undefined, { token: null });
    assert.equal(health.status, 200);
    assert.deepEqual(health.body, { status: "ok", sandbox: false }, "health names no tenant");
  });

  it("answers unknown paths and bad JSON with SCIM errors, never HTML", async () => {
    const unknown = await h.scim("GET", "/Nope");
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.status, "404");
    const bad = await h.scim("POST", "/Users", undefined, { raw: "{not json", headers: { "content-type": "application/scim+json" } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.scimType, "invalidSyntax");
    assert.doesNotMatch(bad.text, /<html|at .*\.ts:/i);
  });
});

describe("create", () => {
  it("creates a Zoom user with one call, answers 201 with Location, and refuses a duplicate with 409", async () => {
    const mark = await h.mark();
    const created = await h.scim("POST", "/Users", newUser("create.one@example.com", { externalId: "ext-1", title: undefined }));
    assert.equal(created.status, 201, created.text);
    assert.equal(created.headers.get("location"), (created.body.meta as { location: string }).location);
    assert.equal(created.body.userName, "create.one@example.com");
    assert.equal(created.body.externalId, "ext-1");
    assert.equal(created.body.active, true);
    assert.equal((created.body[ZOOM_EXT] as { status: string }).status, "active");
    const calls = await h.callsSince(mark);
    assert.deepEqual(
      calls.map((c) => `${c.method} ${c.path}`),
      ["POST /v2/users"],
    );
    const zoom = await zoomUser("create.one@example.com");
    assert.equal(zoom?.first_name, "Test");
    assert.equal(zoom?.status, "active");

    const duplicate = await h.scim("POST", "/Users", newUser("create.one@example.com"));
    assert.equal(duplicate.status, 409);
    assert.equal(duplicate.body.scimType, "uniqueness");
    assert.match(String(duplicate.body.detail), /already exists/);
  });

  it("applies profile, licence, role and active:false at creation", async () => {
    const created = await h.scim(
      "POST",
      "/Users",
      newUser("create.full@example.com", {
        title: "Engineer",
        userType: "Licensed",
        roles: [{ value: "Admin", primary: true }],
        [ENTERPRISE]: { department: "R&D", organization: "Example Corp", employeeNumber: "E-42" },
        [ZOOM_EXT]: { pronouns: "she/her" },
      }),
    );
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.title, "Engineer");
    assert.equal(created.body.active, true);
    assert.equal((created.body[ENTERPRISE] as Record<string, unknown>).employeeNumber, "E-42");
    const zoom = await zoomUser("create.full@example.com");
    assert.equal(zoom?.type, 2);
    assert.equal(zoom?.job_title, "Engineer");
    assert.equal(zoom?.dept, "R&D");
    assert.equal(zoom?.company, "Example Corp");
    assert.equal(zoom?.pronouns, "she/her");
    assert.equal(zoom?.role_id, "1");

    const inactive = await h.scim("POST", "/Users", newUser("create.inactive@example.com", { active: false }));
    assert.equal(inactive.status, 201, inactive.text);
    assert.equal(inactive.body.active, false);
    assert.equal((await zoomUser("create.inactive@example.com"))?.status, "inactive");
  });

  it("says what was and was not applied when Zoom refuses part of a create", async () => {
    // Zoom refuses to deactivate admins: the user exists, with its role, but stays active.
    const answer = await h.scim("POST", "/Users", newUser("create.admin@example.com", { active: false, roles: [{ value: "Admin" }] }));
    assert.equal(answer.status, 400);
    assert.match(String(answer.body.detail), /was created with id \S+/);
    assert.match(String(answer.body.detail), /Applied before the failure: setting the role to Admin/);
    assert.match(String(answer.body.detail), /Not applied: deactivating the user/);
    assert.equal((await zoomUser("create.admin@example.com"))?.role_id, "1");
  });

  it("rejects invalid users before calling Zoom", async () => {
    const mark = await h.mark();
    const noUserName = await h.scim("POST", "/Users", { schemas: [CORE], name: { givenName: "X" } });
    assert.equal(noUserName.status, 400);
    assert.match(String(noUserName.body.detail), /userName/);
    const notEmail = await h.scim("POST", "/Users", newUser("not-an-email"));
    assert.equal(notEmail.status, 400);
    assert.equal(notEmail.body.scimType, "invalidValue");
    const badRole = await h.scim("POST", "/Users", newUser("bad.role@example.com", { roles: [{ value: "Emperor" }] }));
    assert.equal(badRole.status, 400);
    assert.match(String(badRole.body.detail), /Emperor.*use one of/);
    assert.equal((await h.callsSince(mark)).filter((c) => c.method === "POST").length, 0);
  });
});

describe("read", () => {
  let ids: Map<string, string>;
  before(async () => {
    ids = await seedUsers(
      Array.from({ length: 12 }, (_, i) => ({
        email: `reader${String(i).padStart(2, "0")}@example.com`,
        first_name: `Reader${i}`,
        last_name: i % 2 === 0 ? "Even" : "Odd",
        type: 1,
        status: i === 11 ? "inactive" : "active",
      })),
    );
  });

  it("gets a user by id, and 404s unknown ids and emails used as ids", async () => {
    const id = ids.get("reader01@example.com")!;
    const got = await h.scim("GET", `/Users/${id}`);
    assert.equal(got.status, 200);
    assert.equal(got.body.id, id);
    assert.equal(got.body.userName, "reader01@example.com");
    assert.deepEqual(got.body.name, { givenName: "Reader1", familyName: "Odd", formatted: "Reader1 Odd" });
    const unknown = await h.scim("GET", "/Users/doesnotexist1234567890");
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.status, "404");
    assert.ok(unknown.body.detail);
    assert.equal((await h.scim("GET", "/Users/reader01@example.com")).status, 404);
    const etag = String(got.headers.get("etag"));
    assert.equal(etag, (got.body.meta as { version: string }).version);
    // node:http rather than fetch: fetch marks conditional requests `Cache-Control: no-cache`, which forbids a 304.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      get(`${h.base}/Users/${id}`, { headers: { authorization: `Bearer ${TOKEN}`, "if-none-match": etag } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      }).on("error", reject);
    });
    assert.equal(status, 304);
  });

  it("finds by userName with one Zoom call, case-insensitively, and answers an empty list for unknown users", async () => {
    const mark = await h.mark();
    const found = await h.scim("GET", `/Users?filter=${encodeURIComponent('userName eq "READER02@example.com"')}`);
    assert.equal(found.status, 200);
    assert.equal(found.body.totalResults, 1);
    assert.equal((found.body.Resources as { id: string }[])[0]?.id, ids.get("reader02@example.com"));
    const calls = await h.callsSince(mark);
    assert.equal(calls.filter((c) => c.path.startsWith("/v2/users")).length, 1);
    const none = await h.scim("GET", `/Users?filter=${encodeURIComponent('userName eq "nobody@example.com"')}&startIndex=1&count=100`);
    assert.equal(none.body.totalResults, 0);
    assert.deepEqual(none.body.Resources, []);
  });

  it("pages the whole directory with stable order from one scan", async () => {
    const first = await h.scim("GET", "/Users?startIndex=1&count=5");
    assert.equal(first.status, 200);
    const total = first.body.totalResults as number;
    assert.ok(total >= 12);
    assert.equal(first.body.itemsPerPage, 5);
    const mark = await h.mark();
    const seen: string[] = [];
    for (let start = 1; start <= total; start += 5) {
      const page = await h.scim("GET", `/Users?startIndex=${start}&count=5`);
      assert.equal(page.body.totalResults, total);
      seen.push(...(page.body.Resources as { id: string }[]).map((r) => r.id));
    }
    assert.equal(new Set(seen).size, total);
    const listCalls = (await h.callsSince(mark)).filter((c) => c.path === "/v2/users");
    assert.equal(listCalls.length, 0, "pages after the first are served from the snapshot");
  });

  it("evaluates any valid filter over the snapshot, case-insensitively where the schema says so", async () => {
    const odd = await h.scim("GET", `/Users?filter=${encodeURIComponent('name.familyName eq "odd" and userName sw "reader"')}`);
    assert.equal(odd.status, 200);
    assert.equal(odd.body.totalResults, 6);
    const inactive = await h.scim("GET", `/Users?filter=${encodeURIComponent('userName sw "reader" and active eq false')}`);
    assert.equal(inactive.body.totalResults, 1);
    const notEven = await h.scim("GET", `/Users?filter=${encodeURIComponent('userName co "reader" and not (name.familyName eq "Even")')}`);
    assert.equal(notEven.body.totalResults, 6);
  });

  it("fetches attributes Zoom's list lacks only when the request names them", async () => {
    const filter = encodeURIComponent('userName sw "create.full"');
    const plain = await h.scim("GET", `/Users?filter=${filter}`);
    assert.equal(plain.body.totalResults, 1);
    assert.equal((plain.body.Resources as Record<string, unknown>[])[0]?.title, undefined);
    const mark = await h.mark();
    const asked = await h.scim("GET", `/Users?filter=${filter}&attributes=userName,title,${ENTERPRISE}:organization`);
    const resource = (asked.body.Resources as Record<string, unknown>[])[0];
    assert.equal(resource?.title, "Engineer");
    assert.deepEqual(resource?.[ENTERPRISE], { organization: "Example Corp" });
    assert.equal((await h.callsSince(mark)).filter((c) => c.path.startsWith("/v2/users/")).length, 1, "one get for the one user returned");
  });

  it("refuses malformed filters with 400 invalidFilter", async () => {
    for (const filter of ["JOHNDOE", 'userName eq "a" or', 'userName xx "a"']) {
      const answer = await h.scim("GET", `/Users?filter=${encodeURIComponent(filter)}`);
      assert.equal(answer.status, 400, filter);
      assert.equal(answer.body.scimType, "invalidFilter", filter);
    }
  });

  it("honours attributes and excludedAttributes, and caps count at maxResults", async () => {
    const id = ids.get("reader03@example.com")!;
    const only = await h.scim("GET", `/Users/${id}?attributes=userName`);
    assert.deepEqual(Object.keys(only.body).sort(), ["id", "schemas", "userName"]);
    const without = await h.scim("GET", `/Users/${id}?excludedAttributes=name,emails`);
    assert.equal(without.body.name, undefined);
    assert.equal(without.body.userName, "reader03@example.com");
    const capped = await h.scim("GET", "/Users?count=5000");
    assert.ok((capped.body.itemsPerPage as number) <= 1000);
  });
});
