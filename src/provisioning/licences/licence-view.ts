// A user's licences as SCIM extension attributes: Zoom's names (one number, one calling plan, the site's display
// name, the plan families) and zoom-scim's (every number and plan, the site's id, the phone status, add-ons).
import type { JsonObject } from "../../store/types.js";
import type { KnownZoomUser } from "../gateway/user-state.js";
import {
  ADD_ONS,
  ADD_ON_ATTRIBUTES,
  PHONE_EXTRAS,
  ZOOM_ONE_ANY,
  ZOOM_SCIM_PHONE,
  ZOOM_UNITED,
  familyOf,
} from "../mapping/licence-attributes.js";

/** The licence attributes a view of `user` shows; `detailed`: Zoom's user was read by id (plan codes known). */
export function licenceAttributes(user: KnownZoomUser, detailed: boolean): JsonObject {
  const out: JsonObject = {};
  if (detailed) {
    const code = user.zoomOneCode;
    if (code !== undefined && code !== "0") {
      out[ZOOM_ONE_ANY] = code;
      const family = familyOf(code);
      if (family) out[family] = code;
    }
    if (user.plan_united_type && user.plan_united_type !== "none") out[ZOOM_UNITED] = user.plan_united_type;
  }
  const phone = user.licences?.phone;
  if (phone === null) out[PHONE_EXTRAS.feature] = false;
  if (phone) {
    out[PHONE_EXTRAS.feature] = true;
    if (phone.extension !== undefined) out[ZOOM_SCIM_PHONE.extension] = String(phone.extension);
    if (phone.siteName !== undefined) out[ZOOM_SCIM_PHONE.site] = phone.siteName;
    if (phone.siteId !== undefined) out[PHONE_EXTRAS.siteId] = phone.siteId;
    if (phone.plans.length > 0) {
      out[ZOOM_SCIM_PHONE.callingPlan] = String(phone.plans[0]);
      out[PHONE_EXTRAS.callingPlans] = phone.plans.map(String);
    }
    if (phone.numbers.length > 0) {
      out[ZOOM_SCIM_PHONE.number] = phone.numbers[0];
      out[PHONE_EXTRAS.numbers] = [...phone.numbers];
    }
    if (phone.status !== undefined) out[PHONE_EXTRAS.status] = phone.status;
  }
  const features = user.licences?.features;
  if (features) {
    for (const name of ADD_ON_ATTRIBUTES) {
      const feature = ADD_ONS[name].feature;
      const record = features as Record<string, unknown>;
      const capacity = record[`${feature}_capacity`];
      // On without a capacity Zoom names: the smallest it sells.
      out[name] = record[feature] === true ? (typeof capacity === "number" ? capacity : ADD_ONS[name].capacities[0]) : 0;
    }
  }
  return out;
}
