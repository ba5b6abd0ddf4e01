// Rendering Zoom users as SCIM Users, with what the store holds and the changes still waiting for Zoom.
import type { DeferredChange, JsonObject, StoredResource } from "../../store/types.js";
import type { Tenant } from "../tenant.js";
import { buildViewContext } from "./user-context.js";
import { toScimUser } from "./user-view.js";
import type { IdentifiedZoomUser } from "../gateway/user-state.js";

export async function renderUsers(
  tenant: Tenant,
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
  tenant: Tenant,
  user: IdentifiedZoomUser,
  stored: StoredResource | undefined,
  baseUrl: string,
  deferred: readonly DeferredChange[] = [],
): Promise<JsonObject> {
  const [resource] = await renderUsers(tenant, [user], new Map(stored ? [[user.id, stored]] : []), baseUrl, new Map([[user.id, deferred]]));
  return resource ?? {};
}
