// The account's phone catalogue: sites, calling-plan subscriptions with their counts, phone numbers
// (Zoom's Phone API; docs/zoom-behaviour.md §10).
import { phoneErr } from "../errors.js";
import type { PhoneNumberRecord, PhoneSite } from "../model/phone.js";
import type { Simulator } from "../sim.js";
import { param, type ApiRequest, type ApiResult } from "./types.js";

function siteView(site: PhoneSite, detailed: boolean): Record<string, unknown> {
  return {
    id: site.id,
    name: site.name,
    ...(site.site_code === undefined ? {} : { site_code: site.site_code }),
    country: { code: "US", name: "United States" },
    ...(detailed ? { short_extension: { length: site.short_extension_length } } : {}),
  };
}

/** `GET /phone/sites`: one page holds them all (page_size up to 300; the simulator's accounts have few sites). */
export function listSites(req: ApiRequest): ApiResult {
  const sites = [...req.sim.account.phone.sites.values()];
  const name = req.query.get("site_name");
  const shown = name ? sites.filter((s) => s.name === name) : sites;
  return {
    status: 200,
    body: { next_page_token: "", page_size: shown.length, total_records: shown.length, sites: shown.map((s) => siteView(s, false)) },
  };
}

export function getSite(req: ApiRequest): ApiResult {
  const site = req.sim.account.phone.sites.get(param(req, 0));
  if (!site) throw phoneErr.siteNotFoundGet();
  return { status: 200, body: siteView(site, true) };
}

/** `GET /phone/calling_plans`: subscribed, assigned and available per plan type. */
export function listCallingPlans(req: ApiRequest): ApiResult {
  const { phone } = req.sim.account;
  const plans = [...phone.plans.values()].map((plan) => {
    const assigned = phone.assignedCount(plan.type);
    return { type: plan.type, name: plan.name, subscribed: plan.subscribed, assigned, available: Math.max(0, plan.subscribed - assigned) };
  });
  return { status: 200, body: { calling_plans: plans } };
}

function numberView(sim: Simulator, record: PhoneNumberRecord): Record<string, unknown> {
  const site = sim.account.phone.sites.get(record.site_id);
  const out: Record<string, unknown> = {
    id: record.id,
    number: record.number,
    status: "available",
    number_type: "toll",
    source: "internal",
    ...(site ? { site: { id: site.id, name: site.name } } : {}),
  };
  if (record.assignee !== undefined) {
    const user = sim.account.users.getById(record.assignee);
    const phoneUser = sim.account.phone.users.get(record.assignee);
    out.assignee = {
      id: record.assignee,
      name: user?.display_name ?? "",
      extension_number: phoneUser?.extension_number ?? 0,
      type: "user",
    };
  }
  return out;
}

/** `GET /phone/numbers?type=assigned|unassigned|all&site_id&phone_number`: one page (the simulator's accounts hold few numbers). */
export function listPhoneNumbers(req: ApiRequest): ApiResult {
  const { sim, query } = req;
  const type = query.get("type") ?? "all";
  const siteId = query.get("site_id");
  const wanted = query.get("phone_number");
  const digits = wanted?.replace(/[^\d]/g, "");
  const numbers = [...sim.account.phone.numbers.values()].filter(
    (n) =>
      (type === "all" || (type === "assigned") === (n.assignee !== undefined)) &&
      (!siteId || n.site_id === siteId) &&
      (!digits || n.number.replace(/[^\d]/g, "") === digits),
  );
  return {
    status: 200,
    body: {
      next_page_token: "",
      page_size: numbers.length,
      total_records: numbers.length,
      phone_numbers: numbers.map((n) => numberView(sim, n)),
    },
  };
}
