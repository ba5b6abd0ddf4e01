// A create Zoom applied but whose answer was lost: the client's repeated POST completes it (201, Zoom's id, what it
// sent recorded) instead of a 409 for a user zoom-scim itself made. A Zoom user zoom-scim did not make still gets 409.
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { namedTenant, simTenantBase, startHarness, type Harness } from "../helpers/harness.js";
import { CORE, status, writes, zoomUser } from "../helpers/pending.js";

const AUTO_TOKEN = "auto-token-0123456789abcdef";
const AUTO = "/auto/scim/v2";
let h: Harness;

const loseNextCreate = () =>
  h.simPost("/_sim/faults", { rules: [{ method: "POST", path: "/v2/users", applyFirst: true, drop: true, count: 1 }] });

before(async () => {
  h = await startHarness({
    tenants: (sim) => {
      const base = simTenantBase(sim);
      return [namedTenant(base, "auto", AUTO_TOKEN)];
    },
  });
});
afterEach(() => h.simDelete("/_sim/faults"));
after(async () => h.close());

describe("idempotent creates", () => {
  it("an active user whose create answer was lost: the repeated POST answers 201 with Zoom's id and records externalId", async () => {
    const email = "lost.active@example.com";
    const body = {
      schemas: [CORE],
      userName: email,
      externalId: "idp-lost-1",
      nickName: "Lost",
      name: { givenName: "Lost", familyName: "Answer" },
    };
    await loseNextCreate();
    const first = await h.scim("POST", `${AUTO}/Users`, body, { token: AUTO_TOKEN });
    assert.ok(first.status >= 500, `${first.status} ${first.text}`);
    const zoom = await zoomUser(h, email);
    assert.ok(zoom, "Zoom made the user although its answer was lost");

    const since = await h.mark();
    const again = await h.scim("POST", `${AUTO}/Users`, body, { token: AUTO_TOKEN });
    assert.equal(again.status, 201, again.text);
    assert.equal(again.body.id, zoom.id);
    assert.equal(again.body.externalId, "idp-lost-1");
    assert.equal(
      writes(await h.callsSince(since)).filter((w) => w === "POST /v2/users").length,
      1,
      "one create attempt, answered 409, and no second user",
    );

    const got = await h.scim("GET", `${AUTO}/Users/${String(zoom.id)}`, undefined, { token: AUTO_TOKEN });
    assert.equal(got.status, 200, got.text);
    assert.equal(got.body.externalId, "idp-lost-1");
    assert.equal(got.body.nickName, "Lost");
    const byExternalId = await h.scim("GET", `${AUTO}/Users?filter=${encodeURIComponent('externalId eq "idp-lost-1"')}`, undefined, {
      token: AUTO_TOKEN,
    });
    assert.equal(byExternalId.body.totalResults, 1);
    // Done: a third POST is a duplicate of a user zoom-scim knows.
    assert.equal((await h.scim("POST", `${AUTO}/Users`, body, { token: AUTO_TOKEN })).status, 409);
  });

  it("a pending user (Zoom's create action) whose create answer was lost is completed the same way", async () => {
    const email = "lost.pending@example.com";
    const body = {
      schemas: [CORE],
      userName: email,
      externalId: "idp-lost-2",
      title: "Engineer",
      name: { givenName: "Pen", familyName: "Ding" },
    };
    await loseNextCreate();
    const first = await h.scim("POST", "/Users", body);
    assert.ok(first.status >= 500, `${first.status} ${first.text}`);
    const zoom = await zoomUser(h, email);
    assert.equal(zoom?.status, "pending");

    const again = await h.scim("POST", "/Users", body);
    assert.equal(again.status, 201, again.text);
    assert.equal(again.body.id, zoom?.id);
    assert.equal(status(again.body), "pending");
    const got = await h.scim("GET", `/Users/${String(zoom?.id)}`);
    assert.equal(got.body.externalId, "idp-lost-2");
    assert.equal(got.body.title, "Engineer", "the Zoom-held rest waits for acceptance, shown as asked");
  });

  it("a Zoom user zoom-scim did not create still gets 409, however often it is POSTed", async () => {
    const email = "made.in.zoom@example.com";
    await h.simPost("/_sim/seed", { users: [{ email }] });
    for (let attempt = 0; attempt < 2; attempt++) {
      const answer = await h.scim(
        "POST",
        `${AUTO}/Users`,
        { schemas: [CORE], userName: email, externalId: "idp-other" },
        { token: AUTO_TOKEN },
      );
      assert.equal(answer.status, 409, answer.text);
      assert.equal(answer.body.scimType, "uniqueness");
    }
  });

  it("a lost create repeated with another externalId is another identity: 409, and the first one's retry still completes", async () => {
    const email = "lost.other@example.com";
    await loseNextCreate();
    const first = await h.scim("POST", `${AUTO}/Users`, { schemas: [CORE], userName: email, externalId: "idp-a" }, { token: AUTO_TOKEN });
    assert.ok(first.status >= 500, first.text);
    const other = await h.scim("POST", `${AUTO}/Users`, { schemas: [CORE], userName: email, externalId: "idp-b" }, { token: AUTO_TOKEN });
    assert.equal(other.status, 409, other.text);
    const byExternalId = await h.scim("GET", `${AUTO}/Users?filter=${encodeURIComponent('externalId eq "idp-b"')}`, undefined, {
      token: AUTO_TOKEN,
    });
    assert.equal(byExternalId.body.totalResults, 0);
    // The first identity's own retry still completes its create.
    const retry = await h.scim("POST", `${AUTO}/Users`, { schemas: [CORE], userName: email, externalId: "idp-a" }, { token: AUTO_TOKEN });
    assert.equal(retry.status, 201, retry.text);
    assert.equal(retry.body.externalId, "idp-a");
  });
});
