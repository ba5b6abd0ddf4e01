// Zoom paths are built only from checked ids and emails: hostile values throw before any call (the simulator's call
// log stays empty, token request included), valid ones still reach Zoom, percent-encoded.

import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { ZoomApiError, ZoomInvalidIdentifierError, type ZoomClient } from "../../src/zoom/index.js";
import { clearCalls, clientFor, control, rejection, simCalls, startSim, type Sim } from "./sim.js";

/** Every value the hostile-client review listed, plus a few more of the same kind. */
const HOSTILE = [
  "",
  ".",
  "..",
  "a/b",
  "%2e%2e",
  "x?y",
  "a#b",
  "a b",
  "\u0000",
  "x".repeat(10_000),
  "../users",
  // beyond the review's list
  "./",
  "a\\b",
  "a\tb",
  "a\u200bb",
  "\ud800",
  "x".repeat(65),
];
/** Refused where Zoom takes a user: its own-user keyword, and strings that are neither id nor email. */
const HOSTILE_USERS = [
  ...HOSTILE,
  "me",
  "ME",
  "a@b",
  "a@b@example.com",
  "@example.com",
  "ann@",
  "ann@example.",
  "ann@.com",
  "ann@example..com",
  "a/b@example.com",
  "a%40b@example.com",
  "a b@example.com",
  `${"x".repeat(250)}@example.com`,
];
/** Refused where Zoom takes only an id: emails too. */
const HOSTILE_IDS = [...HOSTILE, "ann@example.com"];

const show = (value: string) => (value.length > 30 ? `${JSON.stringify(value.slice(0, 30))}… (${value.length})` : JSON.stringify(value));

describe("Zoom client paths", () => {
  let sim: Sim;
  let zoom: ZoomClient;
  let userId: string;
  let groupId: string;

  before(async () => {
    sim = await startSim({ plan: "business" });
    zoom = clientFor(sim, { plan: "business" }).client;
    const seeded = await control<{ users: { id: string }[]; groups: { id: string }[] }>(sim, "POST", "/seed", {
      users: [{ email: "path.user@example.com" }],
      groups: [{ name: "Paths" }],
    });
    userId = seeded.users[0]?.id ?? "";
    groupId = seeded.groups[0]?.id ?? "";
  });
  after(async () => {
    zoom.close();
    await sim.close();
  });
  beforeEach(() => clearCalls(sim));

  /** Each call refuses each value with ZoomInvalidIdentifierError naming `kind`, and Zoom hears nothing. */
  async function refusesAll(values: string[], kind: string, call: (value: string) => Promise<unknown>): Promise<void> {
    for (const value of values) {
      const error = await rejection(() => call(value));
      assert.ok(error instanceof ZoomInvalidIdentifierError, `${show(value)}: ${String(error)}`);
      assert.ok(error instanceof RangeError, "the domain maps RangeError to a SCIM 400");
      assert.equal(error.kind, kind);
      assert.ok(error.message.endsWith(` is not a Zoom ${kind}`), error.message);
    }
    assert.deepEqual(await simCalls(sim), [], "no call reached the simulator");
  }

  describe("refuse hostile user ids and emails", () => {
    const user = (call: (value: string) => Promise<unknown>) => refusesAll(HOSTILE_USERS, "user id or email", call);
    it("getUser", () => user((v) => zoom.getUser(v)));
    it("updateUser", () => user((v) => zoom.updateUser(v, { dept: "Nope" })));
    it("setUserStatus", () => user((v) => zoom.setUserStatus(v, "deactivate")));
    it("deleteUser", () => user((v) => zoom.deleteUser(v, "delete")));
    it("changeUserEmail", () => user((v) => zoom.changeUserEmail(v, "new.address@example.com")));
    it("signOutUser", () => user((v) => zoom.signOutUser(v)));
    it("removeGroupMember (member)", () => user((v) => zoom.removeGroupMember(groupId, v)));
    it("unassignRole (member)", () => user((v) => zoom.unassignRole("1", v)));
  });

  describe("refuse hostile group ids", () => {
    const group = (call: (value: string) => Promise<unknown>) => refusesAll(HOSTILE_IDS, "group id", call);
    it("getGroup", () => group((v) => zoom.getGroup(v)));
    it("renameGroup", () => group((v) => zoom.renameGroup(v, "Renamed")));
    it("deleteGroup", () => group((v) => zoom.deleteGroup(v)));
    it("listGroupMembers", () => group((v) => zoom.listGroupMembers(v)));
    it("listAllGroupMembers", () => group((v) => zoom.listAllGroupMembers(v)));
    it("addGroupMembers", () => group((v) => zoom.addGroupMembers(v, [userId])));
    it("addGroupMembers with no members still checks the group", () => group((v) => zoom.addGroupMembers(v, [])));
    it("removeGroupMember (group)", () => group((v) => zoom.removeGroupMember(v, userId)));
  });

  describe("refuse hostile role ids", () => {
    const role = (call: (value: string) => Promise<unknown>) => refusesAll(HOSTILE_IDS, "role id", call);
    it("listAllRoleMembers", () => role((v) => zoom.listAllRoleMembers(v)));
    it("assignRole", () => role((v) => zoom.assignRole(v, [userId])));
    it("unassignRole (role)", () => role((v) => zoom.unassignRole(v, userId)));
  });

  it("says what was refused in words an admin can read", async () => {
    const message = async (call: () => Promise<unknown>) => ((await rejection(call)) as Error).message;
    assert.equal(await message(() => zoom.removeGroupMember(groupId, "..")), '".." is not a Zoom user id or email');
    assert.equal(await message(() => zoom.getGroup("a/b")), '"a/b" is not a Zoom group id');
    assert.equal(await message(() => zoom.assignRole("", [userId])), '"" is not a Zoom role id');
    assert.equal(await message(() => zoom.getUser("\u0000")), '"\\u0000" is not a Zoom user id or email');
    assert.equal(
      await message(() => zoom.getUser("x".repeat(10_000))),
      `"${"x".repeat(40)}…" (10000 characters) is not a Zoom user id or email`,
    );
    assert.equal(await message(() => zoom.getUser(undefined as unknown as string)), "undefined is not a Zoom user id or email");
    const error = (await rejection(() => zoom.getUser("x".repeat(10_000)))) as ZoomInvalidIdentifierError;
    assert.equal(error.name, "ZoomInvalidIdentifierError");
    assert.equal(error.value.length, 100);
  });

  describe("still reach Zoom with valid ids and emails", () => {
    it("users by id and by an email that needs encoding", async () => {
      const email = "ann+scim&co=1@example.com";
      const created = await zoom.createUser({ action: "autoCreate", user_info: { email, type: 1 } });
      assert.equal((await zoom.getUser(email)).id, created.id);
      await zoom.updateUser(email, { dept: "Encoded" });
      assert.equal((await zoom.getUser(created.id)).dept, "Encoded");
      await zoom.signOutUser(email);
      await zoom.setUserStatus(created.id, "deactivate");
      await zoom.setUserStatus(email, "activate");
      await zoom.changeUserEmail(created.id, "ann.moved@example.com");
      await zoom.deleteUser("ann.moved@example.com", "delete");
      const paths = (await simCalls(sim)).filter((c) => c.path.startsWith("/v2/users/")).map((c) => `${c.method} ${c.path}`);
      assert.deepEqual(paths, [
        "GET /v2/users/ann%2Bscim%26co%3D1%40example.com",
        "PATCH /v2/users/ann%2Bscim%26co%3D1%40example.com",
        `GET /v2/users/${created.id}`,
        "DELETE /v2/users/ann%2Bscim%26co%3D1%40example.com/token",
        `PUT /v2/users/${created.id}/status`,
        "PUT /v2/users/ann%2Bscim%26co%3D1%40example.com/status",
        `PUT /v2/users/${created.id}/email`,
        "DELETE /v2/users/ann.moved%40example.com",
      ]);
    });

    it("ids of 1 and of 64 characters, with - and _", async () => {
      const longId = `${"A".repeat(31)}-${"z".repeat(31)}_`;
      assert.equal(longId.length, 64);
      await control(sim, "POST", "/seed", {
        users: [
          { email: "long.id@example.com", id: longId },
          { email: "short.id@example.com", id: "q" },
        ],
      });
      assert.equal((await zoom.getUser(longId)).email, "long.id@example.com");
      assert.equal((await zoom.getUser("q")).email, "short.id@example.com");
      // Not Zoom's "me": a lookalike longer id is a plain id.
      const unknown = await rejection(() => zoom.getUser("meme"));
      assert.ok(unknown instanceof ZoomApiError && unknown.code === 1001, String(unknown));
    });

    it("groups and their members", async () => {
      await zoom.renameGroup(groupId, "Paths renamed");
      assert.equal((await zoom.getGroup(groupId)).name, "Paths renamed");
      await zoom.addGroupMembers(groupId, [userId]);
      assert.deepEqual(
        (await zoom.listAllGroupMembers(groupId)).map((m) => m.id),
        [userId],
      );
      await zoom.removeGroupMember(groupId, "path.user@example.com");
      assert.equal((await zoom.listGroupMembers(groupId)).total_records, 0);
      const created = await zoom.createGroup("Paths doomed");
      await zoom.deleteGroup(created.id);
      assert.equal(((await rejection(() => zoom.getGroup(created.id))) as ZoomApiError).code, 4130);
    });

    it("built-in and custom role ids", async () => {
      await control(sim, "POST", "/seed", { roles: [{ id: "custom_Role-7", name: "Paths Auditor" }] });
      await zoom.assignRole("custom_Role-7", [userId]);
      assert.deepEqual(
        (await zoom.listAllRoleMembers("custom_Role-7")).map((m) => m.id),
        [userId],
      );
      await zoom.unassignRole("custom_Role-7", userId);
      for (const builtin of ["0", "1", "2"]) await zoom.listAllRoleMembers(builtin);
      const member = await rejection(() => zoom.assignRole("2", [userId]));
      assert.ok(member instanceof ZoomApiError && member.code === 300, "Zoom, not the client, refuses the Member role");
      const paths = (await simCalls(sim)).filter((c) => c.path.startsWith("/v2/roles/")).map((c) => `${c.method} ${c.path}`);
      assert.deepEqual(paths, [
        "POST /v2/roles/custom_Role-7/members",
        "GET /v2/roles/custom_Role-7/members",
        `DELETE /v2/roles/custom_Role-7/members/${userId}`,
        "GET /v2/roles/0/members",
        "GET /v2/roles/1/members",
        "GET /v2/roles/2/members",
        "POST /v2/roles/2/members",
      ]);
    });
  });

  describe("query strings", () => {
    it("percent-encodes a page token, so it cannot add parameters", async () => {
      const error = await rejection(() => zoom.listUsers({ status: "active", nextPageToken: "t&status=inactive#x y" }));
      assert.ok(error instanceof ZoomApiError && error.status === 400, String(error));
      const [call] = (await simCalls(sim)).filter((c) => c.path === "/v2/users");
      const query = new URLSearchParams(call?.query ?? "");
      assert.deepEqual(query.getAll("status"), ["active"]);
      assert.equal(query.get("next_page_token"), "t&status=inactive#x y");
      assert.ok(!(call?.query ?? "").includes("#"));
      await rejection(() => zoom.listGroupMembers(groupId, { nextPageToken: "a&page_size=1" }));
      const members = (await simCalls(sim)).find((c) => c.path.endsWith("/members"));
      assert.deepEqual(new URLSearchParams(members?.query ?? "").getAll("page_size"), []);
    });

    it("refuses statuses, actions, page sizes and page tokens Zoom has no such thing as, without a call", async () => {
      const refused = async (call: () => Promise<unknown>, pattern: RegExp) => {
        const error = await rejection(call);
        assert.ok(error instanceof RangeError, String(error));
        assert.match(error.message, pattern);
      };
      await refused(
        () => zoom.listUsers({ status: "active&role_id=0" as "active" }),
        /is not a Zoom user status \(active, inactive, pending\)/,
      );
      await refused(() => zoom.listAllUsers("deleted" as "active"), /is not a Zoom user status/);
      await refused(() => zoom.deleteUser(userId, "delete&transfer_email=x@example.com" as "delete"), /is not a Zoom delete action/);
      await refused(() => zoom.setUserStatus(userId, "remove" as "activate"), /is not a Zoom user status action/);
      for (const pageSize of [0, -1, 1.5, Number.NaN, Infinity])
        await refused(() => zoom.listUsers({ status: "active", pageSize }), /is not a Zoom page size/);
      await refused(() => zoom.listGroups({ nextPageToken: "t".repeat(2049) }), /page token/);
      await refused(() => zoom.listGroupMembers(groupId, { nextPageToken: 7 as unknown as string }), /page token/);
      assert.deepEqual(await simCalls(sim), []);
    });
  });
});
