// How Zoom shows a user: the short form `GET /users` lists and the richer `GET /users/{userId}`
// form (docs/zoom-behaviour.md §2), plus member rows of groups and roles.
import { zoomTime } from "./clock.js";
import type { Account } from "./model/account.js";
import type { GroupRecord } from "./model/groups.js";
import type { UserRecord } from "./model/users.js";

export type Json = Record<string, unknown>;

/** `include_fields` of `GET /users`. */
export interface ListExtras {
  customAttributes: boolean;
  hostKey: boolean;
}

/** A user as `GET /users` lists it. Pending users come without `id` (and without a PMI). */
export function listedUser(user: UserRecord, extras?: ListExtras): Json {
  const pending = user.status === "pending";
  const p = user.profile;
  const created = zoomTime(user.createdAt);
  const out: Json = {};
  if (!pending) out.id = user.id;
  out.first_name = user.first_name;
  out.last_name = user.last_name;
  out.display_name = user.display_name;
  out.email = user.email;
  out.type = user.type;
  if (!pending && user.pmi !== undefined) out.pmi = user.pmi;
  out.timezone = p.timezone ?? "";
  out.verified = user.verified;
  out.dept = p.dept ?? "";
  out.created_at = created;
  out.user_created_at = created;
  if (user.lastLoginAt !== undefined) out.last_login_time = zoomTime(user.lastLoginAt);
  if (p.plan_united_type !== undefined) out.plan_united_type = p.plan_united_type;
  out.status = user.status;
  out.role_id = user.role_id;
  out.group_ids = [...user.groupIds];
  if (extras?.customAttributes && p.custom_attributes?.length) out.custom_attributes = p.custom_attributes;
  if (extras?.hostKey && p.host_key !== undefined) out.host_key = p.host_key;
  return out;
}

/** A user as `GET /users/{userId}` returns it. */
export function fullUser(user: UserRecord, account: Account): Json {
  const pending = user.status === "pending";
  const p = user.profile;
  const created = zoomTime(user.createdAt);
  const out: Json = {
    id: user.id,
    first_name: user.first_name,
    last_name: user.last_name,
    display_name: user.display_name,
    email: user.email,
    type: user.type,
    role_name: account.roles.get(user.role_id)?.name ?? "Member",
  };
  if (!pending && user.pmi !== undefined) {
    out.pmi = user.pmi;
    out.personal_meeting_url = `https://zoom.us/j/${user.pmi}`;
  }
  out.use_pmi = p.use_pmi ?? false;
  out.timezone = p.timezone ?? "";
  out.verified = user.verified;
  out.dept = p.dept ?? "";
  out.created_at = created;
  out.user_created_at = created;
  if (user.lastLoginAt !== undefined) out.last_login_time = zoomTime(user.lastLoginAt);
  if (p.cms_user_id !== undefined) out.cms_user_id = p.cms_user_id;
  out.group_ids = [...user.groupIds];
  out.account_id = account.accountId;
  out.language = p.language ?? "en-US";
  out.status = user.status;
  out.role_id = user.role_id;
  if (p.job_title !== undefined) out.job_title = p.job_title;
  if (p.cost_center !== undefined) out.cost_center = p.cost_center;
  if (p.company !== undefined) out.company = p.company;
  if (p.location !== undefined) out.location = p.location;
  if (p.manager !== undefined) out.manager = p.manager;
  if (p.phone_numbers?.length) out.phone_numbers = p.phone_numbers;
  if (p.custom_attributes?.length) out.custom_attributes = p.custom_attributes;
  if (p.pronouns !== undefined) out.pronouns = p.pronouns;
  if (p.pronouns_option !== undefined) out.pronouns_option = p.pronouns_option;
  if (p.vanity_name !== undefined) out.vanity_url = `https://zoom.us/my/${p.vanity_name}`;
  if (p.zoom_one_type !== undefined) out.zoom_one_type = p.zoom_one_type;
  if (p.plan_united_type !== undefined) out.plan_united_type = p.plan_united_type;
  if (p.division_ids?.length) out.division_ids = p.division_ids;
  if (p.license_info_list?.length) out.license_info_list = p.license_info_list;
  out.login_types = [...user.loginTypes];
  out.cluster = "us06";
  return out;
}

export function groupView(group: GroupRecord, account: Account): Json {
  return { id: group.id, name: group.name, total_members: account.visibleMemberCount(group) };
}

export function groupMemberView(user: UserRecord): Json {
  return { id: user.id, email: user.email, first_name: user.first_name, last_name: user.last_name, type: user.type };
}

export function roleMemberView(user: UserRecord): Json {
  return {
    id: user.id,
    email: user.email,
    first_name: user.first_name,
    last_name: user.last_name,
    type: user.type,
    department: user.profile.dept ?? "",
  };
}
