// Writes to a user whose invitation is open, expired or cancelled. Zoom applies nothing to such a user, so the
// change is validated as for any user, its Zoom-held part becomes a deferred change (applied after acceptance)
// and the store's part is written now; the answer is the desired state. `active` is acted on at once: false
// cancels an open invitation, true sends a fresh one for an expired or cancelled one.
import { auditDeferred, auditOrigin, auditResource } from "../audit/scope.js";
import type { InvitationState, JsonObject } from "../../store/types.js";
import type { ZoomUser } from "../../zoom/types.js";
import { conflict } from "../../scim/errors.js";
import type { Tenant } from "../tenant.js";
import { isZoomUserGone, scimErrorFromZoom } from "../zoom-errors.js";
import { jsonEqual } from "../../scim/attributes/json.js";
import { createInfo, initialType, planFor, recordStorePart, userAsCreated } from "./user-apply.js";
import { renderUser } from "./user-render.js";
import type { IdentifiedZoomUser } from "../gateway/user-state.js";
import { zoomHeldDelta } from "./deferred-delta.js";
import { zoomEmailOf } from "./zoom-email.js";
import type { LoadedUser } from "../gateway/user-gateway.js";

type LifecycleUser = ZoomUser & IdentifiedZoomUser;

export async function writeWhilePending(
  tenant: Tenant,
  loaded: LoadedUser,
  desired: JsonObject,
  currentView: JsonObject,
  baseUrl: string,
): Promise<JsonObject> {
  const { user, stored } = loaded;
  const state: InvitationState = user.invitation ?? "pending";
  // Everything is checked (roles, licence, phone numbers, manager) before anything changes, as for an active user.
  const plan = await planFor(tenant, user, desired, stored, currentView);
  let current: LifecycleUser = user;
  const cancelling = desired.active === false && state === "pending";
  // A cancelled invitation is a deactivation to the breaker; the profile changes that wait for acceptance are not.
  if (cancelling)
    current = await tenant.breaker.guard([{ kind: "deactivation", count: 1 }], `deactivating the pending user ${user.email}`, () =>
      tenant.users.cancelInvitation(user),
    );
  else if (desired.active === true && state !== "pending") current = await invite(tenant, user, desired, state);
  else if (state === "pending") await tenant.users.invitations.put(user, "pending", loaded.invitation);

  const rolesChanged = desired.roles !== undefined && !jsonEqual(desired.roles, currentView.roles);
  const delta = zoomHeldDelta(currentView, desired, rolesChanged ? await tenant.roles() : []);
  // One unit: a store write that loses to a concurrent one takes its deferred change back with it (the re-run adds it).
  const record = await tenant.store.transaction(async (tx) => {
    if (delta) await tx.lifecycle.addDeferredChange(tenant.name, user.id, delta, new Date(), auditOrigin());
    return recordStorePart(tenant, current, plan, stored, tx);
  });

  let deferred = await tenant.store.lifecycle.listDeferredChanges(tenant.name, user.id);
  if (current.status !== "pending" && !current.invitation && deferred.length > 0) {
    // The fresh invitation's action made an active user (autoCreate, ssoCreate …): nothing has to wait.
    const drained = await tenant.users.drain(user.id, { force: true, user: current });
    if (drained.error) throw drained.error;
    current = { ...current, ...drained.user };
    deferred = await tenant.store.lifecycle.listDeferredChanges(tenant.name, user.id);
  }
  // Re-read: applying deferred changes above may have written the store after `record`.
  const answer = await renderUser(tenant, current, (await tenant.store.get(tenant.name, "User", user.id)) ?? record, baseUrl, deferred);
  auditResource({ resourceId: user.id, userName: user.email, before: currentView, after: answer });
  if (delta && deferred.length > 0) auditDeferred();
  return answer;
}

/** A fresh invitation with the desired profile; the SCIM id stays, mapped to the Zoom user it creates. */
async function invite(tenant: Tenant, user: LifecycleUser, desired: JsonObject, state: InvitationState): Promise<LifecycleUser> {
  const email = typeof desired.userName === "string" && desired.userName.trim() !== "" ? zoomEmailOf(desired) : user.email;
  if (state === "expired") {
    // Zoom may still hold the lapsed invitation; cancelling it frees the address. It answers 1120 when it cannot.
    try {
      await tenant.users.deleteUser(user.id, "disassociate");
    } catch (error) {
      if (!isZoomUserGone(error)) throw scimErrorFromZoom(error, "cancelling the expired invitation");
    }
  }
  const type = initialType(tenant, desired);
  const action = tenant.options.createAction;
  const request = { action, user_info: createInfo(desired, email, type) };
  let created;
  try {
    created = await tenant.users.createFor(user.id, request);
  } catch (error) {
    const scimError = scimErrorFromZoom(error, `inviting ${email} again`);
    if (scimError.status === 409 && state === "expired") {
      throw conflict(
        undefined,
        `Zoom still holds the expired invitation of ${email} and refuses both to cancel it and to invite the address again. ${scimError.detail} ` +
          "Resend the invitation from Zoom's web portal (User Management → Users → Pending), or remove the pending user there and set active to true again.",
      );
    }
    throw scimError;
  }
  const asCreated = userAsCreated(user.id, created, request);
  const status = asCreated.status === "pending" ? "pending" : "active";
  // The groups it was in, and those it was added to while Zoom did not hold it (desired membership, now applied).
  const desiredGroups = await tenant.store.lifecycle.listDesiredGroups(tenant.name, user.id);
  const groups = [...new Set([...(user.group_ids ?? []), ...desiredGroups])];
  const fresh: LifecycleUser = { ...asCreated, group_ids: await rejoinGroups(tenant, user.id, status, groups) };
  // Applied, or (a group gone meanwhile) not applicable: the membership is Zoom's to show from here.
  for (const groupId of desiredGroups) await tenant.store.lifecycle.removeDesiredMember(tenant.name, groupId, user.id);
  tenant.users.remember(fresh);
  if (status === "pending") await tenant.users.invitations.put(fresh, "pending");
  else await tenant.users.invitations.remove(user.id);
  return fresh;
}

/** The groups the cancelled invitation had placed the user in (Zoom dropped them with it). */
async function rejoinGroups(tenant: Tenant, id: string, status: "pending" | "active", groupIds: readonly string[]): Promise<string[]> {
  const joined: string[] = [];
  for (const groupId of groupIds) {
    try {
      // Pending users join through PATCH {group_id}, the way Zoom documents; active ones through the member call.
      if (status === "pending") await tenant.users.updateUser(id, { group_id: groupId });
      else await tenant.users.addGroupMembers(groupId, [id]);
      joined.push(groupId);
    } catch {
      // Best effort: the invitation stands; the membership shows missing under /Groups, where an IdP re-adds it.
    }
  }
  return joined;
}
