// The licence diff (desired SCIM user vs the current view → Zoom Phone, plan and add-on changes), E.164
// normalisation and exact JSON for plan codes past 2^53: pure logic, no Zoom.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { licenceRemovals, planLicences, type LicencePlanInput } from "../../src/provisioning/licences/licence-plan.js";
import { toE164 } from "../../src/provisioning/mapping/phone-numbers.js";
import { parseExactJson, stringifyExact } from "../../src/lib/exact-json.js";
import { ScimError } from "../../src/scim/errors.js";
import type { PhoneState } from "../../src/provisioning/gateway/user-state.js";
import { parseUserBody } from "../../src/provisioning/users/user-input.js";

const ZOOM = "urn:ietf:params:scim:schemas:extension:zoom:1.0:User";

const PHONE: PhoneState = {
  extension: 49101,
  siteId: "site-b",
  siteName: "Berlin",
  plans: [200],
  numbers: ["+493055501"],
  status: "activate",
};

/** The view as licence-view.ts renders PHONE. */
const VIEW = {
  [ZOOM]: {
    zoomPhone: true,
    zoomPhoneExtNumber: "49101",
    zoomPhoneSite: "Berlin",
    zoomPhoneCallingPlan: "200",
    zoomPhoneCallingPlans: ["200"],
    zoomPhoneNumber: "+493055501",
    zoomPhoneNumbers: ["+493055501"],
  },
};

function plan(ext: Record<string, unknown>, options: Partial<LicencePlanInput> = {}): ReturnType<typeof planLicences> {
  return planLicences({
    currentView: VIEW,
    desired: { [ZOOM]: { ...VIEW[ZOOM], ...ext } },
    phone: PHONE,
    zoomPhone: true,
    licenceAddOns: true,
    ...options,
  });
}

function refused(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (error: unknown) => error instanceof ScimError && error.status === 400 && pattern.test(error.detail));
}

describe("licence plan", () => {
  it("asks nothing when the values are Zoom's, however the number is spelt", () => {
    assert.equal(plan({}), undefined);
    assert.equal(plan({ zoomPhoneNumber: "+49 30 555 01" }), undefined);
    assert.equal(plan({ zoomPhoneNumber: "004930-55501" }), undefined);
  });

  it("one plan for another is one removal and one addition; -1 removes all; the list replaces all", () => {
    assert.deepEqual(plan({ zoomPhoneCallingPlan: "3000" })?.plans, { add: [3000], remove: [200] });
    assert.deepEqual(plan({ zoomPhoneCallingPlan: "-1" })?.plans, { add: [], remove: [200] });
    assert.deepEqual(plan({ zoomPhoneCallingPlans: ["200", "4000"] })?.plans, { add: [4000], remove: [] });
    refused(() => plan({ zoomPhoneCallingPlan: "Pro" }), /zoomPhoneCallingPlan "Pro" is not a Zoom calling-plan code/);
  });

  it("numbers in E.164: a new first number replaces the old; malformed numbers are refused", () => {
    assert.deepEqual(plan({ zoomPhoneNumber: "14155550100" })?.numbers, { add: ["+14155550100"], remove: ["+493055501"] });
    assert.deepEqual(plan({ zoomPhoneNumbers: ["+493055501", "+14155550100"] })?.numbers, { add: ["+14155550100"], remove: [] });
    refused(() => plan({ zoomPhoneNumber: "call me" }), /zoomPhoneNumber "call me" is not an international phone number/);
  });

  it("extensions: digits only; 0 asks Zoom for one only when the user has none", () => {
    assert.equal(plan({ zoomPhoneExtNumber: "49102" })?.extension, "49102");
    assert.equal(plan({ zoomPhoneExtNumber: "0" }), undefined);
    refused(() => plan({ zoomPhoneExtNumber: "49-102" }), /zoomPhoneExtNumber "49-102" is not an extension number/);
    const fresh = planLicences({
      currentView: { [ZOOM]: { zoomPhone: false } },
      desired: { [ZOOM]: { zoomPhone: false, zoomPhoneExtNumber: "0" } },
      phone: null,
      zoomPhone: true,
      licenceAddOns: false,
    });
    assert.deepEqual([fresh?.feature, fresh?.extension], [true, "auto"]);
  });

  it("any phone attribute turns the feature on; zoomPhone false turns it off (and counts as a removal)", () => {
    const on = planLicences({
      currentView: { [ZOOM]: { zoomPhone: false } },
      desired: { [ZOOM]: { zoomPhone: false, zoomPhoneSite: "Berlin" } },
      phone: null,
      zoomPhone: true,
      licenceAddOns: false,
    });
    assert.deepEqual([on?.feature, on?.siteName], [true, "Berlin"]);
    const off = plan({ zoomPhone: false });
    assert.equal(off?.feature, false);
    assert.deepEqual(licenceRemovals(off), { phone: true, licence: false });
  });

  it("refuses phone and add-on attributes when the tenant has them off, naming the option", () => {
    refused(
      () => plan({ zoomPhoneSite: "Paris" }, { zoomPhone: false }),
      /Zoom Phone is off for this tenant; set the tenant option zoomPhone/,
    );
    refused(() => plan({ zoomWebinar: 500 }, { licenceAddOns: false }), /add-on licences are off for this tenant/);
  });

  it("Zoom One codes: exact digits, checked against their family; two plans at once are refused", () => {
    assert.equal(plan({ zoomOneEdu: "576460752303423488" })?.zoomOne, "576460752303423488");
    assert.equal(plan({ zoomOneType: "4398046511104" })?.zoomOne, "4398046511104");
    refused(() => plan({ zoomOneBizPlus: "17" }), /zoomOneBizPlus "17" is not one of Zoom's codes for it/);
    refused(() => plan({ zoomOneBizPlus: "16", zoomOneType: "4398046511104" }), /name different Zoom One plans/);
    assert.equal(plan({ zoomUnited: "" })?.united, "none");
  });

  it("add-ons: capacities Zoom offers, 0 for off (a licence downgrade)", () => {
    assert.deepEqual(plan({ zoomWebinar: 1000 })?.addOns, { webinar: true, webinar_capacity: 1000 });
    const off = planLicences({
      currentView: { [ZOOM]: { zoomWebinar: 1000 } },
      desired: { [ZOOM]: { zoomWebinar: 0 } },
      phone: undefined,
      zoomPhone: false,
      licenceAddOns: true,
    });
    assert.deepEqual(off?.addOns, { webinar: false });
    assert.deepEqual(licenceRemovals(off), { phone: false, licence: true });
    refused(() => plan({ zoomLargeMeeting: 700 }), /zoomLargeMeeting 700 is not a Zoom capacity/);
  });
});

describe("licence values sent as numbers", () => {
  it("become the digits Zoom's SCIM takes, exact for plan codes past 2^53 (JSON.parse's double of a power of two)", () => {
    const body = JSON.parse(
      `{"userName":"a@example.com","${ZOOM}":{"zoomPhoneExtNumber":1001,"zoomOneEdu":576460752303423488,"zoomPhoneCallingPlans":[200,3000],"zoomWebinar":500}}`,
    ) as Record<string, unknown>;
    assert.deepEqual(parseUserBody(body)[ZOOM], {
      zoomPhoneExtNumber: "1001",
      zoomPhoneCallingPlans: ["200", "3000"],
      zoomOneEdu: "576460752303423488",
      zoomWebinar: 500,
    });
  });
});

describe("E.164 and exact JSON", () => {
  it("normalises Zoom's profile digits, spaced and 00 forms; refuses impossible numbers", () => {
    assert.equal(toE164("14232058798"), "+14232058798");
    assert.equal(toE164("+1 (423) 205-8798"), "+14232058798");
    assert.equal(toE164("0014232058798"), "+14232058798");
    assert.equal(toE164("12"), undefined);
  });

  it("keeps integers past 2^53 exact through parse and stringify, and leaves strings alone", () => {
    const text = '{"zoom_one_type":576460752303423488,"n":"576460752303423488","small":16,"list":[144115188075855872]}';
    const value = parseExactJson(text) as Record<string, unknown>;
    assert.equal(value.zoom_one_type, 576460752303423488n);
    assert.equal(value.n, "576460752303423488");
    assert.equal(value.small, 16);
    assert.equal(stringifyExact(value), text);
    assert.equal(stringifyExact({ code: 18014398509481984n }), '{"code":18014398509481984}');
  });
});
