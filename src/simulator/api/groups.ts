// /groups (docs/zoom-behaviour.md §3). Member-add model, where Zoom's behaviour is unverified:
// - the batch is validated whole before anything changes (≤ 30 entries, each an id or email);
// - an unknown user → 404/1001 naming it, nothing added;
// - a pending user → 400/300 naming it, nothing added (pending users join through
//   `PATCH /users/{userId} {"group_id"}`);
// - users already in the group are accepted and ignored; `ids` lists every resolved user.
import { zoomTime } from "../clock.js";
import { ZoomError, err } from "../errors.js";
import { groupEvent, groupMembers, groupRenamed } from "../events.js";
import type { GroupRecord } from "../model/groups.js";
import { emailKey, type UserRecord } from "../model/users.js";
import { maxGroups } from "../options.js";
import { groupMemberView, groupView } from "../serialize.js";
import type { Simulator } from "../sim.js";
import type { ObjectSpec } from "../validate.js";
import { nextToken, pageCount, pageCursor, pageSize } from "./paging-params.js";
import { param, type ApiRequest, type ApiResult } from "./types.js";
import { MEMBERS_SPEC } from "./user-specs.js";
import { checkBody } from "./users.js";

export const MAX_GROUP_PAGE = 300;
export const MAX_MEMBER_PAGE = 2000;
export const MAX_MEMBERS_PER_CALL = 30;

const NAME_SPEC: ObjectSpec = { type: "object", required: ["name"], props: { name: { type: "string" } } };

function findGroup(sim: Simulator, id: string): GroupRecord {
  const group = sim.account.groups.get(id);
  if (!group) throw err.groupNotFound(id);
  return group;
}

function groupName(body: Record<string, unknown>): string {
  checkBody(body, NAME_SPEC);
  const name = (body.name as string).trim();
  if (name === "") throw err.invalid("Invalid parameter: name.");
  return name;
}

export function listGroups(req: ApiRequest): ApiResult {
  const size = pageSize(req, MAX_GROUP_PAGE);
  const cursor = pageCursor(req, "groups", "");
  const groups = req.sim.account.groups;
  const { items, hasMore } = groups.page(cursor, size);
  return {
    status: 200,
    body: {
      groups: items.map((g) => groupView(g, req.sim.account)),
      total_records: groups.size(),
      next_page_token: nextToken(req, "groups", "", hasMore, items[items.length - 1]?.seq),
    },
  };
}

export function createGroup(req: ApiRequest): ApiResult {
  const { sim } = req;
  const name = groupName(req.body);
  const max = maxGroups(sim.config);
  if (sim.account.groups.size() >= max) {
    throw err.invalid("It has reached the maximum number of groups. You can clean up some groups then add.");
  }
  sim.limiter.checkCap(sim.config, "groupCreate", req.now, req.headers);
  if (sim.account.groups.getByName(name)) throw err.groupNameTaken(name);
  const group = sim.account.createGroup(name, req.now);
  sim.limiter.commitCap("groupCreate", req.now);
  groupEvent(sim, "group.created", group);
  return { status: 201, body: groupView(group, sim.account) };
}

export function getGroup(req: ApiRequest): ApiResult {
  return { status: 200, body: groupView(findGroup(req.sim, param(req, 0)), req.sim.account) };
}

export function renameGroup(req: ApiRequest): ApiResult {
  const { sim } = req;
  const name = groupName(req.body);
  const group = findGroup(sim, param(req, 0));
  const holder = sim.account.groups.getByName(name);
  if (holder && holder !== group) throw err.groupNameTakenRename(name);
  if (group.name !== name) {
    const old = group.name;
    sim.account.groups.rename(group, name);
    groupRenamed(sim, group, old);
  }
  return { status: 204 };
}

export function deleteGroup(req: ApiRequest): ApiResult {
  const group = findGroup(req.sim, param(req, 0));
  req.sim.account.deleteGroup(group);
  groupEvent(req.sim, "group.deleted", group);
  return { status: 204 };
}

/** Members in join order; pending users (pre-assigned by group_id) stay hidden until they accept. */
export function listMembers(req: ApiRequest): ApiResult {
  const { sim } = req;
  const group = findGroup(sim, param(req, 0));
  const size = pageSize(req, MAX_MEMBER_PAGE);
  const cursor = pageCursor(req, "group-members", group.id);
  const items: UserRecord[] = [];
  let lastJoin: number | undefined;
  let hasMore = false;
  for (const [userId, join] of group.members) {
    if (join <= cursor) continue;
    const user = sim.account.users.getById(userId);
    if (!user || user.status === "pending") continue;
    if (items.length === size) {
      hasMore = true;
      break;
    }
    items.push(user);
    lastJoin = join;
  }
  const total = sim.account.visibleMemberCount(group);
  return {
    status: 200,
    body: {
      members: items.map(groupMemberView),
      page_count: pageCount(total, size),
      page_number: 1,
      page_size: size,
      total_records: total,
      next_page_token: nextToken(req, "group-members", group.id, hasMore, lastJoin),
    },
  };
}

/** Resolves a `members` batch (id or email each) or throws without changing anything. */
export function resolveMembers(sim: Simulator, body: Record<string, unknown>): UserRecord[] {
  checkBody(body, MEMBERS_SPEC);
  const entries = body.members as { id?: string; email?: string }[];
  if (entries.length === 0 || entries.length > MAX_MEMBERS_PER_CALL) {
    throw err.validation([{ field: "members", message: `The number of members must be between 1 and ${MAX_MEMBERS_PER_CALL}.` }]);
  }
  const users: UserRecord[] = [];
  const seen = new Set<string>();
  entries.forEach((entry, i) => {
    const ref = entry.id ?? entry.email;
    if (!ref) throw err.validation([{ field: `members[${i}]`, message: "Invalid field." }]);
    if (entry.id === undefined && sim.config.rateLimits && sim.creating.has(emailKey(ref))) throw err.concurrent();
    const user = entry.id !== undefined ? sim.account.users.getById(entry.id) : sim.account.users.getByEmail(ref);
    if (!user || user.invitationExpired) throw err.userNotFound(ref);
    if (!seen.has(user.id)) {
      seen.add(user.id);
      users.push(user);
    }
  });
  return users;
}

export function addMembers(req: ApiRequest): ApiResult {
  const { sim } = req;
  const group = findGroup(sim, param(req, 0));
  const users = resolveMembers(sim, req.body);
  const pending = users.find((u) => u.status === "pending");
  if (pending) {
    throw new ZoomError(400, 300, `Pending users cannot be added to a group: ${pending.email}. Use PATCH /users/{userId} with group_id.`);
  }
  const added = users.filter((u) => sim.account.addMember(group, u));
  groupMembers(sim, "group.member_added", group, added);
  return { status: 201, body: { ids: users.map((u) => u.id).join(","), added_at: zoomTime(req.now) } };
}

export function removeMember(req: ApiRequest): ApiResult {
  const { sim } = req;
  const group = findGroup(sim, param(req, 0));
  const user = sim.account.users.find(param(req, 1));
  if (!user || !sim.account.removeMember(group, user)) throw err.notGroupMember();
  groupMembers(sim, "group.member_deleted", group, [user]);
  return { status: 204 };
}
