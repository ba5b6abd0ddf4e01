// Zoom Phone through SCIM end to end: Okta-style creates with Zoom's own extension attributes become a Zoom phone
// user with that extension, number, site and calling plan (read from the simulator), read back on GET; bad values
// are refused before any change; deactivation releases or keeps numbers per tenant; a pending user's phone
// attributes wait for acceptance. Zoom's calls per operation come from the simulator's call log.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { namedTenant, simTenantBase, startHarness, type Harness } from "../helpers/harness.js";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const ZOOM = "urn:ietf:params:scim:schemas:extension:zoom:1.0:User";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const OKTA = { "user-agent": "Okta SCIM Client 1.0.0" };
const KEEP_TOKEN = "keep-tenant-token-0123456789";
const INVITE_TOKEN = "invite-tenant-token-0123456789";

let h: Harness;

interface SimPhone {
  extension_number: number;
  site_name: string | null;
  calling_plans: number[];
  numbers: string[];
}

async function simPhone(id: string): Promise<SimPhone | null> {
  return (await h.simGet(`/_sim/users/${encodeURIComponent(id)}`)).body.phone as SimPhone | null;
}

async function numberAssignee(number: string): Promise<string | null> {
  const state = (await h.simGet("/_sim/phone")).body as { numbers: { number: string; assignee: string | null }[] };
  return state.numbers.find((n) => n.number === number)?.assignee ?? null;
}

/** Zoom's calls since `mark`, as "METHOD /path" with the user's id replaced. */
async function callsSince(mark: number, id = ""): Promise<string[]> {
  return (await h.callsSince(mark)).map((c) => `${c.method} ${id ? c.path.split(id).join("{id}") : c.path}`);
}

const writes = (calls: string[]): string[] => calls.filter((c) => !c.startsWith("GET "));

/** Okta's create body with Zoom's extension attributes, as an admin maps them for Zoom's gallery app. */
function oktaPhoneUser(login: string, zoom: Record<string, unknown>): Record<string, unknown> {
  return {
    schemas: [CORE, ZOOM],
    userName: login,
    name: { givenName: "Pat", familyName: "Phone" },
    emails: [{ primary: true, value: login, type: "work" }],
    displayName: "Pat Phone",
    active: true,
    [ZOOM]: zoom,
  };
}

before(async () => {
  h = await startHarness({
    env: { ZOOM_CREATE_ACTION: "autoCreate", SCIM_ZOOM_PHONE: "true" },
    tenants: (sim) => [
      namedTenant(simTenantBase(sim), "keep", KEEP_TOKEN, { zoomPhone: true, phoneDeprovision: "keep" }),
      namedTenant(simTenantBase(sim), "invite", INVITE_TOKEN, { zoomPhone: true, createAction: "create" }),
    ],
  });
  await h.simPost("/_sim/phone", {
    sites: [{ name: "Berlin", site_code: 49, short_extension_length: 3 }],
    numbers: [
      { number: "+14155550101" },
      { number: "+14155550102" },
      { number: "+14155550103" },
      { number: "+493055501", site: "Berlin" },
      { number: "+493055502", site: "Berlin" },
      { number: "+493055503", site: "Berlin" },
    ],
    callingPlans: [
      { type: 200, name: "US/CA Unlimited", subscribed: 10 },
      { type: 3000, name: "Pro", subscribed: 10 },
    ],
  });
});
after(async () => h.close());

describe("Zoom Phone through SCIM", () => {
  let patId = "";

  it("/Schemas declares Zoom's phone and licence attributes in the Zoom extension", async () => {
    const schema = await h.scim("GET", `/Schemas/${ZOOM}`);
    assert.equal(schema.status, 200, schema.text);
    const attributes = schema.body.attributes as { name: string; type: string; multiValued: boolean; mutability: string }[];
    const byName = new Map(attributes.map((a) => [a.name, a]));
    for (const name of ["zoomPhoneExtNumber", "zoomPhoneNumber", "zoomPhoneSite", "zoomPhoneCallingPlan", "zoomOneBizPlus", "zoomUnited"]) {
      assert.equal(byName.get(name)?.type, "string", name);
    }
    assert.equal(byName.get("zoomPhoneNumbers")?.multiValued, true);
    assert.equal(byName.get("zoomPhoneSiteId")?.mutability, "readOnly");
    assert.equal(byName.get("zoomWebinar")?.type, "integer");
  });

  it("an Okta-style create with Zoom's attributes gives a phone user with that extension, number, site and plan", async () => {
    const mark = await h.mark();
    const created = await h.scim(
      "POST",
      "/Users",
      oktaPhoneUser("pat.phone@example.com", {
        zoomPhoneExtNumber: "49101",
        zoomPhoneNumber: "+49 30 555 01",
        zoomPhoneSite: "Berlin",
        zoomPhoneCallingPlan: "3000",
      }),
      { headers: OKTA },
    );
    assert.equal(created.status, 201, created.text);
    patId = String(created.body.id);
    const phone = await simPhone(patId);
    assert.deepEqual(
      [phone?.extension_number, phone?.site_name, phone?.calling_plans, phone?.numbers],
      [49101, "Berlin", [3000], ["+493055501"]],
    );
    // The answer says what Zoom now holds, under Zoom's names and zoom-scim's.
    const ext = created.body[ZOOM] as Record<string, unknown>;
    assert.deepEqual(
      [ext.zoomPhone, ext.zoomPhoneExtNumber, ext.zoomPhoneSite, ext.zoomPhoneCallingPlan, ext.zoomPhoneNumber, ext.zoomPhoneNumbers],
      // The number as Okta spelt it (Zoom holds it in E.164, as zoomPhoneNumbers shows).
      [true, "49101", "Berlin", "3000", "+49 30 555 01", ["+493055501"]],
    );
    // Checked first (sites and their rules, seats, the number), then Zoom's order: feature, site and extension, plan, number.
    assert.deepEqual(await callsSince(mark, patId), [
      "POST /v2/users",
      "GET /v2/phone/sites",
      "GET /v2/phone/sites/" + String(ext.zoomPhoneSiteId),
      "GET /v2/phone/calling_plans",
      "GET /v2/phone/numbers",
      "PATCH /v2/users/{id}",
      "PATCH /v2/phone/users/{id}",
      "POST /v2/phone/users/{id}/calling_plans",
      "POST /v2/phone/users/{id}/phone_numbers",
      "GET /v2/phone/users/{id}",
    ]);
  });

  it("GET reads every phone value back from Zoom: the user, then its phone profile (sites are cached)", async () => {
    const mark = await h.mark();
    const got = await h.scim("GET", `/Users/${patId}`);
    assert.equal(got.status, 200);
    const ext = got.body[ZOOM] as Record<string, unknown>;
    assert.deepEqual(
      [ext.zoomPhoneExtNumber, ext.zoomPhoneSite, ext.zoomPhoneCallingPlans, ext.zoomPhoneNumber, ext.zoomPhoneStatus],
      ["49101", "Berlin", ["3000"], "+49 30 555 01", "activate"],
    );
    assert.deepEqual(await callsSince(mark, patId), ["GET /v2/users/{id}", "GET /v2/phone/users/{id}"]);
    // An IdP's matching query (userName eq) shows them too: it compares what it reads.
    const matched = await h.scim("GET", `/Users?filter=${encodeURIComponent('userName eq "pat.phone@example.com"')}`);
    const listed = (matched.body.Resources as Record<string, unknown>[])[0]?.[ZOOM] as Record<string, unknown> | undefined;
    assert.deepEqual([listed?.zoomPhoneExtNumber, listed?.zoomPhoneSite], ["49101", "Berlin"]);
    // The same PUT again changes nothing in Zoom (numbers compared in E.164, the extension as a number).
    const again = await h.scim("PUT", `/Users/${patId}`, oktaPhoneUser("pat.phone@example.com", { zoomPhoneNumber: "4930 55501" }));
    assert.equal(again.status, 200, again.text);
    assert.deepEqual(writes(await callsSince(mark, patId)), []);
    // The client reads its own spelling back while Zoom holds that number (an IdP comparing would loop otherwise).
    assert.equal((again.body[ZOOM] as Record<string, unknown>).zoomPhoneNumber, "4930 55501");
    assert.equal(((await h.scim("GET", `/Users/${patId}`)).body[ZOOM] as Record<string, unknown>).zoomPhoneNumber, "4930 55501");
  });

  it("refuses a malformed extension before any change, naming the attribute and the site's rule", async () => {
    const mark = await h.mark();
    const bad = await h.scim("PATCH", `/Users/${patId}`, {
      schemas: [PATCH],
      Operations: [{ op: "replace", path: `${ZOOM}:zoomPhoneExtNumber`, value: "4912" }],
    });
    assert.equal(bad.status, 400, bad.text);
    assert.equal(bad.body.scimType, "invalidValue");
    assert.match(String(bad.body.detail), /zoomPhoneExtNumber "4912" does not fit site Berlin: Berlin: site code 49 then 3 digits/);
    assert.deepEqual(writes(await callsSince(mark)), []);
  });

  it("refuses a taken extension (Zoom's answer), an assigned number and another site's number, saying what to do", async () => {
    const other = await h.scim(
      "POST",
      "/Users",
      oktaPhoneUser("sam.phone@example.com", { zoomPhoneSite: "Berlin", zoomPhoneExtNumber: "49102" }),
    );
    assert.equal(other.status, 201, other.text);
    const samId = String(other.body.id);
    const taken = await h.scim("PATCH", `/Users/${samId}`, {
      schemas: [PATCH],
      Operations: [{ op: "replace", path: `${ZOOM}:zoomPhoneExtNumber`, value: "49101" }],
    });
    assert.equal(taken.status, 409, taken.text);
    assert.match(String(taken.body.detail), /zoomPhoneExtNumber: .*already in use.*pick a free one/);
    // Half-way through a create, the answer says what Zoom was left with and what was not done.
    const half = await h.scim(
      "POST",
      "/Users",
      oktaPhoneUser("half.phone@example.com", { zoomPhoneSite: "Berlin", zoomPhoneExtNumber: "49101", zoomPhoneCallingPlan: "200" }),
    );
    assert.equal(half.status, 409, half.text);
    assert.match(
      String(half.body.detail),
      /Applied before the failure: turning Zoom Phone on\. Not applied: setting the phone site Berlin and extension 49101; assigning calling plan 200\./,
    );
    const mark = await h.mark();
    const assigned = await h.scim("PATCH", `/Users/${samId}`, {
      schemas: [PATCH],
      Operations: [{ op: "replace", path: `${ZOOM}:zoomPhoneNumber`, value: "+493055501" }],
    });
    assert.equal(assigned.status, 409, assigned.text);
    assert.equal(assigned.body.scimType, "uniqueness");
    assert.match(String(assigned.body.detail), /\+493055501 is already assigned to Pat Phone \(extension 49101\).*Nothing was changed/);
    const elsewhere = await h.scim("PATCH", `/Users/${samId}`, {
      schemas: [PATCH],
      Operations: [{ op: "replace", path: `${ZOOM}:zoomPhoneNumber`, value: "+14155550101" }],
    });
    assert.equal(elsewhere.status, 409, elsewhere.text);
    assert.match(String(elsewhere.body.detail), /belongs to site Main Site.*set .*zoomPhoneSite to that site/);
    const unknownPlan = await h.scim("PATCH", `/Users/${samId}`, {
      schemas: [PATCH],
      Operations: [{ op: "replace", path: `${ZOOM}:zoomPhoneCallingPlan`, value: "4000" }],
    });
    assert.equal(unknownPlan.status, 400, unknownPlan.text);
    assert.match(
      String(unknownPlan.body.detail),
      /4000 is not a calling plan this Zoom account subscribes to; its plans: 200 \(US\/CA Unlimited/,
    );
    assert.deepEqual(writes(await callsSince(mark)), []);
    assert.equal(await numberAssignee("+14155550101"), null);
  });

  it("an account without Zoom Phone set up (403) is told to the admin as a setup problem, not a bad value", async () => {
    await h.simPost("/_sim/faults", {
      method: "GET",
      path: "/v2/phone/users/{userId}",
      status: 403,
      code: 403,
      message: "Zoom Phone has not been enabled.",
    });
    try {
      const got = await h.scim("GET", `/Users/${patId}`);
      assert.equal(got.status, 503, got.text);
      assert.equal(got.headers.get("retry-after"), "300");
      assert.match(String(got.body.detail), /Zoom Phone is not set up on this Zoom account.*or turn the tenant option zoomPhone off/);
    } finally {
      await h.simDelete("/_sim/faults");
    }
  });

  it("deactivation with `release` frees the number and the plan first, then deactivates", async () => {
    const created = await h.scim(
      "POST",
      "/Users",
      oktaPhoneUser("rel.phone@example.com", { zoomPhoneNumber: "+14155550102", zoomPhoneCallingPlan: "200" }),
    );
    assert.equal(created.status, 201, created.text);
    const id = String(created.body.id);
    assert.equal(await numberAssignee("+14155550102"), id);
    const mark = await h.mark();
    const off = await h.scim("PATCH", `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: "replace", path: "active", value: false }] });
    assert.equal(off.status, 200, off.text);
    assert.deepEqual(writes(await callsSince(mark, id)), [
      "DELETE /v2/phone/users/{id}/phone_numbers/%2B14155550102",
      "DELETE /v2/phone/users/{id}/calling_plans/200",
      "PUT /v2/users/{id}/status",
    ]);
    assert.equal(await numberAssignee("+14155550102"), null);
    assert.deepEqual((await simPhone(id))?.calling_plans, []);
  });

  it("a deactivation that also removes the number releases each thing once", async () => {
    const created = await h.scim(
      "POST",
      "/Users",
      oktaPhoneUser("both.phone@example.com", { zoomPhoneNumber: "+14155550102", zoomPhoneCallingPlan: "3000" }),
    );
    assert.equal(created.status, 201, created.text);
    const id = String(created.body.id);
    const mark = await h.mark();
    const off = await h.scim("PATCH", `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [
        { op: "remove", path: `${ZOOM}:zoomPhoneNumber` },
        { op: "replace", path: "active", value: false },
      ],
    });
    assert.equal(off.status, 200, off.text);
    assert.deepEqual(writes(await callsSince(mark, id)), [
      "DELETE /v2/phone/users/{id}/phone_numbers/%2B14155550102",
      "DELETE /v2/phone/users/{id}/calling_plans/3000",
      "PUT /v2/users/{id}/status",
    ]);
  });

  it("deactivation with `keep` leaves the number where it is", async () => {
    const created = await h.scim(
      "POST",
      "/keep/scim/v2/Users",
      oktaPhoneUser("keep.phone@example.com", { zoomPhoneNumber: "+14155550103" }),
      {
        token: KEEP_TOKEN,
      },
    );
    assert.equal(created.status, 201, created.text);
    const id = String(created.body.id);
    const mark = await h.mark();
    const off = await h.scim("DELETE", `/keep/scim/v2/Users/${id}`, undefined, { token: KEEP_TOKEN });
    assert.equal(off.status, 204, off.text);
    assert.deepEqual(writes(await callsSince(mark, id)), ["PUT /v2/users/{id}/status"]);
    assert.equal(await numberAssignee("+14155550103"), id);
  });

  it("a pending user's phone attributes wait for the invitation and apply on acceptance", async () => {
    const created = await h.scim(
      "POST",
      "/invite/scim/v2/Users",
      oktaPhoneUser("invited.phone@example.com", { zoomPhoneSite: "Berlin", zoomPhoneExtNumber: "49150", zoomPhoneNumber: "+493055503" }),
      { token: INVITE_TOKEN },
    );
    assert.equal(created.status, 201, created.text);
    const id = String(created.body.id);
    // Zoom holds no phone for the invited user yet; the answer shows what will be applied.
    assert.equal(await simPhone(id), null);
    const waiting = await h.scim("GET", `/invite/scim/v2/Users/${id}`, undefined, { token: INVITE_TOKEN });
    assert.equal((waiting.body[ZOOM] as Record<string, unknown>).zoomPhoneExtNumber, "49150");
    // Values are checked now, not at acceptance: a bad one is refused while the user waits.
    const bad = await h.scim(
      "PATCH",
      `/invite/scim/v2/Users/${id}`,
      { schemas: [PATCH], Operations: [{ op: "replace", path: `${ZOOM}:zoomPhoneCallingPlan`, value: "Pro" }] },
      { token: INVITE_TOKEN },
    );
    assert.equal(bad.status, 400, bad.text);
    assert.match(String(bad.body.detail), /zoomPhoneCallingPlan "Pro" is not a Zoom calling-plan code/);
    await h.simPost(`/_sim/users/${id}/accept-invitation`);
    // The next read notices the acceptance and applies the waiting change.
    const read = await h.scim("GET", `/invite/scim/v2/Users/${id}`, undefined, { token: INVITE_TOKEN });
    assert.equal(read.status, 200, read.text);
    const phone = await simPhone(id);
    assert.deepEqual([phone?.site_name, phone?.extension_number, phone?.numbers], ["Berlin", 49150, ["+493055503"]]);
    const ext = read.body[ZOOM] as Record<string, unknown>;
    assert.deepEqual([ext.zoomPhoneExtNumber, ext.zoomPhoneSite, ext.zoomPhoneNumber], ["49150", "Berlin", "+493055503"]);
  });
});
