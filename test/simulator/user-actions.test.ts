import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Harness, type ZoomErrorBody } from "./helpers.js";

describe("users: status", () => {
  let h: Harness;
  let ownerId = "";
  before(async () => {
    h = await Harness.start({ rateLimits: false });
    ownerId = (await h.control<{ ownerId: string }>("GET", "")).body.ownerId;
    await h.control("POST", "/seed", {
      users: [
        { email: "member@example.com" },
        { email: "admin@example.com", role_id: "1" },
        { email: "pending@example.com", status: "pending" },
      ],
    });
  });
  after(() => h.close());

  it("deactivates and reactivates a member (200, empty body)", async () => {
    const off = await h.api("PUT", "/users/member@example.com/status", { body: { action: "deactivate" } });
    assert.equal(off.status, 200);
    assert.equal(off.text, "");
    assert.equal((await h.simUser("member@example.com")).body.status, "inactive");
    const listed = await h.api<{ users: { email: string }[] }>("GET", "/users?status=inactive");
    assert.deepEqual(
      listed.body.users.map((u) => u.email),
      ["member@example.com"],
    );
    assert.equal((await h.api("PUT", "/users/member@example.com/status", { body: { action: "activate" } })).status, 200);
    assert.equal((await h.simUser("member@example.com")).body.status, "active");
  });

  it("refuses the owner and admins with 400/200", async () => {
    for (const user of [ownerId, "admin@example.com"]) {
      const res = await h.api<ZoomErrorBody>("PUT", `/users/${user}/status`, { body: { action: "deactivate" } });
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, { code: 200, message: "Zoom Room and Admin users' status cannot be activated or deactivated." });
    }
  });

  it("refuses pending users with 400/300", async () => {
    const res = await h.api<ZoomErrorBody>("PUT", "/users/pending@example.com/status", { body: { action: "activate" } });
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 300);
    assert.equal((await h.simUser("pending@example.com")).body.status, "pending");
  });

  it("validates the action", async () => {
    const res = await h.api<ZoomErrorBody>("PUT", "/users/member@example.com/status", { body: { action: "pause" } });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body.errors, [{ field: "action", message: "Invalid field." }]);
  });
});

describe("users: delete", () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start({ rateLimits: false, managedDomains: ["managed.example.com"] });
    await h.control("POST", "/seed", {
      users: [
        { email: "leaver@example.com" },
        { email: "gone@example.com" },
        { email: "admin2@example.com", role_id: "1" },
        { email: "invited@example.com", status: "pending" },
        { email: "staff@managed.example.com" },
      ],
    });
  });
  after(() => h.close());

  it("disassociates by default and deletes with action=delete (204)", async () => {
    const dis = await h.api("DELETE", "/users/leaver@example.com");
    assert.equal(dis.status, 204);
    assert.equal((await h.api("GET", "/users/leaver@example.com")).status, 404);
    assert.equal((await h.api("DELETE", "/users/gone@example.com?action=delete")).status, 204);
    assert.equal((await h.simUser("gone@example.com")).status, 404);
  });

  it("refuses admins with 400/1117", async () => {
    const res = await h.api<ZoomErrorBody>("DELETE", "/users/admin2@example.com?action=disassociate");
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, { code: 1117, message: "You can not disassociate an Admin user." });
  });

  it("deletes pending users only by disassociate", async () => {
    const del = await h.api<ZoomErrorBody>("DELETE", "/users/invited@example.com?action=delete");
    assert.equal(del.status, 400);
    assert.equal(del.body.code, 300);
    assert.equal((await h.api("DELETE", "/users/invited@example.com?action=disassociate")).status, 204);
    assert.equal((await h.simUser("invited@example.com")).status, 404);
  });

  it("refuses to disassociate a managed-domain user (400/1107) but deletes it", async () => {
    const res = await h.api<ZoomErrorBody>("DELETE", "/users/staff@managed.example.com");
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 1107);
    assert.equal((await h.api("DELETE", "/users/staff@managed.example.com?action=delete")).status, 204);
  });

  it("answers 404/1001 for an unknown user and 400/300 for an unknown action", async () => {
    assert.equal((await h.api<ZoomErrorBody>("DELETE", "/users/nobody@example.com")).body.code, 1001);
    const bad = await h.api<ZoomErrorBody>("DELETE", "/users/nobody@example.com?action=erase");
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 300);
  });
});

describe("users: email change, sign-out, email check, summary", () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start();
    await h.control("POST", "/seed", {
      users: [
        { email: "mover@example.com", type: 2 },
        { email: "other@example.com" },
        { email: "wait@example.com", status: "pending" },
        { email: "off@example.com", status: "inactive", type: 4 },
      ],
    });
  });
  after(() => h.close());

  it("changes an email (204); the old one is gone and the new one found", async () => {
    const res = await h.api("PUT", "/users/mover@example.com/email", { body: { email: "Moved@Example.com" } });
    assert.equal(res.status, 204);
    assert.equal((await h.api("GET", "/users/mover@example.com")).status, 404);
    const got = await h.api<{ email: string }>("GET", "/users/moved@example.com");
    assert.equal(got.body.email, "moved@example.com");
  });

  it("refuses an email already used (409/1005) and an invalid one (400/300)", async () => {
    const taken = await h.api<ZoomErrorBody>("PUT", "/users/moved@example.com/email", { body: { email: "other@example.com" } });
    assert.equal(taken.status, 409);
    assert.equal(taken.body.code, 1005);
    const invalid = await h.api<ZoomErrorBody>("PUT", "/users/moved@example.com/email", { body: { email: "nope" } });
    assert.equal(invalid.status, 400);
    assert.equal(invalid.body.code, 300);
  });

  it("allows three email changes per user per 24 hours", async () => {
    // mover already changed once above.
    assert.equal((await h.api("PUT", "/users/moved@example.com/email", { body: { email: "moved2@example.com" } })).status, 204);
    assert.equal((await h.api("PUT", "/users/moved2@example.com/email", { body: { email: "moved3@example.com" } })).status, 204);
    const fourth = await h.api<ZoomErrorBody>("PUT", "/users/moved3@example.com/email", { body: { email: "moved4@example.com" } });
    assert.equal(fourth.status, 400);
    assert.equal(fourth.body.code, 300);
    assert.match(fourth.body.message, /3 times in any 24 hour/);
    await h.control("POST", "/clock", { advanceSeconds: 24 * 3600 + 1 });
    h.token = await h.newToken(); // the old one expired with the clock
    assert.equal((await h.api("PUT", "/users/moved3@example.com/email", { body: { email: "moved4@example.com" } })).status, 204);
  });

  it("signs a user out of SSO sessions (204)", async () => {
    const res = await h.api("DELETE", "/users/other@example.com/token");
    assert.equal(res.status, 204);
    assert.equal((await h.simUser("other@example.com")).body.sso_sign_outs, 1);
    assert.equal((await h.api("DELETE", "/users/nobody@example.com/token")).status, 404);
  });

  it("tells whether an email exists in the account", async () => {
    const yes = await h.api("GET", "/users/email?email=OTHER@example.com");
    assert.deepEqual(yes.body, { existed_email: true });
    const no = await h.api("GET", "/users/email?email=stranger@example.com");
    assert.deepEqual(no.body, { existed_email: false });
    const missing = await h.api<ZoomErrorBody>("GET", "/users/email");
    assert.equal(missing.status, 400);
    assert.equal(missing.body.code, 300);
  });

  it("summarises the account's users", async () => {
    const res = await h.api<Record<string, number>>("GET", "/users/summary");
    assert.equal(res.status, 200);
    // owner (licensed) + moved4 (licensed), other (basic), off (type 4), wait (pending)
    assert.equal(res.body.licensed_users_count, 2);
    assert.equal(res.body.basic_users_count, 1);
    assert.equal(res.body.join_only_users_count, 1);
    assert.equal(res.body.pending_users_count, 1);
    assert.equal(res.body.total_users_count, 4);
  });
});
