// /Users end to end, changing and deleting (PATCH, PUT, DELETE, Zoom failures): SCIM over HTTP against a running
// zoom-scim and a running Zoom simulator, asserting the answers, Zoom's resulting state and the Zoom calls made.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { ENTERPRISE, h, newUser, PATCH, useUsersHarness, zoomUser } from "../helpers/users.js";

useUsersHarness();

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
