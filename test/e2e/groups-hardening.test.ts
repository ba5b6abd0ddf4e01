// Group requests a hostile or careless client sends: member values that are no Zoom user id (they would become part
// of Zoom's URLs), thousands of unknown or non-member ids (each must not cost a Zoom call), and a pending member
// whose invitation expired (it must not break every read of /Groups).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startHarness, type Harness } from "../helpers/harness.js";
import { patch, writes, type Json } from "../helpers/pending.js";

let h: Harness;
before(async () => {
  h = await startHarness({ env: { SCIM_RECONCILE_INTERVAL_SECONDS: "0" } });
});
after(async () => h.close());

async function seedGroup(
  name: string,
  members: string[],
  users: Json[] = [],
): Promise<{ group: string; users: { id: string; email: string }[] }> {
  const seeded = await h.simPost("/_sim/seed", { users, groups: [{ name, members }] });
  const groups = seeded.groups as { id: string }[];
  return { group: groups[0]!.id, users: seeded.users as { id: string; email: string }[] };
}

describe("member values in Zoom's URLs", () => {
  it("refuses values that are no Zoom user id with 400 invalidValue before any Zoom call", async () => {
    const { group } = await seedGroup("Path Safety", []);
    for (const value of ["..", ".", "a/b", "x?y=1", "%2e%2e", "me", "a".repeat(65), "id with space"]) {
      const mark = await h.mark();
      for (const body of [
        patch({ op: "remove", path: `members[value eq ${JSON.stringify(value)}]` }),
        patch({ op: "remove", path: "members", value: [{ value }] }),
      ]) {
        const answer = await h.scim("PATCH", `/Groups/${group}`, body);
        assert.equal(answer.status, 400, `${value}: ${answer.text}`);
        assert.equal(answer.body.scimType, "invalidValue", answer.text);
        assert.match(String(answer.body.detail), /is not a Zoom user id/);
      }
      // A member to add that is no id is no user of the account: refused like any unknown user, before any change.
      const added = await h.scim("PATCH", `/Groups/${group}`, patch({ op: "add", path: "members", value: [{ value }] }));
      assert.equal(added.status, 400, `${value}: ${added.text}`);
      assert.equal(added.body.scimType, "invalidValue", added.text);
      assert.match(String(added.body.detail), /not (a )?users? of this Zoom account/);
      assert.deepEqual(writes(await h.callsSince(mark)), [], `${value}: nothing reached Zoom`);
    }
    const still = await h.scim("GET", `/Groups/${group}`);
    assert.equal(still.status, 200, "the group was not deleted");
  });
});

describe("fan-out", () => {
  it("judges 3,000 unknown member ids with a few Zoom reads, not one per id", async () => {
    const { group } = await seedGroup("Fan Out", []);
    const ids = Array.from({ length: 3000 }, (_, i) => `unknownUser${i}`);
    const mark = await h.mark();
    const answer = await h.scim("PATCH", `/Groups/${group}`, patch({ op: "add", path: "members", value: ids.map((value) => ({ value })) }));
    assert.equal(answer.status, 400, answer.text);
    assert.match(String(answer.body.detail), /unknownUser0/);
    const calls = await h.callsSince(mark);
    assert.deepEqual(writes(calls), [], "nothing changed");
    assert.ok(
      calls.length <= 10,
      `${calls.length} Zoom calls: ${calls
        .slice(0, 12)
        .map((c) => `${c.method} ${c.path}`)
        .join(", ")}`,
    );
  });

  it("removes 3,000 non-members with one read of the members, not 3,000 calls", async () => {
    const { group, users } = await seedGroup(
      "Fan Out Removal",
      ["kept.member@example.com"],
      [{ email: "kept.member@example.com", first_name: "Kept", last_name: "Member", type: 1, status: "active" }],
    );
    const ids = Array.from({ length: 3000 }, (_, i) => `notAMember${i}`);
    const mark = await h.mark();
    const answer = await h.scim(
      "PATCH",
      `/Groups/${group}`,
      patch({ op: "remove", path: "members", value: ids.map((value) => ({ value })) }),
    );
    assert.equal(answer.status, 204, answer.text);
    const calls = await h.callsSince(mark);
    assert.deepEqual(writes(calls), [], "no removal reached Zoom");
    assert.ok(calls.length <= 10, `${calls.length} Zoom calls`);
    const read = await h.scim("GET", `/Groups/${group}`);
    assert.deepEqual(
      (read.body.members as Json[]).map((m) => m.value),
      [users[0]!.id],
      "the real member stays",
    );
  });
});

describe("a pending member whose invitation expired", () => {
  it("leaves GET /Groups and GET /Groups/{id} answering 200", async () => {
    const { group, users } = await seedGroup(
      "Lapsed Invitations",
      ["active.member@example.com", "lapsed.member@example.com"],
      [
        { email: "active.member@example.com", first_name: "Active", last_name: "Member", type: 1, status: "active" },
        { email: "lapsed.member@example.com", first_name: "Lapsed", last_name: "Member", type: 1, status: "pending" },
      ],
    );
    const lapsed = users.find((u) => u.email === "lapsed.member@example.com")!;
    await h.simPost(`/_sim/users/${lapsed.id}/expire-invitation`);
    const one = await h.scim("GET", `/Groups/${group}`);
    assert.equal(one.status, 200, one.text);
    const active = users.find((u) => u.email === "active.member@example.com")!;
    assert.ok(
      (one.body.members as Json[]).some((m) => m.value === active.id),
      one.text,
    );
    const list = await h.scim("GET", "/Groups?count=100");
    assert.equal(list.status, 200, list.text);
    assert.ok((list.body.Resources as Json[]).some((g) => g.id === group));
  });
});
