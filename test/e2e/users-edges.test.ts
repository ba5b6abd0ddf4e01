// /Users where things go half-way or off the happy path: partial failures that a repeated request resumes,
// adopting without wiping, derived values that must not freeze, expired invitations, plans without roles.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startHarness, type Harness } from "../helpers/harness.js";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const ZOOM_EXT = "urn:ietf:params:scim:schemas:extension:zoom:1.0:User";

let h: Harness;

async function zoomUser(idOrEmail: string): Promise<Record<string, unknown> | undefined> {
  const answer = await h.simGet(`/_sim/users/${encodeURIComponent(idOrEmail)}`);
  return answer.status === 200 ? { ...answer.body, ...(answer.body.profile as Record<string, unknown> | undefined) } : undefined;
}

const patch = (...operations: Record<string, unknown>[]) => ({ schemas: [PATCH], Operations: operations });

before(async () => {
  h = await startHarness({ env: { ZOOM_CREATE_ACTION: "autoCreate", SCIM_ON_DUPLICATE: "adopt" } });
});
after(async () => h.close());

describe("partial failures converge when repeated", () => {
  it("resumes a create whose profile update failed, keeping externalId", async () => {
    await h.simPost("/_sim/faults", { rules: [{ method: "PATCH", path: "/v2/users/*", status: 500, count: 10 }] });
    const first = await h.scim("POST", "/Users", { schemas: [CORE], userName: "part@example.com", title: "Eng", externalId: "ext-part" });
    await h.simDelete("/_sim/faults");
    assert.ok([502, 503].includes(first.status), first.text);
    assert.match(String(first.body.detail), /was created with id/);
    assert.match(String(first.body.detail), /not everything was applied.*updating the profile/);
    const again = await h.scim("POST", "/Users", { schemas: [CORE], userName: "part@example.com", title: "Eng", externalId: "ext-part" });
    assert.equal(again.status, 201, again.text);
    assert.equal((await zoomUser("part@example.com"))?.job_title, "Eng");
    const byExternal = await h.scim("GET", `/Users?filter=${encodeURIComponent('externalId eq "ext-part"')}`);
    assert.equal(byExternal.body.totalResults, 1);
  });

  it("keeps a deleted user deleted when its revival fails, and revives it on the repeated POST", async () => {
    const created = await h.scim("POST", "/Users", { schemas: [CORE], userName: "rev@example.com" });
    const id = String(created.body.id);
    assert.equal((await h.scim("DELETE", `/Users/${id}`)).status, 204);
    await h.simPost("/_sim/faults", { rules: [{ method: "PUT", path: "/v2/users/*/status", status: 500, count: 10 }] });
    const failed = await h.scim("POST", "/Users", { schemas: [CORE], userName: "rev@example.com" });
    await h.simDelete("/_sim/faults");
    assert.ok([502, 503].includes(failed.status), failed.text);
    assert.equal((await h.scim("GET", `/Users/${id}`)).status, 404, "still deleted");
    const revived = await h.scim("POST", "/Users", { schemas: [CORE], userName: "rev@example.com" });
    assert.equal(revived.status, 201, revived.text);
    assert.equal(revived.body.id, id);
    assert.equal((await zoomUser(id))?.status, "active");
  });
});

describe("adopting and derived values", () => {
  it("adopts an existing Zoom user without wiping what the POST did not send", async () => {
    await h.simPost("/_sim/seed", {
      users: [
        { email: "exist@example.com", first_name: "Old", last_name: "Timer", type: 1, status: "active", job_title: "CFO", dept: "Finance" },
      ],
    });
    const adopted = await h.scim("POST", "/Users", {
      schemas: [CORE],
      userName: "exist@example.com",
      name: { givenName: "New", familyName: "Timer" },
    });
    assert.equal(adopted.status, 201, adopted.text);
    const zoom = await zoomUser("exist@example.com");
    assert.equal(zoom?.first_name, "New");
    assert.equal(zoom?.job_title, "CFO");
    assert.equal(zoom?.dept, "Finance");
  });

  it("lets emails and name.formatted follow Zoom when the client never sent them", async () => {
    const created = await h.scim("POST", "/Users", {
      schemas: [CORE],
      userName: "derive@example.com",
      name: { givenName: "Ann", familyName: "Lee" },
    });
    const id = String(created.body.id);
    assert.equal((await h.scim("PATCH", `/Users/${id}`, patch({ op: "replace", value: { active: false } }))).status, 200);
    const renamed = await h.scim(
      "PATCH",
      `/Users/${id}`,
      patch({ op: "replace", path: "name.givenName", value: "Anna" }, { op: "replace", path: "userName", value: "anna@example.com" }),
    );
    assert.equal(renamed.status, 200, renamed.text);
    assert.equal((renamed.body.name as Record<string, unknown>).formatted, "Anna Lee");
    assert.equal(renamed.body.displayName, (await zoomUser(id))?.display_name, "the answer shows Zoom's display name");
    assert.deepEqual(renamed.body.emails, [{ value: "anna@example.com", type: "work", primary: true }]);
    const byEmail = await h.scim("GET", `/Users?filter=${encodeURIComponent('emails[type eq "work"].value eq "anna@example.com"')}`);
    assert.equal(byEmail.body.totalResults, 1);
  });

  it("judges filters on attributes Zoom's list lacks by the details zoom-scim read, refusing them before", async () => {
    await h.simPost("/_sim/seed", {
      users: [{ email: "rep@example.com", first_name: "Re", last_name: "P", type: 1, status: "active", job_title: "Sales Rep" }],
    });
    const byTitle = `/Users?filter=${encodeURIComponent('title eq "sales rep" and userName sw "rep@"')}`;
    const refused = await h.scim("GET", byTitle);
    assert.equal(refused.status, 400, refused.text);
    assert.equal(refused.body.scimType, "invalidFilter");
    // Reading the one candidate learns its details: the filter is judged from them, with no Zoom call.
    assert.equal((await h.scim("GET", `/Users/${String((await zoomUser("rep@example.com"))?.id)}`)).status, 200);
    const found = await h.scim("GET", byTitle);
    assert.equal(found.status, 200, found.text);
    assert.deepEqual(
      (found.body.Resources as { userName: string }[]).map((r) => r.userName),
      ["rep@example.com"],
    );
  });
});

describe("pending users", () => {
  it("deactivates a pending user by cancelling its invitation, and keeps it readable (test/e2e/pending.test.ts)", async () => {
    await h.simPost("/_sim/seed", {
      users: [{ email: "pend@example.com", first_name: "P", last_name: "End", type: 1, status: "pending" }],
    });
    const id = String((await zoomUser("pend@example.com"))?.id);
    const answer = await h.scim("PATCH", `/Users/${id}`, patch({ op: "replace", value: { active: false } }));
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.active, false);
    assert.equal((answer.body[ZOOM_EXT] as { status: string }).status, "cancelled");
    assert.equal(await zoomUser(id), undefined, "Zoom holds no user once the invitation is cancelled");
    assert.equal((await h.scim("GET", `/Users/${id}`)).body.active, false);
  });

  it("keeps lists working when the invitation of a user zoom-scim never saw has expired (Zoom gives it no id)", async () => {
    await h.simPost("/_sim/seed", {
      users: [
        { email: "gone@example.com", type: 1, status: "pending" },
        { email: "stays@example.com", type: 1, status: "pending" },
      ],
    });
    await h.simPost("/_sim/users/gone@example.com/expire-invitation");
    await h.restartServer();
    const listed = await h.scim("GET", `/Users?filter=${encodeURIComponent(`${ZOOM_EXT}:status eq "pending"`)}`);
    assert.equal(listed.status, 200, listed.text);
    const names = (listed.body.Resources as { userName: string }[]).map((r) => r.userName);
    assert.ok(names.includes("stays@example.com"));
    assert.ok(!names.includes("gone@example.com"));
    const lookup = await h.scim("GET", `/Users?filter=${encodeURIComponent('userName eq "gone@example.com"')}`);
    assert.equal(lookup.status, 200);
    assert.equal(lookup.body.totalResults, 0);
  });
});

describe("a Free Zoom plan (no roles, no groups)", () => {
  let free: Harness;
  before(async () => {
    free = await startHarness({ simulator: { plan: "free" }, env: { ZOOM_CREATE_ACTION: "autoCreate", ZOOM_PLAN: "free" } });
  });
  after(async () => free.close());

  it("reads, updates and deactivates without touching the Roles API", async () => {
    const created = await free.scim("POST", "/Users", { schemas: [CORE], userName: "free@example.com" });
    assert.equal(created.status, 201, created.text);
    const id = String(created.body.id);
    const mark = await free.mark();
    const off = await free.scim(
      "PATCH",
      `/Users/${id}`,
      patch({ op: "replace", value: { active: false } }, { op: "replace", path: "title", value: "Solo" }),
    );
    assert.equal(off.status, 200, off.text);
    assert.equal(off.body.active, false);
    const calls = await free.callsSince(mark);
    assert.ok(!calls.some((c) => c.path.startsWith("/v2/roles")), calls.map((c) => c.path).join(", "));
    assert.equal((await free.scim("GET", `/Users/${id}`)).status, 200);
  });

  it("refuses a role change with advice about the plan, not about owners or admins", async () => {
    const created = await free.scim("POST", "/Users", { schemas: [CORE], userName: "free.role@example.com" });
    assert.equal(created.status, 201, created.text);
    const answer = await free.scim(
      "PATCH",
      `/Users/${String(created.body.id)}`,
      patch({ op: "replace", path: "roles", value: [{ value: "Admin", primary: true }] }),
    );
    assert.equal(answer.status, 400, answer.text);
    assert.equal(answer.body.scimType, "invalidValue");
    assert.match(String(answer.body.detail), /plan/i);
    assert.doesNotMatch(String(answer.body.detail), /demote|owners or admins/i);
  });
});
