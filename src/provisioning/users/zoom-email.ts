// Zoom identifies a user by one email. A userName that is an email is it; one that is not (a directory's short
// login, "UserName123") keeps its spelling in the store and Zoom's email comes from `emails`.
import type { JsonObject } from "../../store/types.js";
import { badRequest } from "../../scim/errors.js";
import { isJsonObject } from "../../scim/attributes/json.js";
import { isZoomEmail } from "../../zoom/index.js";

const shown = (value: string): string => (value.length > 80 ? `${value.slice(0, 80)}…` : value);

const isPrimary = (entry: JsonObject): boolean => entry.primary === true || entry.primary === "true";

/** The email value `emails` offers for Zoom: the primary one, else the work one, else the only one. */
function chosenEmail(emails: unknown): unknown {
  if (!Array.isArray(emails)) return undefined;
  const entries = emails.filter(isJsonObject).filter((e) => e.value !== undefined && e.value !== null && e.value !== "");
  const chosen =
    entries.find(isPrimary) ??
    entries.find((e) => typeof e.type === "string" && e.type.toLowerCase() === "work") ??
    (entries.length === 1 ? entries[0] : undefined);
  return typeof chosen?.value === "string" ? chosen.value.trim() : chosen?.value;
}

/** The userName a desired user asks for, trimmed; 400 when there is none. */
export function desiredUserName(desired: JsonObject): string {
  const userName = desired.userName;
  if (typeof userName !== "string" || userName.trim() === "")
    throw badRequest("invalidValue", "userName is required: send the user's Zoom email address, or a login name and a primary email");
  return userName.trim();
}

/** Whether the userName is Zoom's email itself (else the email comes from `emails`). */
export const userNameIsEmail = (userName: string): boolean => isZoomEmail(userName.trim());

/** The email Zoom is to hold for a desired user; 400 `invalidValue` when it has none Zoom accepts. */
export function zoomEmailOf(desired: JsonObject): string {
  const userName = desiredUserName(desired);
  // Checked in linear time: a backtracking pattern took seconds on "a@" followed by 100,000 dots.
  if (isZoomEmail(userName)) return userName;
  const email = chosenEmail(desired.emails);
  if (isZoomEmail(email)) return email;
  const because =
    email === undefined
      ? "and emails has no primary, work or single email value"
      : `and the email chosen from emails ("${shown(String(email))}") is not one Zoom accepts (one "@", a dotted domain, at most 254 characters)`;
  throw badRequest(
    "invalidValue",
    `userName "${shown(userName)}" is not an email address, ${because}; Zoom identifies users by email: send an email as userName or a primary email in emails`,
  );
}
