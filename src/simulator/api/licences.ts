// Licence seats and the features that spend them: Zoom Phone (`feature.zoom_phone`), Zoom One / Workplace plans
// (`zoom_one_type`), Zoom United plans (`plan_united_type`) and the webinar, large-meeting and Zoom Events add-ons
// of `/users/{userId}/settings` (docs/zoom-behaviour.md §11). Seats are counted over the account's users.
import { err, phoneErr } from "../errors.js";
import type { UserRecord } from "../model/users.js";
import type { Simulator } from "../sim.js";
import type { ObjectSpec } from "../validate.js";
import { checkBody, liveUser } from "./users.js";
import { param, type ApiRequest, type ApiResult } from "./types.js";

/** A plan code as exact digits (codes reach 2^59, past a double's exact integers). */
export const planCode = (value: unknown): string => (typeof value === "bigint" ? value.toString() : String(value));

function countUsers(sim: Simulator, test: (u: UserRecord) => boolean): number {
  let n = 0;
  for (const u of sim.account.users.all()) if (test(u)) n += 1;
  return n;
}

/** Turns Zoom Phone on (a seat, a phone user in the main site) or off (numbers and plans freed). */
export function setZoomPhone(sim: Simulator, user: UserRecord, on: boolean): void {
  const phone = sim.account.phone;
  if (!on) {
    phone.release(user.id, true);
    user.profile.zoom_phone = false;
    return;
  }
  if (!phone.users.has(user.id)) {
    const seats = sim.config.licences.zoomPhone;
    if (seats !== undefined && phone.users.size >= seats) throw phoneErr.noPhoneLicence();
    phone.enable(user.id, sim.config.phone.autoExtension);
  }
  user.profile.zoom_phone = true;
}

/** 400/2038 when no seat of this Zoom One plan is left (0 turns the plan off and needs none). */
export function checkZoomOneSeat(sim: Simulator, user: UserRecord, value: unknown): void {
  const code = planCode(value);
  const seats = sim.config.licences.zoomOne?.[code];
  if (code === "0" || seats === undefined) return;
  const used = countUsers(
    sim,
    (u) => u.id !== user.id && u.profile.zoom_one_type !== undefined && planCode(u.profile.zoom_one_type) === code,
  );
  if (used >= seats) throw phoneErr.zoomOneSeats(seats);
}

export function checkUnitedSeat(sim: Simulator, user: UserRecord, code: string): void {
  const seats = sim.config.licences.planUnited?.[code];
  if (code === "none" || seats === undefined) return;
  if (countUsers(sim, (u) => u.id !== user.id && u.profile.plan_united_type === code) >= seats) throw phoneErr.unitedSeats(seats);
}

type AddOn = "webinar" | "large_meeting" | "zoom_events";

const SEATS_OF: Record<AddOn, "webinar" | "largeMeeting" | "zoomEvents"> = {
  webinar: "webinar",
  large_meeting: "largeMeeting",
  zoom_events: "zoomEvents",
};
const LABEL: Record<AddOn, string> = { webinar: "Webinar", large_meeting: "Large", zoom_events: "Zoom Events" };
const DEFAULT_CAPACITY: Record<AddOn, number> = { webinar: 500, large_meeting: 500, zoom_events: 500 };

/** `GET /users/{userId}/settings`: the `feature` section, the part the simulator models. */
export function getUserSettings(req: ApiRequest): ApiResult {
  const user = liveUser(req.sim, param(req, 0));
  const addOns = user.profile.add_ons ?? {};
  const feature: Record<string, unknown> = { meeting_capacity: 100 };
  for (const addOn of ["large_meeting", "webinar", "zoom_events"] as const) {
    const capacity = addOns[addOn];
    feature[addOn] = capacity !== undefined;
    if (capacity !== undefined) feature[`${addOn}_capacity`] = capacity;
  }
  feature.zoom_phone = req.sim.account.phone.users.has(user.id);
  return { status: 200, body: { feature } };
}

const SETTINGS_SPEC: ObjectSpec = {
  type: "object",
  props: {
    feature: {
      type: "object",
      props: {
        large_meeting: { type: "boolean" },
        large_meeting_capacity: { type: "integer", enum: [500, 1000, 3000, 5000] },
        webinar: { type: "boolean" },
        webinar_capacity: { type: "integer", enum: [100, 500, 501, 1000, 1001, 3000, 5000, 10000] },
        zoom_events: { type: "boolean" },
        zoom_events_capacity: { type: "integer", enum: [500, 1000, 3000, 5000, 10000, 20000, 30000, 50000] },
        zoom_phone: { type: "boolean" },
      },
    },
  },
};

/** The add-ons a settings PATCH asks for: capacity (on) or null (off); absent ones stay. */
function wantedAddOns(feature: Record<string, unknown>, current: Partial<Record<AddOn, number>>): Partial<Record<AddOn, number | null>> {
  const out: Partial<Record<AddOn, number | null>> = {};
  for (const addOn of ["large_meeting", "webinar", "zoom_events"] as const) {
    const on = feature[addOn];
    const capacity = feature[`${addOn}_capacity`] as number | undefined;
    if (on === false) out[addOn] = null;
    else if (on === true || (capacity !== undefined && current[addOn] !== undefined))
      out[addOn] = capacity ?? current[addOn] ?? DEFAULT_CAPACITY[addOn];
  }
  return out;
}

/** `PATCH /users/{userId}/settings`: add-ons (seats, Licensed users only, webinar xor Zoom Events) and the phone feature. */
export function updateUserSettings(req: ApiRequest): ApiResult {
  const { sim, body } = req;
  checkBody(body, SETTINGS_SPEC);
  const user = liveUser(sim, param(req, 0));
  if (user.status === "pending") throw err.invitationInvalid();
  const feature = (body.feature ?? {}) as Record<string, unknown>;
  const current = user.profile.add_ons ?? {};
  const wanted = wantedAddOns(feature, current);
  const next = { ...current };
  for (const [addOn, capacity] of Object.entries(wanted) as [AddOn, number | null][]) {
    if (capacity === null) {
      delete next[addOn];
      continue;
    }
    if (current[addOn] === undefined) {
      if (user.type !== 2) {
        if (addOn === "webinar") throw phoneErr.webinarLicensedOnly();
        if (addOn === "large_meeting") throw phoneErr.largeLicensedOnly();
        throw phoneErr.eventsLicensedOnly();
      }
      const seats = sim.config.licences[SEATS_OF[addOn]];
      const used = countUsers(sim, (u) => u.id !== user.id && u.profile.add_ons?.[addOn] !== undefined);
      if (seats !== undefined && used >= seats) throw phoneErr.featureSeats(seats, `${LABEL[addOn]} ${capacity}`);
    }
    next[addOn] = capacity;
  }
  if (next.webinar !== undefined && next.zoom_events !== undefined) {
    throw current.zoom_events !== undefined ? phoneErr.webinarWithEvents() : phoneErr.eventsWithWebinar();
  }
  if (typeof feature.zoom_phone === "boolean") setZoomPhone(sim, user, feature.zoom_phone);
  user.profile.add_ons = next;
  return { status: 204 };
}
