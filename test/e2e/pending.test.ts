// The pending-user lifecycle end to end over HTTP against the simulator: changes accepted while a user is pending
// and applied to Zoom once each and in order after acceptance, noticed by a verified webhook or by a read; forged,
// stale and replayed webhooks; deactivating and reactivating a pending user; expired invitations; deletion.
// (Failures, the reconciler across a restart and the admin's view: pending-recovery.test.ts.)
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { signWebhook } from "../../src/simulator/index.js";
import { startHarness, type Harness } from "../helpers/harness.js";
import {
  createPending,
  ENTERPRISE,
  eventually,
  outstanding,
  patch,
  SECRET,
  sleep,
  status,
  webhooksTo,
  writes,
  ZOOM_EXT,
  zoomUser,
  type Json,
} from "../helpers/pending.js";

let h: Harness;
before(async () => {
  // The reconciler is off here: each test below proves one way of noticing acceptance.
  h = await startHarness({ env: { ZOOM_WEBHOOK_SECRET_TOKEN: SECRET, SCIM_RECONCILE_INTERVAL_SECONDS: "0" } });
});
after(async () => h.close());

describe("changes to a pending user", () => {
  it("are accepted and shown at once, then applied by a verified webhook after acceptance, once each and in order", async () => {
    await webhooksTo(h, true);
    const id = await createPending(h, "hook@example.com", { title: "Engineer", roles: [{ value: "Admin", primary: true }] });
    const changed = await h.scim(
      "PATCH",
      `/Users/${id}`,
      patch({ op: "replace", path: "title", value: "Staff Engineer" }, { op: "add", path: `${ENTERPRISE}:department`, value: "R&D" }),
    );
    assert.equal(changed.status, 200, changed.text);
    assert.equal(changed.body.title, "Staff Engineer", "the answer is the desired state");
    assert.equal((changed.body[ENTERPRISE] as Json).department, "R&D");
    assert.equal(changed.body.active, true);
    assert.equal(status(changed.body), "pending");
    const again = await h.scim(
      "PATCH",
      `/Users/${id}`,
      patch({ op: "replace", path: "title", value: "Staff Engineer" }, { op: "add", path: `${ENTERPRISE}:department`, value: "R&D" }),
    );
    assert.equal(
      again.body.meta && (again.body.meta as Json).version,
      (changed.body.meta as Json).version,
      "an IdP pushing the same state again changes nothing",
    );
    const read = await h.scim("GET", `/Users/${id}`);
    assert.equal(read.body.title, "Staff Engineer");
    assert.deepEqual(
      (read.body.roles as Json[]).map((r) => r.value),
      ["Admin"],
    );
    const before = await zoomUser(h, id);
    assert.equal(before?.job_title, undefined, "Zoom holds none of it while the invitation is open");

    const entry = await outstanding(h, id);
    assert.equal(entry?.invitation, "pending");
    assert.deepEqual(
      (entry?.changes as Json[]).map((c) => c.attributes),
      [
        ["title", "roles"],
        ["title", `${ENTERPRISE}:department`],
      ],
    );

    const mark = await h.mark();
    await h.simPost(`/_sim/users/${id}/accept-invitation`);
    await eventually("the deferred changes in Zoom", async () => {
      const zoom = await zoomUser(h, id);
      return zoom?.job_title === "Staff Engineer" && zoom.dept === "R&D" && zoom.role_name === "Admin" ? zoom : undefined;
    });
    const deliveries = (await h.simGet("/_sim/webhooks?wait=true")).body.deliveries as { event: string; status?: number }[];
    assert.equal(deliveries.find((d) => d.event === "user.invitation_accepted")?.status, 200);
    await eventually("the queue to empty", async () => ((await outstanding(h, id)) === undefined ? true : undefined));
    assert.deepEqual(
      writes(await h.callsSince(mark)),
      [`PATCH /v2/users/${id}`, "POST /v2/roles/1/members", `PATCH /v2/users/${id}`],
      "the first change (title, role), then the second (title, department): nothing twice",
    );
    const after = await h.scim("GET", `/Users/${id}`);
    assert.equal(status(after.body), "active");
    assert.equal(after.body.title, "Staff Engineer");
  });

  it("are applied by the first read that finds the user active", async () => {
    await webhooksTo(h, false);
    const id = await createPending(h, "reader@example.com");
    assert.equal((await h.scim("PATCH", `/Users/${id}`, patch({ op: "replace", path: "title", value: "Reader" }))).status, 200);
    await h.simPost(`/_sim/users/${id}/accept-invitation`);
    await sleep(100);
    assert.equal((await zoomUser(h, id))?.job_title, undefined, "nothing noticed the acceptance yet");
    const read = await h.scim("GET", `/Users/${id}`);
    assert.equal(read.status, 200, read.text);
    assert.equal(status(read.body), "active");
    assert.equal(read.body.title, "Reader");
    assert.equal((await zoomUser(h, id))?.job_title, "Reader");
  });

  it("refuses forged, stale and replayed webhooks: they change nothing", async () => {
    await webhooksTo(h, false);
    const id = await createPending(h, "forged@example.com", { title: "Target" });
    await h.simPost(`/_sim/users/${id}/accept-invitation`);
    const body = JSON.stringify({
      event: "user.activated",
      payload: { account_id: h.sim.accountId, object: { id, email: "forged@example.com" } },
      event_ts: Date.now(),
    });
    const now = String(Math.floor(Date.now() / 1000));
    const send = (headers: Record<string, string>, raw = body) =>
      fetch(`${h.server.url}/webhooks/zoom`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: raw });

    const mark = await h.mark();
    const forged = await send({ "x-zm-request-timestamp": now, "x-zm-signature": signWebhook("not-the-secret-token", now, body) });
    assert.equal(forged.status, 401);
    const unsigned = await send({});
    assert.equal(unsigned.status, 401);
    const old = String(Math.floor(Date.now() / 1000) - 3600);
    const stale = await send({ "x-zm-request-timestamp": old, "x-zm-signature": signWebhook(SECRET, old, body) });
    assert.equal(stale.status, 401);
    const tampered = await send(
      { "x-zm-request-timestamp": now, "x-zm-signature": signWebhook(SECRET, now, body) },
      body.replace("forged@", "other@"),
    );
    assert.equal(tampered.status, 401);
    await sleep(100);
    assert.deepEqual(await h.callsSince(mark), [], "no Zoom call");
    assert.equal((await zoomUser(h, id))?.job_title, undefined);

    const genuine = { "x-zm-request-timestamp": now, "x-zm-signature": signWebhook(SECRET, now, body) };
    const accepted = await send(genuine);
    assert.equal(accepted.status, 200);
    assert.ok(accepted.headers.get("x-request-id"));
    await eventually("the change in Zoom", async () => ((await zoomUser(h, id))?.job_title === "Target" ? true : undefined));
    await sleep(50);
    const again = await h.mark();
    const replayed = await send(genuine);
    assert.equal(replayed.status, 200);
    assert.deepEqual(await replayed.json(), { status: "duplicate" });
    await sleep(100);
    assert.deepEqual(await h.callsSince(again), [], "a replay makes no Zoom call");
  });

  it("answers Zoom's endpoint validation, and refuses webhooks for a tenant without a secret", async () => {
    await webhooksTo(h, true);
    const validated = await h.simPost("/_sim/webhooks/validate");
    assert.equal(validated.ok, true, JSON.stringify(validated));
    await webhooksTo(h, false);
    // Refused as an unsigned event is: the answer does not tell whether the tenant exists.
    const none = await fetch(`${h.server.url}/nobody/webhooks/zoom`, { method: "POST", body: "{}" });
    assert.equal(none.status, 401);
    assert.match(((await none.json()) as { detail: string }).detail, /x-zm-signature or x-zm-request-timestamp is missing/);
  });

  it("a signed event for a user still pending applies nothing: Zoom is asked, the event is not believed", async () => {
    await webhooksTo(h, false);
    const id = await createPending(h, "early@example.com", { title: "Early" });
    const body = JSON.stringify({ event: "user.activated", payload: { object: { id } }, event_ts: Date.now() });
    const now = String(Math.floor(Date.now() / 1000));
    const mark = await h.mark();
    const answer = await fetch(`${h.server.url}/webhooks/zoom`, {
      method: "POST",
      headers: { "x-zm-request-timestamp": now, "x-zm-signature": signWebhook(SECRET, now, body) },
      body,
    });
    assert.equal(answer.status, 200);
    await sleep(100);
    assert.deepEqual(writes(await h.callsSince(mark)), []);
    assert.equal(((await outstanding(h, id))?.changes as Json[]).length, 1);
  });
});

describe("deactivating and reactivating a pending user", () => {
  it("cancels the invitation, keeps the user readable, and sends a fresh one with the stored profile", async () => {
    await webhooksTo(h, true);
    const group = await h.scim("POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Invitees" });
    const id = await createPending(h, "cycle@example.com", { title: "Cycler", userType: "Licensed" });
    assert.equal(
      (await h.scim("PATCH", `/Groups/${String(group.body.id)}`, patch({ op: "add", path: "members", value: [{ value: id }] }))).status,
      204,
    );

    const off = await h.scim("PATCH", `/Users/${id}`, patch({ op: "replace", path: "active", value: false }));
    assert.equal(off.status, 200, off.text);
    assert.equal(off.body.active, false);
    assert.equal(status(off.body), "cancelled");
    assert.equal(await zoomUser(h, "cycle@example.com"), undefined, "the invitation is cancelled in Zoom");
    const read = await h.scim("GET", `/Users/${id}`);
    assert.equal(read.status, 200);
    assert.equal(read.body.active, false);
    assert.equal(read.body.title, "Cycler");
    const found = await h.scim("GET", `/Users?filter=${encodeURIComponent('userName eq "cycle@example.com"')}`);
    assert.deepEqual(
      (found.body.Resources as Json[]).map((r) => [r.id, r.active]),
      [[id, false]],
    );
    const listed = await h.scim("GET", `/Users?filter=${encodeURIComponent(`${ZOOM_EXT}:status eq "cancelled"`)}`);
    assert.ok((listed.body.Resources as Json[]).some((r) => r.id === id));
    assert.equal((await h.scim("PATCH", `/Users/${id}`, patch({ op: "replace", path: "title", value: "Returner" }))).status, 200);
    assert.equal(
      (await h.scim("PATCH", `/Users/${id}`, patch({ op: "replace", path: "active", value: false }))).status,
      200,
      "already off: nothing to do",
    );

    const on = await h.scim("PATCH", `/Users/${id}`, patch({ op: "replace", path: "active", value: true }));
    assert.equal(on.status, 200, on.text);
    assert.equal(on.body.id, id, "the SCIM id stays");
    assert.equal(on.body.active, true);
    assert.equal(status(on.body), "pending");
    assert.equal(on.body.title, "Returner");
    const invited = await zoomUser(h, "cycle@example.com");
    assert.equal(invited?.status, "pending");
    assert.notEqual(invited?.id, id, "Zoom made a new user");
    assert.equal(invited?.first_name, "Pen");
    assert.equal(invited?.type, 2, "with the stored licence");
    const members = await h.simGet(`/_sim/groups/${String(group.body.id)}`);
    assert.deepEqual(members.body.pending_member_ids, [invited?.id], "and back in its group");

    await h.simPost(`/_sim/users/${String(invited?.id)}/accept-invitation`);
    await eventually("the change in Zoom", async () =>
      (await zoomUser(h, "cycle@example.com"))?.job_title === "Returner" ? true : undefined,
    );
    await h.simGet("/_sim/webhooks?wait=true");
    const final = await h.scim("GET", `/Users/${id}`);
    assert.equal(final.status, 200, final.text);
    assert.equal(status(final.body), "active");
    assert.equal(final.body.title, "Returner");
    const inGroup = await h.scim("GET", `/Groups/${String(group.body.id)}`);
    assert.deepEqual(
      (inGroup.body.members as Json[]).map((m) => m.value),
      [id],
      "Groups show the SCIM id too",
    );
    const off2 = await h.scim("PATCH", `/Users/${id}`, patch({ op: "replace", path: "active", value: false }));
    assert.equal(off2.status, 200, off2.text);
    assert.equal((await zoomUser(h, "cycle@example.com"))?.status, "inactive", "Zoom's calls reach the new Zoom user");
  });
});

describe("expired invitations", () => {
  it("show as expired and inactive, are re-sent when set active, and can be deleted", async () => {
    await webhooksTo(h, false);
    const id = await createPending(h, "late@example.com", { title: "Late" });
    await h.simPost(`/_sim/users/${id}/expire-invitation`);
    const read = await h.scim("GET", `/Users/${id}`);
    assert.equal(read.status, 200, read.text);
    assert.equal(status(read.body), "expired");
    assert.equal(read.body.active, false, "so that an IdP that wants the user sets active true");
    assert.equal(read.body.title, "Late");
    const byName = await h.scim("GET", `/Users?filter=${encodeURIComponent('userName eq "late@example.com"')}`);
    assert.deepEqual(
      (byName.body.Resources as Json[]).map((r) => status(r)),
      ["expired"],
    );
    const listed = await h.scim("GET", `/Users?filter=${encodeURIComponent(`${ZOOM_EXT}:status eq "expired"`)}`);
    assert.deepEqual(
      (listed.body.Resources as Json[]).map((r) => r.id),
      [id],
    );

    // The simulator, like Zoom as far as anyone has reported, keeps the expired invitation and refuses the address.
    const mark = await h.mark();
    const refused = await h.scim("PATCH", `/Users/${id}`, patch({ op: "replace", path: "active", value: true }));
    assert.equal(refused.status, 409, refused.text);
    assert.match(String(refused.body.detail), /Resend the invitation from Zoom's web portal/);
    assert.deepEqual(writes(await h.callsSince(mark)), [`DELETE /v2/users/${id}`, "POST /v2/users"], "cancel the old one, invite again");
    assert.equal(status((await h.scim("GET", `/Users/${id}`)).body), "expired", "nothing changed");

    // Where Zoom takes the address (here a corrected one), the fresh invitation goes out with the stored profile.
    const resent = await h.scim(
      "PATCH",
      `/Users/${id}`,
      patch({ op: "replace", value: { active: true, userName: "late.again@example.com" } }),
    );
    assert.equal(resent.status, 200, resent.text);
    assert.equal(status(resent.body), "pending");
    assert.equal(resent.body.userName, "late.again@example.com");
    const invited = await zoomUser(h, "late.again@example.com");
    assert.equal(invited?.status, "pending");
    await h.simPost(`/_sim/users/${String(invited?.id)}/accept-invitation`);
    const active = await h.scim("GET", `/Users/${id}`);
    assert.equal(status(active.body), "active");
    assert.equal((await zoomUser(h, "late.again@example.com"))?.job_title, "Late");

    const other = await createPending(h, "gone.late@example.com");
    await h.simPost(`/_sim/users/${other}/expire-invitation`);
    assert.equal((await h.scim("DELETE", `/Users/${other}`)).status, 204);
    assert.equal((await h.scim("GET", `/Users/${other}`)).status, 404);
    const all = await h.scim("GET", "/Users?count=1000");
    assert.ok(!(all.body.Resources as Json[]).some((r) => r.id === other), "lists leave it out too");
  });
});

describe("expired invitations where Zoom re-invites the address", () => {
  it("sends a fresh invitation to the same address when set active, and applies the stored profile on acceptance", async () => {
    await webhooksTo(h, false);
    const config = await fetch(`${h.sim.baseUrl}/_sim/config`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ reinviteExpired: true }),
    });
    assert.equal(config.status, 200);
    try {
      const id = await createPending(h, "again@example.com", { title: "Again" });
      await h.simPost(`/_sim/users/${id}/expire-invitation`);
      assert.equal(status((await h.scim("GET", `/Users/${id}`)).body), "expired");
      const resent = await h.scim("PATCH", `/Users/${id}`, patch({ op: "replace", path: "active", value: true }));
      assert.equal(resent.status, 200, resent.text);
      assert.equal(status(resent.body), "pending");
      assert.equal(resent.body.active, true);
      const invited = await zoomUser(h, "again@example.com");
      assert.equal(invited?.status, "pending");
      assert.equal(invited?.invitation === "expired", false, "a fresh invitation");
      await h.simPost(`/_sim/users/${String(invited?.id)}/accept-invitation`);
      const active = await h.scim("GET", `/Users/${id}`);
      assert.equal(status(active.body), "active");
      assert.equal((await zoomUser(h, "again@example.com"))?.job_title, "Again");
    } finally {
      await fetch(`${h.sim.baseUrl}/_sim/config`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ reinviteExpired: false }),
      });
    }
  });
});

describe("deleting a pending user", () => {
  it("cancels the invitation and drops its deferred changes", async () => {
    const id = await createPending(h, "dropped@example.com", { title: "Dropped" });
    assert.equal((await h.scim("DELETE", `/Users/${id}`)).status, 204);
    assert.equal(await zoomUser(h, id), undefined);
    assert.equal((await h.scim("GET", `/Users/${id}`)).status, 404);
    assert.equal(await outstanding(h, id), undefined);
  });
});
