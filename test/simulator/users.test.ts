import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Harness, type ListedUsers, type ZoomErrorBody } from "./helpers.js";

describe("users: create", () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start({ rateLimits: false });
  });
  after(() => h.close());

  it("creates a pending user with action=create and active users with the other actions", async () => {
    const res = await h.api<Record<string, unknown>>("POST", "/users", {
      body: { action: "create", user_info: { email: "invitee@example.com", type: 1, first_name: "In", last_name: "Vitee" } },
    });
    assert.equal(res.status, 201);
    assert.deepEqual(Object.keys(res.body).sort(), ["email", "first_name", "id", "last_name", "type"]);
    assert.match(res.body.id as string, /^[A-Za-z0-9_-]{22}$/);
    assert.equal((await h.simUser("invitee@example.com")).body.status, "pending");
    for (const action of ["autoCreate", "custCreate", "ssoCreate"]) {
      const id = await h.createUser(`${action.toLowerCase()}@example.com`, action);
      const state = await h.simUser(id);
      assert.equal(state.body.status, "active", action);
    }
  });

  it("stores emails lower-cased and refuses a duplicate (any case) with 409/1005", async () => {
    const id = await h.createUser("Mixed.Case@Example.com");
    assert.equal((await h.simUser(id)).body.email, "mixed.case@example.com");
    const dup = await h.api<ZoomErrorBody>("POST", "/users", {
      body: { action: "autoCreate", user_info: { email: "MIXED.case@example.COM", type: 1 } },
    });
    assert.equal(dup.status, 409);
    assert.deepEqual(dup.body, { code: 1005, message: 'Email "MIXED.case@example.COM" has already been used.' });
  });

  it("answers 400/300 Validation Failed with the failing fields", async () => {
    const noEmail = await h.api<ZoomErrorBody>("POST", "/users", { body: { action: "create", user_info: { type: 1 } } });
    assert.equal(noEmail.status, 400);
    assert.deepEqual(noEmail.body, {
      code: 300,
      message: "Validation Failed.",
      errors: [{ field: "user_info.email", message: "Invalid field." }],
    });
    const badAction = await h.api<ZoomErrorBody>("POST", "/users", { body: { action: "invite", user_info: { email: "a@b.co", type: 1 } } });
    assert.deepEqual(badAction.body.errors, [{ field: "action", message: "Invalid field." }]);
    const unknown = await h.api<ZoomErrorBody>("POST", "/users", {
      body: { action: "create", user_info: { email: "a@b.co", type: 1, nickname: "x" } },
    });
    assert.deepEqual(unknown.body.errors, [{ field: "user_info.nickname", message: "Invalid field." }]);
    const type99 = await h.api<ZoomErrorBody>("POST", "/users", { body: { action: "create", user_info: { email: "a@b.co", type: 99 } } });
    assert.equal(type99.status, 400);
    assert.deepEqual(type99.body.errors, [{ field: "user_info.type", message: "Invalid field." }]);
    const badEmail = await h.api<ZoomErrorBody>("POST", "/users", {
      body: { action: "create", user_info: { email: "not-an-email", type: 1 } },
    });
    assert.deepEqual(badEmail.body.errors, [{ field: "user_info.email", message: "Invalid field." }]);
  });

  it("refuses an email that holds a Zoom account elsewhere with 400/1009", async () => {
    await h.control("POST", "/seed", { externalEmails: ["taken@elsewhere.com"] });
    const res = await h.api<ZoomErrorBody>("POST", "/users", {
      body: { action: "create", user_info: { email: "taken@elsewhere.com", type: 1 } },
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 1009);
  });
});

describe("users: list and get", () => {
  let h: Harness;
  let activeIds: string[] = [];
  before(async () => {
    h = await Harness.start({ rateLimits: false });
    await h.control("POST", "/seed", {
      roles: [{ id: "custom-role-1", name: "Auditor" }],
      users: [
        { email: "pending1@example.com", status: "pending", first_name: "Pen", last_name: "Ding" },
        { email: "inactive1@example.com", status: "inactive" },
        { email: "auditor@example.com", status: "active", role_id: "custom-role-1" },
      ],
    });
    const gen = await h.control<{ generated: { ids: string[] } }>("POST", "/seed", { generate: { count: 24, domain: "list.example.com" } });
    activeIds = gen.body.generated.ids;
  });
  after(() => h.close());

  it("lists active users by default, with Zoom's paging fields", async () => {
    const res = await h.api<ListedUsers>("GET", "/users");
    assert.equal(res.status, 200);
    assert.equal(res.body.page_size, 30);
    assert.equal(res.body.total_records, 26); // owner + auditor + 24 generated
    assert.equal(res.body.next_page_token, "");
    assert.ok(res.body.users.every((u) => u.status === "active" && typeof u.id === "string"));
  });

  it("pages with an expiring next_page_token, without repeats or gaps", async () => {
    const seen: string[] = [];
    let token = "";
    let pages = 0;
    do {
      const res = await h.api<ListedUsers>("GET", `/users?status=active&page_size=10${token ? `&next_page_token=${token}` : ""}`);
      assert.equal(res.status, 200);
      assert.equal(res.body.page_size, 10);
      assert.equal(res.body.total_records, 26);
      seen.push(...res.body.users.map((u) => u.id as string));
      token = res.body.next_page_token;
      pages += 1;
    } while (token);
    assert.equal(pages, 3);
    assert.equal(new Set(seen).size, 26);
    for (const id of activeIds) assert.ok(seen.includes(id));
  });

  it("refuses a forged, foreign or expired next_page_token with 400/300", async () => {
    const expected = { code: 300, message: "The next page token is invalid or expired." };
    const forged = await h.api<ZoomErrorBody>("GET", "/users?next_page_token=abc.def");
    assert.equal(forged.status, 400);
    assert.deepEqual(forged.body, expected);
    const first = await h.api<ListedUsers>("GET", "/users?page_size=5");
    const token = first.body.next_page_token;
    assert.ok(token);
    const foreign = await h.api<ZoomErrorBody>("GET", `/users?status=inactive&next_page_token=${token}`);
    assert.deepEqual(foreign.body, expected);
    assert.equal((await h.api("GET", `/users?page_size=5&next_page_token=${token}`)).status, 200);
    await h.control("POST", "/clock", { advanceSeconds: 901 });
    const expired = await h.api<ZoomErrorBody>("GET", `/users?page_size=5&next_page_token=${token}`);
    assert.deepEqual(expired.body, expected);
  });

  it("clamps page_size to 2000 and refuses a non-numeric one", async () => {
    const big = await h.api<ListedUsers>("GET", "/users?page_size=5000");
    assert.equal(big.body.page_size, 2000);
    const bad = await h.api<ZoomErrorBody>("GET", "/users?page_size=lots");
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 300);
  });

  it("lists pending users without id, and inactive users by status", async () => {
    const pending = await h.api<ListedUsers>("GET", "/users?status=pending");
    assert.equal(pending.body.users.length, 1);
    const [user] = pending.body.users;
    assert.equal(user?.email, "pending1@example.com");
    assert.equal(user?.id, undefined);
    assert.equal(user?.status, "pending");
    const inactive = await h.api<ListedUsers>("GET", "/users?status=inactive");
    assert.deepEqual(
      inactive.body.users.map((u) => u.email),
      ["inactive1@example.com"],
    );
    const invalid = await h.api<ZoomErrorBody>("GET", "/users?status=deleted");
    assert.equal(invalid.status, 400);
  });

  it("filters by role_id", async () => {
    const res = await h.api<ListedUsers>("GET", "/users?role_id=custom-role-1");
    assert.deepEqual(
      res.body.users.map((u) => u.email),
      ["auditor@example.com"],
    );
    assert.equal(res.body.total_records, 1);
  });

  it("returns more fields on get than on list", async () => {
    const list = await h.api<ListedUsers>("GET", "/users?page_size=1");
    const listed = list.body.users[0] as unknown as Record<string, unknown>;
    const got = await h.api<Record<string, unknown>>("GET", `/users/${listed.id as string}`);
    assert.equal(got.status, 200);
    for (const field of ["role_name", "account_id", "language", "login_types", "personal_meeting_url", "use_pmi"]) {
      assert.ok(field in got.body, `get has ${field}`);
      assert.ok(!(field in listed), `list lacks ${field}`);
    }
    for (const field of ["id", "email", "type", "status", "role_id", "group_ids"]) assert.deepEqual(got.body[field], listed[field]);
  });

  it("gets a user by id or by email (case-insensitively); a pending user by email has its id", async () => {
    const state = await h.simUser("pending1@example.com");
    const byEmail = await h.api<Record<string, unknown>>("GET", "/users/PENDING1@Example.com");
    assert.equal(byEmail.status, 200);
    assert.equal(byEmail.body.id, state.body.id);
    assert.equal(byEmail.body.status, "pending");
    const byId = await h.api<Record<string, unknown>>("GET", `/users/${activeIds[0] as string}`);
    assert.equal(byId.body.email, "user1@list.example.com");
    assert.equal(byId.body.role_name, "Member");
  });

  it("answers 404/1001 for an unknown user", async () => {
    const res = await h.api<ZoomErrorBody>("GET", "/users/nobody@example.com");
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { code: 1001, message: "User does not exist: nobody@example.com." });
  });

  it("answers 400/1120 for a user whose invitation expired", async () => {
    await h.control("POST", "/users/pending1@example.com/expire-invitation");
    const res = await h.api<ZoomErrorBody>("GET", "/users/pending1@example.com");
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 1120);
  });
});

describe("users: update (PATCH)", () => {
  let h: Harness;
  let userId = "";
  let pendingId = "";
  let groupId = "";
  before(async () => {
    h = await Harness.start({ rateLimits: false });
    userId = await h.createUser("patch.me@example.com");
    pendingId = await h.createUser("pending.patch@example.com", "create");
    groupId = await h.createGroup("Patchers");
  });
  after(() => h.close());

  it("applies documented fields and answers 204 without a body", async () => {
    const res = await h.api("PATCH", `/users/${userId}`, {
      body: {
        first_name: "New",
        job_title: "Director",
        dept: "Ops",
        phone_numbers: [{ country: "US", code: "+1", number: "5550100", label: "Mobile" }],
        custom_attributes: [{ key: "k1", name: "Badge", value: "42" }],
        timezone: "Europe/Paris",
      },
    });
    assert.equal(res.status, 204);
    assert.equal(res.text, "");
    const got = await h.api<Record<string, unknown>>("GET", `/users/${userId}`);
    assert.equal(got.body.first_name, "New");
    assert.equal(got.body.display_name, "New Last");
    assert.equal(got.body.job_title, "Director");
    assert.equal(got.body.dept, "Ops");
    assert.equal(got.body.timezone, "Europe/Paris");
    assert.deepEqual(got.body.phone_numbers, [{ country: "US", code: "+1", number: "5550100", label: "Mobile" }]);
    assert.deepEqual(got.body.custom_attributes, [{ key: "k1", name: "Badge", value: "42" }]);
  });

  it("refuses undocumented fields (email, status, role_id, anything else) with 400/300", async () => {
    for (const field of ["email", "status", "role_id", "nickname"]) {
      const res = await h.api<ZoomErrorBody>("PATCH", `/users/${userId}`, { body: { [field]: "x" } });
      assert.equal(res.status, 400, field);
      assert.deepEqual(res.body, { code: 300, message: "Validation Failed.", errors: [{ field, message: "Invalid field." }] });
    }
  });

  it("refuses a type change combined with a plan change", async () => {
    const res = await h.api<ZoomErrorBody>("PATCH", `/users/${userId}`, { body: { type: 2, plan_united_type: "1" } });
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 300);
    assert.match(res.body.message, /at the same time/);
    assert.equal((await h.api("PATCH", `/users/${userId}`, { body: { type: 2 } })).status, 204);
    assert.equal((await h.simUser(userId)).body.type, 2);
  });

  it("enforces documented limits: ≤ 5 custom attributes, ≤ 3 phone numbers, name ≤ 64", async () => {
    const attrs = Array.from({ length: 6 }, (_, i) => ({ key: `k${i}`, name: `n${i}`, value: "v" }));
    assert.equal((await h.api("PATCH", `/users/${userId}`, { body: { custom_attributes: attrs } })).status, 400);
    const phones = Array.from({ length: 4 }, () => ({ number: "1" }));
    assert.equal((await h.api("PATCH", `/users/${userId}`, { body: { phone_numbers: phones } })).status, 400);
    assert.equal((await h.api("PATCH", `/users/${userId}`, { body: { first_name: "x".repeat(65) } })).status, 400);
  });

  it("answers 204 for a pending user but changes nothing", async () => {
    const res = await h.api("PATCH", `/users/${pendingId}`, { body: { first_name: "Changed", job_title: "CEO" } });
    assert.equal(res.status, 204);
    const state = await h.simUser(pendingId);
    assert.equal(state.body.first_name, "First");
    assert.equal(state.body.profile.job_title, undefined);
  });

  it("applies group_id to a pending user: the group holds them until they accept", async () => {
    assert.equal((await h.api("PATCH", `/users/${pendingId}`, { body: { group_id: groupId } })).status, 204);
    assert.deepEqual((await h.simUser(pendingId)).body.group_ids, [groupId]);
    const group = await h.control<{ pending_member_ids: string[]; member_ids: string[] }>("GET", `/groups/${groupId}`);
    assert.deepEqual(group.body.pending_member_ids, [pendingId]);
    const listed = await h.api<{ total_records: number }>("GET", `/groups/${groupId}/members`);
    assert.equal(listed.body.total_records, 0);
    await h.control("POST", `/users/${pendingId}/accept-invitation`);
    const after = await h.api<{ members: { id: string }[] }>("GET", `/groups/${groupId}/members`);
    assert.deepEqual(
      after.body.members.map((m) => m.id),
      [pendingId],
    );
  });

  it("ignores group_id for an active user and refuses an unknown group with 404/4130", async () => {
    assert.equal((await h.api("PATCH", `/users/${userId}`, { body: { group_id: groupId } })).status, 204);
    assert.deepEqual((await h.simUser(userId)).body.group_ids, []);
    const unknown = await h.api<ZoomErrorBody>("PATCH", `/users/${userId}`, { body: { group_id: "nope" } });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, 4130);
  });

  it("answers 404/1001 for an unknown user", async () => {
    const res = await h.api<ZoomErrorBody>("PATCH", "/users/ghost@example.com", { body: { dept: "x" } });
    assert.equal(res.status, 404);
    assert.equal(res.body.code, 1001);
  });
});
