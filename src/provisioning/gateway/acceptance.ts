// Something suggests a pending user has accepted its invitation (a webhook, the reconciler's scan): Zoom is
// asked, never the suggestion believed, and the user's deferred changes are applied if it really is active.
import type { ScimTenant } from "../tenant.js";
import { lookupZoomUser } from "../users/user-render.js";
import { applyDeferredChanges, type DrainResult } from "./deferred-drain.js";
import { markExpired } from "./invitations.js";

export type AcceptanceOutcome = DrainResult["state"] | "nothing to do";

/** `id` is the SCIM id. One Zoom get, plus the deferred changes' own calls once the user is active. */
export async function noticeAcceptance(tenant: ScimTenant, id: string): Promise<{ outcome: AcceptanceOutcome; result?: DrainResult }> {
  const lifecycle = tenant.store.lifecycle;
  const [invitation, deferred] = await Promise.all([lifecycle.getInvitation(tenant.name, id), lifecycle.listDeferredChanges(tenant.name, id)]);
  if (!invitation && deferred.length === 0) return { outcome: "nothing to do" };
  if (invitation?.state === "cancelled") return { outcome: "nothing to do" };
  const found = await lookupZoomUser(tenant, id);
  if (found === "expired") {
    await markExpired(tenant, id);
    return { outcome: "pending" };
  }
  if (!found) {
    // Removed in Zoom itself: an invitation record without waiting changes has nothing left to say.
    if (deferred.length === 0) await lifecycle.removeInvitation(tenant.name, id);
    return { outcome: "gone" };
  }
  if (found.status === "pending") return { outcome: "pending" };
  tenant.users.upsert(found);
  const result = await applyDeferredChanges(tenant, id, { user: found });
  if (result.state === "applied") await lifecycle.removeInvitation(tenant.name, id);
  return { outcome: result.state, result };
}
