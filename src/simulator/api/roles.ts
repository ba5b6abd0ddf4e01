// /roles (docs/zoom-behaviour.md §4): list, list members, assign (≤ 30; Owner and Member refused), unassign
// (the user falls back to Member).
import { zoomTime } from "../clock.js";
import { err } from "../errors.js";
import { userUpdated } from "../events.js";
import { ROLE_MEMBER, ROLE_OWNER, type RoleRecord } from "../model/roles.js";
import type { UserRecord } from "../model/users.js";
import { roleMemberView } from "../serialize.js";
import type { Simulator } from "../sim.js";
import { resolveMembers } from "./groups.js";
import { nextToken, pageCount, pageCursor, pageSize } from "./paging-params.js";
import { param, type ApiRequest, type ApiResult } from "./types.js";

export const MAX_ROLE_MEMBER_PAGE = 300;

function findRole(sim: Simulator, id: string): RoleRecord {
  const role = sim.account.roles.get(id);
  if (!role) throw err.roleNotFound();
  return role;
}

function assignable(role: RoleRecord): void {
  if (role.id === ROLE_OWNER || role.id === ROLE_MEMBER) throw err.roleNotAssignable();
}

function setRole(sim: Simulator, user: UserRecord, roleId: string): void {
  if (user.role_id === roleId) return;
  const oldName = sim.account.roles.get(user.role_id)?.name ?? "Member";
  user.role_id = roleId;
  const newName = sim.account.roles.get(roleId)?.name ?? "Member";
  userUpdated(sim, user, { role: newName }, { role: oldName });
}

export function listRoles(req: ApiRequest): ApiResult {
  const type = req.query.get("type") ?? "common";
  if (type !== "common" && type !== "iq") throw err.validation([{ field: "type", message: "Invalid field." }]);
  const roles = type === "iq" ? [] : [...req.sim.account.roles.all()];
  return {
    status: 200,
    body: {
      total_records: roles.length,
      roles: roles.map((r) => ({
        id: r.id,
        name: r.name,
        description: r.description,
        type: "common",
        total_members: req.sim.account.roleMemberCount(r.id),
      })),
    },
  };
}

export function listRoleMembers(req: ApiRequest): ApiResult {
  const { sim } = req;
  const role = findRole(sim, param(req, 0));
  const size = pageSize(req, MAX_ROLE_MEMBER_PAGE);
  const cursor = pageCursor(req, "role-members", role.id);
  const items: UserRecord[] = [];
  let hasMore = false;
  let total = 0;
  for (const user of sim.account.users.all()) {
    if (user.role_id !== role.id || user.status === "pending") continue;
    total += 1;
    if (user.seq <= cursor) continue;
    if (items.length === size) hasMore = true;
    else items.push(user);
  }
  return {
    status: 200,
    body: {
      members: items.map(roleMemberView),
      next_page_token: nextToken(req, "role-members", role.id, hasMore, items[items.length - 1]?.seq),
      page_count: pageCount(total, size),
      page_number: 1,
      page_size: size,
      total_records: total,
    },
  };
}

export function assignRole(req: ApiRequest): ApiResult {
  const { sim } = req;
  const role = findRole(sim, param(req, 0));
  assignable(role);
  const users = resolveMembers(sim, req.body);
  if (users.some((u) => u.role_id === ROLE_OWNER)) throw err.invalid("The account owner's role cannot be changed.");
  for (const user of users) setRole(sim, user, role.id);
  return { status: 201, body: { ids: users.map((u) => u.id).join(","), add_at: zoomTime(req.now) } };
}

export function unassignRole(req: ApiRequest): ApiResult {
  const { sim } = req;
  const role = findRole(sim, param(req, 0));
  assignable(role);
  const user = sim.resolveUser(param(req, 1));
  if (user.role_id !== role.id) throw err.invalid(`The user does not have this role: ${param(req, 1)}.`);
  setRole(sim, user, ROLE_MEMBER);
  return { status: 204 };
}
