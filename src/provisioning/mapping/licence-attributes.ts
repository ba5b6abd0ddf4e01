// Zoom's own SCIM extension attributes for Zoom Phone and licences (urn:ietf:params:scim:schemas:extension:zoom:1.0:User),
// with the values Zoom's SCIM takes (docs/zoom-behaviour.md §10, §11), plus zoom-scim's additions: several numbers and
// calling plans, the site's id, the phone status, the feature itself and the add-ons. Pure: names, tables, conversions.
import { badRequest } from "../../scim/errors.js";
import { toE164 } from "./phone-numbers.js";
import { ZOOM_USER_URN } from "../../scim/schemas.js";
import type { Path } from "../../scim/attributes/json.js";

/** Zoom's names, as Okta and Entra admins map them for Zoom's gallery app. */
export const ZOOM_SCIM_PHONE = {
  extension: "zoomPhoneExtNumber",
  number: "zoomPhoneNumber",
  site: "zoomPhoneSite",
  callingPlan: "zoomPhoneCallingPlan",
} as const;

/** zoom-scim's additions next to Zoom's names. */
export const PHONE_EXTRAS = {
  feature: "zoomPhone",
  numbers: "zoomPhoneNumbers",
  callingPlans: "zoomPhoneCallingPlans",
  siteId: "zoomPhoneSiteId",
  status: "zoomPhoneStatus",
} as const;

/** Zoom One / Workplace plan families of Zoom's SCIM, each a list of `zoom_one_type` codes (exact digits). */
export const ZOOM_ONE_FAMILIES: Record<string, readonly string[]> = {
  zoomOneBizPlus: ["16", "32", "64", "128", "33554432"],
  zoomOneEdu: ["576460752303423488"],
  zoomOneSchoolCampusPlus: ["137438953472", "274877906944", "549755813888", "1099511627776", "2199023255552"],
  zoomOneEntPremier: ["134217728", "268435456", "536870912", "1073741824", "2147483648"],
  zoomOneEduEntPremier: ["4294967296", "8589934592", "17179869184", "34359738368", "68719476736"],
};
/** Any `zoom_one_type` code, whatever its family (Pro Plus, School & Campus, Enterprise Essentials …): zoom-scim's. */
export const ZOOM_ONE_ANY = "zoomOneType";
/** Zoom United (`plan_united_type`), Zoom's SCIM name. */
export const ZOOM_UNITED = "zoomUnited";
const UNITED_CODES = new Set([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072].map(String));

/** Add-ons of user settings: capacity as an integer, 0 for off (zoom-scim's names; Zoom's SCIM has none for them). */
export const ADD_ONS = {
  zoomWebinar: { feature: "webinar", capacities: [100, 500, 501, 1000, 1001, 3000, 5000, 10000] },
  zoomLargeMeeting: { feature: "large_meeting", capacities: [500, 1000, 3000, 5000] },
  zoomEvents: { feature: "zoom_events", capacities: [500, 1000, 3000, 5000, 10000, 20000, 30000, 50000] },
} as const;
export type AddOnAttribute = keyof typeof ADD_ONS;

export const PHONE_ATTRIBUTES: readonly string[] = [
  PHONE_EXTRAS.feature,
  ...Object.values(ZOOM_SCIM_PHONE),
  PHONE_EXTRAS.numbers,
  PHONE_EXTRAS.callingPlans,
];
export const PLAN_ATTRIBUTES: readonly string[] = [...Object.keys(ZOOM_ONE_FAMILIES), ZOOM_ONE_ANY, ZOOM_UNITED];
export const ADD_ON_ATTRIBUTES = Object.keys(ADD_ONS) as AddOnAttribute[];

/** Every writable licence path: part of what Zoom holds (deferred for pending users, compared on writes). */
export const LICENCE_PATHS: readonly Path[] = [...PHONE_ATTRIBUTES, ...PLAN_ATTRIBUTES, ...ADD_ON_ATTRIBUTES].map((name) => [
  ZOOM_USER_URN,
  name,
]);

export const attributeName = (name: string): string => `${ZOOM_USER_URN}:${name}`;

/** Zoom's plan-code strings: digits only (exact past 2^53); "0"/"" (and `null`) turn the plan off. */
export function planCodeOf(name: string, value: unknown): string {
  if (value === undefined || value === null || value === "") return "0";
  const text = typeof value === "number" || typeof value === "bigint" ? BigInt(value).toString() : String(value).trim();
  if (!/^\d{1,20}$/.test(text))
    throw badRequest("invalidValue", `${attributeName(name)} "${String(value)}" is not a Zoom plan code (digits)`);
  const family = ZOOM_ONE_FAMILIES[name];
  if (family && text !== "0" && !family.includes(text)) {
    throw badRequest("invalidValue", `${attributeName(name)} "${text}" is not one of Zoom's codes for it: ${family.join(", ")}`);
  }
  if (name === ZOOM_UNITED && text !== "0" && !UNITED_CODES.has(text)) {
    throw badRequest("invalidValue", `${attributeName(name)} "${text}" is not a Zoom United plan code (1, 2, 4 … 131072)`);
  }
  return text;
}

/** The family attribute that shows a Zoom One code, if Zoom's SCIM has one for it. */
export function familyOf(code: string): string | undefined {
  return Object.entries(ZOOM_ONE_FAMILIES).find(([, codes]) => codes.includes(code))?.[0];
}

/** A calling-plan code: Zoom's SCIM takes the numeric type ("3000"); "-1" removes all plans. */
export function callingPlanOf(value: unknown, name: string): number {
  const text = String(value).trim();
  if (!/^-?\d{1,9}$/.test(text)) {
    throw badRequest(
      "invalidValue",
      `${attributeName(name)} "${String(value)}" is not a Zoom calling-plan code; use the numeric type, e.g. 200 (US/CA Unlimited) or 3000 (Pro), or -1 to remove all`,
    );
  }
  return Number(text);
}

export function addOnCapacityOf(name: AddOnAttribute, value: unknown): number {
  if (value === undefined || value === null || value === "" || value === false) return 0;
  const capacity = Number(value);
  const allowed: readonly number[] = ADD_ONS[name].capacities;
  if (capacity !== 0 && !allowed.includes(capacity)) {
    throw badRequest(
      "invalidValue",
      `${attributeName(name)} ${String(value)} is not a Zoom capacity; use 0 (off) or one of ${allowed.join(", ")}`,
    );
  }
  return capacity;
}

/** Phone attributes whose spelling an IdP chooses ("+49 30 555 01", "Berlin" or "berlin"): shown as sent (below). */
export const SPELLED_ATTRIBUTES: readonly string[] = [
  ZOOM_SCIM_PHONE.number,
  PHONE_EXTRAS.numbers,
  ZOOM_SCIM_PHONE.extension,
  ZOOM_SCIM_PHONE.site,
  ZOOM_SCIM_PHONE.callingPlan,
  PHONE_EXTRAS.callingPlans,
];

/**
 * The form Zoom holds a spelled value in, for telling whether Zoom still holds what the client sent: numbers in
 * E.164, extensions and plan codes as plain digits, site names case-folded. undefined for a value Zoom would refuse.
 */
export function canonicalLicenceValue(name: string, value: unknown): unknown {
  const one = (v: unknown): string | undefined => {
    if (typeof v !== "string" && typeof v !== "number") return undefined;
    const text = String(v).trim();
    if (name === ZOOM_SCIM_PHONE.number || name === PHONE_EXTRAS.numbers) return toE164(text);
    if (name === ZOOM_SCIM_PHONE.site) return text.toLowerCase();
    return /^-?\d+$/.test(text) ? String(Number(text)) : undefined;
  };
  if (Array.isArray(value)) {
    const all = value.map(one);
    return all.some((v) => v === undefined) ? undefined : all;
  }
  return one(value);
}

/** The licence attributes Zoom's SCIM types as strings (numbers, extensions and plan codes among them). */
const STRING_ATTRIBUTES = new Set([...Object.values(ZOOM_SCIM_PHONE), PHONE_EXTRAS.numbers, PHONE_EXTRAS.callingPlans, ...PLAN_ATTRIBUTES]);

/**
 * An IdP that maps an extension or plan code as a number sends `1001`, not `"1001"`: turned into the digits Zoom's
 * SCIM takes. Whole numbers only; BigInt recovers the exact code even past 2^53, where every Zoom One code is a power
 * of two (a double holds those exactly). Anything else is left for the schema to refuse.
 */
export function licenceNumbersAsStrings(extension: Record<string, unknown>): Record<string, unknown> {
  const digits = (v: unknown): unknown => (typeof v === "number" && Number.isInteger(v) ? BigInt(v).toString() : v);
  const out: Record<string, unknown> = { ...extension };
  for (const [name, value] of Object.entries(extension)) {
    if (!STRING_ATTRIBUTES.has(name)) continue;
    out[name] = Array.isArray(value) ? value.map(digits) : digits(value);
  }
  return out;
}
