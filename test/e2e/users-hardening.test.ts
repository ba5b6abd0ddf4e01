// /Users requests whose cost a client could blow up: a filter on an attribute Zoom's list lacks (one Zoom get per
// candidate), and a userName built to make a backtracking email check take seconds.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startHarness, type Harness } from "../helpers/harness.js";
import { CORE } from "../helpers/pending.js";

let h: Harness;
before(async () => {
  h = await startHarness({ env: { SCIM_RECONCILE_INTERVAL_SECONDS: "0" } });
  await h.simPost("/_sim/seed", {
    generate: { count: 250, prefix: "many", domain: "many.example.com" },
    users: [{ email: "rep.one@many.example.com", first_name: "Rep", last_name: "One", type: 1, status: "active", job_title: "Sales Rep" }],
  });
});
after(async () => h.close());

const list = (filter: string) => h.scim("GET", `/Users?filter=${encodeURIComponent(filter)}`);

describe("filters on attributes Zoom's user list lacks", () => {
  it("are refused with invalidFilter, before any per-user call, when too many users are candidates", async () => {
    const mark = await h.mark();
    const answer = await list("title pr");
    assert.equal(answer.status, 400, answer.text);
    assert.equal(answer.body.scimType, "invalidFilter");
    assert.match(String(answer.body.detail), /title.*one Zoom call per candidate user.*at most 200/);
    const calls = await h.callsSince(mark);
    assert.ok(calls.length <= 8, `${calls.length} Zoom calls: the snapshot scan only`);
  });

  it("are served when conjuncts Zoom's list can judge narrow the candidates first", async () => {
    const answer = await list('title eq "Sales Rep" and userName sw "rep."');
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(
      (answer.body.Resources as { userName: string }[]).map((r) => r.userName),
      ["rep.one@many.example.com"],
    );
  });
});

describe("userName", () => {
  it("built to make a backtracking check slow is refused with a short detail", async () => {
    const answer = await h.scim("POST", "/Users", { schemas: [CORE], userName: "a@" + ".".repeat(100_000) });
    assert.equal(answer.status, 400, answer.text.slice(0, 300));
    assert.equal(answer.body.scimType, "invalidValue");
    assert.ok(String(answer.body.detail).length < 400, "the detail does not echo the whole value");
  });
});
