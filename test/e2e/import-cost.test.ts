// Okta-style import of a large directory, page by page: one scan of Zoom's lists, not a scan per page, and a walk that
// outlives the snapshot's TTL keeps the snapshot it started on (no rescan halfway). Writes during a walk keep order.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { startHarness, type Harness } from "../helpers/harness.js";
import { CORE } from "../helpers/pending.js";

const USERS = 5000;
// A TTL shorter than a walk with a pause in it: later pages must not rescan Zoom.
const TTL_SECONDS = 1;
let h: Harness;
before(async () => {
  h = await startHarness({ env: { SCIM_SNAPSHOT_TTL_SECONDS: String(TTL_SECONDS), SCIM_RECONCILE_INTERVAL_SECONDS: "0" } });
  await h.simPost("/_sim/seed", { generate: { count: USERS, status: "active", domain: "import.example.com" } });
});
after(async () => h.close());

interface Listed {
  id: string;
  userName: string;
  meta: { created: string };
}

/** Pages of 100 from startIndex 1 until totalResults; `between` runs after each page. */
async function walk(between: (page: number) => Promise<void> = async () => undefined): Promise<{ users: Listed[]; total: number }> {
  const users: Listed[] = [];
  let total = Infinity;
  for (let start = 1, page = 0; start <= total; start += 100, page++) {
    const answer = await h.scim("GET", `/Users?startIndex=${start}&count=100`);
    assert.equal(answer.status, 200, answer.text);
    total = answer.body.totalResults as number;
    const resources = answer.body.Resources as Listed[];
    assert.equal(answer.body.itemsPerPage, resources.length);
    users.push(...resources);
    await between(page);
  }
  return { users, total };
}

/** The snapshot's order: creation time, then id. */
const inOrder = (users: Listed[]): boolean =>
  users.every((u, i) => {
    const previous = users[i - 1];
    return !previous || previous.meta.created < u.meta.created || (previous.meta.created === u.meta.created && previous.id < u.id);
  });

const budget = Math.ceil(USERS / 2000) + 4;

it(`imports ${USERS} users in pages of 100 with at most ceil(N/2000) + 4 Zoom calls, each user once, in order`, async () => {
  const mark = await h.mark();
  const { users, total } = await walk();
  assert.ok(total >= USERS, `totalResults ${total}`);
  assert.equal(users.length, total);
  assert.equal(new Set(users.map((u) => u.id)).size, total, "every user exactly once");
  assert.ok(inOrder(users), "in the snapshot's stable order");
  const calls = await h.callsSince(mark);
  assert.ok(calls.length <= budget, `${calls.length} Zoom calls: ${calls.map((c) => `${c.method} ${c.path}?${c.query}`).join(", ")}`);
  assert.ok(
    calls.filter((c) => c.path === "/v2/users").every((c) => c.query.includes("page_size=2000")),
    "lists use the largest page size",
  );
});

it("a walk that outlives the snapshot TTL is not rescanned halfway", async () => {
  const mark = await h.mark();
  // A pause past the TTL after the first page: a later page that rescanned would cost a whole scan again.
  const { users, total } = await walk(async (page) => {
    if (page === 0) await sleep(TTL_SECONDS * 1000 + 300);
  });
  assert.equal(new Set(users.map((u) => u.id)).size, total);
  const calls = await h.callsSince(mark);
  const scans = calls.filter((c) => c.path === "/v2/users" && c.query.includes("status=active")).length;
  assert.ok(scans <= Math.ceil(USERS / 2000), `${scans} active-list pages: one scan at most`);
  assert.ok(calls.length <= budget, `${calls.length} Zoom calls`);
});

it("users created during a walk come after the others, which keep their order and appear once", async () => {
  const created: string[] = [];
  const { users, total } = await walk(async (page) => {
    if (page !== 10 && page !== 20) return;
    const answer = await h.scim("POST", "/Users", {
      schemas: [CORE],
      userName: `walker${page}@import.example.com`,
      name: { givenName: "Walk", familyName: `Er${page}` },
    });
    assert.equal(answer.status, 201, answer.text);
    created.push(String(answer.body.id));
  });
  assert.equal(users.length, total);
  assert.equal(new Set(users.map((u) => u.id)).size, total, "no user twice, none skipped");
  assert.ok(inOrder(users), "order kept across the inserts");
  // Zoom's creation times have whole seconds: two users made within one second are ordered by id.
  assert.deepEqual(
    users
      .slice(-created.length)
      .map((u) => u.id)
      .sort(),
    [...created].sort(),
    "the new users are last",
  );
});
