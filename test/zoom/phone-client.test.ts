// The Zoom Phone and licence operations against real simulator state: one call each, on the documented
// method and path, and exact plan codes past 2^53 in both directions.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ZoomApiError, ZoomInvalidIdentifierError, type ZoomClient } from "../../src/zoom/index.js";
import { clearCalls, clientFor, control, rejection, simCalls, startSim, type Sim } from "./sim.js";

describe("Zoom client: phone and licences", () => {
  let sim: Sim;
  let zoom: ZoomClient;
  let userId = "";
  let siteId = "";

  before(async () => {
    sim = await startSim({ rateLimits: false });
    zoom = clientFor(sim).client;
    const setup = await control<{ sites: { id: string; name: string }[] }>(sim, "POST", "/phone", {
      sites: [{ name: "Paris", site_code: 33, short_extension_length: 3 }],
      numbers: [{ number: "+14155550101" }, { number: "+33155550101", site: "Paris" }],
      callingPlans: [
        { type: 200, name: "US/CA Unlimited", subscribed: 3 },
        { type: 3000, name: "Pro", subscribed: 3 },
      ],
    });
    siteId = setup.sites.find((s) => s.name === "Paris")?.id ?? "";
    userId = (await zoom.createUser({ action: "autoCreate", user_info: { email: "phone@example.com", type: 2 } })).id;
  });
  after(async () => {
    zoom.close();
    await sim.close();
  });

  it("a user without Zoom Phone has no phone profile; turning the feature on gives one", async () => {
    assert.equal(await zoom.phone.getPhoneUser(userId), undefined);
    await zoom.updateUser(userId, { feature: { zoom_phone: true } });
    const profile = await zoom.phone.getPhoneUser(userId);
    assert.equal(profile?.id, userId);
    assert.equal(typeof profile?.extension_number, "number");
    assert.equal((await zoom.phone.getUserFeatures(userId)).zoom_phone, true);
  });

  it("site, extension, plans and numbers: one documented call each", async () => {
    await clearCalls(sim);
    await zoom.phone.updatePhoneUser(userId, { site_id: siteId, extension_number: "33101" });
    await zoom.phone.assignCallingPlans(userId, [200]);
    await zoom.phone.switchCallingPlan(userId, 200, 3000);
    await zoom.phone.assignPhoneNumbers(userId, ["+33155550101"]);
    const profile = await zoom.phone.getPhoneUser(userId);
    assert.deepEqual(
      [
        profile?.site_id,
        profile?.extension_number,
        profile?.calling_plans?.map((p) => p.type),
        profile?.phone_numbers?.map((n) => n.number),
      ],
      [siteId, 33101, [3000], ["33155550101"]],
    );
    await zoom.phone.unassignPhoneNumber(userId, "+33155550101");
    await zoom.phone.unassignCallingPlan(userId, 3000);
    const calls = (await simCalls(sim)).map((c) => `${c.method} ${c.path.replace(userId, "{id}")}`);
    assert.deepEqual(calls, [
      "PATCH /v2/phone/users/{id}",
      "POST /v2/phone/users/{id}/calling_plans",
      "PUT /v2/phone/users/{id}/calling_plans",
      "POST /v2/phone/users/{id}/phone_numbers",
      "GET /v2/phone/users/{id}",
      "DELETE /v2/phone/users/{id}/phone_numbers/%2B33155550101",
      "DELETE /v2/phone/users/{id}/calling_plans/3000",
    ]);
  });

  it("account catalogue: sites with their rules, plan counters, a number by its digits", async () => {
    const sites = await zoom.phone.listAllSites();
    assert.deepEqual(sites.map((s) => s.name).sort(), ["Main Site", "Paris"]);
    assert.equal((await zoom.phone.getSite(siteId)).short_extension?.length, 3);
    const plans = await zoom.phone.listCallingPlans();
    assert.deepEqual(
      plans.map((p) => [p.type, p.available]),
      [
        [200, 3],
        [3000, 3],
      ],
    );
    assert.equal((await zoom.phone.findPhoneNumber("+14155550101"))?.number, "+14155550101");
    assert.equal(await zoom.phone.findPhoneNumber("+19995550100"), undefined);
  });

  it("refusals are ZoomApiErrors; malformed path values never leave the process", async () => {
    const error = await rejection(() => zoom.phone.assignCallingPlans(userId, [999]));
    assert.ok(error instanceof ZoomApiError && error.status === 400);
    assert.ok((await rejection(() => zoom.phone.unassignPhoneNumber(userId, "../../users"))) instanceof ZoomInvalidIdentifierError);
  });

  it("plan codes past 2^53 go out and come back exact", async () => {
    await zoom.updateUser(userId, { zoom_one_type: 576460752303423488n });
    const user = await zoom.getUser(userId);
    assert.equal(user.zoom_one_type, 576460752303423488n);
  });

  it("webinar and large-meeting add-ons through user settings", async () => {
    await zoom.phone.updateUserFeatures(userId, {
      webinar: true,
      webinar_capacity: 1000,
      large_meeting: true,
      large_meeting_capacity: 500,
    });
    const features = await zoom.phone.getUserFeatures(userId);
    assert.deepEqual(
      [features.webinar, features.webinar_capacity, features.large_meeting, features.large_meeting_capacity],
      [true, 1000, true, 500],
    );
  });
});
