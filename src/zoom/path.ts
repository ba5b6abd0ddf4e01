// Every Zoom path the client calls, built from checked segments only. An unchecked value is dangerous even when
// percent-encoded: ".." and "." are dot segments that URL resolution removes (got resolves the URL), so removing
// member ".." of a group became DELETE /groups/{id}/ — the delete-group endpoint. So each id or email is first checked
// against the shapes Zoom hands out, then encoded; anything else throws ZoomInvalidIdentifierError before any call.
//
// Shapes (Zoom's OpenAPI documents, Users.json and Accounts.json, March 2026; the simulator's ids.ts):
// - user, group and custom role ids are 22-character base64url strings ("SobVexyrQjqCkcxjpBWi6w",
//   "-cn1DHGRRTSOlnVwyZNhKw"); built-in role ids are "0", "1", "2". Accepted: 1–64 of [A-Za-z0-9_-], which holds
//   every documented example of these ids and no dot segment, separator or escape.
// - "me" is refused as a user: Zoom reads it as the app's own user, never as an id (real ids are 22 characters).
// - where Zoom takes "user ID or email", an email: one "@" between a non-empty local part and a dotted domain,
//   at most 254 characters, none of / ? # % \ , whitespace, control or format characters, or unpaired surrogates.

import { ZoomInvalidIdentifierError, type ZoomIdentifierKind } from "./errors.js";

declare const segmentBrand: unique symbol;
/** A checked, percent-encoded path segment. */
export type PathSegment = string & { readonly [segmentBrand]: true };

declare const pathBrand: unique symbol;
/** A path below the API base made by this module, e.g. `/users/abc/status`. */
export type ZoomPath = string & { readonly [pathBrand]: true };

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const SELF = /^me$/i;
export const MAX_EMAIL_LENGTH = 254;
// One character-class scan: linear in the length, which is capped first anyway.
const NOT_IN_EMAIL = /[\s/?#%\\]|\p{C}/u;

export function isZoomId(value: unknown): value is string {
  return typeof value === "string" && ID.test(value);
}

export function isZoomUserId(value: unknown): value is string {
  return isZoomId(value) && !SELF.test(value);
}

export function isZoomEmail(value: unknown): value is string {
  if (typeof value !== "string" || value.length > MAX_EMAIL_LENGTH) return false;
  const at = value.indexOf("@");
  if (at <= 0 || at !== value.lastIndexOf("@") || NOT_IN_EMAIL.test(value)) return false;
  const labels = value.slice(at + 1).split(".");
  return labels.length >= 2 && labels.every((label) => label !== "");
}

function segment(kind: ZoomIdentifierKind, value: unknown, valid: boolean): PathSegment {
  if (!valid) throw new ZoomInvalidIdentifierError(kind, value);
  // Valid ids need no escaping, but an email may hold "+", "&" or "=" (and encodes "@").
  return encodeURIComponent(value as string) as PathSegment;
}

export const userOrEmailSegment = (value: unknown): PathSegment =>
  segment("user id or email", value, isZoomUserId(value) || isZoomEmail(value));
export const groupSegment = (value: unknown): PathSegment => segment("group id", value, isZoomId(value));
export const roleSegment = (value: unknown): PathSegment => segment("role id", value, isZoomId(value));
/** Phone numbers in paths: Zoom's number id, or the number itself (E.164, "+" and digits). */
const E164 = /^\+?\d{4,15}$/;
export const phoneNumberSegment = (value: unknown): PathSegment =>
  segment("phone number or id", value, isZoomId(value) || (typeof value === "string" && E164.test(value)));
const planTypeSegment = (value: unknown): PathSegment =>
  segment("calling plan type", String(value), typeof value === "number" && Number.isSafeInteger(value) && value >= 0);

/** Joins literal path text with checked segments; the type lets nothing else in. */
function path(literals: TemplateStringsArray, ...segments: PathSegment[]): ZoomPath {
  return literals.reduce((out, literal, i) => out + (i === 0 ? "" : segments[i - 1]) + literal, "") as ZoomPath;
}

/** The client's endpoints. Arguments are unchecked input: each is checked here, and throws when invalid. */
export const zoomPaths = {
  users: () => path`/users`,
  user: (idOrEmail: string) => path`/users/${userOrEmailSegment(idOrEmail)}`,
  userStatus: (idOrEmail: string) => path`/users/${userOrEmailSegment(idOrEmail)}/status`,
  userEmail: (idOrEmail: string) => path`/users/${userOrEmailSegment(idOrEmail)}/email`,
  userToken: (idOrEmail: string) => path`/users/${userOrEmailSegment(idOrEmail)}/token`,
  groups: () => path`/groups`,
  group: (groupId: string) => path`/groups/${groupSegment(groupId)}`,
  groupMembers: (groupId: string) => path`/groups/${groupSegment(groupId)}/members`,
  groupMember: (groupId: string, idOrEmail: string) => path`/groups/${groupSegment(groupId)}/members/${userOrEmailSegment(idOrEmail)}`,
  roles: () => path`/roles`,
  roleMembers: (roleId: string) => path`/roles/${roleSegment(roleId)}/members`,
  roleMember: (roleId: string, idOrEmail: string) => path`/roles/${roleSegment(roleId)}/members/${userOrEmailSegment(idOrEmail)}`,
  userSettings: (idOrEmail: string) => path`/users/${userOrEmailSegment(idOrEmail)}/settings`,
  phoneUser: (idOrEmail: string) => path`/phone/users/${userOrEmailSegment(idOrEmail)}`,
  phoneUserPlans: (idOrEmail: string) => path`/phone/users/${userOrEmailSegment(idOrEmail)}/calling_plans`,
  phoneUserPlan: (idOrEmail: string, type: number) =>
    path`/phone/users/${userOrEmailSegment(idOrEmail)}/calling_plans/${planTypeSegment(type)}`,
  phoneUserNumbers: (idOrEmail: string) => path`/phone/users/${userOrEmailSegment(idOrEmail)}/phone_numbers`,
  phoneUserNumber: (idOrEmail: string, number: string) =>
    path`/phone/users/${userOrEmailSegment(idOrEmail)}/phone_numbers/${phoneNumberSegment(number)}`,
  phoneSites: () => path`/phone/sites`,
  phoneSite: (siteId: string) => path`/phone/sites/${segment("site id", siteId, isZoomId(siteId))}`,
  phoneCallingPlans: () => path`/phone/calling_plans`,
  phoneNumbers: () => path`/phone/numbers`,
};
