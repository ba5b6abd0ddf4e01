// POST, PUT, PATCH and DELETE on /Users, each turned into the fewest Zoom calls and one store write. Users whose
// invitation is open, expired or cancelled take their changes through the pending lifecycle instead.
import type { JsonObject, StoredResource } from "../../store/types.js";
import type { ZoomUser } from "../../zoom/types.js";
import { badRequest, conflict, ScimError } from "../../scim/errors.js";
import type { LoadedUser } from "../gateway/user-gateway.js";
import { writeWhilePending } from "./pending-writes.js";
import { applyPatch, parsePatchRequest } from "../../scim/patch/index.js";
import { runSteps, type Step } from "../steps.js";
import type { Tenant } from "../tenant.js";
import { isZoomUserGone, scimErrorFromZoom } from "../zoom-errors.js";
import { planUserChanges } from "./change-plan.js";
import { isJsonObject } from "../../scim/attributes/json.js";
import { applyDesired, createInfo, initialType, mergeAsserted, userAsCreated } from "./user-apply.js";
import { renderUser } from "./user-render.js";
import { parseUserBody } from "./user-input.js";
import { userSchema } from "../../scim/user-schema.js";
import { storeHeldPart } from "./user-view.js";
import { STORE_HELD_PATHS } from "../mapping/zoom-fields.js";

/** The lifecycle's view of a user just read from (or created in) Zoom, with nothing waiting. */
async function loadedFrom(tenant: Tenant, user: ZoomUser, stored: StoredResource | undefined): Promise<LoadedUser> {
  return { user, stored, deferred: await tenant.store.lifecycle.listDeferredChanges(tenant.name, user.id), invitation: undefined };
}

/** Applies a desired user: through the pending lifecycle when Zoom cannot take changes, else to Zoom now. */
async function execute(tenant: Tenant, loaded: LoadedUser, desired: JsonObject, currentView: JsonObject, baseUrl: string): Promise<JsonObject> {
  const { user } = loaded;
  if (user.status === "pending" || user.invitation) return writeWhilePending(tenant, loaded, desired, currentView, baseUrl);
  // Changes accepted while the user was pending go first; this one must not overtake them.
  if (loaded.drainError) throw loaded.drainError;
  return (await applyDesired(tenant, user, desired, loaded.stored, currentView, baseUrl)).resource;
}

/** Takes over an existing Zoom user (adopt on duplicate, or revival of a user deleted through SCIM). */
async function takeOver(tenant: Tenant, existing: ZoomUser, requested: JsonObject, baseUrl: string): Promise<JsonObject> {
  const loaded = await loadedFrom(tenant, existing, await tenant.store.get(tenant.name, "User", existing.id));
  const currentView = await renderUser(tenant, existing, loaded.stored, baseUrl, loaded.deferred);
  // A POST asks for a working user: absent `active` means active, as it does for a new one. What the POST omits is
  // Zoom data the client never asserted, and stays.
  const desired = mergeAsserted(currentView, { ...requested, active: requested.active ?? true });
  const resource = await execute(tenant, loaded, desired, currentView, baseUrl);
  // Only once the user is back as asked: a failure half-way leaves it deleted, and the repeated POST resumes.
  await tenant.store.removeTombstone(tenant.name, "User", existing.id);
  return resource;
}

/** A user whose create zoom-scim began but did not finish (it failed half-way): a repeated POST resumes it. */
async function unfinishedCreate(tenant: Tenant, email: string): Promise<ZoomUser | undefined> {
  const records = await tenant.store.findUsersByEmail(tenant.name, email);
  const record = records.find((r) => r.email === email.toLowerCase() && r.attributes.createIncomplete === true);
  if (!record || (await tenant.store.getTombstone(tenant.name, "User", record.id))) return undefined;
  return tenant.users.fetch(record.id);
}

export async function createUser(tenant: Tenant, body: unknown, baseUrl: string): Promise<JsonObject> {
  const desired = parseUserBody(body);
  const email = String(desired.userName ?? "").trim();
  if (!email) throw badRequest("invalidValue", "userName is required: send the user's Zoom email address");
  // Validates the whole request (userName, licence, phone numbers, role) before any Zoom write.
  const roles = desired.roles === undefined ? undefined : await tenant.roles();
  planUserChanges({ current: { email: "", type: 1 }, desired, stored: undefined, roles, managerEmail: undefined });
  const action = tenant.options.createAction;
  if (desired.active === false && action === "create") {
    throw conflict(undefined, `Zoom's "create" action makes a pending user, which cannot be created inactive. Create the user active, or configure createAction autoCreate, custCreate or ssoCreate.`);
  }

  const tombstone = await tenant.store.findTombstoneByEmail(tenant.name, email);
  if (tombstone) {
    const existing = await tenant.users.fetch(tombstone.id);
    if (existing && existing.email.toLowerCase() === email.toLowerCase()) return takeOver(tenant, existing, desired, baseUrl);
    await tenant.store.removeTombstone(tenant.name, "User", tombstone.id);
  }

  const type = initialType(tenant, desired);
  const password = action === "autoCreate" && typeof desired.password === "string" ? desired.password : undefined;
  const request = { action, user_info: createInfo(desired, email, type, password) };
  let created;
  try {
    created = await tenant.users.createUser(request);
  } catch (error) {
    const scimError = scimErrorFromZoom(error, `creating Zoom user ${email}`);
    if (scimError.status !== 409 || scimError.scimType !== "uniqueness") throw scimError;
    const resumable = await unfinishedCreate(tenant, email);
    if (resumable) return takeOver(tenant, resumable, desired, baseUrl);
    if (tenant.options.onDuplicate === "adopt") {
      const existing = await tenant.users.getUser(email).catch((e: unknown) => {
        throw scimErrorFromZoom(e, `looking up existing Zoom user ${email}`);
      });
      return takeOver(tenant, existing, desired, baseUrl);
    }
    throw conflict("uniqueness", `A Zoom user with email ${email} already exists. Find it with filter=userName eq "${email}" and link to its id, or set the tenant option onDuplicate to "adopt".`);
  }

  const fresh = userAsCreated(created.id, created, request);
  const status = fresh.status;
  tenant.users.remember(fresh);
  // Recorded at once, so that a failure in the steps below leaves a user a repeated POST can resume. A pending
  // user's invitation is recorded too: the rest of its profile waits for acceptance as deferred changes.
  const record = await tenant.store.put(
    {
      tenant: tenant.name,
      kind: "User",
      id: created.id,
      externalId: typeof desired.externalId === "string" && desired.externalId !== "" ? desired.externalId : null,
      attributes: { scim: storeHeldPart(desired, STORE_HELD_PATHS), sent: {}, createIncomplete: true },
      email: fresh.email,
      emails: Array.isArray(desired.emails) ? desired.emails.filter(isJsonObject).flatMap((e) => (typeof e.value === "string" ? [e.value] : [])) : [],
    },
    new Date(),
  );
  if (status === "pending") await tenant.users.invitations.put(fresh, "pending");
  try {
    const loaded = await loadedFrom(tenant, fresh, record);
    const currentView = await renderUser(tenant, fresh, record, baseUrl);
    const resource = await execute(tenant, loaded, desired, currentView, baseUrl);
    return resource;
  } catch (error) {
    const scimError = error instanceof ScimError ? error : scimErrorFromZoom(error, "finishing the new user");
    throw new ScimError(scimError.status, scimError.scimType, `Zoom user ${email} was created with id ${created.id}, but not everything was applied: ${scimError.detail}`, {
      retryAfterSeconds: scimError.retryAfterSeconds,
      cause: error,
    });
  }
}

export async function replaceUser(tenant: Tenant, id: string, body: unknown, baseUrl: string): Promise<JsonObject> {
  const incoming = parseUserBody(body);
  const loaded = await tenant.users.load(id, { force: true });
  const currentView = await renderUser(tenant, loaded.user, loaded.stored, baseUrl, loaded.deferred);
  return execute(tenant, loaded, mergeAsserted(currentView, incoming), currentView, baseUrl);
}

export async function patchUser(tenant: Tenant, id: string, body: unknown, baseUrl: string): Promise<JsonObject> {
  const operations = parsePatchRequest(body);
  const loaded = await tenant.users.load(id, { force: true });
  const currentView = await renderUser(tenant, loaded.user, loaded.stored, baseUrl, loaded.deferred);
  if (operations.length === 0) return currentView;
  const desired = applyPatch(currentView, operations, userSchema);
  return execute(tenant, loaded, desired, currentView, baseUrl);
}

export async function deleteUser(tenant: Tenant, id: string): Promise<void> {
  // Changes waiting for a user about to go are not applied first.
  const { user } = await tenant.users.load(id, { apply: false });
  const mode = tenant.options.deleteMode;
  const invited = user.status === "pending" || user.invitation !== undefined;
  if (invited) {
    // Zoom removes a pending user only by disassociation, which also cancels the invitation. A cancelled one is
    // gone from Zoom already; an expired one answers 1120 and stays in Zoom's pending list, unremovable by API.
    if (user.invitation !== "cancelled") {
      try {
        await tenant.users.deleteUser(id, "disassociate");
      } catch (error) {
        if (!isZoomUserGone(error)) throw scimErrorFromZoom(error, "cancelling the pending user's invitation");
      }
    }
    await tenant.users.forget(id);
    return;
  }
  const steps: Step[] = [];
  if (mode === "deactivate") {
    if (user.status === "active") {
      if (tenant.options.signOutOnDeactivate) steps.push({ describe: "signing the user out", run: () => tenant.users.signOutUser(id) });
      steps.push({ describe: "deactivating the user", run: () => tenant.users.setUserStatus(id, "deactivate") });
    }
  } else {
    steps.push({ describe: `removing the user from Zoom (${mode})`, run: () => tenant.users.deleteUser(id, mode) });
  }
  try {
    await runSteps(steps);
  } catch (error) {
    // Already gone from Zoom is what the client asked for.
    if (!(error instanceof ScimError && error.status === 404) && !isZoomUserGone(error)) throw error;
  }
  if (mode === "deactivate") {
    await tenant.store.putTombstone({ tenant: tenant.name, kind: "User", id, email: user.email, deletedAt: new Date().toISOString(), mode });
    tenant.users.remember({ ...user, status: "inactive" });
    // Nothing waits for a deleted user; the id alias stays, as the Zoom user does (a POST may revive it).
    for (const change of await tenant.store.lifecycle.listDeferredChanges(tenant.name, id)) await tenant.store.lifecycle.removeDeferredChange(tenant.name, change.seq);
  } else {
    await tenant.users.forget(id);
  }
}
