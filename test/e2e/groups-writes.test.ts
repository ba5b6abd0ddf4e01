// /Groups end to end, changing and deleting (PATCH, PUT, DELETE, Zoom failing half-way): SCIM over HTTP against a
// running zoom-scim and Zoom simulator, asserting the answers, Zoom's resulting state and the Zoom calls made.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
  createGroup,
  GROUP,
  h,
  measured,
  memberIds,
  ops,
  seedUsers,
  shape,
  useGroupsHarness,
  writes,
  zoomGroup,
  zoomMembers,
} from "../helpers/groups.js";

useGroupsHarness();

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
