// A licence plan checked against Zoom's state (sites and their extension rules, calling-plan seats, the account's
// numbers) before anything is changed, then turned into Zoom's calls in the order Zoom needs them: plans that bring
// the phone licence → the phone feature → site and extension → calling plans → numbers → add-ons.
import { ScimError, badRequest, conflict, type ScimType } from "../../scim/errors.js";
import type { ZoomCallingPlanSeats, ZoomPhoneSite } from "../../zoom/types.js";
import { ZoomApiError } from "../../zoom/index.js";
import type { Step } from "../steps.js";
import type { DestructiveKind } from "../guardrails/destructive.js";
import type { Tenant } from "../tenant.js";
import type { PhoneState } from "../gateway/user-state.js";
import {
  ADD_ON_ATTRIBUTES,
  PHONE_EXTRAS,
  ZOOM_ONE_ANY,
  ZOOM_SCIM_PHONE,
  ZOOM_UNITED,
  attributeName,
} from "../mapping/licence-attributes.js";
import type { LicencePlan } from "./licence-plan.js";
import { phoneFailure, phoneSite, phoneSites } from "./licence-state.js";

/** A Zoom refusal of one licence step, told with the attribute and what the admin can do. */
/** `attribute`: the SCIM name(s) the step serves, comma-separated. */
function refusal(step: string, attribute: string, remedy: string, status: number, scimType?: ScimType): (error: unknown) => never {
  return (error) => {
    const base = phoneFailure(error, step);
    // Outages, rate limits, credentials and a Zoom Phone not set up are not the value's fault: told as they are.
    if (base.status === 429 || base.status >= 500) throw base;
    // Only a user Zoom does not know is a 404; Zoom's other refusals get the status of what they mean here.
    const gone = error instanceof ZoomApiError && error.code === 1001;
    const names = attribute.split(", ").map(attributeName).join(", ");
    throw new ScimError(gone ? 404 : status, scimType, `${names}: ${base.detail} ${remedy}`, {
      cause: error,
    });
  };
}

function wrapped(describe: string, attribute: string, remedy: string, status: number, run: () => Promise<void>, scimType?: ScimType): Step {
  return { describe, run: () => run().catch(refusal(describe, attribute, remedy, status, scimType)) };
}

/** The step counts as this destructive change for the circuit breaker (it settles by what was done). */
const counting = (step: Step, kind: DestructiveKind): Step => ({ ...step, counts: kind });

const ruleOf = (site: ZoomPhoneSite): string => {
  const short = site.short_extension?.length ?? 3;
  return site.site_code === undefined ? `${short} digits` : `site code ${site.site_code} then ${short} digits`;
};

function fits(site: ZoomPhoneSite, extension: string): boolean {
  const code = site.site_code === undefined ? "" : String(site.site_code);
  return extension.startsWith(code) && extension.length === code.length + (site.short_extension?.length ?? 3);
}

async function resolveSite(tenant: Tenant, name: string): Promise<ZoomPhoneSite> {
  const sites = await phoneSites(tenant);
  const site = sites.find((s) => s.name.toLowerCase() === name.toLowerCase());
  if (!site) {
    throw badRequest(
      "invalidValue",
      `${attributeName(ZOOM_SCIM_PHONE.site)} "${name}" is not a Zoom Phone site of this account; use one of: ${sites.map((s) => s.name).join(", ")}`,
    );
  }
  return site;
}

/** The extension against its site's rules: the target site's, or (site unknown yet) any site's. */
async function checkExtension(tenant: Tenant, extension: string, siteId: string | undefined): Promise<void> {
  const candidates = siteId ? [siteId] : (await phoneSites(tenant)).map((s) => s.id);
  const sites = await Promise.all(candidates.map((id) => phoneSite(tenant, id)));
  if (sites.some((site) => fits(site, extension))) return;
  throw badRequest(
    "invalidValue",
    `${attributeName(ZOOM_SCIM_PHONE.extension)} "${extension}" does not fit ${siteId ? `site ${sites[0]?.name ?? siteId}` : "any site"}: ` +
      `${sites.map((s) => `${s.name}: ${ruleOf(s)}`).join("; ")}. Nothing was changed.`,
  );
}

/** Calling plans to add, against the account's subscriptions and their free seats. */
async function checkPlans(tenant: Tenant, plans: NonNullable<LicencePlan["plans"]>): Promise<void> {
  if (plans.add.length === 0) return;
  const seats: ZoomCallingPlanSeats[] = await tenant.zoom.phone.listCallingPlans();
  const list = seats.map((s) => `${s.type} (${s.name}, ${s.available} free)`).join(", ");
  for (const type of plans.add) {
    const plan = seats.find((s) => s.type === type);
    if (!plan) {
      throw badRequest(
        "invalidValue",
        `${attributeName(ZOOM_SCIM_PHONE.callingPlan)} ${type} is not a calling plan this Zoom account subscribes to; its plans: ${list || "none"}. Nothing was changed.`,
      );
    }
    if (plan.available <= 0) {
      throw conflict(
        undefined,
        `${attributeName(ZOOM_SCIM_PHONE.callingPlan)} ${type}: no seats left on calling plan ${plan.name} (${plan.assigned} of ${plan.subscribed} assigned). ` +
          "Buy more seats or free one in Zoom, then send the change again. Nothing was changed.",
      );
    }
  }
}

/** Numbers to add: the account's, unassigned (or the user's own), in the user's site. */
async function checkNumbers(tenant: Tenant, userId: string, numbers: readonly string[], siteId: string | undefined): Promise<void> {
  const name = attributeName(ZOOM_SCIM_PHONE.number);
  for (const number of numbers) {
    const found = await tenant.zoom.phone.findPhoneNumber(number);
    if (!found)
      throw badRequest(
        "invalidValue",
        `${name} ${number} is not a phone number of this Zoom account; add or port it in Zoom first. Nothing was changed.`,
      );
    if (found.assignee && found.assignee.id !== userId) {
      throw conflict(
        "uniqueness",
        `${name} ${number} is already assigned to ${found.assignee.name || found.assignee.id}${found.assignee.extension_number ? ` (extension ${found.assignee.extension_number})` : ""}; unassign it there first or pick an unassigned number. Nothing was changed.`,
      );
    }
    if (siteId && found.site && found.site.id !== siteId) {
      throw conflict(
        undefined,
        `${name} ${number} belongs to site ${found.site.name ?? found.site.id}, not the user's site; set ${attributeName(ZOOM_SCIM_PHONE.site)} to that site or move the number in Zoom. Nothing was changed.`,
      );
    }
  }
}

/**
 * Checks the plan against Zoom (no change made) and answers its steps. `phone`: the user's phone profile now (null:
 * no Zoom Phone).
 */
export async function licenceSteps(
  tenant: Tenant,
  userId: string,
  plan: LicencePlan,
  phone: PhoneState | null | undefined,
): Promise<Step[]> {
  const zoom = tenant.users;
  const site = plan.siteName === undefined ? undefined : await resolveSite(tenant, plan.siteName);
  const siteId = site?.id ?? phone?.siteId;
  if (plan.extension !== undefined && plan.extension !== "auto") await checkExtension(tenant, plan.extension, siteId);
  if (plan.plans) await checkPlans(tenant, plan.plans);
  if (plan.numbers?.add.length) await checkNumbers(tenant, userId, plan.numbers.add, siteId);

  const steps: Step[] = [];
  const seatsRemedy = "Buy or free a seat in Zoom, then send the change again.";
  if (plan.zoomOne !== undefined) {
    const code = plan.zoomOne;
    steps.push(
      counting(
        wrapped(`setting the Zoom One plan to ${code}`, ZOOM_ONE_ANY, seatsRemedy, 409, () =>
          zoom.updateUser(userId, { zoom_one_type: BigInt(code) }),
        ),
        "licence-downgrade",
      ),
    );
  }
  if (plan.united !== undefined) {
    const code = plan.united;
    steps.push(
      counting(
        wrapped(`setting the Zoom United plan to ${code}`, ZOOM_UNITED, seatsRemedy, 409, () =>
          zoom.updateUser(userId, { plan_united_type: code }),
        ),
        "licence-downgrade",
      ),
    );
  }
  if (plan.feature === true) {
    steps.push(
      wrapped(
        "turning Zoom Phone on",
        PHONE_EXTRAS.feature,
        "No Zoom Phone licence is free: buy or free one in Zoom, then send the change again.",
        409,
        () => zoom.updateUser(userId, { feature: { zoom_phone: true } }),
      ),
    );
  }
  if (site || (plan.extension !== undefined && plan.extension !== "auto")) {
    const update = {
      ...(site ? { site_id: site.id } : {}),
      ...(plan.extension && plan.extension !== "auto" ? { extension_number: plan.extension } : {}),
    };
    const what = [site ? `site ${site.name}` : "", update.extension_number ? `extension ${update.extension_number}` : ""]
      .filter(Boolean)
      .join(" and ");
    steps.push(
      wrapped(
        `setting the phone ${what}`,
        update.extension_number ? ZOOM_SCIM_PHONE.extension : ZOOM_SCIM_PHONE.site,
        "The extension is taken or not valid in that site: pick a free one (or 0 for one Zoom picks).",
        409,
        () => zoom.updatePhoneUser(userId, update),
        "uniqueness",
      ),
    );
  }
  const plans = plan.plans;
  if (plans) {
    const planRemedy = "Check the account's calling-plan seats in Zoom, then send the change again.";
    const [from] = plans.remove;
    const [to] = plans.add;
    if (plans.remove.length === 1 && plans.add.length === 1 && from !== undefined && to !== undefined) {
      // One for another: Zoom's switch moves the seat in one call, never leaving the user without a plan.
      steps.push(
        wrapped(`switching the calling plan ${from} to ${to}`, ZOOM_SCIM_PHONE.callingPlan, planRemedy, 409, () =>
          zoom.switchCallingPlan(userId, from, to),
        ),
      );
    } else {
      for (const type of plans.remove) {
        steps.push(
          counting(
            wrapped(`removing calling plan ${type}`, ZOOM_SCIM_PHONE.callingPlan, planRemedy, 409, () =>
              zoom.unassignCallingPlan(userId, type),
            ),
            "phone-removal",
          ),
        );
      }
      if (plans.add.length > 0) {
        steps.push(
          wrapped(`assigning calling plan ${plans.add.join(", ")}`, ZOOM_SCIM_PHONE.callingPlan, planRemedy, 409, () =>
            zoom.assignCallingPlans(userId, plans.add),
          ),
        );
      }
    }
  }
  const numbers = plan.numbers;
  if (numbers) {
    const numberRemedy = "Pick an unassigned number of the user's site.";
    for (const number of numbers.remove) {
      steps.push(
        counting(
          wrapped(`unassigning phone number ${number}`, ZOOM_SCIM_PHONE.number, numberRemedy, 409, () =>
            zoom.unassignPhoneNumber(userId, number),
          ),
          "phone-removal",
        ),
      );
    }
    if (numbers.add.length > 0) {
      steps.push(
        wrapped(`assigning phone number ${numbers.add.join(", ")}`, ZOOM_SCIM_PHONE.number, numberRemedy, 409, () =>
          zoom.assignPhoneNumbers(userId, numbers.add),
        ),
      );
    }
  }
  if (plan.feature === false) {
    // Zoom frees the user's numbers and plans with the feature.
    steps.push(
      counting(
        wrapped("turning Zoom Phone off", PHONE_EXTRAS.feature, "", 400, () => zoom.updateUser(userId, { feature: { zoom_phone: false } })),
        "phone-removal",
      ),
    );
  }
  const addOns = plan.addOns;
  if (addOns) {
    const names = Object.keys(addOns).filter((k) => !k.endsWith("_capacity"));
    steps.push(
      counting(
        wrapped(
          `changing the add-ons (${names.join(", ")})`,
          ADD_ON_ATTRIBUTES.filter((name) => plan.attributes.includes(attributeName(name))).join(", "),
          seatsRemedy,
          409,
          () => zoom.updateUserFeatures(userId, addOns),
        ),
        "licence-downgrade",
      ),
    );
  }
  return steps;
}

/** The `release` policy: before a phone user is deactivated, its numbers and calling plans go back to the account. */
export function releaseSteps(tenant: Tenant, userId: string, phone: PhoneState): Step[] {
  const zoom = tenant.users;
  return [
    ...phone.numbers.map((number) => ({
      describe: `releasing phone number ${number}`,
      run: () => zoom.unassignPhoneNumber(userId, number),
      counts: "phone-removal" as const,
    })),
    ...phone.plans.map((type) => ({
      describe: `releasing calling plan ${type}`,
      run: () => zoom.unassignCallingPlan(userId, type),
      counts: "phone-removal" as const,
    })),
  ];
}
