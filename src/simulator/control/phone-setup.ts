// `POST /_sim/phone` sets up the account's phone system (sites, numbers, calling-plan subscriptions);
// `GET /_sim/phone` and each user's `phone` in `/_sim/users/{id}` show it as Zoom holds it.
import { isRecord } from "../http-io.js";
import type { PhoneUserRecord } from "../model/phone.js";
import type { Simulator } from "../sim.js";

export class PhoneSetupError extends Error {}

export interface PhoneSetupRequest {
  /** Replace the system (one main site, nothing else) before adding; default false. */
  reset?: boolean;
  sites?: { id?: string; name: string; site_code?: number; short_extension_length?: number; main?: boolean }[];
  /** `site`: a site's name or id (default the main site). */
  numbers?: { number: string; site?: string; id?: string }[];
  callingPlans?: { type: number; name: string; subscribed: number }[];
}

function fail(message: string): never {
  throw new PhoneSetupError(message);
}

/** Checked whole before anything changes. */
export function applyPhoneSetup(sim: Simulator, body: Record<string, unknown>): Record<string, unknown> {
  const request = body as PhoneSetupRequest;
  const phone = sim.account.phone;
  const sites = Array.isArray(request.sites) ? request.sites : [];
  const numbers = Array.isArray(request.numbers) ? request.numbers : [];
  const plans = Array.isArray(request.callingPlans) ? request.callingPlans : [];
  for (const site of sites) {
    if (!isRecord(site) || typeof site.name !== "string" || site.name === "") fail("each site needs a name");
    const short = site.short_extension_length ?? 3;
    const code = site.site_code === undefined ? 0 : String(site.site_code).length;
    if (!Number.isInteger(short) || short < 2 || short > 5 || code + short > 6)
      fail(`site ${site.name}: short_extension_length 2-5, and site code + short extension at most 6 digits`);
  }
  for (const n of numbers) {
    if (!isRecord(n) || typeof n.number !== "string" || !/^\+\d{6,15}$/.test(n.number)) fail("each number needs an E.164 number");
  }
  for (const p of plans) {
    if (!isRecord(p) || !Number.isInteger(p.type) || typeof p.name !== "string" || !Number.isInteger(p.subscribed) || p.subscribed < 0)
      fail("each calling plan needs an integer type, a name and a non-negative subscribed count");
  }
  if (request.reset === true) phone.reset();
  for (const site of sites) phone.addSite(site);
  const siteOf = (ref: string | undefined): string => {
    if (ref === undefined) return phone.mainSite().id;
    const site = phone.sites.get(ref) ?? [...phone.sites.values()].find((s) => s.name === ref);
    return site ? site.id : fail(`no such site: ${ref}`);
  };
  for (const n of numbers) {
    if (phone.findNumber(n.number)) fail(`number already in the account: ${n.number}`);
    phone.addNumber(n.number, siteOf(n.site), n.id);
  }
  for (const p of plans) phone.plans.set(p.type, { type: p.type, name: p.name, subscribed: p.subscribed });
  return phoneState(sim);
}

export function phoneState(sim: Simulator): Record<string, unknown> {
  const phone = sim.account.phone;
  return {
    sites: [...phone.sites.values()],
    numbers: [...phone.numbers.values()].map((n) => ({ ...n, assignee: n.assignee ?? null })),
    callingPlans: [...phone.plans.values()].map((p) => ({ ...p, assigned: phone.assignedCount(p.type) })),
    users: phone.users.size,
    licences: sim.config.licences,
  };
}

/** A user's phone profile for `/_sim/users/{id}`: null without Zoom Phone. */
export function userPhoneState(sim: Simulator, userId: string): Record<string, unknown> | null {
  const record: PhoneUserRecord | undefined = sim.account.phone.users.get(userId);
  if (!record) return null;
  const site = sim.account.phone.sites.get(record.site_id);
  return {
    extension_number: record.extension_number,
    site_id: record.site_id,
    site_name: site?.name ?? null,
    calling_plans: [...record.calling_plans],
    numbers: record.number_ids.map((id) => sim.account.phone.numbers.get(id)?.number ?? id),
    status: record.status,
  };
}
