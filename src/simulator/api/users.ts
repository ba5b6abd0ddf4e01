// /users: list, get, create, update (docs/zoom-behaviour.md §2).
import { err, phoneErr, type FieldError } from "../errors.js";
import { userCreated, userUpdated } from "../events.js";
import { scheduleAutoAccept } from "../invitations.js";
import { emailKey, type CreateAction, type UserProfile, type UserRecord, type UserStatus, type UserType } from "../model/users.js";
import { fullUser, listedUser } from "../serialize.js";
import type { Simulator } from "../sim.js";
import { validateObject, type ObjectSpec } from "../validate.js";
import { nextToken, pageCount, pageCursor, pageSize } from "./paging-params.js";
import { param, type ApiRequest, type ApiResult } from "./types.js";
import { CREATE_USER_SPEC, UPDATE_USER_SPEC } from "./user-specs.js";
import { checkUnitedSeat, checkZoomOneSeat, setZoomPhone } from "./licences.js";

export const MAX_USER_PAGE = 2000;

export function checkBody(body: Record<string, unknown>, spec: ObjectSpec): void {
  const errors: FieldError[] = [];
  validateObject(body, spec, "", errors);
  if (errors.length > 0) throw err.validation(errors);
}

/** A user that exists in the path but whose invitation expired answers 400/1120. */
export function liveUser(sim: Simulator, idOrEmail: string): UserRecord {
  const user = sim.resolveUser(idOrEmail);
  if (user.invitationExpired) throw err.invitationInvalid();
  return user;
}

export function listUsers(req: ApiRequest): ApiResult {
  const status = (req.query.get("status") ?? "active") as UserStatus;
  if (status !== "active" && status !== "inactive" && status !== "pending") {
    throw err.validation([{ field: "status", message: "Invalid field." }]);
  }
  const roleId = req.query.get("role_id") ?? "";
  const include = new Set((req.query.get("include_fields") ?? "").split(",").map((s) => s.trim()));
  const size = pageSize(req, MAX_USER_PAGE);
  const scope = `${status}:${roleId}`;
  const cursor = pageCursor(req, "users", scope);
  const users = req.sim.account.users;
  const filter = roleId ? (u: UserRecord) => u.role_id === roleId : undefined;
  const { items, hasMore } = users.page(status, cursor, size, filter);
  let total = users.count(status);
  if (filter) total = users.byStatus(status).reduce((n, u) => (filter(u) ? n + 1 : n), 0);
  const extras = { customAttributes: include.has("custom_attributes"), hostKey: include.has("host_key") };
  return {
    status: 200,
    body: {
      page_count: pageCount(total, size),
      page_number: 1,
      page_size: size,
      total_records: total,
      next_page_token: nextToken(req, "users", scope, hasMore, items[items.length - 1]?.seq),
      users: items.map((u) => listedUser(u, extras)),
    },
  };
}

export function getUser(req: ApiRequest): ApiResult {
  const user = liveUser(req.sim, param(req, 0));
  return { status: 200, body: fullUser(user, req.sim.account) };
}

function licensedCount(sim: Simulator): number {
  let n = 0;
  for (const u of sim.account.users.all()) if (u.type === 2) n += 1;
  return n;
}

export function checkSeats(sim: Simulator, newType: UserType): void {
  const seats = sim.config.licensedSeats;
  if (newType === 2 && seats !== undefined && licensedCount(sim) >= seats) throw err.seats(seats);
}

/** The `reinviteExpired` model: a fresh invitation for the same pending user. */
function reinvite(req: ApiRequest, user: UserRecord): ApiResult {
  const { sim } = req;
  sim.limiter.checkCap(sim.config, "userCreate", req.now, req.headers);
  user.invitationExpired = false;
  sim.limiter.commitCap("userCreate", req.now);
  scheduleAutoAccept(sim, user);
  return { status: 201, body: { id: user.id, first_name: user.first_name, last_name: user.last_name, email: user.email, type: user.type } };
}

export async function createUser(req: ApiRequest): Promise<ApiResult> {
  const { sim } = req;
  checkBody(req.body, CREATE_USER_SPEC);
  const action = req.body.action as CreateAction;
  const info = req.body.user_info as Record<string, unknown>;
  const email = info.email as string;
  const type = info.type as UserType;
  if (type === 99 && action !== "ssoCreate") throw err.validation([{ field: "user_info.type", message: "Invalid field." }]);
  const key = emailKey(email);
  if (sim.config.rateLimits && sim.creating.has(key)) throw err.concurrent();
  if (sim.account.externalEmails.has(key)) throw err.emailElsewhere(email);
  const existing = sim.account.users.getByEmail(email);
  if (existing && action === "create" && sim.config.reinviteExpired && existing.status === "pending" && existing.invitationExpired) {
    return reinvite(req, existing);
  }
  if (existing) throw err.emailTaken(email);
  checkSeats(sim, type);
  if (action === "create") sim.limiter.checkCap(sim.config, "userCreate", req.now, req.headers);

  // A create holds the email: other calls naming it get 429 until it completes.
  sim.creating.add(key);
  try {
    await sim.sleep(sim.config.delays.userCreateMs);
  } finally {
    sim.creating.delete(key);
  }
  if (sim.account.users.getByEmail(email)) throw err.emailTaken(email);
  const feature = info.feature as { zoom_phone?: boolean; zoom_one_type?: number | bigint } | undefined;
  const profile: UserProfile = {};
  if (feature?.zoom_phone === true && sim.config.licences.zoomPhone !== undefined) {
    if (sim.account.phone.users.size >= sim.config.licences.zoomPhone) throw phoneErr.noPhoneLicence();
  }
  if (feature?.zoom_one_type !== undefined) profile.zoom_one_type = feature.zoom_one_type;
  if (info.plan_united_type !== undefined) profile.plan_united_type = info.plan_united_type as string;
  if (info.division_ids !== undefined) profile.division_ids = info.division_ids as string[];
  if (info.license_info_list !== undefined) profile.license_info_list = info.license_info_list as UserProfile["license_info_list"];
  const now = sim.now();
  const user = sim.account.createUser(
    {
      email,
      first_name: info.first_name as string | undefined,
      last_name: info.last_name as string | undefined,
      display_name: info.display_name as string | undefined,
      type,
      status: action === "create" ? "pending" : "active",
      creation: action,
      profile,
    },
    now,
    sim.config.lowercaseEmails,
  );
  if (feature?.zoom_phone === true) setZoomPhone(sim, user, true);
  if (action === "create") {
    sim.limiter.commitCap("userCreate", now);
    scheduleAutoAccept(sim, user);
  } else {
    user.lastLoginAt = now;
  }
  userCreated(sim, user, action);
  return {
    status: 201,
    body: { id: user.id, first_name: user.first_name, last_name: user.last_name, email: user.email, type: user.type },
  };
}

/** Fields of user.updated webhooks that PATCH can change. */
const EVENT_FIELDS = [
  "first_name",
  "last_name",
  "display_name",
  "type",
  "company",
  "pmi",
  "use_pmi",
  "timezone",
  "vanity_name",
  "host_key",
  "dept",
  "language",
];

const PROFILE_KEYS: readonly (keyof UserProfile)[] = [
  "cms_user_id",
  "company",
  "custom_attributes",
  "dept",
  "division_ids",
  "host_key",
  "job_title",
  "cost_center",
  "language",
  "location",
  "manager",
  "phone_numbers",
  "pronouns",
  "pronouns_option",
  "timezone",
  "use_pmi",
  "vanity_name",
  "zoom_one_type",
  "plan_united_type",
  "about_me",
  "linkedin_url",
  "license_info_list",
];

function snapshot(user: UserRecord): Record<string, unknown> {
  return {
    ...user.profile,
    first_name: user.first_name,
    last_name: user.last_name,
    display_name: user.display_name,
    type: user.type,
    pmi: user.pmi,
  };
}

const planCodeIsOff = (value: unknown): boolean => value === 0 || value === 0n;

export function updateUser(req: ApiRequest): ApiResult {
  const { sim, body } = req;
  checkBody(body, UPDATE_USER_SPEC);
  const planFields = ["type", "plan_united_type", "zoom_one_type"].filter((k) => body[k] !== undefined);
  if (planFields.length > 1) {
    throw err.invalid(`You can't change the "type" or "plan_united_type" or "zoom_one_type" at the same time.`);
  }
  if (typeof body.about_me === "string" && /<[a-z/!]|https?:\/\//i.test(body.about_me)) {
    throw err.invalid("The `about_me` field is illegal and can't contain hyperlinks or HTML code.");
  }
  if (typeof body.linkedin_url === "string" && !body.linkedin_url.includes("linkedin.com")) {
    throw err.invalid("The `linkedin_url` field is illegal. The URL must contain `linkedin.com`.");
  }
  const user = liveUser(sim, param(req, 0));
  const groupId = body.group_id as string | undefined;
  const group = groupId === undefined ? undefined : sim.account.groups.get(groupId);
  if (groupId !== undefined && !group) throw err.groupNotFound(groupId);

  // Pending users: Zoom answers 204 and changes nothing, except the group they will join.
  if (user.status === "pending") {
    if (group) sim.account.addMember(group, user);
    return { status: 204 };
  }
  const type = body.type as UserType | undefined;
  if (type === 99 && user.creation !== "ssoCreate") {
    throw err.typeNotAllowed();
  }
  if (type !== undefined && type !== user.type) checkSeats(sim, type);
  if (body.zoom_one_type !== undefined) checkZoomOneSeat(sim, user, body.zoom_one_type);
  if (typeof body.plan_united_type === "string") checkUnitedSeat(sim, user, body.plan_united_type);
  const feature = body.feature as { zoom_phone?: boolean } | undefined;
  // First, so that a refused phone licence leaves the rest of the PATCH unapplied too.
  if (feature?.zoom_phone !== undefined) setZoomPhone(sim, user, feature.zoom_phone);

  const before = snapshot(user);
  const oldDerivedName = `${user.first_name} ${user.last_name}`.trim();
  if (typeof body.first_name === "string") user.first_name = body.first_name;
  if (typeof body.last_name === "string") user.last_name = body.last_name;
  if (typeof body.display_name === "string") user.display_name = body.display_name;
  else if ((body.first_name !== undefined || body.last_name !== undefined) && user.display_name === oldDerivedName) {
    user.display_name = `${user.first_name} ${user.last_name}`.trim();
  }
  if (type !== undefined) user.type = type;
  if (typeof body.pmi === "number") user.pmi = body.pmi;
  const profile = user.profile as Record<string, unknown>;
  for (const key of PROFILE_KEYS) if (body[key] !== undefined && body[key] !== null) profile[key] = body[key];
  // "0" turns a Zoom One plan off, "none" a Zoom United one.
  if (planCodeIsOff(profile.zoom_one_type)) delete user.profile.zoom_one_type;
  if (profile.plan_united_type === "none") delete user.profile.plan_united_type;

  const after = snapshot(user);
  const changes: Record<string, unknown> = {};
  const old: Record<string, unknown> = {};
  for (const key of EVENT_FIELDS) {
    if (after[key] !== before[key] && after[key] !== undefined) {
      changes[key] = after[key];
      if (before[key] !== undefined) old[key] = before[key];
    }
  }
  if (Object.keys(changes).length > 0) userUpdated(sim, user, changes, old);
  return { status: 204 };
}
