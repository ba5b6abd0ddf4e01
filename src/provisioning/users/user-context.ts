// Gathers what rendering a set of users needs beyond the users themselves (role and group names, managers' ids),
// asking Zoom only for what those users actually reference.
import { ZoomApiError } from "../../zoom/index.js";
import type { ZoomGroup, ZoomRole } from "../../zoom/types.js";
import type { Tenant } from "../tenant.js";
import type { IdentifiedZoomUser } from "../gateway/user-state.js";
import type { UserViewContext } from "./user-view.js";

/** A lookup Zoom refuses (a scope the app lacks, a plan without groups) degrades display names, not the read. */
async function optional<T>(load: () => Promise<T[]>): Promise<T[]> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof ZoomApiError && error.status >= 400 && error.status < 500 && error.status !== 429) return [];
    throw error;
  }
}

export async function buildViewContext(tenant: Tenant, users: readonly IdentifiedZoomUser[], baseUrl: string): Promise<UserViewContext> {
  const needRoles = users.some((u) => u.role_id && !u.role_name);
  const needGroups = users.some((u) => (u.group_ids?.length ?? 0) > 0);
  const [roles, groups] = await Promise.all([
    needRoles ? optional<ZoomRole>(() => tenant.roles()) : Promise.resolve([]),
    needGroups ? optional<ZoomGroup>(() => tenant.groups()) : Promise.resolve([]),
  ]);
  const roleNames = new Map(roles.map((r) => [r.id, r.name]));
  const groupNames = new Map(groups.map((g) => [g.id, g.name]));

  const managerIds = new Map<string, string>();
  const managerEmails = [...new Set(users.flatMap((u) => (u.manager ? [u.manager.toLowerCase()] : [])))];
  for (const email of managerEmails) {
    // The manager is whatever Zoom holds: a value that is no email (or an expired invitation) names nobody to link.
    const id = await tenant.users.idOfEmail(email);
    if (id) managerIds.set(email, id);
  }
  return {
    baseUrl,
    roleName: (id) => roleNames.get(id),
    groupName: (id) => groupNames.get(id),
    userIdByEmail: (email) => managerIds.get(email.toLowerCase()),
  };
}
