// The licence part of a user change: the desired SCIM user compared with the current view → what to change in
// Zoom Phone, plans and add-ons. Pure; values are checked here, Zoom's state (sites, seats, numbers) in licence-steps.ts.
import type { JsonObject } from "../../store/types.js";
import type { ZoomFeatureSettings } from "../../zoom/types.js";
import { badRequest } from "../../scim/errors.js";
import { ZOOM_USER_URN } from "../../scim/schemas.js";
import { getPath, jsonEqual } from "../../scim/attributes/json.js";
import type { PhoneState } from "../gateway/user-state.js";
import { toE164 } from "../mapping/phone-numbers.js";
import {
  ADD_ONS,
  ADD_ON_ATTRIBUTES,
  PHONE_ATTRIBUTES,
  PHONE_EXTRAS,
  PLAN_ATTRIBUTES,
  ZOOM_ONE_ANY,
  ZOOM_SCIM_PHONE,
  ZOOM_UNITED,
  addOnCapacityOf,
  attributeName,
  callingPlanOf,
  planCodeOf,
} from "../mapping/licence-attributes.js";

export interface LicencePlan {
  /** Turn Zoom Phone on or off. */
  feature?: boolean;
  /** The site to move to, by Zoom's display name (Zoom's SCIM names sites so). */
  siteName?: string;
  /** The full extension (site code + short extension); "auto" leaves it to Zoom. */
  extension?: string;
  plans?: { add: number[]; remove: number[] };
  numbers?: { add: string[]; remove: string[] };
  /** `zoom_one_type` as exact digits, "0" for off. */
  zoomOne?: string;
  /** `plan_united_type`, "none" for off. */
  united?: string;
  addOns?: ZoomFeatureSettings;
  /** The SCIM attributes the plan came from, for errors ("…:zoomPhoneNumber"). */
  attributes: string[];
}

export interface LicencePlanInput {
  currentView: JsonObject;
  desired: JsonObject;
  /** The phone profile the view was rendered from: null without Zoom Phone, undefined when not read. */
  phone: PhoneState | null | undefined;
  zoomPhone: boolean;
  licenceAddOns: boolean;
}

const valueOf = (resource: JsonObject, name: string): unknown => getPath(resource, [ZOOM_USER_URN, name]) ?? null;

/** Values an IdP sends for "nothing": absent, null, "" and []. */
const isEmpty = (value: unknown): boolean =>
  value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length);

function stringList(value: unknown, name: string): string[] {
  if (isEmpty(value)) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => {
    const v = typeof item === "object" && item !== null && "value" in item ? (item as { value: unknown }).value : item;
    if (typeof v !== "string" && typeof v !== "number") throw badRequest("invalidValue", `${attributeName(name)} must hold strings`);
    return String(v);
  });
}

function e164(value: string, name: string): string {
  const number = toE164(value);
  if (!number) {
    throw badRequest(
      "invalidValue",
      `${attributeName(name)} "${value}" is not an international phone number; send it in E.164 form, e.g. +14155550100`,
    );
  }
  return number;
}

const diff = <T>(from: readonly T[], to: readonly T[]): { add: T[]; remove: T[] } => ({
  add: to.filter((x) => !from.includes(x)),
  remove: from.filter((x) => !to.includes(x)),
});

/** The numbers asked for: every one (zoom-scim's list), or the first replaced (Zoom's single number). */
function desiredNumbers(input: LicencePlanInput, current: readonly string[], changed: (name: string) => boolean): string[] | undefined {
  const { desired } = input;
  if (changed(PHONE_EXTRAS.numbers))
    return stringList(valueOf(desired, PHONE_EXTRAS.numbers), PHONE_EXTRAS.numbers).map((n) => e164(n, PHONE_EXTRAS.numbers));
  if (!changed(ZOOM_SCIM_PHONE.number)) return undefined;
  const wanted = valueOf(desired, ZOOM_SCIM_PHONE.number);
  const rest = current.slice(1);
  return isEmpty(wanted) ? rest : [e164(String(wanted), ZOOM_SCIM_PHONE.number), ...rest];
}

/** The calling plans asked for: every one, or the first replaced; Zoom's "-1" removes all. */
function desiredPlans(input: LicencePlanInput, current: readonly number[], changed: (name: string) => boolean): number[] | undefined {
  const { desired } = input;
  const checked = (values: string[], name: string): number[] => {
    const plans = values.map((v) => callingPlanOf(v, name));
    if (plans.includes(-1)) return [];
    const bad = plans.find((p) => p < 0);
    if (bad !== undefined) throw badRequest("invalidValue", `${attributeName(name)} ${bad} is not a Zoom calling-plan code`);
    return [...new Set(plans)];
  };
  if (changed(PHONE_EXTRAS.callingPlans))
    return checked(stringList(valueOf(desired, PHONE_EXTRAS.callingPlans), PHONE_EXTRAS.callingPlans), PHONE_EXTRAS.callingPlans);
  if (!changed(ZOOM_SCIM_PHONE.callingPlan)) return undefined;
  const wanted = valueOf(desired, ZOOM_SCIM_PHONE.callingPlan);
  const rest = current.slice(1);
  if (isEmpty(wanted)) return [...rest];
  const plans = checked([String(wanted)], ZOOM_SCIM_PHONE.callingPlan);
  return plans.length === 0 ? [] : [...new Set([...plans, ...rest])];
}

function phonePart(input: LicencePlanInput, plan: LicencePlan, changed: (name: string) => boolean): void {
  const { desired, phone } = input;
  const touched = PHONE_ATTRIBUTES.filter(changed);
  if (touched.length === 0) return;
  if (!input.zoomPhone) {
    throw badRequest(
      "invalidValue",
      `${touched.map(attributeName).join(", ")}: Zoom Phone is off for this tenant; set the tenant option zoomPhone (SCIM_ZOOM_PHONE=true) to provision phone users, or stop sending these attributes`,
    );
  }
  plan.attributes.push(...touched.map(attributeName));
  const featureValue = valueOf(desired, PHONE_EXTRAS.feature);
  if (changed(PHONE_EXTRAS.feature) && featureValue === false) {
    if (phone) plan.feature = false;
    return;
  }
  const current = phone ?? undefined;
  if (!current) plan.feature = true;

  if (changed(ZOOM_SCIM_PHONE.site) && !isEmpty(valueOf(desired, ZOOM_SCIM_PHONE.site))) {
    const site = String(valueOf(desired, ZOOM_SCIM_PHONE.site)).trim();
    if (site.toLowerCase() !== (current?.siteName ?? "").toLowerCase()) plan.siteName = site;
  }
  if (changed(ZOOM_SCIM_PHONE.extension) && !isEmpty(valueOf(desired, ZOOM_SCIM_PHONE.extension))) {
    const extension = String(valueOf(desired, ZOOM_SCIM_PHONE.extension)).trim();
    if (!/^\d{1,16}$/.test(extension)) {
      throw badRequest(
        "invalidValue",
        `${attributeName(ZOOM_SCIM_PHONE.extension)} "${extension}" is not an extension number: digits only, the site code followed by the short extension (or 0 for one Zoom picks)`,
      );
    }
    if (extension === "0") {
      if (current?.extension === undefined && plan.siteName === undefined) plan.extension = "auto";
    } else if (Number(extension) !== current?.extension) plan.extension = extension;
  }
  const plans = desiredPlans(input, current?.plans ?? [], changed);
  if (plans) {
    const change = diff(current?.plans ?? [], plans);
    if (change.add.length || change.remove.length) plan.plans = change;
  }
  const numbers = desiredNumbers(input, current?.numbers ?? [], changed);
  if (numbers) {
    if (numbers.length > 10)
      throw badRequest("invalidValue", `${attributeName(PHONE_EXTRAS.numbers)}: Zoom holds at most 10 numbers per user`);
    const change = diff(current?.numbers ?? [], [...new Set(numbers)]);
    if (change.add.length || change.remove.length) plan.numbers = change;
  }
}

function plansPart(input: LicencePlanInput, plan: LicencePlan, changed: (name: string) => boolean): void {
  const zoomOne = PLAN_ATTRIBUTES.filter((name) => name !== ZOOM_UNITED && changed(name));
  const codes = new Set(zoomOne.map((name) => planCodeOf(name, valueOf(input.desired, name))));
  if (zoomOne.length > 0) {
    // Several names changed at once: a cleared one and a new code mean the new code; two codes are refused.
    const kept = [...codes].filter((c) => c !== "0");
    if (kept.length > 1) {
      throw badRequest(
        "invalidValue",
        `${zoomOne.map(attributeName).join(", ")} name different Zoom One plans (${kept.join(", ")}); a user holds one`,
      );
    }
    const code = kept[0] ?? "0";
    const before = valueOf(input.currentView, ZOOM_ONE_ANY);
    if (code !== String(before ?? "0")) plan.zoomOne = code;
    plan.attributes.push(...zoomOne.map(attributeName));
  }
  if (changed(ZOOM_UNITED)) {
    const code = planCodeOf(ZOOM_UNITED, valueOf(input.desired, ZOOM_UNITED));
    plan.united = code === "0" ? "none" : code;
    plan.attributes.push(attributeName(ZOOM_UNITED));
  }
}

function addOnsPart(input: LicencePlanInput, plan: LicencePlan, changed: (name: string) => boolean): void {
  const touched = ADD_ON_ATTRIBUTES.filter(changed);
  if (touched.length === 0) return;
  if (!input.licenceAddOns) {
    throw badRequest(
      "invalidValue",
      `${touched.map(attributeName).join(", ")}: add-on licences are off for this tenant; set the tenant option licenceAddOns (SCIM_LICENCE_ADD_ONS=true), or stop sending these attributes`,
    );
  }
  const features: Record<string, unknown> = {};
  for (const name of touched) {
    const capacity = addOnCapacityOf(name, valueOf(input.desired, name));
    const feature = ADD_ONS[name].feature;
    features[feature] = capacity > 0;
    if (capacity > 0) features[`${feature}_capacity`] = capacity;
  }
  plan.addOns = features as ZoomFeatureSettings;
  plan.attributes.push(...touched.map(attributeName));
}

/** The licence changes `desired` asks of the user `currentView` shows; undefined when none. Throws 400 for bad values. */
export function planLicences(input: LicencePlanInput): LicencePlan | undefined {
  const changed = (name: string): boolean => !jsonEqual(valueOf(input.desired, name), valueOf(input.currentView, name));
  const plan: LicencePlan = { attributes: [] };
  phonePart(input, plan, changed);
  plansPart(input, plan, changed);
  addOnsPart(input, plan, changed);
  const { attributes: _names, ...changes } = plan;
  return Object.keys(changes).length > 0 ? plan : undefined;
}

/** Whether the plan takes something away (the circuit breaker counts it): the phone, a number, a plan, a licence. */
export function licenceRemovals(plan: LicencePlan | undefined): { phone: boolean; licence: boolean } {
  if (!plan) return { phone: false, licence: false };
  const phone = plan.feature === false || (plan.numbers?.remove.length ?? 0) > 0 || (plan.plans?.remove.length ?? 0) > 0;
  const addOnOff = Object.entries(plan.addOns ?? {}).some(([key, value]) => !key.endsWith("_capacity") && value === false);
  return { phone, licence: plan.zoomOne === "0" || plan.united === "none" || addOnOff };
}
