// Zoom's user by id (told apart from an expired invitation), and rendering users with what the store holds and
// the changes still waiting for Zoom.
import type { DeferredChange, JsonObject, StoredResource } from "../../store/types.js";
import type { ZoomUser } from "../../zoom/types.js";
import type { ScimTenant } from "../tenant.js";
import { isExpiredInvitation, isZoomNotFound, isZoomUserGone } from "../zoom-errors.js";
import { buildViewContext } from "./user-context.js";
import { toScimUser, type IdentifiedZoomUser } from "./user-view.js";

/** A Zoom user by id, or undefined; emails are not ids (Zoom would accept them, SCIM must not). */
export async function fetchUser(tenant: ScimTenant, id: string): Promise<ZoomUser | undefined> {
  if (id.includes("@") || id.trim() === "") return undefined;
  try {
    return await tenant.zoom.getUser(id);
  } catch (error) {
    // An expired invitation (1120) is no user Zoom can act on either.
    if (isZoomUserGone(error)) return undefined;
    throw error;
  }
}

/** Zoom's user by id or email, "expired" for an invitation Zoom answers 1120 for, undefined when unknown. */
export async function lookupZoomUser(tenant: ScimTenant, idOrEmail: string): Promise<ZoomUser | "expired" | undefined> {
  if (idOrEmail.trim() === "") return undefined;
  try {
    return await tenant.zoom.getUser(idOrEmail);
  } catch (error) {
    if (isExpiredInvitation(error)) return "expired";
    if (isZoomNotFound(error)) return undefined;
    throw error;
  }
}

export async function renderUsers(
  tenant: ScimTenant,
  users: readonly IdentifiedZoomUser[],
  stored: ReadonlyMap<string, StoredResource>,
  baseUrl: string,
  deferred: ReadonlyMap<string, readonly DeferredChange[]> = new Map(),
): Promise<JsonObject[]> {
  const context = await buildViewContext(tenant, users, baseUrl);
  return users.map((user) => toScimUser(user, stored.get(user.id), context, deferred.get(user.id)));
}

/** One user's SCIM view. */
export async function renderUser(
  tenant: ScimTenant,
  user: IdentifiedZoomUser,
  stored: StoredResource | undefined,
  baseUrl: string,
  deferred: readonly DeferredChange[] = [],
): Promise<JsonObject> {
  const [resource] = await renderUsers(tenant, [user], new Map(stored ? [[user.id, stored]] : []), baseUrl, new Map([[user.id, deferred]]));
  return resource ?? {};
}
