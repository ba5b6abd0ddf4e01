// POST, PUT, PATCH and DELETE on /Users, each turned into the fewest Zoom calls and one store write.
import type { JsonObject, StoredResource } from "../../store/types.js";
import { ZOOM_ROLE_MEMBER, type ZoomUser, type ZoomUserStatus } from "../../zoom/types.js";
import { badRequest, conflict, ScimError } from "../errors.js";
import { applyPatch, parsePatchRequest } from "../patch/index.js";
import { ENTERPRISE_USER_URN, ZOOM_USER_URN } from "../schemas.js";
import { runSteps, type Step } from "../steps.js";
import type { ScimTenant } from "../tenant.js";
import { isZoomNotFound, scimErrorFromZoom } from "../zoom-errors.js";
import { desiredManagerId, planIsZoomNoop, planUserChanges, type UserChangePlan } from "./change-plan.js";
import { getPath, isObject, jsonEqual } from "./json-path.js";
import { fetchUser, loadUser, renderUsers } from "./user-reads.js";
import { parseUserBody } from "./user-input.js";
import { userSchema } from "./user-schema.js";
import { STORE_HELD_PATHS, userTypeToZoom, zoomTypeToZoom } from "./zoom-fields.js";
import { storeHeldPart } from "./user-view.js";

export interface WriteResult {
  resource: JsonObject;
  /** True when POST created (or adopted, or revived) a Zoom user: answered 201. */
  created: boolean;
}

const PENDING_DETAIL =
  "is pending: Zoom does not apply profile, role or status changes until the person accepts the Zoom invitation. " +
  "Repeat the change after the user has accepted (its extension status then reads 'active').";

async function render(tenant: ScimTenant, user: ZoomUser, stored: StoredResource | undefined, baseUrl: string): Promise<JsonObject> {
  const [resource] = await renderUsers(tenant, [user], new Map(stored ? [[user.id, stored]] : []), baseUrl);
  return resource ?? {};
}

/** The manager's email a desired resource asks for (undefined: unchanged). */
async function resolveManagerEmail(tenant: ScimTenant, desired: JsonObject, currentView: JsonObject | undefined): Promise<string | null | undefined> {
  const wanted = desiredManagerId(desired);
  if (wanted === undefined || wanted === null) return wanted;
  const currentId = currentView ? getPath(currentView, [ENTERPRISE_USER_URN, "manager", "value"]) : undefined;
  if (wanted === currentId) return undefined;
  const manager = await fetchUser(tenant, wanted);
  if (!manager) throw badRequest("invalidValue", `${ENTERPRISE_USER_URN}:manager.value "${wanted}" is not the id of a Zoom user of this account`);
  return manager.email;
}

function stepsFor(tenant: ScimTenant, userId: string, plan: UserChangePlan): Step[] {
  const zoom = tenant.zoom;
  const steps: Step[] = [];
  if (plan.status === "activate") steps.push({ describe: "activating the user", run: () => zoom.setUserStatus(userId, "activate") });
  if (plan.email) {
    const email = plan.email;
    steps.push({ describe: `changing the user's email to ${email}`, run: () => zoom.changeUserEmail(userId, email) });
  }
  if (Object.keys(plan.profile).length > 0) {
    steps.push({ describe: `updating the profile (${Object.keys(plan.profile).join(", ")})`, run: () => zoom.updateUser(userId, plan.profile) });
  }
  const role = plan.role;
  if (role) {
    const run =
      role.to === ZOOM_ROLE_MEMBER
        ? () => (role.from ? zoom.unassignRole(role.from, userId) : Promise.resolve())
        : () => zoom.assignRole(role.to, [userId]);
    steps.push({ describe: `setting the role to ${role.toName}`, run });
  }
  if (plan.status === "deactivate") {
    if (tenant.options.signOutOnDeactivate) steps.push({ describe: "signing the user out", run: () => zoom.signOutUser(userId) });
    steps.push({ describe: "deactivating the user", run: () => zoom.setUserStatus(userId, "deactivate") });
  }
  return steps;
}

/** Zoom's user after the plan, without asking Zoom again. */
function applyPlanLocally(user: ZoomUser, plan: UserChangePlan): ZoomUser {
  const next: ZoomUser = { ...user, ...(plan.profile as Partial<ZoomUser>) };
  if (plan.email) next.email = plan.email;
  if (plan.role) {
    next.role_id = plan.role.to;
    next.role_name = plan.role.toName;
  }
  if (plan.status === "activate") next.status = "active";
  if (plan.status === "deactivate") next.status = "inactive";
  return next;
}

/** Runs the plan against Zoom, then records the store's part; answers the user as it now is. */
async function execute(tenant: ScimTenant, user: ZoomUser, desired: JsonObject, stored: StoredResource | undefined, currentView: JsonObject | undefined, baseUrl: string): Promise<JsonObject> {
  // Roles are looked up (a Medium Zoom call) only when the request changes them.
  const rolesChanged = desired.roles !== undefined && !jsonEqual(desired.roles, currentView?.roles);
  const plan = planUserChanges({
    current: user,
    desired,
    stored,
    roles: rolesChanged ? await tenant.roles() : undefined,
    managerEmail: await resolveManagerEmail(tenant, desired, currentView),
  });
  if (user.status === "pending") {
    if (desired.active === false) {
      throw conflict(undefined, `User ${user.id} is pending: Zoom cannot deactivate a user who has not accepted the invitation. DELETE the user to cancel the invitation.`);
    }
    if (!planIsZoomNoop(plan)) throw conflict(undefined, `User ${user.id} ${PENDING_DETAIL}`);
  }
  await runSteps(stepsFor(tenant, user.id, plan));
  const updated = await readBackIfDerived(tenant, applyPlanLocally(user, plan), plan);
  tenant.users.upsert(updated);
  let record = stored;
  if (plan.storeChanged) {
    // Changes waiting for acceptance travel along; the mark of an unfinished create does not (this write finishes it).
    const { deferred } = stored?.attributes ?? {};
    record = await tenant.store.put(
      {
        tenant: tenant.name,
        kind: "User",
        id: user.id,
        externalId: plan.store.externalId,
        attributes: {
          ...plan.store.attributes,
          ...(deferred === undefined ? {} : { deferred }),
        },
        email: updated.email,
        emails: plan.store.emails,
      },
      new Date(),
    );
  }
  return render(tenant, updated, record, baseUrl);
}

/** Zoom derives display_name from new names it was not given one for: read the user back rather than guess. */
async function readBackIfDerived(tenant: ScimTenant, user: ZoomUser, plan: UserChangePlan): Promise<ZoomUser> {
  const namesChanged = plan.profile.first_name !== undefined || plan.profile.last_name !== undefined;
  if (!namesChanged || plan.profile.display_name !== undefined) return user;
  try {
    return { ...user, ...(await tenant.zoom.getUser(user.id)) };
  } catch {
    // The change itself succeeded; the answer may show the old display name until the next read.
    return user;
  }
}

/** RFC 7644 §3.5.1: attributes a client omits are not asserted, so they keep their values. */
function mergeAsserted(current: JsonObject, incoming: JsonObject): JsonObject {
  const desired: JsonObject = { ...current };
  for (const [key, value] of Object.entries(incoming)) {
    desired[key] = isObject(value) && isObject(current[key]) && key.startsWith("urn:") ? { ...(current[key] as JsonObject), ...value } : value;
  }
  return desired;
}

function initialType(tenant: ScimTenant, desired: JsonObject): 1 | 2 | 4 {
  const wanted = userTypeToZoom(desired.userType) ?? zoomTypeToZoom(getPath(desired, [ZOOM_USER_URN, "type"]));
  return (wanted === 99 ? undefined : wanted) ?? (tenant.options.defaultUserType === 99 ? 1 : tenant.options.defaultUserType);
}

/** Takes over an existing Zoom user (adopt on duplicate, or revival of a user deleted through SCIM). */
async function takeOver(tenant: ScimTenant, existing: ZoomUser, requested: JsonObject, baseUrl: string): Promise<WriteResult> {
  const stored = await tenant.store.get(tenant.name, "User", existing.id);
  const currentView = await render(tenant, existing, stored, baseUrl);
  // A POST asks for a working user: absent `active` means active, as it does for a new one. What the POST omits is
  // Zoom data the client never asserted, and stays.
  const desired = mergeAsserted(currentView, { ...requested, active: requested.active ?? true });
  const resource = await execute(tenant, existing, desired, stored, currentView, baseUrl);
  // Only once the user is back as asked: a failure half-way leaves it deleted, and the repeated POST resumes.
  await tenant.store.removeTombstone(tenant.name, "User", existing.id);
  return { resource, created: true };
}

/** A user whose create zoom-scim began but did not finish (it failed half-way): a repeated POST resumes it. */
async function unfinishedCreate(tenant: ScimTenant, email: string): Promise<ZoomUser | undefined> {
  const records = await tenant.store.findUsersByEmail(tenant.name, email);
  const record = records.find((r) => r.email === email.toLowerCase() && r.attributes.createIncomplete === true);
  if (!record || (await tenant.store.getTombstone(tenant.name, "User", record.id))) return undefined;
  return fetchUser(tenant, record.id);
}

export async function createUser(tenant: ScimTenant, body: unknown, baseUrl: string): Promise<WriteResult> {
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
    const existing = await fetchUser(tenant, tombstone.id);
    if (existing && existing.email.toLowerCase() === email.toLowerCase()) return takeOver(tenant, existing, desired, baseUrl);
    await tenant.store.removeTombstone(tenant.name, "User", tombstone.id);
  }

  const type = initialType(tenant, desired);
  const password = action === "autoCreate" && typeof desired.password === "string" ? desired.password : undefined;
  let created;
  try {
    created = await tenant.zoom.createUser({
      action,
      user_info: {
        email,
        type,
        ...(typeof getPath(desired, ["name", "givenName"]) === "string" ? { first_name: getPath(desired, ["name", "givenName"]) as string } : {}),
        ...(typeof getPath(desired, ["name", "familyName"]) === "string" ? { last_name: getPath(desired, ["name", "familyName"]) as string } : {}),
        ...(typeof desired.displayName === "string" ? { display_name: desired.displayName } : {}),
        ...(password ? { password } : {}),
      },
    });
  } catch (error) {
    const scimError = scimErrorFromZoom(error, `creating Zoom user ${email}`);
    if (scimError.status !== 409 || scimError.scimType !== "uniqueness") throw scimError;
    const resumable = await unfinishedCreate(tenant, email);
    if (resumable) return takeOver(tenant, resumable, desired, baseUrl);
    if (tenant.options.onDuplicate === "adopt") {
      const existing = await tenant.zoom.getUser(email).catch((e: unknown) => {
        throw scimErrorFromZoom(e, `looking up existing Zoom user ${email}`);
      });
      return takeOver(tenant, existing, desired, baseUrl);
    }
    throw conflict("uniqueness", `A Zoom user with email ${email} already exists. Find it with filter=userName eq "${email}" and link to its id, or set the tenant option onDuplicate to "adopt".`);
  }

  const status: ZoomUserStatus = action === "create" ? "pending" : "active";
  const fresh: ZoomUser = {
    id: created.id,
    email: created.email ?? email,
    type: created.type ?? type,
    status,
    role_id: ZOOM_ROLE_MEMBER,
    role_name: "Member",
    first_name: created.first_name ?? "",
    last_name: created.last_name ?? "",
    ...(typeof desired.displayName === "string" ? { display_name: desired.displayName } : {}),
    user_created_at: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
  };
  tenant.users.upsert(fresh);
  // A pending user takes no further change from Zoom: only what the create carried is applied now. The rest is kept
  // (not lost) for the pending lifecycle to apply on acceptance.
  const rest = status === "pending" ? withoutZoomOnlyChanges(desired, fresh) : desired;
  const deferred = status === "pending" ? zoomOnlyChanges(desired) : undefined;
  // Recorded at once, so that a failure in the steps below leaves a user a repeated POST can resume.
  const record = await tenant.store.put(
    {
      tenant: tenant.name,
      kind: "User",
      id: created.id,
      externalId: typeof desired.externalId === "string" && desired.externalId !== "" ? desired.externalId : null,
      attributes: { scim: storeHeldPart(desired, STORE_HELD_PATHS), sent: {}, createIncomplete: true, ...(deferred ? { deferred } : {}) },
      email: fresh.email,
      emails: Array.isArray(desired.emails) ? desired.emails.filter(isObject).flatMap((e) => (typeof e.value === "string" ? [e.value] : [])) : [],
    },
    new Date(),
  );
  try {
    const resource = await execute(tenant, fresh, rest, record, undefined, baseUrl);
    return { resource, created: true };
  } catch (error) {
    const scimError = error instanceof ScimError ? error : scimErrorFromZoom(error, "finishing the new user");
    throw new ScimError(scimError.status, scimError.scimType, `Zoom user ${email} was created with id ${created.id}, but not everything was applied: ${scimError.detail}`, {
      retryAfterSeconds: scimError.retryAfterSeconds,
      cause: error,
    });
  }
}

const ZOOM_ONLY_KEYS = ["title", "timezone", "phoneNumbers", "preferredLanguage", "locale", "roles", "userType"] as const;

/** The Zoom-held attributes a create cannot carry (what a pending user waits for). */
function zoomOnlyChanges(desired: JsonObject): JsonObject | undefined {
  const kept: JsonObject = {};
  for (const key of ZOOM_ONLY_KEYS) if (desired[key] !== undefined && desired[key] !== null) kept[key] = desired[key];
  if (isObject(desired[ZOOM_USER_URN])) kept[ZOOM_USER_URN] = desired[ZOOM_USER_URN];
  const enterprise = desired[ENTERPRISE_USER_URN];
  if (isObject(enterprise)) {
    const { department, organization, costCenter, manager } = enterprise;
    const part = Object.fromEntries(Object.entries({ department, organization, costCenter, manager }).filter(([, v]) => v !== undefined));
    if (Object.keys(part).length > 0) kept[ENTERPRISE_USER_URN] = part;
  }
  return Object.keys(kept).length > 0 ? kept : undefined;
}

/** For a pending user: the desired resource reduced to what needs no Zoom call (store-held attributes). */
function withoutZoomOnlyChanges(desired: JsonObject, user: ZoomUser): JsonObject {
  const reduced: JsonObject = { ...desired, userName: user.email };
  for (const key of [...ZOOM_ONLY_KEYS, "active"]) delete reduced[key];
  delete reduced[ZOOM_USER_URN];
  if (isObject(desired.name)) reduced.name = { ...desired.name, givenName: user.first_name, familyName: user.last_name };
  if (isObject(desired[ENTERPRISE_USER_URN])) {
    const { department: _d, organization: _o, costCenter: _c, manager: _m, ...rest } = desired[ENTERPRISE_USER_URN] as JsonObject;
    reduced[ENTERPRISE_USER_URN] = rest;
  }
  return reduced;
}

export async function replaceUser(tenant: ScimTenant, id: string, body: unknown, baseUrl: string): Promise<JsonObject> {
  const incoming = parseUserBody(body);
  const { user, stored } = await loadUser(tenant, id);
  const currentView = await render(tenant, user, stored, baseUrl);
  return execute(tenant, user, mergeAsserted(currentView, incoming), stored, currentView, baseUrl);
}

export async function patchUser(tenant: ScimTenant, id: string, body: unknown, baseUrl: string): Promise<JsonObject> {
  const operations = parsePatchRequest(body);
  const { user, stored } = await loadUser(tenant, id);
  const currentView = await render(tenant, user, stored, baseUrl);
  if (operations.length === 0) return currentView;
  const desired = applyPatch(currentView, operations, userSchema);
  return execute(tenant, user, desired, stored, currentView, baseUrl);
}

export async function deleteUser(tenant: ScimTenant, id: string): Promise<void> {
  const { user } = await loadUser(tenant, id);
  const mode = tenant.options.deleteMode;
  const steps: Step[] = [];
  if (user.status === "pending") {
    // Zoom removes a pending user only by disassociation, which also cancels the invitation.
    steps.push({ describe: "cancelling the pending user's invitation", run: () => tenant.zoom.deleteUser(id, "disassociate") });
  } else if (mode === "deactivate") {
    if (user.status === "active") {
      if (tenant.options.signOutOnDeactivate) steps.push({ describe: "signing the user out", run: () => tenant.zoom.signOutUser(id) });
      steps.push({ describe: "deactivating the user", run: () => tenant.zoom.setUserStatus(id, "deactivate") });
    }
  } else {
    steps.push({ describe: `removing the user from Zoom (${mode})`, run: () => tenant.zoom.deleteUser(id, mode) });
  }
  try {
    await runSteps(steps);
  } catch (error) {
    // Already gone from Zoom is what the client asked for.
    if (!(error instanceof ScimError && error.status === 404) && !isZoomNotFound(error)) throw error;
  }
  const keptInZoom = user.status !== "pending" && mode === "deactivate";
  if (keptInZoom) {
    await tenant.store.putTombstone({ tenant: tenant.name, kind: "User", id, email: user.email, deletedAt: new Date().toISOString(), mode });
    tenant.users.upsert({ ...user, status: "inactive" });
  } else {
    await tenant.store.remove(tenant.name, "User", id);
    tenant.users.remove(id);
  }
}
