// /Users end to end: SCIM over HTTP against a running zoom-scim and a running Zoom simulator,
// asserting the SCIM answers, Zoom's resulting state and the Zoom calls each operation made.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { get } from "node:http";
import { startHarness, TOKEN, type Harness } from "../helpers/harness.js";

const ZOOM_EXT = "urn:ietf:params:scim:schemas:extension:zoom:1.0:User";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

let h: Harness;

async function zoomUser(idOrEmail: string): Promise<Record<string, unknown> | undefined> {
  const answer = await h.simGet(`/_sim/users/${encodeURIComponent(idOrEmail)}`);
  // The simulator's control plane nests profile fields under `profile`.
  return answer.status === 200 ? { ...answer.body, ...(answer.body.profile as Record<string, unknown> | undefined) } : undefined;
}

/** Seeds active users straight into Zoom and returns their ids by email. */
async function seedUsers(users: Record<string, unknown>[]): Promise<Map<string, string>> {
  await h.simPost("/_sim/seed", { users });
  const ids = new Map<string, string>();
  for (const user of users) {
    const zoom = await zoomUser(String(user.email));
    ids.set(String(user.email), String(zoom?.id));
  }
  return ids;
}

function newUser(email: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemas: [CORE],
    userName: email,
    name: { givenName: "Test", familyName: "Person" },
    emails: [{ value: email, type: "work", primary: true }],
    ...extra,
  };
}

before(async () => {
  h = await startHarness({ env: { ZOOM_CREATE_ACTION: "autoCreate" } });
});
after(async () => h.close());

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

describe("update", () => {
  let id: string;
  before(async () => {
    const created = await h.scim("POST", "/Users", newUser("update.me@example.com"));
    id = String(created.body.id);
  });

  it("deactivates and reactivates with Okta's no-path PATCH, with no call when the state matches", async () => {
    const body = (active: boolean) => ({ schemas: [PATCH], Operations: [{ op: "replace", value: { active } }] });
    const mark = await h.mark();
    const off = await h.scim("PATCH", `/Users/${id}`, body(false));
    assert.equal(off.status, 200, off.text);
    assert.equal(off.body.active, false);
    assert.equal((await zoomUser(id))?.status, "inactive");
    const writes = (await h.callsSince(mark)).filter((c) => c.method !== "GET");
    assert.deepEqual(
      writes.map((c) => `${c.method} ${c.path}`),
      [`PUT /v2/users/${id}/status`],
    );
    const again = await h.mark();
    assert.equal((await h.scim("PATCH", `/Users/${id}`, body(false))).status, 200);
    assert.equal((await h.callsSince(again)).filter((c) => c.method !== "GET").length, 0);
    const on = await h.scim("PATCH", `/Users/${id}`, body(true));
    assert.equal(on.body.active, true);
    assert.equal((await zoomUser(id))?.status, "active");
  });

  it("patches profile fields in one Zoom PATCH and keeps externalId in the store", async () => {
    const mark = await h.mark();
    const answer = await h.scim("PATCH", `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [
        { op: "replace", path: "title", value: "Director" },
        { op: "add", path: `${ENTERPRISE}:department`, value: "Sales" },
        { op: "replace", path: "name.familyName", value: "Updated" },
        { op: "add", path: "externalId", value: "okta-123" },
      ],
    });
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.title, "Director");
    assert.equal(answer.body.externalId, "okta-123");
    const writes = (await h.callsSince(mark)).filter((c) => c.method !== "GET");
    assert.deepEqual(
      writes.map((c) => `${c.method} ${c.path}`),
      [`PATCH /v2/users/${id}`],
    );
    const zoom = await zoomUser(id);
    assert.equal(zoom?.job_title, "Director");
    assert.equal(zoom?.dept, "Sales");
    assert.equal(zoom?.last_name, "Updated");
    const byExternal = await h.scim("GET", `/Users?filter=${encodeURIComponent('externalId eq "okta-123"')}`);
    assert.equal((byExternal.body.Resources as { id: string }[])[0]?.id, id);
  });

  it("replaces with PUT (Okta's full body) and makes no Zoom write when nothing changed", async () => {
    const current = await h.scim("GET", `/Users/${id}`);
    const put = { ...current.body, title: "VP", groups: [] };
    const changed = await h.scim("PUT", `/Users/${id}`, put);
    assert.equal(changed.status, 200, changed.text);
    assert.equal(changed.body.title, "VP");
    assert.equal((await zoomUser(id))?.job_title, "VP");
    const mark = await h.mark();
    const same = await h.scim("PUT", `/Users/${id}`, { ...put, meta: changed.body.meta });
    assert.equal(same.status, 200);
    assert.equal((await h.callsSince(mark)).filter((c) => c.method !== "GET").length, 0);
  });

  it("writes roles through the Roles API", async () => {
    const admin = await h.scim("PATCH", `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: "replace", path: "roles", value: [{ value: "Admin", primary: true }] }],
    });
    assert.equal(admin.status, 200, admin.text);
    assert.equal((await zoomUser(id))?.role_id, "1");
    assert.equal((admin.body.roles as { value: string }[])[0]?.value, "Admin");
    const member = await h.scim("PATCH", `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: "replace", path: "roles", value: [{ value: "Member" }] }],
    });
    assert.equal(member.status, 200, member.text);
    assert.equal((await zoomUser(id))?.role_id, "2");
  });

  it("changes the Zoom email when userName changes", async () => {
    const answer = await h.scim("PATCH", `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: "replace", path: "userName", value: "updated.me@example.com" }],
    });
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.userName, "updated.me@example.com");
    assert.equal((await zoomUser(id))?.email, "updated.me@example.com");
  });

  it("keeps what the store holds across a restart", async () => {
    await h.restartServer();
    const got = await h.scim("GET", `/Users/${id}`);
    assert.equal(got.body.externalId, "okta-123");
  });
});

describe("delete", () => {
  it("deactivates by default, then 404s and omits the user; creating it again revives it", async () => {
    const created = await h.scim("POST", "/Users", newUser("delete.me@example.com"));
    const id = String(created.body.id);
    const deleted = await h.scim("DELETE", `/Users/${id}`);
    assert.equal(deleted.status, 204);
    assert.equal((await zoomUser(id))?.status, "inactive");
    assert.equal((await h.scim("GET", `/Users/${id}`)).status, 404);
    const listed = await h.scim("GET", `/Users?filter=${encodeURIComponent('userName eq "delete.me@example.com"')}`);
    assert.equal(listed.body.totalResults, 0);
    const all = await h.scim("GET", "/Users?count=1000");
    assert.ok(!(all.body.Resources as { id: string }[]).some((r) => r.id === id));
    assert.equal((await h.scim("DELETE", `/Users/${id}`)).status, 404);

    const revived = await h.scim("POST", "/Users", newUser("delete.me@example.com"));
    assert.equal(revived.status, 201, revived.text);
    assert.equal(revived.body.id, id);
    assert.equal((await zoomUser(id))?.status, "active");
  });
});

describe("Zoom failures", () => {
  it("passes Zoom's 429 on with Retry-After, and a Zoom outage as 502/503, as SCIM errors", async () => {
    await h.simPost("/_sim/faults", {
      rules: [{ method: "GET", path: "/v2/users/*", status: 429, count: 10, headers: { "Retry-After": "30" } }],
    });
    const limited = await h.scim("GET", "/Users/anything1234567890123");
    assert.equal(limited.status, 429, limited.text);
    assert.ok(Number(limited.headers.get("retry-after")) >= 1);
    assert.equal(limited.body.status, "429");
    await h.simDelete("/_sim/faults");
    await h.simPost("/_sim/faults", { rules: [{ method: "GET", path: "/v2/users/*", status: 500, count: 10 }] });
    const outage = await h.scim("GET", "/Users/anything1234567890123");
    assert.ok([502, 503].includes(outage.status), outage.text);
    assert.ok(outage.headers.get("retry-after"));
    assert.doesNotMatch(outage.text, /<html|stack/i);
    await h.simDelete("/_sim/faults");
  });
});
