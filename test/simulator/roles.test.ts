import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Harness, type ZoomErrorBody } from "./helpers.js";

interface RoleList {
  total_records: number;
  roles: { id: string; name: string; description: string; type: string; total_members: number }[];
}

describe("roles", () => {
  let h: Harness;
  let ownerId = "";
  before(async () => {
    h = await Harness.start({ rateLimits: false });
    ownerId = (await h.control<{ ownerId: string }>("GET", "")).body.ownerId;
    await h.control("POST", "/seed", {
      roles: [{ id: "helpdesk", name: "Help Desk", description: "Support staff" }],
      users: [
        { email: "r1@example.com" },
        { email: "r2@example.com" },
        { email: "r3@example.com", status: "inactive" },
        { email: "rp@example.com", status: "pending" },
      ],
    });
  });
  after(() => h.close());

  it("lists Owner, Admin, Member and custom roles with member counts", async () => {
    const res = await h.api<RoleList>("GET", "/roles");
    assert.equal(res.status, 200);
    const byId = new Map(res.body.roles.map((r) => [r.id, r]));
    assert.equal(byId.get("0")?.name, "Owner");
    assert.equal(byId.get("1")?.name, "Admin");
    assert.equal(byId.get("2")?.name, "Member");
    assert.equal(byId.get("helpdesk")?.name, "Help Desk");
    assert.equal(byId.get("0")?.total_members, 1);
    assert.equal(byId.get("2")?.total_members, 3); // pending users are not counted
    assert.equal(res.body.total_records, 4);
  });

  it("lists a role's members in pages and answers 400/1034 for an unknown role", async () => {
    const page1 = await h.api<{ members: { id: string; email: string }[]; next_page_token: string; total_records: number }>(
      "GET",
      "/roles/2/members?page_size=2",
    );
    assert.equal(page1.status, 200);
    assert.equal(page1.body.total_records, 3);
    assert.equal(page1.body.members.length, 2);
    const page2 = await h.api<{ members: { email: string }[]; next_page_token: string }>(
      "GET",
      `/roles/2/members?page_size=2&next_page_token=${page1.body.next_page_token}`,
    );
    assert.deepEqual(
      [...page1.body.members, ...page2.body.members].map((m) => m.email),
      ["r1@example.com", "r2@example.com", "r3@example.com"],
    );
    assert.equal(page2.body.next_page_token, "");
    const unknown = await h.api<ZoomErrorBody>("GET", "/roles/nope/members");
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.code, 1034);
  });

  it("assigns a role (201 {ids, add_at}); users then carry role_id and role_name", async () => {
    const res = await h.api<{ ids: string; add_at: string }>("POST", "/roles/helpdesk/members", {
      body: { members: [{ email: "r1@example.com" }] },
    });
    assert.equal(res.status, 201);
    assert.equal(typeof res.body.add_at, "string");
    const user = await h.api<{ role_id: string; role_name: string; id: string }>("GET", "/users/r1@example.com");
    assert.equal(res.body.ids, user.body.id);
    assert.equal(user.body.role_id, "helpdesk");
    assert.equal(user.body.role_name, "Help Desk");
    const listed = await h.api<{ users: { email: string; role_id: string }[] }>("GET", "/users?role_id=helpdesk");
    assert.deepEqual(
      listed.body.users.map((u) => u.email),
      ["r1@example.com"],
    );
  });

  it("refuses assignment to Owner or Member with 400/300", async () => {
    for (const roleId of ["0", "2"]) {
      const res = await h.api<ZoomErrorBody>("POST", `/roles/${roleId}/members`, { body: { members: [{ email: "r2@example.com" }] } });
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, { code: 300, message: "Can't delete or add members for Normal/Owner roles." });
    }
  });

  it("refuses more than 30 members, unknown users and unknown roles, assigning nothing", async () => {
    const many = Array.from({ length: 31 }, () => ({ email: "r2@example.com" }));
    assert.equal((await h.api<ZoomErrorBody>("POST", "/roles/1/members", { body: { members: many } })).body.code, 300);
    const unknown = await h.api<ZoomErrorBody>("POST", "/roles/1/members", {
      body: { members: [{ email: "r2@example.com" }, { email: "nobody@example.com" }] },
    });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, 1001);
    assert.equal((await h.simUser("r2@example.com")).body.role_id, "2");
    const noRole = await h.api<ZoomErrorBody>("POST", "/roles/nope/members", { body: { members: [{ email: "r2@example.com" }] } });
    assert.equal(noRole.status, 400);
    assert.equal(noRole.body.code, 1034);
    const owner = await h.api<ZoomErrorBody>("POST", "/roles/1/members", { body: { members: [{ id: ownerId }] } });
    assert.equal(owner.status, 400);
  });

  it("unassigns a role (204): the user falls back to Member", async () => {
    await h.api("POST", "/roles/1/members", { body: { members: [{ email: "r2@example.com" }] } });
    assert.equal((await h.simUser("r2@example.com")).body.role_name, "Admin");
    assert.equal((await h.api("DELETE", "/roles/1/members/r2@example.com")).status, 204);
    const state = await h.simUser("r2@example.com");
    assert.equal(state.body.role_id, "2");
    assert.equal(state.body.role_name, "Member");
    const notHolder = await h.api<ZoomErrorBody>("DELETE", "/roles/1/members/r2@example.com");
    assert.equal(notHolder.status, 400);
    const member = await h.api<ZoomErrorBody>("DELETE", "/roles/2/members/r2@example.com");
    assert.equal(member.body.code, 300);
  });
});
