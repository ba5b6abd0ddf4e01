// Zoom Phone and licence seats in the simulator: extension rules, number and plan assignment with their counts,
// the licence caps, exact plan codes past 2^53, and each undocumented answer modelled both ways.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { Harness, type ZoomErrorBody } from "./helpers.js";

interface PhoneUser {
  extension_number: number;
  site_id: string;
  calling_plans: { type: number }[];
  phone_numbers: { id: string; number: string }[];
}

describe("simulator: Zoom Phone and licences", () => {
  let h: Harness;
  let site = "";
  before(async () => {
    h = await Harness.start({ rateLimits: false });
  });
  after(() => h.close());
  beforeEach(async () => {
    await h.control("POST", "/reset");
    await h.control("PATCH", "/config", {
      phone: { deactivationReleases: false, otherSiteNumbers: false, autoExtension: true },
      licences: { zoomPhone: null, zoomOne: null, planUnited: null, webinar: null },
    });
    const setup = await h.control<{ sites: { id: string; name: string }[] }>("POST", "/phone", {
      sites: [{ name: "Berlin", site_code: 49, short_extension_length: 3 }],
      numbers: [{ number: "+14155550101" }, { number: "+14155550102" }, { number: "+493055501", site: "Berlin" }],
      callingPlans: [
        { type: 200, name: "US/CA Unlimited", subscribed: 1 },
        { type: 3000, name: "Pro", subscribed: 2 },
      ],
    });
    site = setup.body.sites.find((s) => s.name === "Berlin")?.id ?? "";
  });

  async function phoneUser(email: string): Promise<string> {
    const id = await h.createUser(email);
    const on = await h.api("PATCH", `/users/${id}`, { body: { feature: { zoom_phone: true } } });
    assert.equal(on.status, 204, on.text);
    return id;
  }

  it("turning the feature on gives a phone user in the main site with the lowest free extension; off removes it", async () => {
    const a = await phoneUser("a@example.com");
    const b = await phoneUser("b@example.com");
    const profile = await h.api<PhoneUser>("GET", `/phone/users/${a}`);
    assert.equal(profile.status, 200);
    assert.equal(profile.body.extension_number, 100);
    assert.equal((await h.api<PhoneUser>("GET", `/phone/users/${b}`)).body.extension_number, 101);
    assert.equal((await h.api("PATCH", `/users/${a}`, { body: { feature: { zoom_phone: false } } })).status, 204);
    assert.equal((await h.api<ZoomErrorBody>("GET", `/phone/users/${a}`)).body.code, 1001);
    assert.equal((await h.api<{ feature: { zoom_phone: boolean } }>("GET", `/users/${b}/settings`)).body.feature.zoom_phone, true);
  });

  it("autoExtension off: the feature comes without an extension (0) until one is set", async () => {
    await h.control("PATCH", "/config", { phone: { autoExtension: false } });
    const a = await phoneUser("noext@example.com");
    assert.equal((await h.api<PhoneUser>("GET", `/phone/users/${a}`)).body.extension_number, 0);
  });

  it("extensions follow the site's rules: site code + short extension, each one held once", async () => {
    const a = await phoneUser("ext-a@example.com");
    const b = await phoneUser("ext-b@example.com");
    const moved = await h.api("PATCH", `/phone/users/${a}`, { body: { site_id: site, extension_number: "49123" } });
    assert.equal(moved.status, 204, moved.text);
    const state = await h.api<PhoneUser>("GET", `/phone/users/${a}`);
    assert.deepEqual([state.body.site_id, state.body.extension_number], [site, 49123]);
    const short = await h.api<ZoomErrorBody>("PATCH", `/phone/users/${b}`, { body: { site_id: site, extension_number: "4912" } });
    assert.deepEqual([short.status, short.body.code], [400, 300]);
    assert.match(short.body.message, /must have 5 digits/);
    const taken = await h.api<ZoomErrorBody>("PATCH", `/phone/users/${b}`, { body: { site_id: site, extension_number: "49123" } });
    assert.match(taken.body.message, /already in use/);
  });

  it("calling plans spend seats; a switch moves the seat; none left is refused with nothing assigned", async () => {
    const a = await phoneUser("plan-a@example.com");
    const b = await phoneUser("plan-b@example.com");
    assert.equal((await h.api("POST", `/phone/users/${a}/calling_plans`, { body: { calling_plans: [{ type: 200 }] } })).status, 200);
    const full = await h.api<ZoomErrorBody>("POST", `/phone/users/${b}/calling_plans`, {
      body: { calling_plans: [{ type: 3000 }, { type: 200 }] },
    });
    assert.deepEqual([full.status, full.body.code], [400, 300]);
    assert.deepEqual((await h.api<PhoneUser>("GET", `/phone/users/${b}`)).body.calling_plans, []);
    assert.equal((await h.api("PUT", `/phone/users/${a}/calling_plans`, { body: { source_type: 200, target_type: 3000 } })).status, 204);
    const plans = await h.api<{ calling_plans: { type: number; assigned: number; available: number }[] }>("GET", "/phone/calling_plans");
    assert.deepEqual(
      plans.body.calling_plans.map((p) => [p.type, p.assigned, p.available]),
      [
        [200, 0, 1],
        [3000, 1, 1],
      ],
    );
  });

  it("numbers: by id or E.164, shown without '+' on the profile; assigned or other-site numbers are refused", async () => {
    const a = await phoneUser("num-a@example.com");
    const b = await phoneUser("num-b@example.com");
    const given = await h.api<{ phone_numbers: { number: string }[] }>("POST", `/phone/users/${a}/phone_numbers`, {
      body: { phone_numbers: [{ number: "+14155550101" }] },
    });
    assert.equal(given.status, 200);
    assert.deepEqual(
      (await h.api<PhoneUser>("GET", `/phone/users/${a}`)).body.phone_numbers.map((n) => n.number),
      ["14155550101"],
    );
    const taken = await h.api<ZoomErrorBody>("POST", `/phone/users/${b}/phone_numbers`, {
      body: { phone_numbers: [{ number: "+14155550101" }] },
    });
    assert.match(taken.body.message, /already assigned/);
    const elsewhere = await h.api<ZoomErrorBody>("POST", `/phone/users/${b}/phone_numbers`, {
      body: { phone_numbers: [{ number: "+493055501" }] },
    });
    assert.match(elsewhere.body.message, /does not belong to the user's site/);
    await h.control("PATCH", "/config", { phone: { otherSiteNumbers: true } });
    const allowed = await h.api("POST", `/phone/users/${b}/phone_numbers`, { body: { phone_numbers: [{ number: "+493055501" }] } });
    assert.equal(allowed.status, 200, allowed.text);
    const unassigned = await h.api<{ phone_numbers: unknown[] }>("GET", "/phone/numbers?type=unassigned");
    assert.equal(unassigned.body.phone_numbers.length, 1);
  });

  for (const releases of [false, true]) {
    it(`deactivation ${releases ? "frees" : "keeps"} numbers and plans (phone.deactivationReleases ${releases})`, async () => {
      await h.control("PATCH", "/config", { phone: { deactivationReleases: releases } });
      const a = await phoneUser(`deact-${releases}@example.com`);
      await h.api("POST", `/phone/users/${a}/calling_plans`, { body: { calling_plans: [{ type: 3000 }] } });
      await h.api("POST", `/phone/users/${a}/phone_numbers`, { body: { phone_numbers: [{ number: "+14155550102" }] } });
      assert.equal((await h.api("PUT", `/users/${a}/status`, { body: { action: "deactivate" } })).status, 200);
      const state = await h.control<{ phone: { calling_plans: number[]; numbers: string[] } }>("GET", `/users/${a}`);
      assert.deepEqual(state.body.phone, {
        ...state.body.phone,
        calling_plans: releases ? [] : [3000],
        numbers: releases ? [] : ["+14155550102"],
      });
    });
  }

  it("licence caps: Zoom Phone (404/1102), Zoom One per plan (400/2038), add-ons (400/200)", async () => {
    await h.control("PATCH", "/config", { licences: { zoomPhone: 1, zoomOne: { "16": 1 }, webinar: 0 } });
    await phoneUser("cap-a@example.com");
    const b = await h.createUser("cap-b@example.com");
    const phone = await h.api<ZoomErrorBody>("PATCH", `/users/${b}`, { body: { feature: { zoom_phone: true } } });
    assert.deepEqual([phone.status, phone.body.code], [404, 1102]);
    assert.equal((await h.api("PATCH", `/users/${b}`, { body: { zoom_one_type: 16 } })).status, 204);
    const c = await h.createUser("cap-c@example.com", "autoCreate", { type: 2 });
    const one = await h.api<ZoomErrorBody>("PATCH", `/users/${c}`, { body: { zoom_one_type: 16 } });
    assert.deepEqual([one.status, one.body.code], [400, 2038]);
    const webinar = await h.api<ZoomErrorBody>("PATCH", `/users/${c}/settings`, { body: { feature: { webinar: true } } });
    assert.deepEqual([webinar.status, webinar.body.code], [400, 200]);
  });

  it("keeps plan codes past 2^53 exact, in and out", async () => {
    const a = await h.createUser("edu@example.com");
    const patched = await h.api("PATCH", `/users/${a}`, { rawBody: '{"zoom_one_type":576460752303423488}' });
    assert.equal(patched.status, 204, patched.text);
    const text = (await h.api("GET", `/users/${a}`)).text;
    assert.match(text, /"zoom_one_type":576460752303423488[,}]/);
  });
});
