// What every user write ends with: a desired user applied through the pending lifecycle when Zoom cannot take
// changes, else to Zoom now; and the takeover of an existing Zoom user by a POST.
import type { JsonObject, StoredResource } from "../../store/types.js";
import type { ZoomUser } from "../../zoom/types.js";
import type { LoadedUser } from "../gateway/user-gateway.js";
import type { Tenant } from "../tenant.js";
import { writeWhilePending } from "./pending-writes.js";
import { applyDesired, mergeAsserted } from "./user-apply.js";
import { renderUser } from "./user-render.js";
import { withLicences } from "../licences/licence-state.js";

/** The lifecycle's view of a user just read from (or created in) Zoom, with nothing waiting. */
export async function loadedFrom(tenant: Tenant, user: ZoomUser, stored: StoredResource | undefined): Promise<LoadedUser> {
  return { user, stored, deferred: await tenant.store.lifecycle.listDeferredChanges(tenant.name, user.id), invitation: undefined };
}

/** Applies a desired user: through the pending lifecycle when Zoom cannot take changes, else to Zoom now. */
export async function execute(
  tenant: Tenant,
  loaded: LoadedUser,
  desired: JsonObject,
  currentView: JsonObject,
  baseUrl: string,
): Promise<JsonObject> {
  const { user } = loaded;
  if (user.status === "pending" || user.invitation) return writeWhilePending(tenant, loaded, desired, currentView, baseUrl);
  // Changes accepted while the user was pending go first; this one must not overtake them.
  if (loaded.drainError) throw loaded.drainError;
  return (await applyDesired(tenant, user, desired, loaded.stored, currentView, baseUrl)).resource;
}

/** Takes over an existing Zoom user (adopt on duplicate, or revival of a user deleted through SCIM). */
export function takeOver(tenant: Tenant, existing: ZoomUser, requested: JsonObject, baseUrl: string): Promise<JsonObject> {
  let rerun = false;
  return tenant.users.locks.write("User", existing.id, async () => {
    // Read again on a re-run: a concurrent write changed the user since the caller's read.
    const user = rerun ? ((await tenant.users.fetch(existing.id)) ?? existing) : existing;
    rerun = true;
    const loaded = await loadedFrom(tenant, await withLicences(tenant, user), await tenant.store.get(tenant.name, "User", existing.id));
    const currentView = await renderUser(tenant, user, loaded.stored, baseUrl, loaded.deferred);
    // A POST asks for a working user: absent `active` means active, as it does for a new one. What the POST omits is
    // Zoom data the client never asserted, and stays.
    const desired = mergeAsserted(currentView, { ...requested, active: requested.active ?? true });
    const resource = await execute(tenant, loaded, desired, currentView, baseUrl);
    // Only once the user is back as asked: a failure half-way leaves it deleted, and the repeated POST resumes.
    await tenant.store.removeTombstone(tenant.name, "User", existing.id);
    return resource;
  });
}
