// User actions beyond CRUD: status, delete, email change, SSO sign-out, email check, summary.
import { ZoomError, err } from "../errors.js";
import { userLifecycle, userUpdated } from "../events.js";
import { cancelAutoAccept } from "../invitations.js";
import { isAdminRole } from "../model/roles.js";
import { emailKey } from "../model/users.js";
import { checkBody, checkSeats, liveUser } from "./users.js";
import { param, type ApiRequest, type ApiResult } from "./types.js";
import { EMAIL_SPEC, STATUS_SPEC } from "./user-specs.js";

const DAY_MS = 86_400_000;
const EMAIL_CHANGES_PER_DAY = 3;

/** `PUT /users/{userId}/status`: answered 200 without a body, as the OpenAPI document declares. */
export function setStatus(req: ApiRequest): ApiResult {
  const { sim } = req;
  checkBody(req.body, STATUS_SPEC);
  const action = req.body.action as string;
  const user = liveUser(sim, param(req, 0));
  if (action === "clock_in" || action === "clock_out") {
    throw err.invalid("Clock in and clock out need Workforce Management, which this account does not have.");
  }
  if (user.status === "pending") throw err.invalid("Pending users cannot be activated or deactivated.");
  if (isAdminRole(user.role_id)) throw err.adminStatus();
  if (action === "activate" && user.status === "inactive") {
    if (user.type === 2 && sim.config.licensedSeats !== undefined) {
      try {
        checkSeats(sim, 2);
      } catch {
        throw new ZoomError(
          400,
          3412,
          `Your request to activate the user was not approved at this time because your account has reached the permitted maximum number of ${sim.config.licensedSeats} "Licensed" users.`,
        );
      }
    }
    sim.account.users.setStatus(user, "active");
    userLifecycle(sim, "user.activated", user);
  } else if (action === "deactivate" && user.status === "active") {
    sim.account.users.setStatus(user, "inactive");
    // Zoom does not say whether deactivation frees phone numbers and calling plans: configurable (`phone.deactivationReleases`).
    if (sim.config.phone.deactivationReleases) sim.account.phone.release(user.id, false);
    userLifecycle(sim, "user.deactivated", user);
  }
  return { status: 200 };
}

export async function deleteUser(req: ApiRequest): Promise<ApiResult> {
  const { sim } = req;
  const action = req.query.get("action") ?? "disassociate";
  if (action !== "disassociate" && action !== "delete") throw err.validation([{ field: "action", message: "Invalid field." }]);
  const user = liveUser(sim, param(req, 0));
  if (isAdminRole(user.role_id)) throw err.adminNoDisassociate();
  if (user.status === "pending" && action === "delete") {
    throw err.invalid("Pending users can only be disassociated: use action=disassociate.");
  }
  const domain = user.emailKey.slice(user.emailKey.lastIndexOf("@") + 1);
  if (action === "disassociate" && user.status !== "pending" && sim.config.managedDomains.includes(domain)) {
    throw err.managedDomain();
  }
  const transferEmail = req.query.get("transfer_email");
  if (transferEmail) {
    if (emailKey(transferEmail) === user.emailKey) {
      throw err.invalid("The transfer-to email address cannot be the same as the unlinked or deleted user's email address.");
    }
    if (!sim.account.users.getByEmail(transferEmail)) throw err.userNotFound(transferEmail);
  }
  // One delete per user at a time: a second one meanwhile gets 429.
  if (sim.config.rateLimits && sim.deleting.has(user.id)) throw err.concurrent();
  sim.deleting.add(user.id);
  try {
    await sim.sleep(sim.config.delays.userDeleteMs);
  } finally {
    sim.deleting.delete(user.id);
  }
  if (sim.account.users.getById(user.id) !== user) throw err.userNotFound(param(req, 0));
  cancelAutoAccept(sim, user);
  sim.account.deleteUser(user);
  userLifecycle(sim, action === "delete" ? "user.deleted" : "user.disassociated", user);
  return { status: 204 };
}

export function changeEmail(req: ApiRequest): ApiResult {
  const { sim } = req;
  checkBody(req.body, EMAIL_SPEC);
  const email = req.body.email as string;
  const user = liveUser(sim, param(req, 0));
  if (user.status === "pending") throw err.invalid("The email of a pending user cannot be changed.");
  const key = emailKey(email);
  if (key === user.emailKey) return { status: 204 };
  const managed = sim.config.managedDomains;
  const domain = key.slice(key.lastIndexOf("@") + 1);
  if (managed.length > 0 && !managed.includes(domain)) {
    throw new ZoomError(400, 1116, `Email address ${email} doesn't match limited domains: ${managed.join(",")}`);
  }
  if (sim.account.externalEmails.has(key)) throw err.emailElsewhere(email);
  if (sim.account.users.getByEmail(email) || sim.creating.has(key)) throw err.emailTaken(email);
  user.emailChanges = user.emailChanges.filter((t) => req.now - t < DAY_MS);
  if (sim.config.rateLimits && user.emailChanges.length >= EMAIL_CHANGES_PER_DAY) {
    throw err.invalid("A user's email address can be changed up to 3 times in any 24 hour period.");
  }
  user.emailChanges.push(req.now);
  const oldEmail = user.email;
  sim.account.users.setEmail(user, sim.config.lowercaseEmails ? email.toLowerCase() : email);
  userUpdated(sim, user, { email: user.email }, { email: oldEmail });
  return { status: 204 };
}

/** `DELETE /users/{userId}/token`: revokes the user's SSO token (counted, visible in /_sim). */
export function signOut(req: ApiRequest): ApiResult {
  const user = liveUser(req.sim, param(req, 0));
  user.ssoSignOuts += 1;
  return { status: 204 };
}

export function emailExists(req: ApiRequest): ApiResult {
  const email = req.query.get("email");
  if (!email) throw err.invalid("Email is required.");
  return { status: 200, body: { existed_email: req.sim.account.users.getByEmail(email) !== undefined } };
}

export function summary(req: ApiRequest): ApiResult {
  const counts = { licensed: 0, basic: 0, joinOnly: 0, pending: 0 };
  for (const u of req.sim.account.users.all()) {
    if (u.status === "pending") counts.pending += 1;
    else if (u.type === 2) counts.licensed += 1;
    else if (u.type === 1) counts.basic += 1;
    else counts.joinOnly += 1;
  }
  return {
    status: 200,
    body: {
      licensed_users_count: counts.licensed,
      basic_users_count: counts.basic,
      on_prem_users_count: 0,
      room_users_count: 0,
      pending_users_count: counts.pending,
      join_only_users_count: counts.joinOnly,
      total_users_count: counts.licensed + counts.basic + counts.joinOnly,
    },
  };
}
