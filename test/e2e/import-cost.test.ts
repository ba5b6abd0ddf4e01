// Okta-style import of a large directory, page by page: one scan of Zoom's lists, not a scan per page.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { startHarness, type Harness } from "../helpers/harness.js";

const USERS = 2500;
let h: Harness;
before(async () => {
  h = await startHarness();
  await h.simPost("/_sim/seed", { generate: { count: USERS, status: "active", domain: "import.example.com" } });
});
after(async () => h.close());

it(`imports ${USERS} users in pages of 100 with about ceil(N/2000) + 4 Zoom calls`, async () => {
  const mark = await h.mark();
  const ids = new Set<string>();
  let total = Infinity;
  for (let start = 1; start <= total; start += 100) {
    const page = await h.scim("GET", `/Users?startIndex=${start}&count=100`);
    assert.equal(page.status, 200);
    total = page.body.totalResults as number;
    const resources = page.body.Resources as { id: string; userName: string }[];
    assert.equal(page.body.itemsPerPage, resources.length);
    for (const r of resources) ids.add(r.id);
  }
  assert.ok(total >= USERS, `totalResults ${total}`);
  assert.equal(ids.size, total, "every user exactly once, in a stable order");
  const calls = await h.callsSince(mark);
  const budget = Math.ceil(USERS / 2000) + 4;
  assert.ok(calls.length <= budget, `${calls.length} Zoom calls: ${calls.map((c) => `${c.method} ${c.path}?${c.query}`).join(", ")}`);
  assert.ok(
    calls.filter((c) => c.path === "/v2/users").every((c) => c.query.includes("page_size=2000")),
    "lists use the largest page size",
  );
});
