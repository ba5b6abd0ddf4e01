// RFC 7644 §3.14 versioning end to end: meta.version follows every change (made in Zoom directly too), every
// single-resource answer carries it as ETag, If-Match makes PUT, PATCH and DELETE conditional (412, Zoom untouched),
// If-None-Match answers 304, and ServiceProviderConfig says so.
import assert from "node:assert/strict";
import { get } from "node:http";
import { after, before, describe, it } from "node:test";
import { startHarness, TOKEN, type Harness, type ScimAnswer } from "../helpers/harness.js";
import { zoomDirect } from "../helpers/zoom-direct.js";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

let h: Harness;
const versionOf = (answer: ScimAnswer): string => String((answer.body.meta as { version?: string } | undefined)?.version);
const ops = (...operations: unknown[]): unknown => ({ schemas: [PATCH], Operations: operations });

/** node:http rather than fetch: fetch marks conditional requests `Cache-Control: no-cache`, which forbids a 304. */
function conditionalGet(path: string, etag: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    get(`${h.base}${path}`, { headers: { authorization: `Bearer ${TOKEN}`, "if-none-match": etag } }, (res) => {
      res.resume();
      resolve(res.statusCode);
    }).on("error", reject);
  });
}

async function createUser(email: string): Promise<ScimAnswer> {
  const created = await h.scim("POST", "/Users", {
    schemas: [USER],
    userName: email,
    name: { givenName: "Etag", familyName: "Tester" },
    emails: [{ value: email, type: "work", primary: true }],
  });
  assert.equal(created.status, 201, created.text);
  return created;
}

/** Active users straight into Zoom (a POST would invite them, and invitations stay pending). */
async function seedUser(email: string): Promise<string> {
  const seeded = await h.simPost("/_sim/seed", { users: [{ email, first_name: "Etag", last_name: "Tester", status: "active" }] });
  return (seeded.users as { id: string }[])[0]!.id;
}

before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

describe("ETags and If-Match", () => {
  it("advertises etag.supported", async () => {
    const config = await h.scim("GET", "/ServiceProviderConfig");
    assert.deepEqual(config.body.etag, { supported: true });
  });

  it("users: ETag on every single-resource answer; If-Match guards PUT, PATCH and DELETE; 304 on If-None-Match", async () => {
    const created = await createUser("etag.created@example.com");
    // Zoom's create answer does not show the whole user (its language, for one): the create's answer names no
    // version rather than one a GET would contradict; the GET has it.
    assert.equal(created.headers.get("etag"), null);
    assert.equal((created.body.meta as { version?: string }).version, undefined);
    const read = await h.scim("GET", `/Users/${String(created.body.id)}`);
    assert.equal(await conditionalGet(`/Users/${String(created.body.id)}`, versionOf(read)), 304);
    const id = await seedUser("etag.user@example.com");
    const got = await h.scim("GET", `/Users/${id}`);
    assert.equal(got.headers.get("etag"), versionOf(got));
    assert.equal(await conditionalGet(`/Users/${id}`, versionOf(got)), 304);

    // A change made in Zoom directly changes the version: the old one no longer matches.
    await zoomDirect(h.sim, "PATCH", `/users/${id}`, { first_name: "Changed" });
    const changed = await h.scim("GET", `/Users/${id}`);
    assert.notEqual(versionOf(changed), versionOf(got));
    assert.equal(await conditionalGet(`/Users/${id}`, versionOf(got)), 200);

    const mark = await h.mark();
    const stale = await h.scim("PATCH", `/Users/${id}`, ops({ op: "replace", path: "title", value: "Lost" }), {
      headers: { "if-match": versionOf(got) },
    });
    assert.equal(stale.status, 412, stale.text);
    assert.equal(stale.body.status, "412");
    assert.equal(stale.body.scimType, undefined, "RFC 7644 Table 9 has no scimType for 412");
    const staleReplace = await h.scim(
      "PUT",
      `/Users/${id}`,
      { schemas: [USER], userName: "etag.user@example.com" },
      {
        headers: { "if-match": versionOf(got) },
      },
    );
    assert.equal(staleReplace.status, 412, staleReplace.text);
    const staleDelete = await h.scim("DELETE", `/Users/${id}`, undefined, { headers: { "if-match": versionOf(got) } });
    assert.equal(staleDelete.status, 412, staleDelete.text);
    const zoomWrites = (await h.callsSince(mark)).filter((c) => c.method !== "GET");
    assert.deepEqual(zoomWrites, [], "a failed precondition changes nothing in Zoom");

    const patched = await h.scim("PATCH", `/Users/${id}`, ops({ op: "replace", path: "title", value: "Kept" }), {
      headers: { "if-match": versionOf(changed) },
    });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.headers.get("etag"), versionOf(patched));
    assert.notEqual(versionOf(patched), versionOf(changed));
    const zoomUser = await h.simGet(`/_sim/users/${id}`);
    assert.equal((zoomUser.body.profile as { job_title?: string }).job_title, "Kept");

    const replaced = await h.scim(
      "PUT",
      `/Users/${id}`,
      { schemas: [USER], userName: "etag.user@example.com", name: { givenName: "Put", familyName: "Tester" }, title: "Kept" },
      { headers: { "if-match": versionOf(patched) } },
    );
    assert.equal(replaced.status, 200, replaced.text);
    assert.equal(replaced.headers.get("etag"), versionOf(replaced));
    assert.equal((await h.simGet(`/_sim/users/${id}`)).body.first_name, "Put");

    const anyVersion = await h.scim("PATCH", `/Users/${id}`, ops({ op: "replace", path: "title", value: "Star" }), {
      headers: { "if-match": "*" },
    });
    assert.equal(anyVersion.status, 200, anyVersion.text);
    const deleted = await h.scim("DELETE", `/Users/${id}`, undefined, { headers: { "if-match": versionOf(anyVersion) } });
    assert.equal(deleted.status, 204, deleted.text);
  });

  it("groups: meta.version follows name and members (changed in Zoom too); If-Match guards PUT, PATCH and DELETE", async () => {
    const member = await seedUser("etag.member@example.com");
    const other = await seedUser("etag.other@example.com");
    const created = await h.scim("POST", "/Groups", { schemas: [GROUP], displayName: "Etag group", members: [{ value: member }] });
    assert.equal(created.status, 201, created.text);
    const id = String(created.body.id);
    assert.match(versionOf(created), /^W\/".+"$/);
    assert.equal(created.headers.get("etag"), versionOf(created));
    const got = await h.scim("GET", `/Groups/${id}`);
    assert.equal(versionOf(got), versionOf(created), "the POST's version is the group's");
    assert.equal(got.headers.get("etag"), versionOf(got));
    assert.equal(await conditionalGet(`/Groups/${id}`, versionOf(got)), 304);

    // A member added in Zoom directly changes the version.
    await zoomDirect(h.sim, "POST", `/groups/${id}/members`, { members: [{ id: other }] });
    const changed = await h.scim("GET", `/Groups/${id}`);
    assert.notEqual(versionOf(changed), versionOf(got));

    const mark = await h.mark();
    const stale = await h.scim("PATCH", `/Groups/${id}`, ops({ op: "add", path: "members", value: [{ value: member }] }), {
      headers: { "if-match": versionOf(got) },
    });
    assert.equal(stale.status, 412, stale.text);
    const staleReplace = await h.scim(
      "PUT",
      `/Groups/${id}`,
      { schemas: [GROUP], displayName: "Renamed" },
      {
        headers: { "if-match": versionOf(got) },
      },
    );
    assert.equal(staleReplace.status, 412, staleReplace.text);
    const staleDelete = await h.scim("DELETE", `/Groups/${id}`, undefined, { headers: { "if-match": versionOf(got) } });
    assert.equal(staleDelete.status, 412, staleDelete.text);
    assert.deepEqual(
      (await h.callsSince(mark)).filter((c) => c.method !== "GET"),
      [],
      "a failed precondition changes nothing in Zoom",
    );
    assert.equal((await h.simGet(`/_sim/groups/${id}`)).body.name, "Etag group");

    const patched = await h.scim(
      "PATCH",
      `/Groups/${id}?excludedAttributes=externalId`,
      ops({ op: "replace", path: "displayName", value: "Etag renamed" }),
      {
        headers: { "if-match": versionOf(changed) },
      },
    );
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.headers.get("etag"), versionOf(patched));
    assert.equal((await h.simGet(`/_sim/groups/${id}`)).body.name, "Etag renamed");
    const replaced = await h.scim(
      "PUT",
      `/Groups/${id}`,
      { schemas: [GROUP], displayName: "Etag put", members: [{ value: member }] },
      {
        headers: { "if-match": versionOf(patched) },
      },
    );
    assert.equal(replaced.status, 200, replaced.text);
    assert.equal(replaced.headers.get("etag"), versionOf(replaced));
    assert.equal(versionOf(await h.scim("GET", `/Groups/${id}`)), versionOf(replaced));
    const deleted = await h.scim("DELETE", `/Groups/${id}`, undefined, { headers: { "if-match": versionOf(replaced) } });
    assert.equal(deleted.status, 204, deleted.text);
    assert.equal((await h.simGet(`/_sim/groups/${id}`)).status, 404);
  });
});
