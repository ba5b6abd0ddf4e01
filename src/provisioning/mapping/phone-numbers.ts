// SCIM phoneNumbers ⇄ Zoom phone_numbers. Zoom keeps a calling code, an ISO country and a national
// number with a label; SCIM keeps one string value and a type.
import { parsePhoneNumberFromString } from "libphonenumber-js/min";
import { badRequest } from "../../scim/errors.js";
import type { ZoomPhoneNumber } from "../../zoom/types.js";
import { isJsonObject } from "../../scim/attributes/json.js";

const LABEL_BY_TYPE: Record<string, ZoomPhoneNumber["label"]> = {
  work: "Office",
  mobile: "Mobile",
  home: "Home",
  fax: "Fax",
};
const TYPE_BY_LABEL: Record<string, string> = { Office: "work", Mobile: "mobile", Home: "home", Fax: "fax" };

/** Zoom holds at most three numbers. */
export const ZOOM_MAX_PHONE_NUMBERS = 3;

export function phoneNumbersToZoom(value: unknown): ZoomPhoneNumber[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw badRequest("invalidValue", "phoneNumbers must be a list of {value, type} objects");
  const entries = value.filter(isJsonObject).filter((entry) => typeof entry.value === "string" && entry.value.trim() !== "");
  if (entries.length > ZOOM_MAX_PHONE_NUMBERS) {
    throw badRequest("invalidValue", `Zoom holds at most ${ZOOM_MAX_PHONE_NUMBERS} phone numbers per user; ${entries.length} were sent`);
  }
  return entries.map((entry) => {
    const text = String(entry.value).trim();
    // Only international forms say which country they belong to: "+…" or the "00…" dialling prefix.
    const international = text.startsWith("+") ? text : text.startsWith("00") ? `+${text.slice(2)}` : undefined;
    const parsed = international ? parsePhoneNumberFromString(international) : undefined;
    if (!parsed?.country) {
      throw badRequest(
        "invalidValue",
        `phoneNumbers value "${text}" is not an international number; send it in E.164 form with its country code, e.g. +14155550100`,
      );
    }
    const type = typeof entry.type === "string" ? entry.type.toLowerCase() : "work";
    return {
      code: `+${parsed.countryCallingCode}`,
      country: parsed.country,
      number: String(parsed.nationalNumber),
      label: LABEL_BY_TYPE[type] ?? "Office",
    };
  });
}

export function phoneNumbersFromZoom(numbers: readonly ZoomPhoneNumber[] | undefined): Record<string, unknown>[] | undefined {
  const usable = (numbers ?? []).filter((n) => n.number);
  if (usable.length === 0) return undefined;
  return usable.map((n) => ({
    value: `${n.code ?? ""}${n.number ?? ""}`.replace(/\s+/g, ""),
    type: TYPE_BY_LABEL[n.label ?? "Office"] ?? "work",
  }));
}

/**
 * A Zoom Phone number in E.164 ("+14155550100"), for comparing: Zoom's phone profile shows digits without "+"
 * ("14155550100"), its number list E.164, and IdPs send either, with spaces or dashes. A leading "00" is the
 * international prefix. undefined when it is no possible international number.
 */
export function toE164(value: string): string | undefined {
  const text = value.trim().replace(/[\s().-]/g, "");
  const international = text.startsWith("+") ? text : text.startsWith("00") ? `+${text.slice(2)}` : `+${text}`;
  if (!/^\+\d{4,15}$/.test(international)) return undefined;
  const parsed = parsePhoneNumberFromString(international);
  return parsed?.isPossible() ? parsed.number : undefined;
}
