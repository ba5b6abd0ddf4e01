// POST, PUT, PATCH and DELETE on /Users, each turned into the fewest Zoom calls and one store write. Users whose
// invitation is open, expired or cancelled take their changes through the pending lifecycle instead. Each write of
// an existing user is a read-modify-write under the user's lock, re-run when another process's write won
// (gateway/resource-locks.ts): concurrent changes of different attributes all survive.
import type { JsonObject } from "../../store/types.js";
import { ScimError } from "../../scim/errors.js";
import { applyPatch, parsePatchRequest } from "../../scim/patch/index.js";
import { doneChanges, runSteps, type Step } from "../steps.js";
import type { Tenant } from "../tenant.js";
import { isZoomUserGone, scimErrorFromZoom } from "../zoom-errors.js";
import { mergeAsserted } from "./user-apply.js";
import { renderUser } from "./user-render.js";
import { parseUserBody } from "./user-input.js";
import { userSchema } from "../../scim/user-schema.js";
import { execute } from "./user-execute.js";
import { checkIfMatch, type Preconditions } from "../../scim/versioning.js";
import { deletionChanges } from "../guardrails/destructive.js";
import { auditResource } from "../audit/scope.js";
import type { LoadedUser } from "../gateway/user-gateway.js";
import { withLicences, readPhoneState } from "../licences/licence-state.js";
import { releaseSteps } from "../licences/licence-steps.js";

export { createUser } from "./user-create.js";

/** The loaded user with its phone and licences read, so that a write compares them with what Zoom holds. */
async function withLicencesLoaded(tenant: Tenant, loaded: LoadedUser): Promise<LoadedUser> {
  return { ...loaded, user: await withLicences(tenant, loaded.user) };
}

/** If-Match is checked against the view read under the lock: a concurrent write cannot slip in between. */
const checkVersion = (view: JsonObject, id: string, conditions: Preconditions): void =>
  checkIfMatch(conditions.ifMatch, (view.meta as { version?: string } | undefined)?.version, `User ${id}`);

export async function replaceUser(
  tenant: Tenant,
  id: string,
  body: unknown,
  baseUrl: string,
  conditions: Preconditions = {},
): Promise<JsonObject> {
  const incoming = parseUserBody(body);
  return tenant.users.locks.write("User", id, async () => {
    const loaded = await withLicencesLoaded(tenant, await tenant.users.load(id, { force: true }));
    const currentView = await renderUser(tenant, loaded.user, loaded.stored, baseUrl, loaded.deferred);
    checkVersion(currentView, id, conditions);
    return execute(tenant, loaded, mergeAsserted(currentView, incoming), currentView, baseUrl);
  });
}

export async function patchUser(
  tenant: Tenant,
  id: string,
  body: unknown,
  baseUrl: string,
  conditions: Preconditions = {},
): Promise<JsonObject> {
  const operations = parsePatchRequest(body);
  return tenant.users.locks.write("User", id, async () => {
    // Read under the lock: the operations apply to the user as the previous write left it.
    const loaded = await withLicencesLoaded(tenant, await tenant.users.load(id, { force: true }));
    const currentView = await renderUser(tenant, loaded.user, loaded.stored, baseUrl, loaded.deferred);
    checkVersion(currentView, id, conditions);
    if (operations.length === 0) return currentView;
    const desired = applyPatch(currentView, operations, userSchema);
    return execute(tenant, loaded, desired, currentView, baseUrl);
  });
}

export function deleteUser(tenant: Tenant, id: string, conditions: Preconditions = {}, baseUrl = ""): Promise<void> {
  return tenant.users.locks.write("User", id, () => deleteNow(tenant, id, conditions, baseUrl));
}

async function deleteNow(tenant: Tenant, id: string, conditions: Preconditions, baseUrl: string): Promise<void> {
  // Changes waiting for a user about to go are not applied first.
  const { user, stored, deferred } = await tenant.users.load(id, { apply: false });
  // Rendered only to compare versions: a DELETE without If-Match costs nothing more.
  if (conditions.ifMatch !== undefined) checkVersion(await renderUser(tenant, user, stored, baseUrl, deferred), id, conditions);
  const mode = tenant.options.deleteMode;
  auditResource({ resourceId: id, userName: user.email, before: { userName: user.email, active: user.status === "active" }, after: null });
  const invited = user.status === "pending" || user.invitation !== undefined;
  const destructive = deletionChanges(user, invited, mode);
  const admission = await tenant.breaker.admit(destructive, `deleting user ${user.email}`);
  if (invited) {
    // Zoom removes a pending user only by disassociation, which also cancels the invitation. A cancelled one is
    // gone from Zoom already; an expired one answers 1120 and stays in Zoom's pending list, unremovable by API.
    if (user.invitation !== "cancelled") {
      try {
        await tenant.users.deleteUser(id, "disassociate");
      } catch (error) {
        // Gone already, or refused: either way this request removed nobody.
        await admission.settle([]);
        if (!isZoomUserGone(error)) throw scimErrorFromZoom(error, "cancelling the pending user's invitation");
      }
    }
    await tenant.users.forget(id);
    return;
  }
  const steps: Step[] = [];
  if (mode === "deactivate") {
    if (user.status === "active") {
      steps.push(...(await phoneRelease(tenant, id)));
      if (tenant.options.signOutOnDeactivate) steps.push({ describe: "signing the user out", run: () => tenant.users.signOutUser(id) });
      steps.push({ describe: "deactivating the user", run: () => tenant.users.setUserStatus(id, "deactivate"), counts: "deactivation" });
    }
  } else {
    steps.push({ describe: `removing the user from Zoom (${mode})`, run: () => tenant.users.deleteUser(id, mode), counts: "deletion" });
  }
  try {
    await runSteps(steps);
  } catch (error) {
    await admission.settle(doneChanges(destructive, steps));
    // Already gone from Zoom is what the client asked for.
    if (!(error instanceof ScimError && error.status === 404) && !isZoomUserGone(error)) throw error;
  }
  if (mode === "deactivate") {
    await tenant.store.transaction(async (tx) => {
      await tx.putTombstone({ tenant: tenant.name, kind: "User", id, email: user.email, deletedAt: new Date().toISOString(), mode });
      // Nothing waits for a deleted user; the id alias stays, as the Zoom user does (a POST may revive it).
      for (const change of await tx.lifecycle.listDeferredChanges(tenant.name, id))
        await tx.lifecycle.removeDeferredChange(tenant.name, change.seq);
    });
    tenant.users.remember({ ...user, status: "inactive" });
  } else {
    await tenant.users.forget(id);
  }
}

/** The `release` policy on a DELETE that deactivates: the phone user's numbers and plans go back first. */
async function phoneRelease(tenant: Tenant, id: string): Promise<Step[]> {
  if (!tenant.options.zoomPhone || tenant.options.phoneDeprovision !== "release") return [];
  const phone = await readPhoneState(tenant, id).catch((error: unknown) => {
    throw scimErrorFromZoom(error, "reading the phone profile to release its numbers");
  });
  return phone ? releaseSteps(tenant, id, phone) : [];
}
