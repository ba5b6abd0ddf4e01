// The shapes of Zoom user state as the gateway hands it out.
import type { ZoomFeatureSettings, ZoomListedUser, ZoomUser } from "../../zoom/types.js";

/** A user's Zoom Phone profile as zoom-scim shows it: numbers in E.164, the site with its name. */
export interface PhoneState {
  extension: number | undefined;
  siteId: string | undefined;
  siteName: string | undefined;
  plans: number[];
  numbers: string[];
  status: string | undefined;
}

/** What zoom-scim read of a user's phone and add-ons: `phone` null without Zoom Phone, undefined when not read. */
export interface LicenceState {
  phone?: PhoneState | null;
  features?: ZoomFeatureSettings;
}

/**
 * A Zoom user as far as we know it: listed fields always, the rest when it was fetched by id. `zoomOneCode` is
 * Zoom's `zoom_one_type` as exact digits (codes reach 2^59, past a double; a bigint would not survive JSON).
 */
export type KnownZoomUser = ZoomListedUser & Omit<Partial<ZoomUser>, "zoom_one_type"> & { zoomOneCode?: string; licences?: LicenceState };

/** Invitations Zoom no longer answers for: expired (Zoom says 1120), or cancelled by zoom-scim (Zoom has no user). */
export type LapsedInvitation = "expired" | "cancelled";

/**
 * A Zoom user with its id known (pending users are resolved to an id before they are shown). `invitation` marks
 * a user rendered from zoom-scim's record because Zoom cannot show it.
 */
export type IdentifiedZoomUser = KnownZoomUser & { id: string; invitation?: LapsedInvitation };

/** A Zoom user read by id, with what zoom-scim read of its licences. */
export type LicensedZoomUser = ZoomUser & { zoomOneCode?: string; licences?: LicenceState };
