// The pieces behind large lists: a sort and a loop that yield to the event loop, and the users a list shows taken a
// page at a time from the snapshot without copying it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { forEachYielding, sortYielding } from "../../src/lib/yielding.js";
import { ListedUsers } from "../../src/provisioning/gateway/user-listing.js";
import type { IdentifiedZoomUser } from "../../src/provisioning/gateway/user-state.js";

describe("sortYielding", () => {
  it("sorts as Array.prototype.sort does, stably, whatever the run size", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.nat())),
        fc.integer({ min: 1, max: 40 }),
        async (items, every) => {
          const byKey = (a: [number, number], b: [number, number]): number => a[0] - b[0];
          assert.deepEqual(await sortYielding(items, byKey, every), [...items].sort(byKey));
        },
      ),
    );
  });

  it("lets other work run while it sorts", async () => {
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 0);
    const items = Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 200_003);
    const sorted = await sortYielding(items, (a, b) => a - b, 1000);
    clearInterval(timer);
    assert.ok(sorted.every((v, i) => i === 0 || (sorted[i - 1] as number) <= v));
    assert.ok(ticks > 0, "a timer ran during the sort");
  });
});

describe("forEachYielding", () => {
  it("visits every item once, in order, with its index", async () => {
    const seen: [string, number][] = [];
    await forEachYielding(["a", "b", "c", "d", "e"], (item, index) => seen.push([item, index]), 2);
    assert.deepEqual(seen, [
      ["a", 0],
      ["b", 1],
      ["c", 2],
      ["d", 3],
      ["e", 4],
    ]);
  });
});

const user = (id: string): IdentifiedZoomUser => ({ id, email: `${id}@example.com`, type: 1, status: "active" }) as IdentifiedZoomUser;

describe("ListedUsers", () => {
  it("gives every page of the list that skipping, substituting and appending would give", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.uniqueArray(fc.nat({ max: 39 })),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 0, max: 20 }),
        (size, skipped, extra, start, count) => {
          const users = Array.from({ length: size }, (_, i) => user(`u${i}`));
          const inRange = skipped.filter((p) => p < size);
          const substitutes = new Map(users.filter((_, i) => i % 3 === 0).map((u) => [u.id, { ...u, invitation: "expired" as const }]));
          const appended = Array.from({ length: extra }, (_, i) => user(`x${i}`));
          const listed = new ListedUsers(users, substitutes, appended, inRange);
          const expected = [...users.filter((_, i) => !inRange.includes(i)).map((u) => substitutes.get(u.id) ?? u), ...appended];
          assert.equal(listed.total, expected.length);
          assert.deepEqual(listed.slice(start, count), expected.slice(start, start + count));
          assert.deepEqual(listed.all(), expected);
        },
      ),
    );
  });

  it("pinned, keeps the list as it was when pinned", () => {
    const users = [user("a"), user("c")];
    const pinned = new ListedUsers(users, new Map(), [], []).pinned();
    users.splice(0, 1);
    assert.deepEqual(
      pinned.all().map((u) => u.id),
      ["a", "c"],
    );
  });

  it("reads the snapshot's list when a page is taken: a user inserted since shows", () => {
    const users = [user("a"), user("c")];
    const listed = new ListedUsers(users, new Map(), [], []);
    users.splice(1, 0, user("b"));
    assert.deepEqual(
      listed.slice(0, 10).map((u) => u.id),
      ["a", "b", "c"],
    );
  });
});
