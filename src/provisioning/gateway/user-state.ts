// The shapes of Zoom user state as the gateway hands it out.
import type { ZoomListedUser, ZoomUser } from "../../zoom/types.js";

/** A Zoom user as far as we know it: listed fields always, the rest when it was fetched by id. */
export type KnownZoomUser = ZoomListedUser & Partial<ZoomUser>;

/** Invitations Zoom no longer answers for: expired (Zoom says 1120), or cancelled by zoom-scim (Zoom has no user). */
export type LapsedInvitation = "expired" | "cancelled";

/**
 * A Zoom user with its id known (pending users are resolved to an id before they are shown). `invitation` marks
 * a user rendered from zoom-scim's record because Zoom cannot show it.
 */
export type IdentifiedZoomUser = KnownZoomUser & { id: string; invitation?: LapsedInvitation };
