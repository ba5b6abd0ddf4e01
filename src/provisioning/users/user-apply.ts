// A desired SCIM user applied to a Zoom user that can take changes (active or inactive): the plan, its Zoom
// steps in order, and the store's part. Shared by SCIM writes and by deferred changes applied after acceptance.
import { auditResource } from "../audit/scope.js";
import type { DeferredChange, JsonObject, StoredResource, StoreTransaction } from "../../store/types.js";
import { ZOOM_ROLE_MEMBER, type ZoomCreatedUser, type ZoomCreateUserRequest, type ZoomRole, type ZoomUser } from "../../zoom/types.js";
import { badRequest, conflict } from "../../scim/errors.js";
import { ENTERPRISE_USER_URN, ZOOM_USER_URN } from "../../scim/schemas.js";
import { doneChanges, runSteps, type Step } from "../steps.js";
import type { Tenant } from "../tenant.js";
import { desiredManagerId, planUserChanges, type UserChangePlan } from "./change-plan.js";
import { cloneJson, getPath, isJsonObject, jsonEqual } from "../../scim/attributes/json.js";
import { applyDelta } from "../mapping/zoom-held.js";
import { renderUser } from "./user-render.js";
import { destructiveChangesOf } from "../guardrails/destructive.js";
import { userTypeToZoom, zoomTypeToZoom } from "../mapping/zoom-fields.js";
import { planLicences } from "../licences/licence-plan.js";
import { licenceChanges } from "../licences/licence-apply.js";
import { withLicences, withoutLicences } from "../licences/licence-state.js";
import type { LicensedZoomUser } from "../gateway/user-state.js";

export interface Applied {
  /** Zoom's user after the change, as far as zoom-scim knows without asking again. */
  user: ZoomUser;
  stored: StoredResource | undefined;
  resource: JsonObject;
}

/** The manager's email a desired resource asks for (undefined: unchanged). */
async function resolveManagerEmail(
  tenant: Tenant,
  desired: JsonObject,
  currentView: JsonObject | undefined,
): Promise<string | null | undefined> {
  const wanted = desiredManagerId(desired);
  // Absent where the user has one: removed (a PATCH remove). A PUT keeps what it omits (mergeAsserted), so there
  // absence is never an omission.
  if (wanted === undefined)
    return currentView !== undefined && getPath(currentView, [ENTERPRISE_USER_URN, "manager"]) !== undefined ? null : undefined;
  if (wanted === null) return wanted;
  const currentId = currentView ? getPath(currentView, [ENTERPRISE_USER_URN, "manager", "value"]) : undefined;
  if (wanted === currentId) return undefined;
  const email = await tenant.users.emailOf(wanted);
  if (!email)
    throw badRequest("invalidValue", `${ENTERPRISE_USER_URN}:manager.value "${wanted}" is not the id of a Zoom user of this account`);
  return email;
}

/** The account's roles a `roles` value is resolved against: none needed for an empty one (it asks for no role). */
export function rolesFor(tenant: Tenant, desired: JsonObject): Promise<readonly ZoomRole[]> {
  return Array.isArray(desired.roles) && desired.roles.length === 0 ? Promise.resolve([]) : tenant.roles();
}

/** Plans (and so validates) a change; throws 400 for what Zoom could never take, before anything is sent. */
export async function planFor(
  tenant: Tenant,
  user: LicensedZoomUser,
  desired: JsonObject,
  stored: StoredResource | undefined,
  currentView: JsonObject | undefined,
): Promise<UserChangePlan> {
  // Roles are looked up (a Medium Zoom call) only when the request changes them.
  const rolesChanged = desired.roles !== undefined && !jsonEqual(desired.roles, currentView?.roles);
  const plan = planUserChanges({
    current: user,
    desired,
    stored,
    roles: rolesChanged ? await rolesFor(tenant, desired) : undefined,
    managerEmail: await resolveManagerEmail(tenant, desired, currentView),
  });
  const userName = plan.store.userName;
  if (userName.toLowerCase() !== (stored?.userName ?? user.email.toLowerCase())) await assertUserNameFree(tenant, userName, user.id);
  // Licence values are checked here too (a pending user's wait for acceptance; Zoom's state is checked when applied).
  const { zoomPhone, licenceAddOns } = tenant.options;
  if (currentView) planLicences({ currentView, desired, phone: user.licences?.phone, zoomPhone, licenceAddOns });
  return plan;
}

/**
 * userName is unique (case-insensitive). Zoom keeps emails unique; a userName that is not an email only zoom-scim
 * knows, so it is checked against the store's users (deleted ones aside).
 */
export async function assertUserNameFree(tenant: Tenant, userName: string, ownId: string | undefined): Promise<void> {
  const holders = (await tenant.store.findUsersByUserName(tenant.name, userName)).filter((r) => r.id !== ownId);
  for (const holder of holders) {
    if (await tenant.store.getTombstone(tenant.name, "User", holder.id)) continue;
    throw conflict(
      "uniqueness",
      `userName "${userName}" is already the userName of user ${holder.id}; userName is unique (case-insensitive)`,
    );
  }
}

/** `licence`: the phone and licence steps, after the profile and role and before any deactivation. */
function stepsFor(tenant: Tenant, userId: string, plan: UserChangePlan, licence: readonly Step[] = []): Step[] {
  const zoom = tenant.users;
  const steps: Step[] = [];
  if (plan.status === "activate") steps.push({ describe: "activating the user", run: () => zoom.setUserStatus(userId, "activate") });
  if (plan.email) {
    const email = plan.email;
    steps.push({ describe: `changing the user's email to ${email}`, run: () => zoom.changeUserEmail(userId, email) });
  }
  if (Object.keys(plan.profile).length > 0) {
    steps.push({
      describe: `updating the profile (${Object.keys(plan.profile).join(", ")})`,
      run: () => zoom.updateUser(userId, plan.profile),
      counts: "licence-downgrade",
    });
  }
  const role = plan.role;
  if (role) {
    const run =
      role.to === ZOOM_ROLE_MEMBER
        ? () => (role.from ? zoom.unassignRole(role.from, userId) : Promise.resolve())
        : () => zoom.assignRole(role.to, [userId]);
    steps.push({ describe: `setting the role to ${role.toName}`, run, counts: "role-demotion" });
  }
  steps.push(...licence);
  if (plan.status === "deactivate") {
    if (tenant.options.signOutOnDeactivate) steps.push({ describe: "signing the user out", run: () => zoom.signOutUser(userId) });
    steps.push({ describe: "deactivating the user", run: () => zoom.setUserStatus(userId, "deactivate"), counts: "deactivation" });
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

/**
 * Zoom derives display_name from new names when a PATCH carries none. Rather than read the user back to learn what
 * it made, a name change carries the display name itself: the new names' if the old one was derived from the old
 * names (or empty), else the one the user has (it was set on purpose). Zoom then holds what zoom-scim knows.
 */
function withDisplayName(user: ZoomUser, plan: UserChangePlan): UserChangePlan {
  const { profile } = plan;
  const namesChanged = profile.first_name !== undefined || profile.last_name !== undefined;
  if (!namesChanged || profile.display_name !== undefined) return plan;
  const derived = (first: string | undefined, last: string | undefined): string => `${first ?? ""} ${last ?? ""}`.trim();
  const current = user.display_name ?? "";
  const display_name =
    current === "" || current === derived(user.first_name, user.last_name)
      ? derived(profile.first_name ?? user.first_name, profile.last_name ?? user.last_name)
      : current;
  return display_name === "" ? plan : { ...plan, profile: { ...profile, display_name } };
}

/**
 * Writes the store's part of a plan (externalId, SCIM-only attributes, what was sent) when it changed, guarded by
 * the version the plan was made from: a write in between (another process) throws StoreConflictError, and the
 * caller re-reads and re-plans rather than overwrite it.
 */
export async function recordStorePart(
  tenant: Tenant,
  user: ZoomUser,
  plan: UserChangePlan,
  stored: StoredResource | undefined,
  store: StoreTransaction = tenant.store,
): Promise<StoredResource | undefined> {
  if (!plan.storeChanged) return stored;
  // The mark of an unfinished create does not travel along: this write finishes it.
  return store.put(
    {
      tenant: tenant.name,
      kind: "User",
      id: user.id,
      externalId: plan.store.externalId,
      attributes: { ...plan.store.attributes },
      email: user.email,
      emails: plan.store.emails,
      userName: plan.store.userName,
    },
    new Date(),
    { expectedVersion: stored?.version ?? null },
  );
}

/** Runs the plan against Zoom, then records the store's part; answers the user as it now is. */
export async function applyDesired(
  tenant: Tenant,
  user: LicensedZoomUser,
  desired: JsonObject,
  stored: StoredResource | undefined,
  currentView: JsonObject | undefined,
  baseUrl: string,
): Promise<Applied> {
  const plan = withDisplayName(user, await planFor(tenant, user, desired, stored, currentView));
  const licence = await licenceChanges(tenant, user, plan, desired, currentView);
  // A user this request is creating loses nothing (a POST with active:false makes an inactive user).
  const creating = stored?.attributes.createIncomplete === true;
  const destructive = creating ? [] : [...destructiveChangesOf(user, plan), ...licence.destructive];
  const admission = await tenant.breaker.admit(destructive, `the change to user ${user.email}`);
  const steps = stepsFor(tenant, user.id, plan, licence.steps);
  try {
    await runSteps(steps);
  } catch (error) {
    // What the failure left undone is not counted: a repeat of the request counts it then.
    await admission.settle(doneChanges(destructive, steps));
    throw error;
  }
  const updated = await licence.after(applyPlanLocally(user, plan));
  // The snapshot serves lists, which show no licence state: it would only go stale there.
  tenant.users.remember(withoutLicences(updated));
  const record = await recordStorePart(tenant, updated, plan, stored);
  const resource = await renderUser(tenant, updated, record, baseUrl);
  auditResource({ resourceId: user.id, userName: updated.email, ...(currentView ? { before: currentView } : {}), after: resource });
  return { user: updated, stored: record, resource };
}

/**
 * One change accepted while the user was pending, applied now that it is active: Zoom's current view with the
 * entry laid over it is the desired user. Status is never deferred.
 */
export async function applyDeferredEntry(tenant: Tenant, accepted: ZoomUser, entry: DeferredChange): Promise<ZoomUser> {
  // Phone and licence changes compare with what Zoom holds now, read once the user can hold them.
  const user = await withLicences(tenant, accepted);
  const stored = await tenant.store.get(tenant.name, "User", user.id);
  // The base URL only shapes $ref links, which are neither compared nor sent to Zoom.
  const view = await renderUser(tenant, user, stored, "");
  const desired = applyDelta(cloneJson(view), entry.change);
  desired.active = view.active;
  return (await applyDesired(tenant, user, desired, stored, view, "")).user;
}

/** RFC 7644 §3.5.1: attributes a client omits are not asserted, so they keep their values. */
export function mergeAsserted(current: JsonObject, incoming: JsonObject): JsonObject {
  const desired: JsonObject = { ...current };
  for (const [key, value] of Object.entries(incoming)) {
    desired[key] =
      isJsonObject(value) && isJsonObject(current[key]) && key.startsWith("urn:") ? { ...(current[key] as JsonObject), ...value } : value;
  }
  return desired;
}

/** The licence a new user (or a fresh invitation) is created with. */
export function initialType(tenant: Tenant, desired: JsonObject): 1 | 2 | 4 {
  const wanted = userTypeToZoom(desired.userType) ?? zoomTypeToZoom(getPath(desired, [ZOOM_USER_URN, "type"]));
  return (wanted === 99 ? undefined : wanted) ?? (tenant.options.defaultUserType === 99 ? 1 : tenant.options.defaultUserType);
}

/** What Zoom's create call carries of a desired user: the email, names, display name and licence. */
export function createInfo(desired: JsonObject, email: string, type: 1 | 2 | 4, password?: string): ZoomCreateUserRequest["user_info"] {
  const given = getPath(desired, ["name", "givenName"]);
  const family = getPath(desired, ["name", "familyName"]);
  return {
    email,
    type,
    ...(typeof given === "string" ? { first_name: given } : {}),
    ...(typeof family === "string" ? { last_name: family } : {}),
    ...(typeof desired.displayName === "string" ? { display_name: desired.displayName } : {}),
    ...(password ? { password } : {}),
  };
}

/**
 * Zoom's user as a create just left it, known without asking Zoom again: pending for the `create` action, else
 * active; a Member; named as the create answered. `id` is the SCIM id (a re-invitation keeps the old one).
 */
export function userAsCreated(id: string, created: ZoomCreatedUser, request: ZoomCreateUserRequest): ZoomUser {
  return {
    id,
    email: created.email ?? request.user_info.email,
    type: created.type ?? request.user_info.type,
    status: request.action === "create" ? "pending" : "active",
    role_id: ZOOM_ROLE_MEMBER,
    role_name: "Member",
    first_name: created.first_name ?? "",
    last_name: created.last_name ?? "",
    ...(request.user_info.display_name !== undefined ? { display_name: request.user_info.display_name } : {}),
    user_created_at: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
  };
}
