// /Groups end to end, creating and reading: SCIM over HTTP against a running zoom-scim and Zoom simulator, asserting
// the SCIM answers, Zoom's resulting state, and the Zoom calls each operation made (the issue's call budget).
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
  createGroup,
  ENTRA_GROUP,
  type Members,
  GROUP,
  h,
  measured,
  memberIds,
  ops,
  q,
  seedUsers,
  shape,
  useGroupsHarness,
  writes,
  zoomGroup,
  zoomMembers,
} from "../helpers/groups.js";

useGroupsHarness();

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
