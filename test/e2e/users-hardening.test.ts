// /Users requests whose cost a client could blow up: a filter on an attribute Zoom's list lacks (it would cost one
// Zoom get per candidate: it is judged from details zoom-scim read recently, or refused), and a userName built to make
// a backtracking email check take seconds.
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

const perUserGets = (calls: { method: string; path: string }[]) =>
  calls.filter((c) => c.method === "GET" && c.path.startsWith("/v2/users/"));

describe("filters on attributes Zoom's user list lacks", () => {
  it("are refused with invalidFilter, saying why and what to use, without a Zoom call per user", async () => {
    const mark = await h.mark();
    const answer = await list("title pr");
    const calls = await h.callsSince(mark);
    assert.equal(answer.status, 400, answer.text);
    assert.equal(answer.body.scimType, "invalidFilter");
    const everyone = (await h.scim("GET", "/Users?count=0")).body.totalResults;
    assert.match(String(answer.body.detail), /title.*does not carry.*one Zoom call per user/);
    assert.match(
      String(answer.body.detail),
      new RegExp(`and ${String(everyone)} candidate users' details are not known`),
      "every user is a candidate",
    );
    assert.match(String(answer.body.detail), /userName eq/, "names the equality that works instead");
    assert.deepEqual(perUserGets(calls), [], "no user is read one by one");
    assert.ok(calls.length <= 8, `${calls.length} Zoom calls: the snapshot scan only`);
  });

  it("narrowed by conjuncts Zoom's list can judge, are refused while a candidate's details are unknown", async () => {
    const answer = await list('title eq "Sales Rep" and userName sw "rep."');
    assert.equal(answer.status, 400, answer.text);
    assert.match(String(answer.body.detail), /1 candidate users' details are not known/);
  });

  it("are judged from the details zoom-scim read recently, with no Zoom call", async () => {
    const found = await list('userName eq "rep.one@many.example.com"');
    const id = (found.body.Resources as { id: string }[])[0]?.id;
    assert.equal((await h.scim("GET", `/Users/${id}`)).status, 200, "reading the user learns its details");
    const mark = await h.mark();
    const answer = await list('title eq "Sales Rep" and userName sw "rep."');
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(
      (answer.body.Resources as { userName: string; title?: string }[]).map((r) => [r.userName, r.title]),
      [["rep.one@many.example.com", "Sales Rep"]],
    );
    assert.deepEqual(perUserGets(await h.callsSince(mark)), []);
  });

  it("with an equality zoom-scim looks up are served (one Zoom call)", async () => {
    const mark = await h.mark();
    const answer = await list('userName eq "rep.one@many.example.com" and title pr');
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.totalResults, 1);
    const calls = await h.callsSince(mark);
    assert.equal(calls.length, 1, calls.map((c) => `${c.method} ${c.path}`).join(", "));
  });

  it("follow zoom-scim's own writes to the details they are judged from", async () => {
    const found = await list('userName eq "rep.one@many.example.com"');
    const id = (found.body.Resources as { id: string }[])[0]?.id;
    const changed = await h.scim("PATCH", `/Users/${id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "replace", path: "title", value: "Account Executive" }],
    });
    assert.equal(changed.status, 200, changed.text);
    const mark = await h.mark();
    const answer = await list('title eq "Account Executive" and userName sw "rep."');
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(
      (answer.body.Resources as { id: string }[]).map((r) => r.id),
      [id],
    );
    assert.equal((await list('title eq "Sales Rep" and userName sw "rep."')).body.totalResults, 0, "the old title no longer matches");
    assert.deepEqual(perUserGets(await h.callsSince(mark)), []);
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
