// Seeding: users with given statuses, groups with members, custom roles, or N generated users.
// The request is checked whole before anything is stored. Seeding sends no webhooks.
import { isRecord } from "../http-io.js";
import { USER_STATUSES, emailKey, type CreateAction, type UserProfile, type UserStatus, type UserType } from "../model/users.js";
import { newId } from "../ids.js";
import type { Simulator } from "../sim.js";
import { isEmail } from "../validate.js";

export interface SeedUser {
  email: string;
  first_name?: string;
  last_name?: string;
  display_name?: string;
  /** 1 Basic (default), 2 Licensed, 4, 99. */
  type?: UserType;
  /** Default "active". */
  status?: UserStatus;
  role_id?: string;
  id?: string;
  /** Pending users only: the invitation has expired (Zoom answers 400/1120 for them). */
  invitation_expired?: boolean;
  /** How Zoom would have created the user (login types follow it); default autoCreate. */
  creation?: CreateAction;
  /** Profile fields (dept, job_title, company, manager, timezone, phone_numbers …); they may also be given flat. */
  profile?: UserProfile;
  [profileField: string]: unknown;
}

/** Profile fields a seeded user may carry at top level, next to email and status. */
const PROFILE_FIELDS = [
  "dept",
  "company",
  "job_title",
  "cost_center",
  "location",
  "language",
  "timezone",
  "manager",
  "phone_numbers",
  "pronouns",
  "pronouns_option",
  "custom_attributes",
  "host_key",
  "vanity_name",
  "cms_user_id",
  "use_pmi",
  "division_ids",
  "zoom_one_type",
  "plan_united_type",
];

function seedProfile(user: SeedUser): UserProfile {
  const profile: Record<string, unknown> = { ...user.profile };
  for (const key of PROFILE_FIELDS) if (user[key] !== undefined) profile[key] = user[key];
  return profile as UserProfile;
}

export interface SeedGroup {
  name: string;
  id?: string;
  /** Emails or ids of users (existing or seeded in the same request). */
  members?: string[];
}

export interface SeedRole {
  name: string;
  id?: string;
  description?: string;
}

export interface SeedRequest {
  users?: SeedUser[];
  groups?: SeedGroup[];
  roles?: SeedRole[];
  /** N users `${prefix}${n}@${domain}` (prefix "user", domain "example.com", status "active", type 1). */
  generate?: { count: number; status?: UserStatus; domain?: string; prefix?: string; type?: UserType; returnIds?: boolean };
  /** Emails that hold a Zoom account elsewhere: creating them answers 400/1009. */
  externalEmails?: string[];
}

export interface SeedResult {
  users: { id: string; email: string; status: UserStatus }[];
  groups: { id: string; name: string; total_members: number }[];
  roles: { id: string; name: string }[];
  generated?: { count: number; firstEmail?: string; lastEmail?: string; ids?: string[] };
}

export class SeedError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const MAX_GENERATE = 1_000_000;
const USER_TYPES: readonly number[] = [1, 2, 4, 99];
const ACTIONS: readonly string[] = ["create", "autoCreate", "custCreate", "ssoCreate"];

/** A plain boolean (no type narrowing), so checks keep the declared request types. */
function obj(value: unknown): boolean {
  return isRecord(value);
}

function check(condition: boolean, message: string, status = 400): asserts condition {
  if (!condition) throw new SeedError(message, status);
}

/** Checks the request's shape and its references; throws SeedError. */
function validateSeed(sim: Simulator, request: SeedRequest): void {
  check(obj(request), "seed body must be a JSON object");
  const { account } = sim;
  const roleIds = new Set([...account.roles.all()].map((r) => r.id));
  for (const role of request.roles ?? []) {
    check(obj(role) && typeof role.name === "string" && role.name.trim() !== "", "each role needs a name");
    check(!account.roles.getByName(role.name), `role name already exists: ${role.name}`, 409);
    if (role.id !== undefined) {
      check(typeof role.id === "string" && !roleIds.has(role.id), `role id already exists: ${String(role.id)}`, 409);
      roleIds.add(role.id);
    }
  }
  const emails = new Set<string>();
  const refs = new Set<string>();
  for (const user of request.users ?? []) {
    check(obj(user) && typeof user.email === "string" && isEmail(user.email), `invalid user email: ${JSON.stringify(user?.email)}`);
    const key = emailKey(user.email);
    check(!emails.has(key) && !account.users.getByEmail(key), `email already used: ${user.email}`, 409);
    emails.add(key);
    refs.add(key);
    check(user.type === undefined || USER_TYPES.includes(user.type), `invalid type for ${user.email}: ${String(user.type)}`);
    check(user.status === undefined || USER_STATUSES.includes(user.status), `invalid status for ${user.email}: ${String(user.status)}`);
    check(user.creation === undefined || ACTIONS.includes(user.creation), `invalid creation for ${user.email}`);
    check(
      user.role_id === undefined || roleIds.has(user.role_id) || (request.roles ?? []).some((r) => r.id === user.role_id),
      `unknown role_id for ${user.email}: ${String(user.role_id)}`,
    );
    check(!user.invitation_expired || user.status === "pending", `only pending users can have an expired invitation: ${user.email}`);
    if (user.id !== undefined) {
      check(
        typeof user.id === "string" && user.id !== "" && !account.users.getById(user.id) && !refs.has(user.id),
        `user id already used: ${String(user.id)}`,
        409,
      );
      refs.add(user.id);
    }
    check(user.profile === undefined || obj(user.profile), `profile of ${user.email} must be an object`);
  }
  const names = new Set<string>();
  for (const group of request.groups ?? []) {
    check(obj(group) && typeof group.name === "string" && group.name.trim() !== "", "each group needs a name");
    const key = group.name.trim().toLowerCase();
    check(!names.has(key) && !account.groups.getByName(group.name), `group name already used: ${group.name}`, 409);
    names.add(key);
    check(
      group.id === undefined || (typeof group.id === "string" && !account.groups.get(group.id)),
      `group id already used: ${String(group.id)}`,
      409,
    );
    for (const member of group.members ?? []) {
      check(typeof member === "string", `members of ${group.name} must be emails or ids`);
      const known = refs.has(member) || refs.has(emailKey(member)) || account.users.find(member) !== undefined;
      check(known, `unknown member of ${group.name}: ${member}`);
    }
  }
  for (const email of request.externalEmails ?? [])
    check(typeof email === "string" && isEmail(email), `invalid external email: ${String(email)}`);
  const g = request.generate;
  if (g !== undefined) {
    check(
      obj(g) && Number.isInteger(g.count) && g.count >= 0 && g.count <= MAX_GENERATE,
      `generate.count must be an integer from 0 to ${MAX_GENERATE}`,
    );
    check(g.status === undefined || USER_STATUSES.includes(g.status), `invalid generate.status: ${String(g.status)}`);
    check(g.type === undefined || USER_TYPES.includes(g.type), `invalid generate.type: ${String(g.type)}`);
    check(
      g.domain === undefined || (typeof g.domain === "string" && /^[a-z0-9.-]+\.[a-z]{2,}$/i.test(g.domain)),
      `invalid generate.domain: ${String(g.domain)}`,
    );
    check(
      g.prefix === undefined || (typeof g.prefix === "string" && /^[a-z0-9._+-]*$/i.test(g.prefix)),
      `invalid generate.prefix: ${String(g.prefix)}`,
    );
  }
}

export function applySeed(sim: Simulator, request: SeedRequest): SeedResult {
  validateSeed(sim, request);
  const { account } = sim;
  const now = sim.now();
  const lower = sim.config.lowercaseEmails;
  const result: SeedResult = { users: [], groups: [], roles: [] };
  for (const role of request.roles ?? []) {
    const record = { id: role.id ?? newId(), name: role.name.trim(), description: role.description ?? "", builtin: false };
    account.roles.add(record);
    result.roles.push({ id: record.id, name: record.name });
  }
  for (const u of request.users ?? []) {
    const status = u.status ?? "active";
    const user = account.createUser(
      {
        email: u.email,
        first_name: u.first_name,
        last_name: u.last_name,
        display_name: u.display_name,
        type: u.type ?? 1,
        status,
        role_id: u.role_id,
        id: u.id,
        creation: u.creation ?? (status === "pending" ? "create" : "autoCreate"),
        profile: seedProfile(u),
        invitationExpired: u.invitation_expired,
      },
      now,
      lower,
    );
    if (status !== "pending") user.lastLoginAt = now;
    result.users.push({ id: user.id, email: user.email, status: user.status });
  }
  for (const g of request.groups ?? []) {
    const group = account.createGroup(g.name.trim(), now, g.id);
    for (const member of g.members ?? []) {
      const user = account.users.find(member);
      if (user) account.addMember(group, user);
    }
    result.groups.push({ id: group.id, name: group.name, total_members: account.visibleMemberCount(group) });
  }
  for (const email of request.externalEmails ?? []) account.externalEmails.add(emailKey(email));
  if (request.generate) result.generated = generate(sim, request.generate, now);
  return result;
}

function generate(sim: Simulator, g: NonNullable<SeedRequest["generate"]>, now: number): NonNullable<SeedResult["generated"]> {
  const { account } = sim;
  const domain = g.domain ?? "example.com";
  const prefix = g.prefix ?? "user";
  const status = g.status ?? "active";
  const wantIds = g.returnIds ?? g.count <= 10_000;
  const ids: string[] = [];
  let firstEmail: string | undefined;
  let lastEmail: string | undefined;
  let n = 0;
  for (let i = 1; n < g.count; i++) {
    const email = `${prefix}${i}@${domain}`;
    if (account.users.getByEmail(email)) continue;
    const user = account.createUser(
      {
        email,
        first_name: "Test",
        last_name: `User${i}`,
        type: g.type ?? 1,
        status,
        creation: status === "pending" ? "create" : "autoCreate",
      },
      now,
      sim.config.lowercaseEmails,
    );
    n += 1;
    firstEmail ??= user.email;
    lastEmail = user.email;
    if (wantIds) ids.push(user.id);
  }
  const out: NonNullable<SeedResult["generated"]> = { count: n };
  if (firstEmail !== undefined) out.firstEmail = firstEmail;
  if (lastEmail !== undefined) out.lastEmail = lastEmail;
  if (wantIds) out.ids = ids;
  return out;
}

/** A small demo account for sandbox mode: every status, two groups, a custom role. */
export function demoSeed(domain = "example.com"): SeedRequest {
  return {
    roles: [{ name: "Help Desk", description: "Can manage users' meetings and recordings." }],
    users: [
      {
        email: `alice@${domain}`,
        first_name: "Alice",
        last_name: "Anders",
        type: 2,
        status: "active",
        profile: { dept: "Engineering", job_title: "Engineer" },
      },
      { email: `bob@${domain}`, first_name: "Bob", last_name: "Brown", type: 1, status: "active", profile: { dept: "Sales" } },
      { email: `carol@${domain}`, first_name: "Carol", last_name: "Chen", type: 2, status: "inactive" },
      { email: `dave@${domain}`, first_name: "Dave", last_name: "Diaz", type: 1, status: "pending" },
      { email: `erin@${domain}`, first_name: "Erin", last_name: "Evans", type: 2, status: "active", role_id: "1" },
    ],
    groups: [
      { name: "Engineering", members: [`alice@${domain}`, `erin@${domain}`] },
      { name: "Sales", members: [`bob@${domain}`] },
    ],
  };
}
