// The drift report end to end: users and groups provisioned through SCIM, then changed in Zoom directly (the
// simulator's own API, as an admin in Zoom's portal would); GET /admin/drift and `zoom-scim drift` list each change
// under its kind, Zoom users and groups no IdP manages are counted, and `--fix KIND` restores one kind only.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runDriftCommand } from "../../src/cli/drift.js";
import type { DriftReport } from "../../src/provisioning/guardrails/drift.js";
import type { FixOutcome } from "../../src/provisioning/guardrails/drift-fix.js";
import { simEnv, startHarness, type Harness } from "../helpers/harness.js";
import { zoomDirect } from "../helpers/zoom-direct.js";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
type Json = Record<string, unknown>;

describe("the drift report", () => {
  let h: Harness;
  const ids: Record<string, string> = {};
  let groupId = "";
  let strangers: string[] = [];
  let handMadeGroup = "";

  const cliEnv = (): NodeJS.ProcessEnv => ({
    ...simEnv(h.sim),
    ZOOM_SCIM_DB: join(h.storeDir, "store.sqlite"),
    SCIM_BREAKER_MAX_CHANGES: "0",
    ZOOM_CREATE_ACTION: "autoCreate",
  });

  async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = "";
    let err = "";
    const code = await runDriftCommand(args, cliEnv(), { out: (t) => (out += t), err: (t) => (err += t) });
    return { code, out, err };
  }

  async function report(): Promise<DriftReport> {
    const answer = await h.scim("GET", `${h.server.url}/admin/drift`);
    assert.equal(answer.status, 200, answer.text);
    return answer.body as unknown as DriftReport;
  }

  const zoomUser = async (id: string): Promise<Json> => (await h.simGet(`/_sim/users/${id}`)).body;

  before(async () => {
    h = await startHarness({ env: { ZOOM_CREATE_ACTION: "autoCreate" } });
    for (const name of ["ada", "bob", "cy", "dee"]) {
      const created = await h.scim("POST", "/Users", {
        schemas: [USER],
        userName: `${name}@drift.example.com`,
        name: { givenName: name, familyName: "Drift" },
        title: "Engineer",
      });
      assert.equal(created.status, 201, created.text);
      ids[name] = String(created.body.id);
    }
    const deactivated = await h.scim("PATCH", `/Users/${ids.cy}`, {
      schemas: [PATCH],
      Operations: [{ op: "replace", value: { active: false } }],
    });
    assert.equal(deactivated.status, 200, deactivated.text);
    assert.equal((await h.scim("DELETE", `/Users/${ids.dee}`)).status, 204);
    const group = await h.scim("POST", "/Groups", {
      schemas: [GROUP],
      displayName: "Drifters",
      members: [{ value: ids.ada }, { value: ids.bob }],
    });
    assert.equal(group.status, 201, group.text);
    groupId = String(group.body.id);

    // Behind zoom-scim's back.
    const seeded = await h.simPost("/_sim/seed", {
      users: [
        { email: "stranger1@drift.example.com", status: "active" },
        { email: "stranger2@drift.example.com", status: "active" },
      ],
    });
    strangers = (seeded.users as { id: string }[]).map((u) => u.id);
    handMadeGroup = String((await zoomDirect(h.sim, "POST", "/groups", { name: "Made in Zoom" })).id);
    await zoomDirect(h.sim, "PATCH", `/users/${ids.ada}`, { job_title: "Hacker", first_name: "Adeline" });
    await zoomDirect(h.sim, "PUT", `/users/${ids.bob}/status`, { action: "deactivate" });
    await zoomDirect(h.sim, "PUT", `/users/${ids.cy}/status`, { action: "activate" });
    await zoomDirect(h.sim, "PUT", `/users/${ids.dee}/status`, { action: "activate" });
    await zoomDirect(h.sim, "DELETE", `/groups/${groupId}/members/${ids.bob}`);
    await zoomDirect(h.sim, "POST", `/groups/${groupId}/members`, { members: [{ id: strangers[0] }] });
  });
  after(async () => h.close());

  it("lists each change made in Zoom directly under its kind", async () => {
    const drift = await report();
    assert.deepEqual(drift.attributes.map((d) => [d.userName, d.attribute, d.idp, d.zoom]).sort(), [
      ["ada@drift.example.com", "name.givenName", "ada", "Adeline"],
      ["ada@drift.example.com", "title", "Engineer", "Hacker"],
    ]);
    assert.deepEqual(
      drift.status.map((d) => [d.id, d.idp, d.zoom]).sort(),
      [
        [ids.bob, "active", "inactive"],
        [ids.cy, "inactive", "active"],
        [ids.dee, "deleted", "active"],
      ].sort(),
    );
    assert.deepEqual(
      drift.memberships.map((d) => [d.groupName, d.userId, d.change]).sort(),
      [
        ["Drifters", ids.bob, "removed in Zoom"],
        ["Drifters", strangers[0], "added in Zoom"],
      ].sort(),
    );
    const unmanaged = drift.unmanagedUsers.map((u) => u.id);
    for (const stranger of strangers) assert.ok(unmanaged.includes(stranger), `${stranger} is unmanaged`);
    for (const id of Object.values(ids)) assert.ok(!unmanaged.includes(id), `${id} is managed`);
    assert.equal(drift.summary["unmanaged-users"], drift.unmanagedUsers.length);
    assert.deepEqual(
      drift.unmanagedGroups.map((g) => g.id),
      [handMadeGroup],
    );
    assert.equal(drift.managedUsers, 3, "dee was deleted through SCIM");
    assert.equal(drift.summary.attributes, 2);
    assert.equal(drift.summary.status, 3);
    assert.equal(drift.summary.memberships, 2);
  });

  it("prints the same through the CLI, as text and as JSON", async () => {
    const text = await cli([]);
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /attributes changed in Zoom: 2/);
    assert.match(text.out, /ada@drift\.example\.com: title is "Hacker" in Zoom, the IdP set "Engineer"/);
    assert.match(text.out, /status differs: 3/);
    assert.match(text.out, /dee@drift\.example\.com: deleted through SCIM, active in Zoom/);
    assert.match(text.out, /Zoom groups no IdP manages: 1\n {2}Made in Zoom/);
    assert.match(text.out, /Drifters: stranger1@drift\.example\.com added in Zoom/);
    const json = await cli(["--json"]);
    assert.equal(json.code, 0, json.err);
    const parsed = JSON.parse(json.out) as DriftReport;
    assert.deepEqual(parsed.summary, (await report()).summary);
  });

  it("refuses what cannot be fixed, and unknown arguments", async () => {
    const listed = await cli(["--fix", "unmanaged-users"]);
    assert.equal(listed.code, 2);
    assert.match(listed.err, /listed only/);
    assert.equal((await cli(["--frobnicate"])).code, 2);
    const api = await h.scim("POST", `${h.server.url}/admin/drift/fix?kind=everything`);
    assert.equal(api.status, 400, api.text);
    assert.equal(api.body.scimType, "invalidValue");
    assert.match(String(api.body.detail), /attributes, status, memberships/);
    assert.equal((await h.scim("GET", `${h.server.url}/admin/drift`, undefined, { token: null })).status, 401);
  });

  it("fixes one kind at a time: attributes through the API, status and memberships through the CLI", async () => {
    const attributes = await h.scim("POST", `${h.server.url}/admin/drift/fix?kind=attributes`);
    assert.equal(attributes.status, 200, attributes.text);
    const fixed = attributes.body as unknown as FixOutcome;
    assert.equal(fixed.error, null);
    assert.equal(fixed.applied.length, 1, "one user, one profile call");
    const ada = await zoomUser(ids.ada!);
    assert.equal((ada.profile as Json).job_title, "Engineer");
    assert.equal(ada.first_name, "ada", JSON.stringify(ada));
    let drift = await report();
    assert.equal(drift.summary.attributes, 0);
    assert.equal(drift.summary.status, 3, "the other kinds are left as they were");
    assert.equal(drift.summary.memberships, 2);

    const status = await cli(["--fix", "status"]);
    assert.equal(status.code, 0, status.err);
    assert.match(status.out, /fixed status: 3 applied/);
    assert.equal((await zoomUser(ids.bob!)).status, "active");
    assert.equal((await zoomUser(ids.cy!)).status, "inactive");
    assert.equal((await zoomUser(ids.dee!)).status, "inactive");

    const memberships = await cli(["--fix", "memberships", "--json"]);
    assert.equal(memberships.code, 0, memberships.err);
    assert.equal((JSON.parse(memberships.out) as FixOutcome).applied.length, 2);
    assert.deepEqual([...((await h.simGet(`/_sim/groups/${groupId}`)).body.member_ids as string[])].sort(), [ids.ada, ids.bob].sort());
    // Each user or group restored is an audit entry: who asked, and the Zoom calls it made.
    const audit = await h.scim("GET", `${h.server.url}/admin/audit?since=1h`);
    assert.equal(audit.status, 200, audit.text);
    type Entry = { kind: string; actor: string; resourceId: string; outcome: string; zoomCalls: { method: string; path: string }[] };
    const fixes = (audit.body.entries as Entry[]).filter((e) => e.kind === "drift-fix");
    const of = (id: string) => fixes.filter((e) => e.resourceId === id);
    assert.match(of(ids.ada!)[0]?.actor ?? "", /^api:/);
    assert.deepEqual(
      of(ids.ada!)[0]
        ?.zoomCalls.filter((c) => c.method !== "GET")
        .map((c) => `${c.method} ${c.path}`),
      ["PATCH /users/{userId}"],
    );
    assert.match(of(ids.cy!)[0]?.actor ?? "", /^cli:/);
    assert.equal(of(groupId).length, 1, "one entry for the group's two memberships");
    assert.ok(fixes.every((e) => e.outcome === "applied"));
    drift = await report();
    assert.deepEqual(drift.summary, {
      attributes: 0,
      status: 0,
      "unmanaged-users": drift.unmanagedUsers.length,
      "unmanaged-groups": 1,
      memberships: 0,
    });
  });
});

describe("the drift report after ordinary SCIM traffic", () => {
  let h: Harness;
  before(async () => {
    // Invitations (pending users) for the membership case; accepted at once for the others.
    h = await startHarness();
  });
  after(async () => h.close());

  const report = async (): Promise<DriftReport> => {
    const answer = await h.scim("GET", `${h.server.url}/admin/drift`);
    assert.equal(answer.status, 200, answer.text);
    return answer.body as unknown as DriftReport;
  };

  it("reports no drift for members an IdP named that Zoom held already, nor for pending members", async () => {
    const seeded = await h.simPost("/_sim/seed", {
      users: ["held1", "held2"].map((n) => ({ email: `${n}@traffic.example.com`, status: "active" })),
    });
    const [a, b] = (seeded.users as { id: string }[]).map((u) => u.id);
    const pending = await h.scim("POST", "/Users", { schemas: [USER], userName: "invited@traffic.example.com" });
    assert.equal(pending.status, 201, pending.text);
    const group = await h.scim("POST", "/Groups", {
      schemas: [GROUP],
      displayName: "Traffic",
      members: [{ value: a }, { value: String(pending.body.id) }],
    });
    assert.equal(group.status, 201, group.text);
    const id = String(group.body.id);
    // b joins in Zoom; then the IdP adds it too, and replaces the membership with what Zoom already has.
    await zoomDirect(h.sim, "POST", `/groups/${id}/members`, { members: [{ id: b }] });
    const add = await h.scim("PATCH", `/Groups/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: "add", path: "members", value: [{ value: b }] }],
    });
    assert.equal(add.status, 204, add.text);
    assert.deepEqual((await report()).memberships, [], "b was named by the IdP; the pending member is the lifecycle's");
    const replace = await h.scim("PATCH", `/Groups/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: "replace", path: "members", value: [{ value: a }, { value: b }] }],
    });
    assert.equal(replace.status, 204, replace.text);
    assert.deepEqual((await report()).memberships, []);
  });

  it("does not take Zoom's status for the IdP's when a PATCH carries it along", async () => {
    const created = await h.scim("POST", "/Users", { schemas: [USER], userName: "carried@traffic.example.com", title: "One" });
    const id = String(created.body.id);
    await h.simPost(`/_sim/users/${id}/accept-invitation`);
    await zoomDirect(h.sim, "PUT", `/users/${id}/status`, { action: "deactivate" });
    const retitled = await h.scim("PATCH", `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: "replace", path: "title", value: "Two" }],
    });
    assert.equal(retitled.status, 200, retitled.text);
    assert.deepEqual(
      (await report()).status.filter((d) => d.id === id).map((d) => [d.idp, d.zoom]),
      [["active", "inactive"]],
      "the IdP never deactivated it",
    );
    await zoomDirect(h.sim, "PUT", `/users/${id}/status`, { action: "activate" });
    assert.deepEqual(
      (await report()).status.filter((d) => d.id === id),
      [],
    );
  });
});
