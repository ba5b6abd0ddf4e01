// The queue bound end to end: with Zoom's Free plan (4 light calls a second) and a bound of 1 s, 30 reads sent at once
// are served as far as the bound allows and the rest are answered 429 with Retry-After by zoom-scim itself; Zoom
// never sees a call over its limit, so it never answers 429.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startHarness, type Harness } from "../helpers/harness.js";

let h: Harness;

before(async () => {
  h = await startHarness({
    simulator: { rateLimits: true, plan: "free" },
    env: { ZOOM_PLAN: "free", ZOOM_MAX_QUEUE_WAIT_SECONDS: "1", ZOOM_CREATE_ACTION: "autoCreate" },
    zoomRateLimit: true,
  });
});
after(async () => h.close());

describe("pacing toward Zoom", () => {
  it("answers 429 with Retry-After past the queue bound, sends nothing for those, and Zoom never answers 429", async () => {
    await h.simPost("/_sim/seed", { users: [{ email: "paced.reader@example.com", first_name: "Paced", last_name: "Reader" }] });
    const seeded = await h.simGet(`/_sim/users/${encodeURIComponent("paced.reader@example.com")}`);
    const id = String(seeded.body.id);
    // Let the seeding's own calls leave the window before the burst.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const since = await h.mark();
    const answers = await Promise.all(Array.from({ length: 30 }, () => h.scim("GET", `/Users/${id}`)));
    const ok = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status === 429);
    assert.equal(ok.length + refused.length, answers.length, `statuses: ${answers.map((a) => a.status).join(", ")}`);
    // 4 a second, paced at 92 %: the first few to arrive get slots within 1 s; 30 at once cannot all.
    assert.ok(ok.length >= 2, `${ok.length} served`);
    assert.ok(refused.length >= 1, `${refused.length} refused`);
    for (const answer of refused) {
      assert.match(String(answer.headers.get("retry-after")), /^[1-9]\d*$/);
      assert.deepEqual(answer.body.schemas, ["urn:ietf:params:scim:api:messages:2.0:Error"]);
      assert.match(String(answer.body.detail), /would have waited more than 1 s .*nothing was sent to Zoom/);
    }
    const calls = await h.callsSince(since);
    assert.equal(calls.filter((c) => c.status === 429).length, 0, "Zoom answered 429");
    assert.equal(calls.length, ok.length, "one Zoom call per served read, none for the refused");
  });
});
