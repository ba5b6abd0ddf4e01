// Applying a preview plan when Zoom and the plan part ways: a create Zoom refuses (its email taken in Zoom since)
// stops the apply and is never "found done" on someone else's user; `plan skip` lets the next apply go on. A
// re-sent invitation keeps the IdP's id through the apply. Seats the plan has promised are not promised twice. A
// preview tenant's breaker, as GET /admin/breaker shows it, is the one its apply runs under.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runPlanCommand } from "../../src/cli/plan.js";
import type { ApplyOutcome } from "../../src/provisioning/preview/plan-apply.js";
import type { PlanReport } from "../../src/provisioning/preview/plan-report.js";
import { simEnv, startHarness, type Harness } from "../helpers/harness.js";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const ZOOM = "urn:ietf:params:scim:schemas:extension:zoom:1.0:User";
type Json = Record<string, unknown>;

const active = (value: boolean) => ({ schemas: [PATCH], Operations: [{ op: "replace", path: "active", value }] });

async function apply(h: Harness): Promise<ApplyOutcome> {
  const answer = await h.scim("POST", `${h.server.url}/admin/plan/apply?wait=true`);
  assert.equal(answer.status, 200, answer.text);
  return answer.body as unknown as ApplyOutcome;
}

async function plan(h: Harness): Promise<PlanReport> {
  return (await h.scim("GET", `${h.server.url}/admin/plan`)).body as unknown as PlanReport;
}

describe("a planned create whose email was taken in Zoom meanwhile", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ env: { ZOOM_CREATE_ACTION: "autoCreate", SCIM_MODE: "preview" } });
  });
  after(async () => h?.close());

  it("stops the apply, never adopts the stranger, and is skipped by an admin", async () => {
    const alice = await h.scim("POST", "/Users", {
      schemas: [USER],
      userName: `alice@taken.example.com`,
      name: { givenName: "Alice", familyName: "IdP" },
    });
    assert.equal(alice.status, 201, alice.text);
    const group = await h.scim("POST", "/Groups", { schemas: [GROUP], displayName: "Admins", members: [{ value: alice.body.id }] });
    assert.equal(group.status, 201, group.text);
    const bob = await h.scim("POST", "/Users", {
      schemas: [USER],
      userName: `bob@taken.example.com`,
      name: { givenName: "Bob", familyName: "IdP" },
    });
    assert.equal(bob.status, 201, bob.text);
    // Someone makes alice@ in Zoom by hand before the apply.
    await h.simPost("/_sim/seed", {
      users: [{ email: "alice@taken.example.com", first_name: "Other", last_name: "Person", status: "active" }],
    });

    const first = await apply(h);
    assert.equal(first.stopped?.status, 409, JSON.stringify(first));
    assert.equal(first.applied, 0);
    const second = await apply(h);
    assert.equal(second.stopped?.status, 409, "refused again: Zoom's refusal is not a create in doubt");
    assert.equal(second.confirmed, 0);
    const stranger = (await h.simGet("/_sim/users/alice@taken.example.com")).body;
    assert.equal(stranger.first_name, "Other");
    assert.deepEqual(stranger.group_ids, [], "the stranger was not put in the IdP's group");

    const failed = (await plan(h)).resources.flatMap((r) => r.calls).filter((c) => c.state === "failed");
    assert.equal(failed.length, 1);
    assert.match(String(failed[0]?.error), /already/);
    const seq = failed[0]?.seq ?? 0;
    assert.equal((await h.scim("POST", `${h.server.url}/admin/plan/skip?seq=${seq + 1}`)).status, 409, "only a failed step");
    assert.equal((await h.scim("POST", `${h.server.url}/admin/plan/skip?seq=0x1`)).status, 400);
    // The command line skips it (from the store; no Zoom call).
    let out = "";
    const env = {
      ...simEnv(h.sim),
      ZOOM_CREATE_ACTION: "autoCreate",
      SCIM_MODE: "preview",
      ZOOM_SCIM_DB: join(h.storeDir, "store.sqlite"),
    };
    assert.equal(await runPlanCommand(["skip", String(seq)], env, { out: (t) => (out += t), err: (t) => (out += t) }), 0, out);
    assert.match(out, new RegExp(`step ${seq} skipped`));

    // The group's creation goes on; its member is the user never created: Zoom says so, and that is skipped too.
    const third = await apply(h);
    assert.equal(third.stopped?.status, 404, JSON.stringify(third));
    const memberStep = third.stopped?.seq ?? 0;
    assert.equal((await h.scim("POST", `${h.server.url}/admin/plan/skip?seq=${memberStep}`)).status, 200);
    const last = await apply(h);
    assert.deepEqual(last, { tenant: "default", applied: 1, confirmed: 0, remaining: 0 });
    const report = await plan(h);
    assert.deepEqual(report.steps, { planned: 0, sending: 0, failed: 0, skipped: 2, done: 2 });
    assert.ok((await h.simGet("/_sim/users/bob@taken.example.com")).status === 200);
    const audit = (await h.scim("GET", `${h.server.url}/admin/audit?count=500`)).body.entries as Json[];
    const skips = audit.filter((e) => e.kind === "plan-apply" && e.outcome === "refused" && /skipped/.test(String(e.detail)));
    assert.equal(skips.length, 2);
  });
});

describe("a re-sent invitation in a preview", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ env: { ZOOM_CREATE_ACTION: "create", SCIM_MODE: "preview" } });
  });
  after(async () => h?.close());

  it("keeps the IdP's id on the invitation Zoom holds after the apply", async () => {
    const created = await h.scim("POST", "/Users", {
      schemas: [USER],
      userName: "inv@resend.example.com",
      name: { givenName: "In", familyName: "Vite" },
    });
    assert.equal(created.status, 201, created.text);
    const id = String(created.body.id);
    assert.equal((await h.scim("PATCH", `/Users/${id}`, active(false))).status, 200);
    assert.equal((await h.scim("PATCH", `/Users/${id}`, active(true))).status, 200);
    const outcome = await apply(h);
    assert.equal(outcome.remaining, 0, JSON.stringify(outcome));
    const read = await h.scim("GET", `/Users/${id}`);
    assert.equal(read.status, 200, read.text);
    assert.equal(read.body.userName, "inv@resend.example.com");
    assert.equal(read.body.active, true);
    const zoom = ((await h.simGet("/_sim/users?limit=100")).body.users as Json[]).filter((u) => u.email === "inv@resend.example.com");
    assert.deepEqual(
      zoom.map((u) => u.status),
      ["pending"],
    );
  });
});

describe("Zoom Phone seats in a preview", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({
      env: { ZOOM_CREATE_ACTION: "autoCreate", SCIM_MODE: "preview", SCIM_ZOOM_PHONE: "true", SCIM_BREAKER_MAX_CHANGES: "10" },
    });
    await h.simPost("/_sim/phone", { callingPlans: [{ type: 3000, name: "Pro", subscribed: 1 }], numbers: [{ number: "+14155550111" }] });
  });
  after(async () => h?.close());

  it("are not promised twice, nor is a number", async () => {
    const user = (login: string, zoom: Json) => ({
      schemas: [USER, ZOOM],
      userName: login,
      name: { givenName: "P", familyName: "Hone" },
      [ZOOM]: zoom,
    });
    const a = await h.scim(
      "POST",
      "/Users",
      user("a@seats.example.com", { zoomPhoneCallingPlan: "3000", zoomPhoneNumber: "+14155550111" }),
    );
    assert.equal(a.status, 201, a.text);
    const b = await h.scim("POST", "/Users", user("b@seats.example.com", { zoomPhone: true }));
    assert.equal(b.status, 201, b.text);
    const seat = await h.scim("PATCH", `/Users/${b.body.id}`, {
      schemas: [PATCH],
      Operations: [{ op: "replace", path: `${ZOOM}:zoomPhoneCallingPlan`, value: "3000" }],
    });
    assert.equal(seat.status, 409, seat.text);
    const number = await h.scim("PATCH", `/Users/${b.body.id}`, {
      schemas: [PATCH],
      Operations: [{ op: "replace", path: `${ZOOM}:zoomPhoneNumber`, value: "+14155550111" }],
    });
    assert.equal(number.status, 409, number.text);
    assert.match(String(number.body.detail), /already assigned/);
    const outcome = await apply(h);
    assert.deepEqual(outcome.stopped, undefined, JSON.stringify(outcome));
  });

  it("shows the breaker its apply runs under", async () => {
    const breaker = (await h.scim("GET", `${h.server.url}/admin/breaker`)).body;
    assert.equal(breaker.enabled, true, JSON.stringify(breaker));
    assert.equal(breaker.threshold, 5, "10 changes or 5 % of the account, floored at 5");
  });
});

describe("an apply whose removal answer is lost, and lists while an apply runs", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ env: { ZOOM_CREATE_ACTION: "autoCreate", SCIM_MODE: "preview" } });
  });
  after(async () => h?.close());

  it("counts a removal Zoom made, whose answer was lost, as done", async () => {
    const member = await h.scim("POST", "/Users", {
      schemas: [USER],
      userName: "m@lost.example.com",
      name: { givenName: "M", familyName: "L" },
    });
    const group = await h.scim("POST", "/Groups", { schemas: [GROUP], displayName: "Lost answers", members: [{ value: member.body.id }] });
    assert.equal(group.status, 201, group.text);
    assert.equal((await apply(h)).remaining, 0);
    const removed = await h.scim("PATCH", `/Groups/${group.body.id}`, {
      schemas: [PATCH],
      Operations: [{ op: "remove", path: `members[value eq "${member.body.id}"]` }],
    });
    assert.ok(removed.status === 200 || removed.status === 204, removed.text);
    // Zoom removes the member and the answer is lost: the client's retry finds no member.
    await h.simPost("/_sim/faults", {
      rules: [{ method: "DELETE", path: "/v2/groups/*/members/*", applyFirst: true, status: 503, count: 1 }],
    });
    const outcome = await apply(h);
    await h.simDelete("/_sim/faults");
    assert.deepEqual(outcome, { tenant: "default", applied: 1, confirmed: 0, remaining: 0 });
    const zoomGroup = ((await h.simGet("/_sim/groups")).body.groups as Json[]).find((g) => g.name === "Lost answers");
    assert.deepEqual(zoomGroup?.members, []);
  });

  it("keeps every user in the lists while they are applied", async () => {
    const users = 40;
    for (let i = 0; i < users; i++) {
      const created = await h.scim("POST", "/Users", {
        schemas: [USER],
        userName: `w${i}@walk.example.com`,
        name: { givenName: "W", familyName: `${i}` },
      });
      assert.equal(created.status, 201, created.text);
    }
    const total = async (): Promise<number> => Number((await h.scim("GET", "/Users?count=500")).body.totalResults);
    const before = await total();
    await h.simPost("/_sim/faults", { rules: [{ method: "POST", path: "/v2/users", latencyMs: 20 }] });
    assert.equal((await h.scim("POST", `${h.server.url}/admin/plan/apply`)).status, 202);
    const seen: number[] = [];
    for (let i = 0; i < 200; i++) {
      seen.push(await total());
      const report = await plan(h);
      if (report.steps.planned + report.steps.sending === 0) break;
    }
    await h.simDelete("/_sim/faults");
    assert.ok(seen.length > 3, "listed during the apply");
    assert.deepEqual([...new Set(seen)], [before], `totals seen: ${[...new Set(seen)].join(", ")}`);
    assert.equal(await total(), before);
  });
});

describe("a large group push in a preview", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ env: { ZOOM_CREATE_ACTION: "autoCreate", SCIM_MODE: "preview" } });
  });
  after(async () => h?.close());

  it("reads Zoom's lists once instead of each member", async () => {
    const users = Array.from({ length: 90 }, (_, i) => ({
      email: `g${i}@big.example.com`,
      first_name: "G",
      last_name: `${i}`,
      status: "active",
    }));
    const seeded = (await h.simPost("/_sim/seed", { users })).users as { id: string }[];
    const mark = await h.mark();
    const group = await h.scim("POST", "/Groups", { schemas: [GROUP], displayName: "Big", members: seeded.map((u) => ({ value: u.id })) });
    assert.equal(group.status, 201, group.text);
    const calls = await h.callsSince(mark);
    const perUser = calls.filter((c) => c.method === "GET" && /^\/v2\/users\/[^/]+$/.test(c.path)).length;
    assert.ok(perUser <= 5, `${perUser} single-user reads for 90 members`);
    assert.deepEqual(
      calls.filter((c) => c.method !== "GET"),
      [],
    );
    const read = await h.scim("GET", `/Groups/${group.body.id}`);
    assert.equal((read.body.members as Json[]).length, 90);
    const member = await h.scim("GET", `/Users/${seeded[42]?.id}`);
    assert.deepEqual(
      (member.body.groups as Json[]).map((g) => g.value),
      [group.body.id],
    );
    const plan = (await h.scim("GET", `${h.server.url}/admin/plan`)).body as unknown as PlanReport;
    assert.equal(plan.summary["member additions"], 90);
  });
});
