// Zoom Phone and licence shapes as this project uses them (Phone and Users OpenAPI documents, March 2026).
// This module knows nothing of SCIM.

/** A plan code: Zoom One codes reach 2^59, so codes past 2^53 are bigint (exact). */
export type ZoomPlanCode = number | bigint;

export interface ZoomCallingPlanRef {
  type: number;
  name?: string;
  billing_subscription_id?: string;
}

/** `GET /phone/users/{userId}`. Numbers come as digits without "+"; the extension as an integer. */
export interface ZoomPhoneUser {
  id: string;
  phone_user_id?: string;
  email?: string;
  extension_id?: string;
  extension_number?: number;
  site_id?: string;
  status?: "activate" | "deactivate";
  calling_plans?: ZoomCallingPlanRef[];
  phone_numbers?: { id?: string; number?: string }[];
}

/** `PATCH /phone/users/{userId}`: the extension is a string there, the full one (site code + short extension). */
export interface ZoomPhoneProfileUpdate {
  extension_number?: string;
  site_id?: string;
}

/** `GET /phone/sites` lists these; `GET /phone/sites/{siteId}` adds `short_extension`. */
export interface ZoomPhoneSite {
  id: string;
  name: string;
  site_code?: number;
  short_extension?: { length?: number };
}

/** `GET /phone/calling_plans`: one subscription's counters. */
export interface ZoomCallingPlanSeats {
  type: number;
  name: string;
  subscribed: number;
  assigned: number;
  available: number;
}

/** One of the account's numbers, as `GET /phone/numbers` lists it (E.164). */
export interface ZoomAccountPhoneNumber {
  id: string;
  number: string;
  site?: { id: string; name?: string };
  assignee?: { id: string; name?: string; extension_number?: number; type?: string };
}

/** The `feature` section of `GET/PATCH /users/{userId}/settings` that licences live in. */
export interface ZoomFeatureSettings {
  zoom_phone?: boolean;
  webinar?: boolean;
  webinar_capacity?: number;
  large_meeting?: boolean;
  large_meeting_capacity?: number;
  zoom_events?: boolean;
  zoom_events_capacity?: number;
}

/** Zoom Phone operations, each one call (`listAll*` pages through). */
export interface ZoomPhoneApi {
  /** undefined when the user has no Zoom Phone (404). */
  getPhoneUser(idOrEmail: string): Promise<ZoomPhoneUser | undefined>;
  updatePhoneUser(idOrEmail: string, update: ZoomPhoneProfileUpdate): Promise<void>;
  assignCallingPlans(idOrEmail: string, types: readonly number[]): Promise<void>;
  switchCallingPlan(idOrEmail: string, source: number, target: number): Promise<void>;
  unassignCallingPlan(idOrEmail: string, type: number): Promise<void>;
  /** E.164 numbers, at most 10. */
  assignPhoneNumbers(idOrEmail: string, numbers: readonly string[]): Promise<void>;
  unassignPhoneNumber(idOrEmail: string, numberOrId: string): Promise<void>;
  getUserFeatures(idOrEmail: string): Promise<ZoomFeatureSettings>;
  updateUserFeatures(idOrEmail: string, feature: ZoomFeatureSettings): Promise<void>;
  listAllSites(): Promise<ZoomPhoneSite[]>;
  getSite(siteId: string): Promise<ZoomPhoneSite>;
  listCallingPlans(): Promise<ZoomCallingPlanSeats[]>;
  /** The account's number with these digits, undefined when the account has none. */
  findPhoneNumber(e164: string): Promise<ZoomAccountPhoneNumber | undefined>;
}

/** Zoom caps one number-assignment call at 10 numbers. */
export const ZOOM_MAX_NUMBERS_PER_USER = 10;
export const ZOOM_MAX_SITE_PAGE = 300;
