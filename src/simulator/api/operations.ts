// The Zoom operations the simulator implements: rate-limit category (the "Rate Limit Label" of
// Zoom's OpenAPI documents), scopes (their `security`), and handler; plus a tiny router.
import type { RateCategory } from "../options.js";
import { addMembers, createGroup, deleteGroup, getGroup, listGroups, listMembers, removeMember, renameGroup } from "./groups.js";
import { assignRole, listRoleMembers, listRoles, unassignRole } from "./roles.js";
import type { Handler, Operation } from "./types.js";
import { changeEmail, deleteUser, emailExists, setStatus, signOut, summary } from "./user-actions.js";
import { createUser, getUser, listUsers, updateUser } from "./users.js";
import { getUserSettings, updateUserSettings } from "./licences.js";
import { getSite, listCallingPlans, listPhoneNumbers, listSites } from "./phone-account.js";
import {
  assignCallingPlans,
  assignPhoneNumbers,
  getPhoneUser,
  switchCallingPlan,
  unassignCallingPlan,
  unassignPhoneNumber,
  updatePhoneUser,
} from "./phone-users.js";

const USER_READ = ["user:read", "user:write", "user:read:admin", "user:write:admin"];
const USER_WRITE = ["user:write", "user:write:admin"];
const PHONE_READ = ["phone:read", "phone:read:admin"];
const PHONE_WRITE = ["phone:write", "phone:write:admin"];

function op(
  method: Operation["method"],
  template: string,
  category: RateCategory,
  scopes: string[],
  handler: Handler,
  extra: { body?: boolean; paid?: boolean } = {},
): Operation {
  const scopeName = scopes[scopes.length - 1] ?? "";
  return { method, template, category, scopes, scopeName, body: extra.body ?? false, paid: extra.paid ?? false, handler };
}

/** Literal paths come before `{param}` ones so that /users/email is not a user id. */
export const OPERATIONS: readonly Operation[] = [
  op("GET", "/users/email", "light", [...USER_READ, "user:read:email", "user:read:email:admin"], emailExists),
  op("GET", "/users/summary", "medium", [...USER_READ, "user:read:summary:admin"], summary),
  op("GET", "/users", "medium", [...USER_READ, "user:read:list_users:admin"], listUsers),
  op("POST", "/users", "light", [...USER_WRITE, "user:write:user:admin"], createUser, { body: true }),
  op(
    "GET",
    "/users/{userId}",
    "light",
    [...USER_READ, "user_profile", "user_info:read", "user:read:user", "user:read:user:admin"],
    getUser,
  ),
  op("PATCH", "/users/{userId}", "light", [...USER_WRITE, "user:update:user", "user:update:user:admin"], updateUser, { body: true }),
  op("DELETE", "/users/{userId}", "light", [...USER_WRITE, "user:delete:user", "user:delete:user:admin"], deleteUser),
  op("PUT", "/users/{userId}/status", "light", [...USER_WRITE, "user:update:status", "user:update:status:admin"], setStatus, {
    body: true,
  }),
  op("PUT", "/users/{userId}/email", "light", [...USER_WRITE, "user:update:email", "user:update:email:admin"], changeEmail, { body: true }),
  op("DELETE", "/users/{userId}/token", "light", [...USER_WRITE, "user:delete:token", "user:delete:token:admin"], signOut),
  op("GET", "/users/{userId}/settings", "medium", [...USER_READ, "user:read:settings", "user:read:settings:admin"], getUserSettings),
  op(
    "PATCH",
    "/users/{userId}/settings",
    "medium",
    [...USER_WRITE, "user:update:settings", "user:update:settings:admin"],
    updateUserSettings,
    {
      body: true,
    },
  ),
  // Zoom Phone: an account without it set up would answer 403; the simulated account always has it.
  op("GET", "/phone/users/{userId}", "light", [...PHONE_READ, "phone:read:user", "phone:read:user:admin"], getPhoneUser),
  op("PATCH", "/phone/users/{userId}", "light", [...PHONE_WRITE, "phone:update:user", "phone:update:user:admin"], updatePhoneUser, {
    body: true,
  }),
  op(
    "POST",
    "/phone/users/{userId}/calling_plans",
    "light",
    [...PHONE_WRITE, "phone:write:calling_plan", "phone:write:calling_plan:admin"],
    assignCallingPlans,
    { body: true },
  ),
  op(
    "PUT",
    "/phone/users/{userId}/calling_plans",
    "light",
    [...PHONE_WRITE, "phone:update:calling_plan", "phone:update:calling_plan:admin"],
    switchCallingPlan,
    { body: true },
  ),
  op(
    "DELETE",
    "/phone/users/{userId}/calling_plans/{planType}",
    "light",
    [...PHONE_WRITE, "phone:delete:users_calling_plan", "phone:delete:users_calling_plan:admin"],
    unassignCallingPlan,
  ),
  op(
    "POST",
    "/phone/users/{userId}/phone_numbers",
    "light",
    [...PHONE_WRITE, "phone:write:user_number", "phone:write:user_number:admin"],
    assignPhoneNumbers,
    { body: true },
  ),
  op(
    "DELETE",
    "/phone/users/{userId}/phone_numbers/{phoneNumberId}",
    "light",
    [...PHONE_WRITE, "phone:delete:user_number", "phone:delete:user_number:admin"],
    unassignPhoneNumber,
  ),
  op("GET", "/phone/sites", "medium", ["phone:read:admin", "phone:read:list_sites:admin"], listSites),
  op("GET", "/phone/sites/{siteId}", "light", ["phone:read:admin", "phone:read:site:admin"], getSite),
  op("GET", "/phone/calling_plans", "medium", ["phone:read:admin", "phone:read:list_calling_plans:admin"], listCallingPlans),
  op("GET", "/phone/numbers", "medium", ["phone:read:admin", "phone:read:list_numbers:admin"], listPhoneNumbers),
  op("GET", "/groups", "medium", ["group:read:admin", "group:write:admin", "group:read:list_groups:admin"], listGroups, { paid: true }),
  op("POST", "/groups", "light", ["group:write:admin", "group:write:group:admin"], createGroup, { body: true, paid: true }),
  op("GET", "/groups/{groupId}", "light", ["group:read:admin", "group:write:admin", "group:read:group:admin"], getGroup, { paid: true }),
  op("PATCH", "/groups/{groupId}", "light", ["group:write:admin", "group:update:group:admin"], renameGroup, { body: true, paid: true }),
  op("DELETE", "/groups/{groupId}", "light", ["group:write:admin", "group:delete:group:admin"], deleteGroup, { paid: true }),
  op(
    "GET",
    "/groups/{groupId}/members",
    "medium",
    ["group:read:admin", "group:write:admin", "group:read:list_members:admin"],
    listMembers,
    { paid: true },
  ),
  op("POST", "/groups/{groupId}/members", "medium", ["group:write:admin", "group:write:member:admin"], addMembers, {
    body: true,
    paid: true,
  }),
  op("DELETE", "/groups/{groupId}/members/{memberId}", "light", ["group:write:admin", "group:delete:member:admin"], removeMember, {
    paid: true,
  }),
  op("GET", "/roles", "medium", ["role:read:admin", "role:write:admin", "role:read:list_roles", "role:read:list_roles:admin"], listRoles, {
    paid: true,
  }),
  op(
    "GET",
    "/roles/{roleId}/members",
    "medium",
    ["role:read:admin", "role:write:admin", "role:read:list_members", "role:read:list_members:admin"],
    listRoleMembers,
    { paid: true },
  ),
  op("POST", "/roles/{roleId}/members", "medium", ["role:write:admin", "role:write:member", "role:write:member:admin"], assignRole, {
    body: true,
    paid: true,
  }),
  op(
    "DELETE",
    "/roles/{roleId}/members/{memberId}",
    "light",
    ["role:write:admin", "role:delete:member", "role:delete:member:admin"],
    unassignRole,
    { paid: true },
  ),
];

/** Every scope some operation accepts: the default grant of the simulated app. */
export const KNOWN_SCOPES: readonly string[] = [...new Set(OPERATIONS.flatMap((o) => o.scopes))].sort();

interface Route {
  op: Operation;
  /** Literal segment, or null for a parameter. */
  segments: (string | null)[];
}

const ROUTES: Route[] = OPERATIONS.map((o) => ({
  op: o,
  segments: o.template
    .split("/")
    .slice(1)
    .map((s) => (s.startsWith("{") ? null : s)),
}));

export interface RouteMatch {
  op: Operation;
  params: string[];
}

/** Matches a path below /v2 (raw, still percent-encoded); undefined when Zoom would not recognize it. */
export function matchRoute(method: string, path: string): RouteMatch | undefined {
  const parts = path.split("/");
  const n = parts.length - 1;
  outer: for (const route of ROUTES) {
    if (route.op.method !== method || route.segments.length !== n) continue;
    const params: string[] = [];
    for (let i = 0; i < n; i++) {
      const want = route.segments[i];
      const got = parts[i + 1] as string;
      if (want === null) {
        if (got === "") continue outer;
        let decoded: string;
        try {
          decoded = decodeURIComponent(got);
        } catch {
          continue outer;
        }
        params.push(decoded);
      } else if (want !== got) {
        continue outer;
      }
    }
    return { op: route.op, params };
  }
  return undefined;
}
