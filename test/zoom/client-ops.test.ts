// Every typed operation against real simulator state, and Zoom's refusals as ZoomApiError.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ZoomApiError, type ZoomClient } from "../../src/zoom/index.js";
import { clearCalls, clientFor, control, rejection, simCalls, startSim, type Sim } from "./sim.js";

interface SimUserState {
  id: string;
  email: string;
  status: string;
  type: number;
  role_id: string;
  first_name: string;
  group_ids: string[];
  sso_sign_outs: number;
  profile: Record<string, unknown>;
}

async function apiError(fn: () => Promise<unknown>): Promise<ZoomApiError> {
  const error = await rejection(fn);
  assert.ok(error instanceof ZoomApiError, String(error));
  return error;
}

describe("Zoom client operations", () => {
  let sim: Sim;
  let zoom: ZoomClient;
  const simUser = (ref: string) => control<SimUserState>(sim, "GET", `/users/${encodeURIComponent(ref)}`);

  before(async () => {
    sim = await startSim({ plan: "business" });
    zoom = clientFor(sim, { plan: "business" }).client;
  });
  after(async () => {
    zoom.close();
    await sim.close();
  });

  describe("users", () => {
    let userId: string;

    it("creates a user", async () => {
      const created = await zoom.createUser({
        action: "autoCreate",
        user_info: { email: "ada@example.com", type: 1, first_name: "Ada", last_name: "Lovelace", password: "Secr3t-pass!" },
      });
      assert.equal(created.email, "ada@example.com");
      assert.equal(typeof created.id, "string");
      userId = created.id;
      assert.equal((await simUser(userId)).status, "active");
    });

    it("refuses a duplicate email with 409/1005", async () => {
      const error = await apiError(() => zoom.createUser({ action: "autoCreate", user_info: { email: "ada@example.com", type: 1 } }));
      assert.equal(error.status, 409);
      assert.equal(error.code, 1005);
      assert.match(error.zoomMessage, /already been used/);
      assert.equal(error.method, "POST");
      assert.equal(error.path, "/users");
      assert.equal(typeof error.trackingId, "string");
    });

    it("gets a user by id and by email", async () => {
      const byId = await zoom.getUser(userId);
      assert.equal(byId.email, "ada@example.com");
      assert.equal(byId.first_name, "Ada");
      const byEmail = await zoom.getUser("ada@example.com");
      assert.equal(byEmail.id, userId);
    });

    it("answers an unknown user with 404/1001, with emails URL-encoded", async () => {
      // "?" and "#" are refused before any call now (client-paths.test.ts); "&" and "+" are valid in an email.
      const error = await apiError(() => zoom.getUser("no&such+user@example.com"));
      assert.equal(error.status, 404);
      assert.equal(error.code, 1001);
      assert.equal(error.zoomMessage, "User does not exist: no&such+user@example.com.");
      assert.equal(error.path, "/users/no%26such%2Buser%40example.com");
    });

    it("updates a profile (204, no body)", async () => {
      await zoom.updateUser(userId, { first_name: "Augusta", job_title: "Analyst", dept: "Maths" });
      const user = await zoom.getUser(userId);
      assert.equal(user.first_name, "Augusta");
      assert.equal(user.job_title, "Analyst");
      assert.equal(user.dept, "Maths");
    });

    it("refuses an invalid update with 400/300 and its field errors", async () => {
      const error = await apiError(() => zoom.updateUser(userId, { type: 7 as 1 }));
      assert.equal(error.status, 400);
      assert.equal(error.code, 300);
      assert.equal(error.zoomMessage, "Validation Failed.");
      assert.deepEqual(
        error.fieldErrors?.map((e) => e.field),
        ["type"],
      );
    });

    it("deactivates and activates a user", async () => {
      await zoom.setUserStatus(userId, "deactivate");
      assert.equal((await simUser(userId)).status, "inactive");
      assert.equal((await zoom.getUser(userId)).status, "inactive");
      await zoom.setUserStatus(userId, "activate");
      assert.equal((await simUser(userId)).status, "active");
    });

    it("changes a user's email", async () => {
      await zoom.changeUserEmail(userId, "ada.lovelace@example.com");
      assert.equal((await simUser(userId)).email, "ada.lovelace@example.com");
      assert.equal((await zoom.getUser("ada.lovelace@example.com")).id, userId);
    });

    it("signs a user out", async () => {
      const before = (await simUser(userId)).sso_sign_outs;
      await zoom.signOutUser(userId);
      assert.equal((await simUser(userId)).sso_sign_outs, before + 1);
    });

    it("deletes a user", async () => {
      await zoom.deleteUser(userId, "delete");
      const error = await apiError(() => zoom.getUser(userId));
      assert.equal(error.status, 404);
      assert.equal(error.code, 1001);
    });

    it("lists one page, and pending users without id", async () => {
      await control(sim, "POST", "/seed", { users: [{ email: "pending.one@example.com", status: "pending" }] });
      const page = await zoom.listUsers({ status: "pending", pageSize: 10 });
      assert.equal(page.total_records, 1);
      assert.equal(page.users[0]?.email, "pending.one@example.com");
      assert.equal(page.next_page_token, "");
    });
  });

  describe("paging", () => {
    it("lists every user across pages at page size 2000", async () => {
      await control(sim, "POST", "/seed", { generate: { count: 2100, status: "inactive", prefix: "bulk" } });
      await clearCalls(sim);
      const users = await zoom.listAllUsers("inactive");
      assert.equal(users.length, 2100);
      assert.equal(new Set(users.map((u) => u.id)).size, 2100);
      const lists = (await simCalls(sim)).filter((c) => c.method === "GET" && c.path === "/v2/users");
      assert.equal(lists.length, 2);
      for (const call of lists) assert.match(call.query, /page_size=2000/);
      assert.match(lists[1]?.query ?? "", /next_page_token=/);
    });

    it("lists every group across pages at page size 300", async () => {
      const names = Array.from({ length: 301 }, (_, i) => ({ name: `bulk-group-${i}` }));
      await control(sim, "POST", "/seed", { groups: names });
      await clearCalls(sim);
      const groups = await zoom.listAllGroups();
      assert.ok(groups.length >= 301);
      assert.ok(groups.some((g) => g.name === "bulk-group-300"));
      const lists = (await simCalls(sim)).filter((c) => c.path === "/v2/groups");
      assert.equal(lists.length, 2);
      for (const call of lists) assert.match(call.query, /page_size=300/);
    });
  });

  describe("groups", () => {
    let groupId: string;
    let memberIds: string[];

    before(async () => {
      const seeded = await control<{ users: { id: string }[] }>(sim, "POST", "/seed", {
        users: [{ email: "m1@example.com" }, { email: "m2@example.com" }, { email: "m3@example.com" }],
      });
      memberIds = seeded.users.map((u) => u.id);
    });

    it("creates, gets and renames a group", async () => {
      const group = await zoom.createGroup("Engineering");
      assert.equal(group.name, "Engineering");
      assert.equal(group.total_members, 0);
      groupId = group.id;
      assert.deepEqual(await zoom.getGroup(groupId), { id: groupId, name: "Engineering", total_members: 0 });
      await zoom.renameGroup(groupId, "R&D");
      assert.equal((await zoom.getGroup(groupId)).name, "R&D");
    });

    it("refuses a taken name with 409/4132", async () => {
      const error = await apiError(() => zoom.createGroup("R&D"));
      assert.equal(error.status, 409);
      assert.equal(error.code, 4132);
    });

    it("adds, lists and removes members", async () => {
      const added = await zoom.addGroupMembers(groupId, memberIds);
      assert.deepEqual([...added.ids].sort(), [...memberIds].sort());
      assert.equal(typeof added.added_at, "string");
      const members = await zoom.listAllGroupMembers(groupId);
      assert.deepEqual(members.map((m) => m.id).sort(), [...memberIds].sort());
      const page = await zoom.listGroupMembers(groupId, { pageSize: 2 });
      assert.equal(page.members.length, 2);
      assert.equal(page.total_records, 3);
      assert.ok(page.next_page_token);

      await zoom.removeGroupMember(groupId, memberIds[0] ?? "");
      assert.equal((await zoom.listAllGroupMembers(groupId)).length, 2);
      const error = await apiError(() => zoom.removeGroupMember(groupId, memberIds[0] ?? ""));
      assert.equal(error.status, 404);
      assert.equal(error.code, 4131);
    });

    it("refuses more than 30 members per call without calling Zoom", async () => {
      await clearCalls(sim);
      const ids = Array.from({ length: 31 }, (_, i) => `u${i}`);
      await assert.rejects(() => zoom.addGroupMembers(groupId, ids), RangeError);
      await assert.rejects(() => zoom.assignRole("1", ids), RangeError);
      assert.equal((await simCalls(sim)).length, 0);
    });

    it("deletes a group; an unknown group is 404/4130", async () => {
      await zoom.deleteGroup(groupId);
      const error = await apiError(() => zoom.getGroup(groupId));
      assert.equal(error.status, 404);
      assert.equal(error.code, 4130);
      assert.equal((await apiError(() => zoom.deleteGroup(groupId))).code, 4130);
    });
  });

  describe("roles", () => {
    let userId: string;

    before(async () => {
      const seeded = await control<{ users: { id: string }[] }>(sim, "POST", "/seed", { users: [{ email: "role.user@example.com" }] });
      userId = seeded.users[0]?.id ?? "";
    });

    it("lists roles", async () => {
      const roles = await zoom.listRoles();
      const ids = roles.map((r) => r.id);
      for (const id of ["0", "1", "2"]) assert.ok(ids.includes(id), `role ${id} in ${ids.join(",")}`);
      assert.equal(typeof roles.find((r) => r.id === "1")?.name, "string");
    });

    it("assigns and unassigns a role", async () => {
      await zoom.assignRole("1", [userId]);
      assert.equal((await simUser(userId)).role_id, "1");
      assert.ok((await zoom.listAllRoleMembers("1")).some((m) => m.id === userId));
      await zoom.unassignRole("1", userId);
      assert.equal((await simUser(userId)).role_id, "2");
      assert.ok(!(await zoom.listAllRoleMembers("1")).some((m) => m.id === userId));
    });

    it("refuses the Member role with 400/300 and an unknown role with 400/1034", async () => {
      const member = await apiError(() => zoom.assignRole("2", [userId]));
      assert.equal(member.status, 400);
      assert.equal(member.code, 300);
      const unknown = await apiError(() => zoom.assignRole("no-such-role", [userId]));
      assert.equal(unknown.status, 400);
      assert.equal(unknown.code, 1034);
    });
  });
});
