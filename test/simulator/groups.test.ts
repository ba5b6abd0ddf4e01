import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Harness, type ZoomErrorBody } from "./helpers.js";

interface MemberPage {
  members: { id: string; email: string; first_name: string; last_name: string; type: number }[];
  total_records: number;
  page_size: number;
  next_page_token: string;
}

describe("groups: CRUD", () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start({ rateLimits: false });
  });
  after(() => h.close());

  it("creates a group (201 {id,name,total_members}) and refuses a taken name with 409/4132", async () => {
    const res = await h.api<{ id: string; name: string; total_members: number }>("POST", "/groups", { body: { name: "Engineering" } });
    assert.equal(res.status, 201);
    assert.match(res.body.id, /^[A-Za-z0-9_-]{22}$/);
    assert.deepEqual({ name: res.body.name, total_members: res.body.total_members }, { name: "Engineering", total_members: 0 });
    const dup = await h.api<ZoomErrorBody>("POST", "/groups", { body: { name: "engineering" } });
    assert.equal(dup.status, 409);
    assert.deepEqual(dup.body, { code: 4132, message: 'The group name "engineering" is already in use.' });
  });

  it("refuses a missing or blank name with 400/300", async () => {
    assert.equal((await h.api<ZoomErrorBody>("POST", "/groups", { body: {} })).body.code, 300);
    assert.equal((await h.api<ZoomErrorBody>("POST", "/groups", { body: { name: "  " } })).status, 400);
  });

  it("gets a group and answers 404/4130 for an unknown one", async () => {
    const id = await h.createGroup("Getme");
    const got = await h.api("GET", `/groups/${id}`);
    assert.deepEqual(got.body, { id, name: "Getme", total_members: 0 });
    const unknown = await h.api<ZoomErrorBody>("GET", "/groups/doesnotexist");
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, 4130);
  });

  it("renames (204) and refuses another group's name with 409/4132", async () => {
    const id = await h.createGroup("Old Name");
    assert.equal((await h.api("PATCH", `/groups/${id}`, { body: { name: "New Name" } })).status, 204);
    assert.equal((await h.api<{ name: string }>("GET", `/groups/${id}`)).body.name, "New Name");
    const taken = await h.api<ZoomErrorBody>("PATCH", `/groups/${id}`, { body: { name: "Engineering" } });
    assert.equal(taken.status, 409);
    assert.equal(taken.body.code, 4132);
    assert.equal((await h.api("PATCH", "/groups/nope", { body: { name: "X" } })).status, 404);
  });

  it("deletes a group (204); its members lose it", async () => {
    const id = await h.createGroup("Doomed");
    const userId = await h.createUser("doomed.member@example.com");
    await h.api("POST", `/groups/${id}/members`, { body: { members: [{ id: userId }] } });
    assert.deepEqual((await h.simUser(userId)).body.group_ids, [id]);
    assert.equal((await h.api("DELETE", `/groups/${id}`)).status, 204);
    assert.equal((await h.api("GET", `/groups/${id}`)).status, 404);
    assert.deepEqual((await h.simUser(userId)).body.group_ids, []);
    assert.equal((await h.api("DELETE", `/groups/${id}`)).status, 404);
  });

  it("lists groups with paging (page_size clamped to 300)", async () => {
    for (const name of ["L1", "L2", "L3"]) await h.createGroup(name);
    const total = (await h.api<{ total_records: number }>("GET", "/groups")).body.total_records;
    const names: string[] = [];
    let token = "";
    do {
      const res = await h.api<{ groups: { name: string }[]; next_page_token: string; total_records: number }>(
        "GET",
        `/groups?page_size=2${token ? `&next_page_token=${token}` : ""}`,
      );
      assert.ok(res.body.groups.length <= 2);
      names.push(...res.body.groups.map((g) => g.name));
      token = res.body.next_page_token;
    } while (token);
    assert.equal(names.length, total);
    assert.equal(new Set(names).size, total);
    const big = await h.api<{ groups: unknown[] }>("GET", "/groups?page_size=1000");
    assert.equal(big.status, 200);
  });
});

describe("groups: members", () => {
  let h: Harness;
  let groupId = "";
  const ids: Record<string, string> = {};
  before(async () => {
    h = await Harness.start({ rateLimits: false });
    groupId = await h.createGroup("Team");
    const seeded = await h.control<{ users: { id: string; email: string }[] }>("POST", "/seed", {
      users: [
        { email: "m1@example.com" },
        { email: "m2@example.com" },
        { email: "m3@example.com" },
        { email: "m4@example.com", status: "inactive" },
        { email: "waiting@example.com", status: "pending" },
      ],
      generate: { count: 31, domain: "many.example.com" },
    });
    for (const u of seeded.body.users) ids[u.email] = u.id;
  });
  after(() => h.close());

  it("adds members by id and by email: 201 {ids, added_at}", async () => {
    const res = await h.api<{ ids: string; added_at: string }>("POST", `/groups/${groupId}/members`, {
      body: { members: [{ id: ids["m1@example.com"] }, { email: "M2@example.com" }] },
    });
    assert.equal(res.status, 201);
    assert.equal(res.body.ids, `${ids["m1@example.com"]},${ids["m2@example.com"]}`);
    assert.match(res.body.added_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const group = await h.api<{ total_members: number }>("GET", `/groups/${groupId}`);
    assert.equal(group.body.total_members, 2);
  });

  it("accepts users who already are members and ignores them (idempotent)", async () => {
    const res = await h.api<{ ids: string }>("POST", `/groups/${groupId}/members`, {
      body: { members: [{ id: ids["m1@example.com"] }, { id: ids["m3@example.com"] }] },
    });
    assert.equal(res.status, 201);
    assert.equal(res.body.ids, `${ids["m1@example.com"]},${ids["m3@example.com"]}`);
    const state = await h.control<{ member_ids: string[] }>("GET", `/groups/${groupId}`);
    assert.deepEqual(state.body.member_ids, [ids["m1@example.com"], ids["m2@example.com"], ids["m3@example.com"]]);
  });

  it("refuses the whole batch when a user is unknown (404/1001): nothing is added", async () => {
    const res = await h.api<ZoomErrorBody>("POST", `/groups/${groupId}/members`, {
      body: { members: [{ id: ids["m4@example.com"] }, { email: "ghost@example.com" }] },
    });
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { code: 1001, message: "User does not exist: ghost@example.com." });
    assert.ok(!(await h.simUser("m4@example.com")).body.group_ids.includes(groupId));
  });

  it("refuses the whole batch when a user is pending (400/300): nothing is added", async () => {
    const res = await h.api<ZoomErrorBody>("POST", `/groups/${groupId}/members`, {
      body: { members: [{ id: ids["m4@example.com"] }, { email: "waiting@example.com" }] },
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 300);
    assert.match(res.body.message, /waiting@example\.com/);
    assert.deepEqual((await h.simUser("m4@example.com")).body.group_ids, []);
    assert.deepEqual((await h.simUser("waiting@example.com")).body.group_ids, []);
  });

  it("refuses more than 30 members per call with 400/300 and adds none", async () => {
    const members = Array.from({ length: 31 }, (_, i) => ({ email: `user${i + 1}@many.example.com` }));
    const res = await h.api<ZoomErrorBody>("POST", `/groups/${groupId}/members`, { body: { members } });
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 300);
    assert.equal((await h.api<{ total_members: number }>("GET", `/groups/${groupId}`)).body.total_members, 3);
    const thirty = await h.api("POST", `/groups/${groupId}/members`, { body: { members: members.slice(0, 30) } });
    assert.equal(thirty.status, 201);
  });

  it("lists members in pages (inactive members included)", async () => {
    await h.api("POST", `/groups/${groupId}/members`, { body: { members: [{ id: ids["m4@example.com"] }] } });
    const seen: string[] = [];
    let token = "";
    let total: number | undefined;
    do {
      const res = await h.api<MemberPage>("GET", `/groups/${groupId}/members?page_size=7${token ? `&next_page_token=${token}` : ""}`);
      assert.equal(res.status, 200);
      assert.ok(res.body.members.length <= 7);
      total = res.body.total_records;
      seen.push(...res.body.members.map((m) => m.id));
      token = res.body.next_page_token;
    } while (token);
    assert.equal(total, 34);
    assert.equal(new Set(seen).size, 34);
    assert.ok(seen.includes(ids["m4@example.com"] as string));
  });

  it("removes a member by id or email (204) and answers 404/4131 for a non-member", async () => {
    assert.equal((await h.api("DELETE", `/groups/${groupId}/members/${ids["m1@example.com"]}`)).status, 204);
    assert.equal((await h.api("DELETE", `/groups/${groupId}/members/m2@example.com`)).status, 204);
    const again = await h.api<ZoomErrorBody>("DELETE", `/groups/${groupId}/members/${ids["m1@example.com"]}`);
    assert.equal(again.status, 404);
    assert.deepEqual(again.body, { code: 4131, message: "Group member does not exist." });
    const unknownGroup = await h.api<ZoomErrorBody>("DELETE", `/groups/nogroup/members/${ids["m3@example.com"]}`);
    assert.equal(unknownGroup.body.code, 4130);
  });
});

describe("groups: plan and limits", () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start({ limits: { groupCreatesPerDay: 3, maxGroups: 10 } });
  });
  after(() => h.close());

  it("caps group creation per day: 429 with an ISO Retry-After at midnight GMT", async () => {
    for (const name of ["G1", "G2", "G3"]) await h.createGroup(name);
    const res = await h.api<ZoomErrorBody>("POST", "/groups", { body: { name: "G4" } });
    assert.equal(res.status, 429);
    assert.equal(res.body.code, 429);
    assert.match(res.body.message, /maximum daily rate limit/);
    const retry = res.headers.get("retry-after") ?? "";
    assert.match(retry, /^\d{4}-\d\d-\d\dT00:00:00Z$/);
    assert.ok(Date.parse(retry) > Date.now());
    assert.equal(res.headers.get("x-ratelimit-type"), "Daily-limit");
  });

  it("refuses groups past the account maximum with 400/300", async () => {
    await h.control("PATCH", "/config", { limits: { groupCreatesPerDay: 100, maxGroups: 3 } });
    const res = await h.api<ZoomErrorBody>("POST", "/groups", { body: { name: "G5" } });
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 300);
    assert.match(res.body.message, /maximum number of groups/);
  });

  it("answers 400/200 on a Free plan", async () => {
    await h.control("PATCH", "/config", { plan: "free" });
    const res = await h.api<ZoomErrorBody>("GET", "/groups");
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, { code: 200, message: "Only available for Paid account." });
    assert.equal((await h.api<ZoomErrorBody>("GET", "/roles")).body.code, 200);
  });
});
