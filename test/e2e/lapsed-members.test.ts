// Group membership of users Zoom does not hold right now (a cancelled or an expired invitation). Entra creates a
// user, disables it (which cancels the pending invitation), then adds it to a group: accepted, kept as desired
// membership, shown by /Groups, and applied when the user is invited again.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startHarness, type Harness } from "../helpers/harness.js";
import { createPending, patch, status, writes, zoomUser, type Json } from "../helpers/pending.js";

const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";

let h: Harness;
before(async () => {
  h = await startHarness({ env: { SCIM_RECONCILE_INTERVAL_SECONDS: "0" } });
});
after(async () => h.close());

const memberIds = async (groupId: string): Promise<unknown[]> =>
  ((await h.scim("GET", `/Groups/${groupId}`)).body.members as Json[] | undefined)?.map((m) => m.value) ?? [];

async function cancelled(email: string): Promise<string> {
  const id = await createPending(h, email);
  const off = await h.scim("PATCH", `/Users/${id}`, patch({ op: "replace", path: "active", value: false }));
  assert.equal(off.status, 200, off.text);
  assert.equal(status(off.body), "cancelled");
  return id;
}

describe("members Zoom does not hold right now", () => {
  it("Entra's create, disable, add to group: accepted without a Zoom call, shown, applied on re-invitation", async () => {
    const id = await cancelled("entra-lapsed@example.com");
    const group = await h.scim("POST", "/Groups", { schemas: [GROUP], displayName: "Lapsed Club" });
    const groupId = String(group.body.id);

    const mark = await h.mark();
    const added = await h.scim(
      "PATCH",
      `/Groups/${groupId}`,
      patch({ op: "add", path: "members", value: [{ value: id, display: "entra-lapsed@example.com" }] }),
    );
    assert.equal(added.status, 204, added.text);
    assert.deepEqual(writes(await h.callsSince(mark)), [], "nothing to send Zoom: it holds no such user");
    const zoomGroup = await h.simGet(`/_sim/groups/${groupId}`);
    assert.deepEqual(zoomGroup.body.member_ids ?? [], []);
    assert.deepEqual(zoomGroup.body.pending_member_ids ?? [], []);

    assert.deepEqual(await memberIds(groupId), [id], "GET /Groups shows the desired member");
    const user = await h.scim("GET", `/Users/${id}`);
    assert.ok(
      (user.body.groups as Json[] | undefined)?.some((g) => g.value === groupId),
      "and the user's groups",
    );
    const inList = async (query: string): Promise<Json | undefined> =>
      ((await h.scim("GET", `/Users?${query}`)).body.Resources as Json[]).find((r) => r.id === id);
    const hasGroup = (resource: Json | undefined): boolean =>
      ((resource?.groups as Json[] | undefined) ?? []).some((g) => g.value === groupId);
    assert.ok(hasGroup(await inList(`filter=${encodeURIComponent('userName eq "entra-lapsed@example.com"')}`)), "in lookups");
    assert.ok(hasGroup(await inList("count=1000")), "and in lists");
    // Entra's membership check finds it, so that it does not add it again and again.
    const probe = await h.scim("GET", `/Groups?filter=${encodeURIComponent(`id eq "${groupId}" and members[value eq "${id}"]`)}`);
    assert.equal(probe.status, 200, probe.text);
    assert.equal(probe.body.totalResults, 1);

    const on = await h.scim("PATCH", `/Users/${id}`, patch({ op: "replace", path: "active", value: true }));
    assert.equal(on.status, 200, on.text);
    assert.equal(status(on.body), "pending");
    const invited = await zoomUser(h, "entra-lapsed@example.com");
    assert.equal(invited?.status, "pending");
    assert.deepEqual((await h.simGet(`/_sim/groups/${groupId}`)).body.pending_member_ids, [invited?.id], "joined with the invitation");
    assert.deepEqual(await memberIds(groupId), [id], "shown once, under the SCIM id");
  });

  it("a removal is kept too: the re-invitation does not rejoin a group the user was taken out of", async () => {
    const id = await createPending(h, "leaver@example.com");
    const kept = await h.scim("POST", "/Groups", { schemas: [GROUP], displayName: "Kept", members: [{ value: id }] });
    const left = await h.scim("POST", "/Groups", { schemas: [GROUP], displayName: "Left", members: [{ value: id }] });
    assert.equal(kept.status, 201, kept.text);
    const [keptId, leftId] = [String(kept.body.id), String(left.body.id)];
    await h.scim("PATCH", `/Users/${id}`, patch({ op: "replace", path: "active", value: false }));
    assert.deepEqual(await memberIds(leftId), [id], "a cancelled user still shows in the groups it was in");

    const mark = await h.mark();
    const removed = await h.scim("PATCH", `/Groups/${leftId}`, patch({ op: "remove", path: `members[value eq "${id}"]` }));
    assert.equal(removed.status, 204, removed.text);
    assert.deepEqual(writes(await h.callsSince(mark)), []);
    assert.deepEqual(await memberIds(leftId), []);

    assert.equal((await h.scim("PATCH", `/Users/${id}`, patch({ op: "replace", path: "active", value: true }))).status, 200);
    const invited = await zoomUser(h, "leaver@example.com");
    assert.deepEqual((await h.simGet(`/_sim/groups/${keptId}`)).body.pending_member_ids, [invited?.id]);
    assert.deepEqual((await h.simGet(`/_sim/groups/${leftId}`)).body.pending_member_ids ?? [], []);
  });

  it("takes lapsed users in POST and PUT /Groups, and an expired invitation's user as well", async () => {
    const gone = await cancelled("put-lapsed@example.com");
    const expired = await createPending(h, "expired-member@example.com");
    await h.simPost(`/_sim/users/${expired}/expire-invitation`);
    assert.equal(status((await h.scim("GET", `/Users/${expired}`)).body), "expired");

    const created = await h.scim("POST", "/Groups", { schemas: [GROUP], displayName: "Mixed", members: [{ value: gone }] });
    assert.equal(created.status, 201, created.text);
    const groupId = String(created.body.id);
    assert.deepEqual(
      (created.body.members as Json[]).map((m) => m.value),
      [gone],
    );
    const put = await h.scim("PUT", `/Groups/${groupId}`, { schemas: [GROUP], displayName: "Mixed", members: [{ value: expired }] });
    assert.equal(put.status, 200, put.text);
    assert.deepEqual(await memberIds(groupId), [expired], "PUT replaced one lapsed member with another");
  });

  it("still refuses ids that are no user at all", async () => {
    const group = await h.scim("POST", "/Groups", { schemas: [GROUP], displayName: "Strict" });
    const refused = await h.scim(
      "PATCH",
      `/Groups/${String(group.body.id)}`,
      patch({ op: "add", path: "members", value: [{ value: "nobody123" }] }),
    );
    assert.equal(refused.status, 400, refused.text);
    assert.match(String(refused.body.detail), /is not a user of this Zoom account/);
  });
});
