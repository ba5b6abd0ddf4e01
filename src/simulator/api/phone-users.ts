// /phone/users/{userId}: the phone profile (site, extension), calling plans and phone numbers of one user
// (Zoom's Phone API; docs/zoom-behaviour.md §10).
import { err, phoneErr } from "../errors.js";
import type { PhoneSite, PhoneUserRecord } from "../model/phone.js";
import type { UserRecord } from "../model/users.js";
import type { Simulator } from "../sim.js";
import { checkBody, liveUser } from "./users.js";
import { param, type ApiRequest, type ApiResult } from "./types.js";
import type { ObjectSpec } from "../validate.js";

/** The Zoom user behind `{userId}` and its phone profile; 404/1001 when it has no Zoom Phone. */
export function phoneUserOf(sim: Simulator, idOrEmail: string): { user: UserRecord; phone: PhoneUserRecord } {
  const user = liveUser(sim, idOrEmail);
  const phone = sim.account.phone.users.get(user.id);
  if (!phone || user.status === "pending") throw phoneErr.phoneUserNotFound(idOrEmail);
  return { user, phone };
}

function planName(sim: Simulator, type: number): string {
  return sim.account.phone.plans.get(type)?.name ?? String(type);
}

/** `GET /phone/users/{userId}`: numbers shown as Zoom's profile example shows them, digits without "+". */
export function getPhoneUser(req: ApiRequest): ApiResult {
  const { sim } = req;
  const { user, phone } = phoneUserOf(sim, param(req, 0));
  const numbers = phone.number_ids
    .map((id) => sim.account.phone.numbers.get(id))
    .flatMap((n) => (n ? [{ id: n.id, number: n.number.replace(/^\+/, "") }] : []));
  return {
    status: 200,
    body: {
      id: user.id,
      phone_user_id: phone.phone_user_id,
      email: user.email,
      extension_id: phone.extension_id,
      extension_number: phone.extension_number,
      site_id: phone.site_id,
      site_admin: false,
      status: phone.status,
      calling_plans: phone.calling_plans.map((type) => ({ type, name: planName(sim, type) })),
      phone_numbers: numbers,
    },
  };
}

const PROFILE_SPEC: ObjectSpec = {
  type: "object",
  props: {
    extension_number: { type: "string", maxLength: 16 },
    site_id: { type: "string" },
    emergency_address_id: { type: "string" },
    template_id: { type: "string" },
    policy: { type: "object", props: {} },
  },
};

function site(sim: Simulator, id: string): PhoneSite {
  const found = sim.account.phone.sites.get(id);
  if (!found) throw phoneErr.siteNotFound();
  return found;
}

/** `PATCH /phone/users/{userId}`: the full extension (site code + short extension) and the site. */
export function updatePhoneUser(req: ApiRequest): ApiResult {
  const { sim, body } = req;
  checkBody(body, PROFILE_SPEC);
  const { phone } = phoneUserOf(sim, param(req, 0));
  const target = typeof body.site_id === "string" ? site(sim, body.site_id) : site(sim, phone.site_id);
  if (typeof body.extension_number === "string") {
    const text = body.extension_number;
    const digits = (target.site_code === undefined ? 0 : String(target.site_code).length) + target.short_extension_length;
    if (!/^\d+$/.test(text) || !sim.account.phone.extensionFits(target, Number(text))) {
      throw phoneErr.extensionMalformed(text, target.name, digits);
    }
    const holder = sim.account.phone.extensionHolder(Number(text));
    if (holder && holder.userId !== phone.userId) throw phoneErr.extensionTaken(text);
    phone.extension_number = Number(text);
  } else if (target.id !== phone.site_id) {
    // Moved without an extension: Zoom gives one of the new site.
    phone.extension_number = sim.account.phone.freeExtension(target);
  }
  phone.site_id = target.id;
  return { status: 204 };
}

const PLANS_SPEC: ObjectSpec = {
  type: "object",
  required: ["calling_plans"],
  props: {
    calling_plans: {
      type: "array",
      maxItems: 150,
      minItems: 1,
      items: {
        type: "object",
        required: ["type"],
        props: { type: { type: "integer" }, billing_account_id: { type: "string" }, billing_subscription_id: { type: "string" } },
      },
    },
  },
};

function checkPlanSeat(sim: Simulator, type: number): void {
  const plan = sim.account.phone.plans.get(type);
  if (!plan) throw phoneErr.planNotSubscribed(type);
  if (sim.account.phone.assignedCount(type) >= plan.subscribed) throw phoneErr.planNoSeats(type);
}

/** `POST /phone/users/{userId}/calling_plans`: all of them or none. */
export function assignCallingPlans(req: ApiRequest): ApiResult {
  const { sim, body } = req;
  checkBody(body, PLANS_SPEC);
  const { phone } = phoneUserOf(sim, param(req, 0));
  const types = [...new Set((body.calling_plans as { type: number }[]).map((p) => p.type))].filter((t) => !phone.calling_plans.includes(t));
  for (const type of types) checkPlanSeat(sim, type);
  phone.calling_plans.push(...types);
  return { status: 200 };
}

const SWITCH_SPEC: ObjectSpec = {
  type: "object",
  required: ["source_type", "target_type"],
  props: {
    source_type: { type: "integer" },
    target_type: { type: "integer" },
    source_billing_subscription_id: { type: "string" },
    target_billing_subscription_id: { type: "string" },
  },
};

/** `PUT /phone/users/{userId}/calling_plans`: one plan for another, the seat moving in one call. */
export function switchCallingPlan(req: ApiRequest): ApiResult {
  const { sim, body } = req;
  checkBody(body, SWITCH_SPEC);
  const { phone } = phoneUserOf(sim, param(req, 0));
  const source = body.source_type as number;
  const target = body.target_type as number;
  if (!phone.calling_plans.includes(source)) throw phoneErr.sourcePlanNotHeld();
  if (source !== target) {
    checkPlanSeat(sim, target);
    phone.calling_plans = phone.calling_plans.map((t) => (t === source ? target : t));
  }
  return { status: 204 };
}

/** `DELETE /phone/users/{userId}/calling_plans/{planType}`. */
export function unassignCallingPlan(req: ApiRequest): ApiResult {
  const { sim } = req;
  const { phone } = phoneUserOf(sim, param(req, 0));
  const type = Number(param(req, 1));
  if (!Number.isInteger(type) || !phone.calling_plans.includes(type)) throw phoneErr.planNotHeld();
  phone.calling_plans = phone.calling_plans.filter((t) => t !== type);
  return { status: 204 };
}

const NUMBERS_SPEC: ObjectSpec = {
  type: "object",
  required: ["phone_numbers"],
  props: {
    phone_numbers: {
      type: "array",
      maxItems: 10,
      minItems: 1,
      items: { type: "object", props: { id: { type: "string" }, number: { type: "string" } } },
    },
  },
};

/** `POST /phone/users/{userId}/phone_numbers`: each by id or E.164 number; all of them or none. */
export function assignPhoneNumbers(req: ApiRequest): ApiResult {
  const { sim, body } = req;
  checkBody(body, NUMBERS_SPEC);
  const { user, phone } = phoneUserOf(sim, param(req, 0));
  const wanted = body.phone_numbers as { id?: string; number?: string }[];
  const records = wanted.map((entry) => {
    const ref = entry.id ?? entry.number;
    if (ref === undefined) throw err.validation([{ field: "phone_numbers", message: "Invalid field." }]);
    const record = sim.account.phone.findNumber(ref);
    if (!record) throw phoneErr.numberNotFound(ref);
    if (record.assignee !== undefined && record.assignee !== user.id) throw phoneErr.numberAssigned(record.number);
    if (record.site_id !== phone.site_id && !sim.config.phone.otherSiteNumbers) throw phoneErr.numberOtherSite(record.number);
    return record;
  });
  if (new Set([...phone.number_ids, ...records.map((r) => r.id)]).size > 10) {
    throw err.validation([{ field: "phone_numbers", message: "Invalid field." }]);
  }
  for (const record of records) {
    record.assignee = user.id;
    if (!phone.number_ids.includes(record.id)) phone.number_ids.push(record.id);
  }
  return { status: 200, body: { phone_numbers: records.map((r) => ({ id: r.id, number: r.number })) } };
}

/** `DELETE /phone/users/{userId}/phone_numbers/{phoneNumberId}`: the id or the number itself. */
export function unassignPhoneNumber(req: ApiRequest): ApiResult {
  const { sim } = req;
  const { phone } = phoneUserOf(sim, param(req, 0));
  const record = sim.account.phone.findNumber(param(req, 1));
  if (!record || !phone.number_ids.includes(record.id)) throw phoneErr.numberNotHeld();
  delete record.assignee;
  phone.number_ids = phone.number_ids.filter((id) => id !== record.id);
  return { status: 204 };
}
