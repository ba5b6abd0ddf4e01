import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Harness, sleep, type ZoomErrorBody } from "./helpers.js";

describe("invitations: control plane", () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start({ rateLimits: false });
  });
  after(() => h.close());

  it("keeps an invited user pending until the invitation is accepted", async () => {
    const id = await h.createUser("invitee@example.com", "create");
    await sleep(50);
    assert.equal((await h.simUser(id)).body.status, "pending");
    const accepted = await h.control<{ status: string; id: string }>("POST", "/users/invitee@example.com/accept-invitation");
    assert.equal(accepted.status, 200);
    assert.equal(accepted.body.status, "active");
    assert.equal(accepted.body.id, id, "the id stays the same");
    const listed = await h.api<{ users: { id?: string; email: string }[] }>("GET", "/users?status=active&page_size=300");
    assert.ok(listed.body.users.some((u) => u.id === id));
  });

  it("refuses to accept a user who is not pending (409)", async () => {
    const res = await h.control<{ error: string }>("POST", "/users/invitee@example.com/accept-invitation");
    assert.equal(res.status, 409);
    assert.match(res.body.error, /not pending/);
  });

  it("expires an invitation: Zoom then answers 400/1120 and it can no longer be accepted", async () => {
    await h.createUser("late@example.com", "create");
    assert.equal((await h.control("POST", "/users/late@example.com/expire-invitation")).status, 200);
    assert.equal((await h.simUser("late@example.com")).body.invitation, "expired");
    const got = await h.api<ZoomErrorBody>("GET", "/users/late@example.com");
    assert.equal(got.status, 400);
    assert.deepEqual(got.body, { code: 1120, message: "A valid invitation to join the Zoom account was not found for this user." });
    assert.equal((await h.api("DELETE", "/users/late@example.com")).status, 400);
    assert.equal((await h.control("POST", "/users/late@example.com/accept-invitation")).status, 409);
  });

  it("refuses a new create for an expired address by default, and re-invites it with reinviteExpired", async () => {
    const id = await h.createUser("again@example.com", "create");
    await h.control("POST", "/users/again@example.com/expire-invitation");
    const body = { action: "create", user_info: { email: "again@example.com", type: 1 } };
    const refused = await h.api<ZoomErrorBody>("POST", "/users", { body });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, 1005);
    assert.equal((await h.control("PATCH", "/config", { reinviteExpired: true })).status, 200);
    try {
      const reinvited = await h.api<{ id: string }>("POST", "/users", { body });
      assert.equal(reinvited.status, 201);
      assert.equal(reinvited.body.id, id, "the same pending user, with a fresh invitation");
      assert.equal((await h.simUser("again@example.com")).body.invitation, "pending");
      assert.equal((await h.api("POST", "/users", { body })).status, 409, "only an expired invitation is re-sent");
    } finally {
      await h.control("PATCH", "/config", { reinviteExpired: false });
    }
  });

  it("answers 404 for an unknown user", async () => {
    assert.equal((await h.control("POST", "/users/nobody@example.com/accept-invitation")).status, 404);
  });
});

describe("invitations: automatic acceptance", () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start({ rateLimits: false, autoAcceptInvitationsAfterMs: 500 });
  });
  after(() => h.close());

  it("accepts invitations after the configured delay: pending → active", async () => {
    const id = await h.createUser("auto@example.com", "create");
    const before = await h.api<{ status: string }>("GET", `/users/${id}`);
    assert.equal(before.body.status, "pending");
    await sleep(900);
    const after = await h.api<{ status: string; verified: number }>("GET", `/users/${id}`);
    assert.equal(after.body.status, "active");
    assert.equal(after.body.verified, 1);
  });

  it("does not accept an invitation deleted or expired before the delay", async () => {
    await h.createUser("gone@example.com", "create");
    await h.createUser("expired@example.com", "create");
    assert.equal((await h.api("DELETE", "/users/gone@example.com")).status, 204);
    await h.control("POST", "/users/expired@example.com/expire-invitation");
    await sleep(900);
    assert.equal((await h.simUser("gone@example.com")).status, 404);
    assert.equal((await h.simUser("expired@example.com")).body.status, "pending");
  });

  it("does not auto-accept users created active", async () => {
    const id = await h.createUser("direct@example.com", "ssoCreate");
    assert.equal((await h.simUser(id)).body.status, "active");
  });
});
