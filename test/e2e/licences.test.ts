// Licences through SCIM end to end: a calling-plan change moves the seat in one call; no seats left is a clear
// error that leaves Zoom as it was; Zoom One plans under Zoom's SCIM names, exact past 2^53; webinar and large-meeting
// add-ons; the Zoom Phone licence itself; and phone removals counted by the circuit breaker.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { namedTenant, simTenantBase, startHarness, type Harness } from "../helpers/harness.js";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const ZOOM = "urn:ietf:params:scim:schemas:extension:zoom:1.0:User";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const GUARDED_TOKEN = "guarded-tenant-token-0123456789";

let h: Harness;

async function simConfig(patch: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${h.sim.baseUrl}/_sim/config`, {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(patch),
  });
  assert.equal(response.status, 200, await response.text());
}

async function planCounts(): Promise<Record<number, number>> {
  const state = (await h.simGet("/_sim/phone")).body as { callingPlans: { type: number; assigned: number }[] };
  return Object.fromEntries(state.callingPlans.map((p) => [p.type, p.assigned]));
}

const writesSince = async (mark: number): Promise<string[]> =>
  (await h.callsSince(mark)).filter((c) => c.method !== "GET").map((c) => `${c.method} ${c.path}`);

function user(login: string, zoom: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemas: [CORE, ZOOM],
    userName: login,
    name: { givenName: "Lee", familyName: "Licence" },
    active: true,
    [ZOOM]: zoom,
    ...extra,
  };
}

const replace = (attribute: string, value: unknown): Record<string, unknown> => ({
  schemas: [PATCH],
  Operations: [{ op: "replace", path: `${ZOOM}:${attribute}`, value }],
});

before(async () => {
  h = await startHarness({
    env: { ZOOM_CREATE_ACTION: "autoCreate", SCIM_ZOOM_PHONE: "true", SCIM_LICENCE_ADD_ONS: "true" },
    tenants: (sim) => [
      namedTenant(simTenantBase(sim), "guarded", GUARDED_TOKEN, {
        zoomPhone: true,
        breaker: { maxChanges: 1, maxPercent: 0, windowMs: 900_000 },
      }),
    ],
  });
  await h.simPost("/_sim/phone", {
    numbers: [{ number: "+14155550111" }, { number: "+14155550112" }],
    callingPlans: [
      { type: 200, name: "US/CA Unlimited", subscribed: 2 },
      { type: 3000, name: "Pro", subscribed: 1 },
    ],
  });
});
after(async () => h.close());

describe("licences through SCIM", () => {
  let leeId = "";

  it("changing the calling plan moves the seat with Zoom's one switch call", async () => {
    const created = await h.scim("POST", "/Users", user("lee@example.com", { zoomPhoneCallingPlan: "200" }));
    assert.equal(created.status, 201, created.text);
    leeId = String(created.body.id);
    assert.deepEqual(await planCounts(), { 200: 1, 3000: 0 });
    const mark = await h.mark();
    const moved = await h.scim("PATCH", `/Users/${leeId}`, replace("zoomPhoneCallingPlan", "3000"));
    assert.equal(moved.status, 200, moved.text);
    assert.deepEqual(await writesSince(mark), [`PUT /v2/phone/users/${leeId}/calling_plans`]);
    assert.deepEqual(await planCounts(), { 200: 0, 3000: 1 });
    assert.deepEqual((moved.body[ZOOM] as Record<string, unknown>).zoomPhoneCallingPlans, ["3000"]);
  });

  it("no seats left: a 409 naming the attribute and the remedy, and Zoom as it was", async () => {
    const other = await h.scim("POST", "/Users", user("kim@example.com", { zoomPhone: true }));
    assert.equal(other.status, 201, other.text);
    const kimId = String(other.body.id);
    const before = await planCounts();
    const mark = await h.mark();
    const full = await h.scim("PATCH", `/Users/${kimId}`, {
      schemas: [PATCH],
      Operations: [
        { op: "replace", path: `${ZOOM}:zoomPhoneCallingPlan`, value: "3000" },
        { op: "replace", path: `${ZOOM}:zoomPhoneNumber`, value: "+14155550111" },
      ],
    });
    assert.equal(full.status, 409, full.text);
    assert.match(
      String(full.body.detail),
      /zoomPhoneCallingPlan 3000: no seats left on calling plan Pro \(1 of 1 assigned\)\. Buy more seats or free one in Zoom.*Nothing was changed/,
    );
    assert.deepEqual(await writesSince(mark), []);
    assert.deepEqual(await planCounts(), before);
    const phone = (await h.simGet(`/_sim/users/${kimId}`)).body.phone as { numbers: string[]; calling_plans: number[] };
    assert.deepEqual([phone.numbers, phone.calling_plans], [[], []]);
  });

  it("Zoom One plans under Zoom's SCIM names; a code past 2^53 is sent and read back exact", async () => {
    const mark = await h.mark();
    const edu = await h.scim("PATCH", `/Users/${leeId}`, replace("zoomOneEdu", "576460752303423488"));
    assert.equal(edu.status, 200, edu.text);
    assert.deepEqual(await writesSince(mark), [`PATCH /v2/users/${leeId}`]);
    const zoom = await fetch(`${h.sim.baseUrl}/_sim/users/${leeId}`).then((r) => r.text());
    assert.match(zoom, /"zoom_one_type":576460752303423488[,}]/);
    const got = await h.scim("GET", `/Users/${leeId}`);
    const ext = got.body[ZOOM] as Record<string, unknown>;
    assert.deepEqual([ext.zoomOneEdu, ext.zoomOneType], ["576460752303423488", "576460752303423488"]);
    const wrongFamily = await h.scim("PATCH", `/Users/${leeId}`, replace("zoomOneBizPlus", "576460752303423488"));
    assert.equal(wrongFamily.status, 400);
    assert.match(String(wrongFamily.body.detail), /zoomOneBizPlus "576460752303423488" is not one of Zoom's codes for it: 16, 32/);
  });

  it("no Zoom One seat left: a 409 saying so and what was applied", async () => {
    await simConfig({ licences: { zoomOne: { "16": 1 } } });
    const first = await h.scim("POST", "/Users", user("biz1@example.com", { zoomOneBizPlus: "16" }));
    assert.equal(first.status, 201, first.text);
    const second = await h.scim("POST", "/Users", user("biz2@example.com", { zoomOneBizPlus: "16" }));
    assert.equal(second.status, 409, second.text);
    assert.match(
      String(second.body.detail),
      /was created with id .* not everything was applied: .*zoomOneType: .*maximum number of 1 Zoom One users.*Buy or free a seat/,
    );
    const zoom = (await h.simGet(`/_sim/users/biz2@example.com`)).body.profile as Record<string, unknown>;
    assert.equal(zoom.zoom_one_type, undefined);
    await simConfig({ licences: { zoomOne: null } });
  });

  it("webinar and large-meeting add-ons: written to user settings, read back, 0 turns them off", async () => {
    const created = await h.scim("POST", "/Users", user("host@example.com", { zoomWebinar: 1000 }, { userType: "Licensed" }));
    assert.equal(created.status, 201, created.text);
    const id = String(created.body.id);
    const mark = await h.mark();
    const got = await h.scim("GET", `/Users/${id}`);
    assert.deepEqual(
      [(got.body[ZOOM] as Record<string, unknown>).zoomWebinar, (got.body[ZOOM] as Record<string, unknown>).zoomLargeMeeting],
      [1000, 0],
    );
    assert.deepEqual(
      (await h.callsSince(mark)).map((c) => `${c.method} ${c.path}`),
      [`GET /v2/users/${id}`, `GET /v2/phone/users/${id}`, `GET /v2/users/${id}/settings`],
    );
    const off = await h.scim("PATCH", `/Users/${id}`, replace("zoomWebinar", 0));
    assert.equal(off.status, 200, off.text);
    const zoom = (await h.simGet(`/_sim/users/${id}`)).body.profile as { add_ons: Record<string, number> };
    assert.deepEqual(zoom.add_ons, {});
    const basic = await h.scim("POST", "/Users", user("basic-host@example.com", { zoomLargeMeeting: 500 }, { userType: "Basic" }));
    assert.equal(basic.status, 409, basic.text);
    assert.match(String(basic.body.detail), /zoomLargeMeeting: .*Only Licensed or On-prem users can enable the large meeting feature/);
  });

  it("no Zoom Phone licence left: a 409 naming the licence", async () => {
    await simConfig({ licences: { zoomPhone: 0 } });
    try {
      const created = await h.scim("POST", "/Users", user("nophone@example.com", {}));
      const id = String(created.body.id);
      const on = await h.scim("PATCH", `/Users/${id}`, replace("zoomPhone", true));
      assert.equal(on.status, 409, on.text);
      assert.match(String(on.body.detail), /zoomPhone: Zoom has no free licence for turning Zoom Phone on.*No Zoom Phone licence is free/);
    } finally {
      await simConfig({ licences: { zoomPhone: null } });
    }
  });

  it("a phone removal counts for the circuit breaker: past the threshold it is refused before Zoom hears of it", async () => {
    const base = "/guarded/scim/v2/Users";
    const opts = { token: GUARDED_TOKEN };
    const a = await h.scim("POST", base, user("ga@example.com", { zoomPhoneNumber: "+14155550111" }), opts);
    const b = await h.scim("POST", base, user("gb@example.com", { zoomPhoneNumber: "+14155550112" }), opts);
    assert.deepEqual([a.status, b.status], [201, 201], a.text + b.text);
    const first = await h.scim("PATCH", `${base}/${String(a.body.id)}`, replace("zoomPhoneNumber", ""), opts);
    assert.equal(first.status, 200, first.text);
    const mark = await h.mark();
    const second = await h.scim("PATCH", `${base}/${String(b.body.id)}`, replace("zoomPhoneNumber", ""), opts);
    assert.equal(second.status, 503, second.text);
    assert.deepEqual(await writesSince(mark), []);
  });
});
