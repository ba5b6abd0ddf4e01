import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Harness, type SimUserState } from "./helpers.js";

interface CallLogAnswer {
  total: number;
  calls: { seq: number; method: string; path: string; query: string; status: number; category: string; at: string }[];
}

describe("control plane: call log", () => {
  let h: Harness;
  let userId = "";
  before(async () => {
    h = await Harness.start({ rateLimits: false, callLogLimit: 50 });
    userId = await h.createUser("logged@example.com");
  });
  after(() => h.close());

  it("logs /v2 calls with seq, method, path (no query), raw query, status, category and time", async () => {
    await h.control("DELETE", "/calls");
    await h.api("GET", `/users/${userId}`);
    await h.api("GET", "/users?status=active&page_size=2000");
    await h.api("GET", "/users/nobody@example.com");
    await h.api("POST", "/groups/x/members", { body: { members: [{ id: userId }] } });
    const log = await h.control<CallLogAnswer>("GET", "/calls");
    assert.equal(log.body.total, 4);
    const calls = log.body.calls;
    assert.deepEqual(
      calls.map(({ method, path, query, status, category }) => ({ method, path, query, status, category })),
      [
        { method: "GET", path: `/v2/users/${userId}`, query: "", status: 200, category: "light" },
        { method: "GET", path: "/v2/users", query: "status=active&page_size=2000", status: 200, category: "medium" },
        { method: "GET", path: "/v2/users/nobody@example.com", query: "", status: 404, category: "light" },
        { method: "POST", path: "/v2/groups/x/members", query: "", status: 404, category: "medium" },
      ],
    );
    for (let i = 1; i < calls.length; i++) assert.ok((calls[i]?.seq ?? 0) > (calls[i - 1]?.seq ?? 0));
    assert.ok(calls.every((c) => !Number.isNaN(Date.parse(c.at)) && c.at.endsWith("Z")));
  });

  it("never logs /_sim calls and filters with ?since=", async () => {
    const before = await h.control<CallLogAnswer>("GET", "/calls");
    const last = before.body.calls[before.body.calls.length - 1]?.seq ?? 0;
    await h.control("GET", "/users/logged@example.com");
    await h.api("GET", "/users/summary");
    const since = await h.control<CallLogAnswer>("GET", `/calls?since=${last}`);
    assert.equal(since.body.calls.length, 1);
    assert.equal(since.body.calls[0]?.path, "/v2/users/summary");
    assert.equal(since.body.calls[0]?.seq, last + 1);
  });

  it("clears with DELETE; seq keeps increasing", async () => {
    const before = await h.control<CallLogAnswer>("GET", "/calls");
    const last = before.body.calls[before.body.calls.length - 1]?.seq ?? 0;
    assert.equal((await h.control("DELETE", "/calls")).status, 200);
    const empty = await h.control<CallLogAnswer>("GET", "/calls");
    assert.deepEqual({ total: empty.body.total, calls: empty.body.calls }, { total: 0, calls: [] });
    await h.api("GET", "/users/summary");
    const next = await h.control<CallLogAnswer>("GET", "/calls");
    assert.equal(next.body.calls[0]?.seq, last + 1);
  });

  it("keeps the last callLogLimit calls while total counts them all", async () => {
    await h.control("DELETE", "/calls");
    for (let i = 0; i < 60; i++) await h.api("GET", "/users/summary");
    const log = await h.control<CallLogAnswer>("GET", "/calls");
    assert.equal(log.body.total, 60);
    assert.equal(log.body.calls.length, 50);
  });
});

describe("control plane: seed, state, reset, config, clock", () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start({ rateLimits: false });
  });
  after(() => h.close());

  it("seeds users of every status, roles and groups, answering their ids", async () => {
    const res = await h.control<{
      users: { id: string; email: string; status: string }[];
      groups: { id: string; name: string; total_members: number }[];
      roles: { id: string; name: string }[];
    }>("POST", "/seed", {
      roles: [{ name: "Auditor", id: "auditor" }],
      users: [
        { email: "s1@example.com", first_name: "S", last_name: "One", type: 2, status: "active", role_id: "auditor" },
        { email: "s2@example.com", status: "inactive", id: "fixed-id-s2" },
        { email: "s3@example.com", status: "pending" },
      ],
      groups: [{ name: "Seeded", members: ["s1@example.com", "fixed-id-s2", "s3@example.com"] }],
    });
    assert.equal(res.status, 201);
    assert.deepEqual(
      res.body.users.map((u) => [u.email, u.status]),
      [
        ["s1@example.com", "active"],
        ["s2@example.com", "inactive"],
        ["s3@example.com", "pending"],
      ],
    );
    assert.equal(res.body.users[1]?.id, "fixed-id-s2");
    assert.deepEqual(res.body.roles, [{ id: "auditor", name: "Auditor" }]);
    assert.equal(res.body.groups[0]?.total_members, 2); // the pending member is not counted
    const pending = await h.control<SimUserState>("GET", "/users/s3@example.com");
    assert.equal(pending.body.status, "pending");
    assert.match(pending.body.id, /^[A-Za-z0-9_-]{22}$/);
    assert.equal(pending.body.role_id, "2");
    assert.deepEqual(pending.body.group_ids, [res.body.groups[0]?.id]);
    const group = await h.control<{ member_ids: string[]; pending_member_ids: string[] }>("GET", `/groups/${res.body.groups[0]?.id}`);
    assert.deepEqual(group.body.member_ids, [res.body.users[0]?.id, "fixed-id-s2"]);
    assert.deepEqual(group.body.pending_member_ids, [pending.body.id]);
    assert.equal((await h.control<SimUserState>("GET", "/users/s1@example.com")).body.role_name, "Auditor");
  });

  it("takes profile fields flat or under `profile`", async () => {
    await h.control("POST", "/seed", {
      users: [
        { email: "flat@example.com", dept: "Sales", job_title: "Rep" },
        { email: "nested@example.com", profile: { company: "Acme" } },
      ],
    });
    const flat = await h.api<{ dept: string; job_title: string }>("GET", "/users/flat@example.com");
    assert.deepEqual([flat.body.dept, flat.body.job_title], ["Sales", "Rep"]);
    assert.equal((await h.api<{ company: string }>("GET", "/users/nested@example.com")).body.company, "Acme");
  });

  it("generates N users", async () => {
    const res = await h.control<{ generated: { count: number; ids: string[]; firstEmail: string } }>("POST", "/seed", {
      generate: { count: 100, domain: "gen.example.com", status: "inactive" },
    });
    assert.equal(res.body.generated.count, 100);
    assert.equal(res.body.generated.ids.length, 100);
    assert.equal(res.body.generated.firstEmail, "user1@gen.example.com");
    const listed = await h.api<{ total_records: number }>("GET", "/users?status=inactive");
    assert.equal(listed.body.total_records, 101);
  });

  it("refuses an invalid seed whole: nothing is created", async () => {
    const dup = await h.control<{ error: string }>("POST", "/seed", {
      users: [{ email: "fresh@example.com" }, { email: "s1@example.com" }],
    });
    assert.equal(dup.status, 409);
    assert.match(dup.body.error, /s1@example.com/);
    assert.equal((await h.control("GET", "/users/fresh@example.com")).status, 404);
    const unknownMember = await h.control("POST", "/seed", { groups: [{ name: "Bad", members: ["ghost@example.com"] }] });
    assert.equal(unknownMember.status, 400);
    const unknownRole = await h.control("POST", "/seed", { users: [{ email: "r@example.com", role_id: "nope" }] });
    assert.equal(unknownRole.status, 400);
    assert.equal((await h.control("POST", "/seed", { generate: { count: -1 } })).status, 400);
  });

  it("resets to an empty account that keeps its owner (same id) and valid tokens", async () => {
    const before = await h.control<{ ownerId: string; users: number }>("GET", "");
    assert.ok(before.body.users > 1);
    const res = await h.control<{ ownerId: string }>("POST", "/reset");
    assert.equal(res.status, 200);
    assert.equal(res.body.ownerId, before.body.ownerId);
    const after = await h.control<{ users: number; groups: number }>("GET", "");
    assert.deepEqual([after.body.users, after.body.groups], [1, 0]);
    assert.equal((await h.control("GET", "/users/s1@example.com")).status, 404);
    const roles = await h.api<{ roles: { id: string }[] }>("GET", "/roles");
    assert.deepEqual(
      roles.body.roles.map((r) => r.id),
      ["0", "1", "2"],
    );
    assert.equal((await h.control("POST", "/reset", { revokeTokens: true })).status, 200);
    assert.equal((await h.api("GET", "/users")).status, 401);
    h.token = await h.newToken();
  });

  it("reads and changes the configuration, refusing bad values", async () => {
    const got = await h.control<{ plan: string; clientSecret: string }>("GET", "/config");
    assert.equal(got.body.plan, "pro");
    assert.equal(got.body.clientSecret, "(hidden)");
    const patched = await h.control<{ plan: string; autoAcceptInvitationsAfterMs?: number }>("PATCH", "/config", {
      plan: "business",
      autoAcceptInvitationsAfterMs: 10,
    });
    assert.equal(patched.body.plan, "business");
    assert.equal(patched.body.autoAcceptInvitationsAfterMs, 10);
    assert.equal((await h.control("PATCH", "/config", { plan: "enterprise" })).status, 400);
    assert.equal((await h.control("PATCH", "/config", { accountId: "x" })).status, 400);
  });

  it("advances the clock", async () => {
    const before = await h.control<{ now: string }>("GET", "/clock");
    const after = await h.control<{ now: string; offsetMs: number }>("POST", "/clock", { advanceSeconds: 3600 });
    assert.ok(Date.parse(after.body.now) - Date.parse(before.body.now) >= 3600_000);
    assert.equal((await h.control("POST", "/clock", { advanceSeconds: -1 })).status, 400);
  });

  it("answers 404 for unknown control endpoints and 400 for a malformed body", async () => {
    assert.equal((await h.control("GET", "/nothing")).status, 404);
    const res = await fetch(`${h.sim.baseUrl}/_sim/seed`, { method: "POST", body: "{nope" });
    assert.equal(res.status, 400);
  });
});
