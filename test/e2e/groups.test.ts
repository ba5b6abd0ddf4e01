// /Groups end to end: SCIM over HTTP against a running zoom-scim and Zoom simulator, asserting the SCIM answers,
// Zoom's resulting state, and the Zoom calls each operation made (the issue's call budget).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startHarness, type Harness, type ScimAnswer, type SimCall } from "../helpers/harness.js";

const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const ENTRA_GROUP = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group";

interface SimGroup {
  id: string;
  name: string;
  member_ids: string[];
  pending_member_ids: string[];
}
type Members = { value: string; display?: string }[];

let h: Harness;
const ops = (...operations: unknown[]): unknown => ({ schemas: [PATCH], Operations: operations });
const q = (filter: string): string => encodeURIComponent(filter);
const shape = (calls: SimCall[]): string[] => calls.map((c) => `${c.method} ${c.path.replace(/\/[\w-]{22}(?=\/|$)/g, "/{id}")}`);
const writes = (calls: SimCall[]): SimCall[] => calls.filter((c) => c.method !== "GET");
const memberIds = (answer: ScimAnswer): string[] => ((answer.body.members as Members | undefined) ?? []).map((m) => m.value).sort();

async function zoomGroup(id: string): Promise<SimGroup | undefined> {
  const answer = await h.simGet(`/_sim/groups/${encodeURIComponent(id)}`);
  return answer.status === 200 ? (answer.body as unknown as SimGroup) : undefined;
}

async function zoomMembers(id: string): Promise<string[]> {
  const group = await zoomGroup(id);
  return [...(group?.member_ids ?? []), ...(group?.pending_member_ids ?? [])].sort();
}

/** Seeds users straight into Zoom: `n` users named prefix0@…, with the given status. */
async function seedUsers(prefix: string, n: number, status = "active"): Promise<string[]> {
  const users = Array.from({ length: n }, (_, i) => ({ email: `${prefix}${i}@groups.example.com`, status }));
  const seeded = await h.simPost("/_sim/seed", { users });
  return (seeded.users as { id: string }[]).map((u) => u.id);
}

async function createGroup(name: string, members: string[] = [], extra: Record<string, unknown> = {}): Promise<string> {
  const created = await h.scim("POST", "/Groups", {
    schemas: [GROUP],
    displayName: name,
    members: members.map((value) => ({ value })),
    ...extra,
  });
  assert.equal(created.status, 201, created.text);
  return String(created.body.id);
}

/** Runs `request` and answers it with the Zoom calls it made (OAuth excluded). */
async function measured(request: () => Promise<ScimAnswer>): Promise<{ answer: ScimAnswer; calls: SimCall[] }> {
  const mark = await h.mark();
  const answer = await request();
  const calls = await h.callsSince(mark);
  // X-Zoom-Calls also counts the OAuth token requests that the simulator's API log leaves out.
  assert.ok(Number(answer.headers.get("x-zoom-calls")) >= calls.length, "X-Zoom-Calls counts the calls Zoom saw");
  return { answer, calls };
}

before(async () => {
  h = await startHarness({ env: { ZOOM_CREATE_ACTION: "autoCreate" } });
});
after(async () => h.close());

describe("discovery", () => {
  it("advertises Group with its schema once /Groups is served", async () => {
    const types = await h.scim("GET", "/ResourceTypes");
    const group = (types.body.Resources as { name: string; endpoint: string; schema: string }[]).find((t) => t.name === "Group");
    assert.deepEqual([group?.endpoint, group?.schema], ["/Groups", GROUP]);
    assert.equal((await h.scim("GET", "/ResourceTypes/Group")).status, 200);
    const schema = await h.scim("GET", `/Schemas/${GROUP}`);
    assert.ok((schema.body.attributes as { name: string }[]).some((a) => a.name === "members"));
    const wrongMethod = await h.scim("PATCH", "/Groups", ops());
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.body.status, "405");
    assert.equal(wrongMethod.headers.get("allow"), "GET, HEAD, POST, OPTIONS");
  });
});

describe("create", () => {
  it("creates the group, adds active and pending members, and answers 201 with Location", async () => {
    const [active, pending] = [...(await seedUsers("create-a", 1)), ...(await seedUsers("create-p", 1, "pending"))] as [string, string];
    const { answer, calls } = await measured(() =>
      h.scim("POST", "/Groups", {
        schemas: [GROUP, ENTRA_GROUP],
        displayName: "  Create Sales ",
        externalId: "okta-grp-1",
        members: [
          { value: active, $ref: null, display: "ignored" },
          { value: pending, type: "user" },
        ],
      }),
    );
    assert.equal(answer.status, 201, answer.text);
    const id = String(answer.body.id);
    assert.equal(answer.headers.get("location"), (answer.body.meta as { location: string }).location);
    assert.match(String(answer.headers.get("location")), new RegExp(`/scim/v2/Groups/${id}$`));
    assert.deepEqual([answer.body.displayName, answer.body.externalId, answer.body.schemas], ["Create Sales", "okta-grp-1", [GROUP]]);
    assert.deepEqual(answer.body.members, [
      { value: active, display: "create-a0@groups.example.com", type: "User", $ref: `${h.base}/Users/${active}` },
      { value: pending, display: "create-p0@groups.example.com", type: "User", $ref: `${h.base}/Users/${pending}` },
    ]);
    // Two reads validate the members; the pending user joins through Zoom's documented group_id PATCH.
    assert.deepEqual(shape(writes(calls)), ["POST /v2/groups", "POST /v2/groups/{id}/members", "PATCH /v2/users/{id}"]);
    const zoom = await zoomGroup(id);
    assert.deepEqual([zoom?.name, zoom?.member_ids, zoom?.pending_member_ids], ["Create Sales", [active], [pending]]);
  });

  it("adds members given at creation in batches of 30", async () => {
    const users = await seedUsers("create-batch", 65);
    const { answer, calls } = await measured(() =>
      h.scim("POST", "/Groups", { displayName: "Create Batches", members: users.map((value) => ({ value })) }),
    );
    assert.equal(answer.status, 201, answer.text);
    assert.equal(calls.filter((c) => c.method === "POST" && c.path.endsWith("/members")).length, 3);
    assert.deepEqual(await zoomMembers(String(answer.body.id)), [...users].sort());
  });

  it("refuses a taken name (any case) with 409 uniqueness, and unknown members with 400 before creating anything", async () => {
    await createGroup("Create Taken");
    const taken = await h.scim("POST", "/Groups", { displayName: "create TAKEN", members: [] });
    assert.equal(taken.status, 409, taken.text);
    assert.equal(taken.body.scimType, "uniqueness");
    assert.match(String(taken.body.detail), /filter=displayName eq "create TAKEN"/);

    const [known] = await seedUsers("create-known", 1);
    const { answer, calls } = await measured(() =>
      h.scim("POST", "/Groups", {
        displayName: "Create Unknown",
        members: [{ value: known }, { value: "no-such-user-000000000" }, { value: "x@y.com" }],
      }),
    );
    assert.equal(answer.status, 400);
    assert.equal(answer.body.scimType, "invalidValue");
    assert.match(String(answer.body.detail), /"no-such-user-000000000", "x@y.com" are not users/);
    assert.deepEqual(writes(calls), [], "nothing is created");
    assert.equal((await h.simGet(`/_sim/groups/${encodeURIComponent("Create Unknown")}`)).status, 404);
  });

  it("refuses bodies Zoom cannot hold", async () => {
    for (const body of [
      { members: [] },
      { displayName: "   " },
      { displayName: 7 },
      { displayName: "Nested", members: [{ value: "g", type: "Group" }] },
      [1],
    ]) {
      const answer = await h.scim("POST", "/Groups", body);
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.ok(["invalidValue", "invalidSyntax"].includes(String(answer.body.scimType)), answer.text);
    }
  });
});

describe("read", () => {
  let group: string;
  let users: string[];
  before(async () => {
    users = await seedUsers("read", 3);
    group = await createGroup("Read Engineering", users, { externalId: "entra-obj-9" });
    await createGroup("Read Empty");
  });

  it("gets a group with its members, and with excludedAttributes=members in one Zoom call", async () => {
    const full = await h.scim("GET", `/Groups/${group}`);
    assert.equal(full.status, 200);
    assert.deepEqual(memberIds(full), [...users].sort());
    const { answer, calls } = await measured(() => h.scim("GET", `/Groups/${group}?excludedAttributes=members`));
    assert.equal(answer.body.members, undefined);
    assert.equal(answer.body.displayName, "Read Engineering");
    assert.deepEqual(shape(calls), ["GET /v2/groups/{id}"]);
    const named = await measured(() => h.scim("GET", `/Groups/${group}?attributes=displayName`));
    assert.deepEqual(Object.keys(named.answer.body).sort(), ["displayName", "id", "schemas"]);
    assert.equal(named.calls.length, 1);
    const unknown = await h.scim("GET", "/Groups/no-such-group-00000000");
    assert.equal(unknown.status, 404);
    assert.match(String(unknown.body.detail), /not found/);
  });

  it("finds by displayName (case-insensitive) and externalId, and answers Entra's membership check with two calls", async () => {
    const byName = await h.scim("GET", `/Groups?filter=${q('displayName eq "READ engineering"')}&excludedAttributes=members`);
    assert.deepEqual(
      (byName.body.Resources as { id: string }[]).map((r) => r.id),
      [group],
    );
    const byExternal = await h.scim("GET", `/Groups?filter=${q('externalId eq "entra-obj-9"')}`);
    assert.deepEqual(
      (byExternal.body.Resources as { id: string }[]).map((r) => r.id),
      [group],
    );
    assert.equal(
      (await h.scim("GET", `/Groups?filter=${q('externalId eq "ENTRA-OBJ-9"')}`)).body.totalResults,
      0,
      "externalId is caseExact",
    );

    const check = (user: string) =>
      measured(() => h.scim("GET", `/Groups?excludedAttributes=members&filter=${q(`id eq "${group}" and members[value eq "${user}"]`)}`));
    const member = await check(users[1]!);
    assert.equal(member.answer.body.totalResults, 1);
    assert.deepEqual(shape(member.calls), ["GET /v2/groups/{id}", "GET /v2/users/{id}"]);
    const [outsider] = await seedUsers("read-out", 1);
    assert.equal((await check(outsider!)).answer.body.totalResults, 0);
  });

  it("evaluates any other filter over the groups, and pages them in a stable order", async () => {
    const sw = await h.scim("GET", `/Groups?filter=${q('displayName sw "read " and not (members pr)')}`);
    assert.deepEqual(
      (sw.body.Resources as { displayName: string }[]).map((r) => r.displayName),
      ["Read Empty"],
    );
    const byDisplay = await h.scim(
      "GET",
      `/Groups?filter=${q('members[display ew "@groups.example.com" and value eq "' + users[0] + '"]')}&attributes=displayName`,
    );
    assert.deepEqual(
      (byDisplay.body.Resources as { id: string }[]).map((r) => r.id),
      [group],
    );
    const search = await h.scim("POST", "/Groups/.search", {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
      filter: 'displayName eq "Read Empty"',
      attributes: ["displayName"],
    });
    assert.deepEqual(
      (search.body.Resources as { displayName: string }[]).map((r) => r.displayName),
      ["Read Empty"],
    );
    const bad = await h.scim("GET", `/Groups?filter=${q("displayName eq")}`);
    assert.equal(bad.body.scimType, "invalidFilter");

    const total = (await h.scim("GET", "/Groups?count=0")).body.totalResults as number;
    const seen: string[] = [];
    for (let start = 1; start <= total; start += 2) {
      const page = await h.scim("GET", `/Groups?startIndex=${start}&count=2&excludedAttributes=members`);
      assert.equal(page.body.totalResults, total);
      seen.push(...(page.body.Resources as { id: string }[]).map((r) => r.id));
    }
    assert.equal(new Set(seen).size, total);
  });

  it("shows the group in its members' read-only groups attribute", async () => {
    const user = await h.scim("GET", `/Users/${users[0]}?attributes=groups`);
    const groups = user.body.groups as { value: string; display: string }[];
    assert.ok(
      groups.some((g) => g.value === group && g.display === "Read Engineering"),
      user.text,
    );
  });

  it("pages a large group's members from Zoom at page size 2000", async () => {
    const generated = await h.simPost("/_sim/seed", {
      generate: { count: 2500, prefix: "big", domain: "big.example.com", returnIds: true },
    });
    const ids = (generated.generated as { ids: string[] }).ids;
    const seeded = await h.simPost("/_sim/seed", { groups: [{ name: "Read Big", members: ids }] });
    const big = (seeded.groups as { id: string }[])[0]!.id;
    const { answer, calls } = await measured(() => h.scim("GET", `/Groups/${big}`));
    assert.equal((answer.body.members as Members).length, 2500);
    const pages = calls.filter((c) => c.path.endsWith("/members"));
    assert.equal(pages.length, 2);
    assert.ok(
      pages.every((c) => c.query.includes("page_size=2000")),
      JSON.stringify(pages),
    );
  });
});

describe("patch", () => {
  let users: string[];
  before(async () => {
    users = await seedUsers("patch", 40);
  });

  it("keeps to the call budget: same-name rename 0, add k ceil(k/30) plus reads, remove k, delete 1", async () => {
    const group = await createGroup("Budget", users.slice(0, 2));
    await h.restartServer(); // cold caches: what a first request after a restart costs
    const get = await measured(() => h.scim("GET", `/Groups/${group}?excludedAttributes=members`));
    assert.equal(get.calls.length, 1);

    const same = await measured(() =>
      h.scim("PATCH", `/Groups/${group}`, ops({ op: "replace", value: { id: group, displayName: "Budget" } })),
    );
    assert.equal(same.answer.status, 204);
    assert.equal(same.calls.length, 0);

    // 1 member already in, 2 new: one add call; the reads tell members from non-members.
    const few = await measured(() =>
      h.scim("PATCH", `/Groups/${group}`, ops({ op: "add", path: "members", value: users.slice(1, 4).map((value) => ({ value })) })),
    );
    assert.equal(few.answer.status, 204, few.answer.text);
    assert.deepEqual(shape(writes(few.calls)), ["POST /v2/groups/{id}/members"]);
    assert.ok(few.calls.length <= 1 + 3, shape(few.calls).join());

    // 36 new ones (and 4 members again): ceil(36/30) = 2 add calls; the reads do not grow with k.
    const many = await measured(() =>
      h.scim("PATCH", `/Groups/${group}`, ops({ op: "Add", path: "members", value: users.map((value) => ({ value })) })),
    );
    assert.equal(many.answer.status, 204, many.answer.text);
    assert.equal(writes(many.calls).length, 2);
    // The reads: the group's member page, and one scan of Zoom's user lists (which says who exists and who is
    // pending; pending users come without id and are looked up by email). No read per added user.
    const reads = many.calls.filter((c) => c.method === "GET");
    assert.equal(reads.filter((c) => c.path.endsWith("/members")).length, 1);
    const gets = reads.filter((c) => /^\/v2\/users\/[^/]+$/.test(c.path));
    assert.ok(
      gets.every((c) => c.path.includes("%40")),
      `reads: ${shape(many.calls).join()}`,
    );
    assert.deepEqual(await zoomMembers(group), [...users].sort());

    const removed = users.slice(0, 3);
    const remove = await measured(() =>
      h.scim("PATCH", `/Groups/${group}`, ops(...removed.map((id) => ({ op: "remove", path: `members[value eq "${id}"]` })))),
    );
    assert.equal(remove.answer.status, 204);
    assert.deepEqual(
      shape(remove.calls),
      removed.map(() => "DELETE /v2/groups/{id}/members/{id}"),
    );
    assert.equal((await zoomMembers(group)).length, 37);

    const del = await measured(() => h.scim("DELETE", `/Groups/${group}`));
    assert.equal(del.answer.status, 204);
    assert.deepEqual(shape(del.calls), ["DELETE /v2/groups/{id}"]);
  });

  it("renames with one call, and refuses a taken name with 409 uniqueness", async () => {
    const group = await createGroup("Patch Rename");
    await createGroup("Patch Other");
    const renamed = await measured(() =>
      h.scim("PATCH", `/Groups/${group}`, ops({ op: "replace", path: "displayName", value: "Patch Renamed" })),
    );
    assert.equal(renamed.answer.status, 204);
    assert.deepEqual(shape(renamed.calls), ["PATCH /v2/groups/{id}"]);
    assert.equal((await zoomGroup(group))?.name, "Patch Renamed");
    const again = await measured(() =>
      h.scim("PATCH", `/Groups/${group}`, ops({ op: "replace", value: { displayName: "Patch Renamed" } })),
    );
    assert.equal(again.calls.length, 0);
    const taken = await h.scim("PATCH", `/Groups/${group}`, ops({ op: "replace", path: "displayName", value: "patch other" }));
    assert.equal(taken.status, 409);
    assert.equal(taken.body.scimType, "uniqueness");
  });

  it("removes by value array (Entra) and by filter, one call each; a non-member's removal is a no-op", async () => {
    const group = await createGroup("Patch Remove", users.slice(0, 4));
    const entra = await measured(() =>
      h.scim(
        "PATCH",
        `/Groups/${group}`,
        ops({ op: "Remove", path: "members", value: [{ $ref: null, value: users[0] }, { value: users[1] }] }),
      ),
    );
    assert.equal(entra.answer.status, 204);
    assert.equal(entra.calls.length, 2);
    const outsider = await measured(() =>
      h.scim("PATCH", `/Groups/${group}`, ops({ op: "remove", path: `members[value eq "${users[30]}"]` })),
    );
    assert.equal(outsider.answer.status, 204, outsider.answer.text);
    assert.equal(outsider.calls.length, 1);
    assert.deepEqual(await zoomMembers(group), users.slice(2, 4).sort());
  });

  it("replaces members by diff (Okta's full push), and removes everyone", async () => {
    const group = await createGroup("Patch Replace", users.slice(0, 3));
    const wanted = [users[1]!, users[2]!, users[3]!, users[4]!];
    const { answer, calls } = await measured(() =>
      h.scim("PATCH", `/Groups/${group}`, ops({ op: "replace", path: "members", value: wanted.map((value) => ({ value })) })),
    );
    assert.equal(answer.status, 204, answer.text);
    assert.deepEqual(shape(writes(calls)), ["POST /v2/groups/{id}/members", "DELETE /v2/groups/{id}/members/{id}"]);
    assert.deepEqual(await zoomMembers(group), [...wanted].sort());
    const cleared = await measured(() => h.scim("PATCH", `/Groups/${group}`, ops({ op: "remove", path: "members" })));
    assert.equal(cleared.answer.status, 204);
    assert.equal(writes(cleared.calls).length, 4);
    assert.deepEqual(await zoomMembers(group), []);
  });

  it("applies mixed operations in order, and answers 200 with the group when attributes are asked for", async () => {
    const group = await createGroup("Patch Mixed", [users[5]!]);
    const body = ops(
      { op: "replace", value: { displayName: "Patch Mixed 2", externalId: "mixed-ext" } },
      { op: "add", path: "members", value: [{ value: users[6] }, { value: users[7] }] },
      { op: "remove", path: `members[value eq "${users[7]}"]` },
      { op: "remove", path: "members", value: [{ value: users[5] }] },
    );
    const { answer } = await measured(() => h.scim("PATCH", `/Groups/${group}?attributes=displayName,members,externalId`, body));
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual([answer.body.displayName, answer.body.externalId, memberIds(answer)], ["Patch Mixed 2", "mixed-ext", [users[6]]]);
    assert.deepEqual(await zoomMembers(group), [users[6]]);
    assert.equal((await zoomGroup(group))?.name, "Patch Mixed 2");
    const empty = await measured(() => h.scim("PATCH", `/Groups/${group}`, ops()));
    assert.deepEqual([empty.answer.status, empty.calls.length], [204, 0]);
  });

  it("validates every operation before changing anything", async () => {
    const group = await createGroup("Patch Validate", [users[8]!]);
    const unknown = await measured(() =>
      h.scim(
        "PATCH",
        `/Groups/${group}`,
        ops(
          { op: "replace", path: "displayName", value: "Never" },
          { op: "remove", path: "members" },
          { op: "add", path: "members", value: [{ value: users[9] }, { value: "ghost-user-0000000000" }] },
        ),
      ),
    );
    assert.equal(unknown.answer.status, 400);
    assert.equal(unknown.answer.body.scimType, "invalidValue");
    assert.match(String(unknown.answer.body.detail), /"ghost-user-0000000000" is not a user.*Nothing was changed/);
    assert.deepEqual(writes(unknown.calls), []);
    assert.deepEqual([(await zoomGroup(group))?.name, await zoomMembers(group)], ["Patch Validate", [users[8]]]);
    const cases: [unknown, string][] = [
      [ops({ op: "replace", path: `members[value eq "${users[8]}"].display`, value: "x" }), "mutability"],
      [ops({ op: "add", path: `members[value eq "${users[8]}"]`, value: { value: "y" } }), "mutability"],
      [ops({ op: "replace", path: "id", value: "other" }), "mutability"],
      [ops({ op: "remove", path: "displayName" }), "invalidValue"],
      [ops({ op: "add", path: "nope", value: 1 }), "invalidPath"],
      [ops({ op: "add", path: "members", value: [{ value: group, type: "Group" }] }), "invalidValue"],
    ];
    for (const [body, scimType] of cases) {
      const answer = await h.scim("PATCH", `/Groups/${group}`, body);
      assert.deepEqual([answer.status, answer.body.scimType], [400, scimType], answer.text);
    }
    assert.equal(
      (await h.scim("PATCH", "/Groups/no-such-group-00000000", ops({ op: "remove", path: `members[value eq "${users[8]}"]` }))).status,
      404,
    );
    assert.equal((await h.scim("PATCH", "/Groups/no-such-group-00000000", ops())).status, 404);
  });

  it("adds pending users with Zoom's group_id, shows them as members, and removes them", async () => {
    const [pending] = await seedUsers("patch-pending", 1, "pending");
    const group = await createGroup("Patch Pending");
    const added = await measured(() =>
      h.scim("PATCH", `/Groups/${group}`, ops({ op: "add", path: "members", value: [{ value: pending }] })),
    );
    assert.equal(added.answer.status, 204, added.answer.text);
    assert.deepEqual(shape(writes(added.calls)), ["PATCH /v2/users/{id}"]);
    assert.deepEqual((await zoomGroup(group))?.pending_member_ids, [pending]);
    assert.deepEqual(memberIds(await h.scim("GET", `/Groups/${group}`)), [pending]);
    const again = await measured(() =>
      h.scim("PATCH", `/Groups/${group}`, ops({ op: "add", path: "members", value: [{ value: pending }] })),
    );
    assert.deepEqual(writes(again.calls), [], "re-adding a pending member is a no-op");
    await h.simPost(`/_sim/users/${pending}/accept-invitation`);
    assert.deepEqual((await zoomGroup(group))?.member_ids, [pending]);
    assert.equal((await h.scim("PATCH", `/Groups/${group}`, ops({ op: "remove", path: `members[value eq "${pending}"]` }))).status, 204);
    assert.deepEqual(await zoomMembers(group), []);
  });
});

describe("put and delete", () => {
  it("replaces name and membership by diff with PUT", async () => {
    const users = await seedUsers("put", 4);
    const group = await createGroup("Put Before", users.slice(0, 2), { externalId: "put-ext" });
    const body = { schemas: [GROUP], id: group, displayName: "Put After", members: users.slice(1).map((value) => ({ value })) };
    const { answer, calls } = await measured(() => h.scim("PUT", `/Groups/${group}`, body));
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual([answer.body.displayName, answer.body.externalId, memberIds(answer)], ["Put After", "put-ext", users.slice(1).sort()]);
    assert.deepEqual(shape(writes(calls)), [
      "PATCH /v2/groups/{id}",
      "POST /v2/groups/{id}/members",
      "DELETE /v2/groups/{id}/members/{id}",
    ]);
    assert.deepEqual([(await zoomGroup(group))?.name, await zoomMembers(group)], ["Put After", users.slice(1).sort()]);
    const unchanged = await measured(() => h.scim("PUT", `/Groups/${group}?excludedAttributes=members`, { displayName: "Put After" }));
    assert.equal(unchanged.answer.status, 200);
    assert.deepEqual(writes(unchanged.calls), [], "members omitted from a PUT are kept");
  });

  it("deletes with one call, then answers 404; members' groups no longer list it", async () => {
    const [user] = await seedUsers("delete", 1);
    const group = await createGroup("Delete Me", [user!]);
    const { answer, calls } = await measured(() => h.scim("DELETE", `/Groups/${group}`));
    assert.deepEqual([answer.status, calls.length], [204, 1]);
    assert.equal(await zoomGroup(group), undefined);
    assert.equal((await h.scim("GET", `/Groups/${group}`)).status, 404);
    assert.equal((await h.scim("DELETE", `/Groups/${group}`)).status, 404);
    const groups = ((await h.scim("GET", `/Users/${user}`)).body.groups as { value: string }[] | undefined) ?? [];
    assert.ok(!groups.some((g) => g.value === group));
  });
});

describe("Zoom failures", () => {
  it("says what was applied when Zoom fails half-way, and converges when the request is repeated", async () => {
    const users = await seedUsers("fail", 4);
    const group = await createGroup("Fail Before", [users[0]!]);
    const body = ops(
      { op: "replace", path: "displayName", value: "Fail After" },
      { op: "add", path: "members", value: users.slice(1, 3).map((value) => ({ value })) },
      { op: "remove", path: `members[value eq "${users[0]}"]` },
    );
    await h.simPost("/_sim/faults", { rules: [{ method: "POST", path: "/v2/groups/*/members", status: 503, count: 1 }] });
    const failed = await h.scim("PATCH", `/Groups/${group}`, body);
    await h.simDelete("/_sim/faults");
    assert.equal(failed.status, 502, failed.text);
    assert.ok(failed.headers.get("retry-after"));
    assert.match(
      String(failed.body.detail),
      /Applied before the failure: renaming the group to "Fail After"\. Not applied: adding 2 member\(s\).*removing 1 member\(s\).*Repeating the same request/,
    );
    assert.deepEqual([(await zoomGroup(group))?.name, await zoomMembers(group)], ["Fail After", [users[0]]]);

    const repeated = await measured(() => h.scim("PATCH", `/Groups/${group}`, body));
    assert.equal(repeated.answer.status, 204, repeated.answer.text);
    assert.ok(!shape(repeated.calls).includes("PATCH /v2/groups/{id}"), "the rename is not sent again");
    assert.deepEqual(await zoomMembers(group), users.slice(1, 3).sort());

    // A rate limit on one removal: the others go through, and the answer names the one that did not.
    const stuck = users[2]!;
    await h.simPost("/_sim/faults", {
      rules: [{ method: "DELETE", path: `/v2/groups/${group}/members/${stuck}`, status: 429, headers: { "Retry-After": "30" } }],
    });
    const limited = await h.scim(
      "PATCH",
      `/Groups/${group}`,
      ops({ op: "remove", path: "members", value: users.slice(1, 3).map((value) => ({ value })) }),
    );
    await h.simDelete("/_sim/faults");
    assert.equal(limited.status, 429, limited.text);
    assert.ok(Number(limited.headers.get("retry-after")) >= 1);
    assert.match(String(limited.body.detail), new RegExp(`Not applied: removing 1 member\\(s\\) \\(${stuck}\\)`));
    assert.deepEqual(await zoomMembers(group), [stuck]);
    assert.equal(
      (
        await h.scim(
          "PATCH",
          `/Groups/${group}`,
          ops({ op: "remove", path: "members", value: users.slice(1, 3).map((value) => ({ value })) }),
        )
      ).status,
      204,
    );
    assert.deepEqual(await zoomMembers(group), []);
  });

  it("says which group was created when its members could not all be added", async () => {
    const users = await seedUsers("fail-create", 2);
    await h.simPost("/_sim/faults", { rules: [{ method: "POST", path: "/v2/groups/*/members", status: 503, count: 1 }] });
    const failed = await h.scim("POST", "/Groups", { displayName: "Fail Create", members: users.map((value) => ({ value })) });
    await h.simDelete("/_sim/faults");
    assert.equal(failed.status, 502, failed.text);
    const id = /created with id (\S+),/.exec(String(failed.body.detail))?.[1];
    assert.ok(id, failed.text);
    assert.match(String(failed.body.detail), new RegExp(`PATCH /Groups/${id}`));
    assert.equal((await zoomGroup(id))?.name, "Fail Create");
    assert.equal(
      (await h.scim("PATCH", `/Groups/${id}`, ops({ op: "add", path: "members", value: users.map((value) => ({ value })) }))).status,
      204,
    );
    assert.deepEqual(await zoomMembers(id), [...users].sort());
  });

  it("explains that Zoom groups need a paid plan", async () => {
    const patchConfig = (plan: string) =>
      fetch(`${h.sim.baseUrl}/_sim/config`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ plan }),
      });
    await patchConfig("free");
    try {
      const created = await h.scim("POST", "/Groups", { displayName: "Free Plan" });
      assert.equal(created.status, 403, created.text);
      assert.match(String(created.body.detail), /paid Zoom plan/);
    } finally {
      await patchConfig("pro");
    }
  });
});
