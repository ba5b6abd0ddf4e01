// The Zoom a preview tenant talks to: reads go to Zoom and come back with the plan laid over them; writes are
// checked as Zoom would check them (the user or group exists, the email or name is free), recorded as plan steps
// with the state they leave, and answered as Zoom would answer, with ids of our own for what the plan creates.
// Nothing is written to Zoom. A live tenant whose plan is not applied yet reads the same way and refuses writes:
// the IdP must keep seeing what it was told until `apply` has made it true.
import { randomBytes } from "node:crypto";
import { ScimError } from "../../scim/errors.js";
import { ZoomApiError } from "../../zoom/errors.js";
import type {
  ZoomApi,
  ZoomCreateUserRequest,
  ZoomCreatedUser,
  ZoomDeleteAction,
  ZoomGroup,
  ZoomGroupMember,
  ZoomGroupMemberPage,
  ZoomGroupPage,
  ZoomListedUser,
  ZoomRole,
  ZoomRoleMember,
  ZoomUser,
  ZoomUserPage,
  ZoomUserStatus,
  ZoomUserUpdate,
} from "../../zoom/types.js";
import type { TenantMode } from "../../config/types.js";
import { isZoomNotFound } from "../zoom-errors.js";
import { auditPlanned } from "../audit/scope.js";
import type { DestructiveKind } from "../guardrails/destructive.js";
import {
  createdUser,
  memberOf,
  overlayGroups,
  overlayMembers,
  overlayRoleMembers,
  overlayUserList,
  roleDestructiveness,
  updateDestructiveness,
  updatedUser,
} from "./overlay.js";
import type { ObjectChange, PreviewLedger } from "./preview-ledger.js";
import { PreviewPhone } from "./preview-phone.js";
import type { PlannedCall } from "./planned-call.js";

/** How long a live tenant trusts "the plan still has unapplied steps" before asking the store again. */
const PLAN_CHECK_MS = 2_000;
const PLAN_PENDING_RETRY_AFTER_SECONDS = 60;

/** Zoom's ids are 22 base64url characters; a planned create gets one of the same shape. */
export const plannedId = (): string => randomBytes(16).toString("base64url");

const zoomError = (status: number, code: number, message: string, method: string, path: string): ZoomApiError =>
  new ZoomApiError({ status, code, zoomMessage: message, method, path });
const userNotFound = (idOrEmail: string): ZoomApiError =>
  zoomError(404, 1001, `User does not exist: ${idOrEmail}.`, "GET", "/users/{userId}");
const groupNotFound = (id: string): ZoomApiError =>
  zoomError(404, 4130, `A group with this ${id} does not exist.`, "GET", "/groups/{groupId}");

/** A user as the plan leaves it, and whether it exists only in the plan. */
interface Found<T> {
  value: T;
  planned: boolean;
}

export class PreviewZoom implements ZoomApi {
  readonly phone: PreviewPhone;
  private drainedAt: number | undefined;
  private checkedAt = 0;
  private roleNames: Map<string, string> | undefined;

  constructor(
    private readonly real: ZoomApi,
    readonly ledger: PreviewLedger,
    private readonly mode: TenantMode,
  ) {
    this.phone = new PreviewPhone(real.phone, ledger, this);
  }

  ensureAccessToken(): Promise<void> {
    return this.real.ensureAccessToken();
  }

  /** Whether reads come with the plan laid over them: a preview tenant's always, a live one's until applied. */
  async overlaid(): Promise<boolean> {
    if (this.mode === "preview") return true;
    if (this.drainedAt !== undefined) return false;
    const now = Date.now();
    if (now - this.checkedAt < PLAN_CHECK_MS) return true;
    this.checkedAt = now;
    if ((await this.ledger.unappliedCount()) > 0) return true;
    // A live tenant's plan only shrinks: once applied, every call goes straight to Zoom.
    this.drainedAt = now;
    return false;
  }

  /** A write: planned on a preview tenant; on a live tenant with a plan not yet applied, refused. */
  private async planning(): Promise<boolean> {
    if (this.mode === "preview") return true;
    if (!(await this.overlaid())) return false;
    const waiting = await this.ledger.unappliedCount();
    if (waiting === 0) return false;
    throw new ScimError(
      503,
      undefined,
      `Tenant "${this.ledger.tenant}" is live but its preview plan still has ${waiting} step${waiting === 1 ? "" : "s"} not applied, ` +
        `so this write was refused and nothing was changed in Zoom. Apply the plan first (POST /admin/plan/apply, or stop the server ` +
        `and run zoom-scim apply --tenant ${this.ledger.tenant}); the IdP's retries then succeed.`,
      { retryAfterSeconds: PLAN_PENDING_RETRY_AFTER_SECONDS },
    );
  }

  async record(
    target: { resourceType: "User" | "Group"; resourceId: string },
    call: PlannedCall,
    destructive: DestructiveKind | null,
    changes: readonly ObjectChange[],
  ): Promise<void> {
    auditPlanned(await this.ledger.record(target, call, destructive, changes));
  }

  // ---- Users

  /** The user by id or email as the plan leaves it; undefined when Zoom (or the plan) has none. */
  async findUser(idOrEmail: string): Promise<Found<ZoomUser> | undefined> {
    if (idOrEmail.includes("@")) {
      const [mine] = await this.ledger.byEmail<ZoomUser>(idOrEmail);
      if (mine) return mine.body ? { value: mine.body, planned: mine.planned } : undefined;
      const real = await this.realUser(idOrEmail);
      if (!real) return undefined;
      const held = await this.ledger.get<ZoomUser>("user", real.id);
      if (!held) return { value: real, planned: false };
      // The plan changed the user's email (or removed it): Zoom would not find it by this one.
      return held.body && held.body.email.toLowerCase() === idOrEmail.toLowerCase()
        ? { value: held.body, planned: held.planned }
        : undefined;
    }
    const held = await this.ledger.get<ZoomUser>("user", idOrEmail);
    if (held) return held.body ? { value: held.body, planned: held.planned } : undefined;
    const real = await this.realUser(idOrEmail);
    return real ? { value: real, planned: false } : undefined;
  }

  private async realUser(idOrEmail: string): Promise<ZoomUser | undefined> {
    try {
      return await this.real.getUser(idOrEmail);
    } catch (error) {
      if (isZoomNotFound(error)) return undefined;
      throw error;
    }
  }

  async requireUser(idOrEmail: string): Promise<Found<ZoomUser>> {
    const found = await this.findUser(idOrEmail);
    if (!found) throw userNotFound(idOrEmail);
    return found;
  }

  async getUser(idOrEmail: string): Promise<ZoomUser> {
    if (!(await this.overlaid())) return this.real.getUser(idOrEmail);
    return (await this.requireUser(idOrEmail)).value;
  }

  async listAllUsers(status: ZoomUserStatus): Promise<ZoomListedUser[]> {
    if (!(await this.overlaid())) return this.real.listAllUsers(status);
    const [real, held] = await Promise.all([this.real.listAllUsers(status), this.ledger.all<ZoomUser>("user")]);
    return overlayUserList(real, held, status);
  }

  /** Pages of the overlaid list (the plan's users belong to no page of Zoom's): the token is an offset. */
  async listUsers(params: { status: ZoomUserStatus; pageSize?: number; nextPageToken?: string }): Promise<ZoomUserPage> {
    if (!(await this.overlaid())) return this.real.listUsers(params);
    const all = await this.listAllUsers(params.status);
    const { items, next, size } = offsetPage(all, params);
    return { page_size: size, total_records: all.length, next_page_token: next, users: items };
  }

  async createUser(request: ZoomCreateUserRequest): Promise<ZoomCreatedUser> {
    if (!(await this.planning())) return this.real.createUser(request);
    const email = request.user_info.email;
    if (await this.findUser(email)) throw zoomError(409, 1005, `Email "${email}" has already been used.`, "POST", "/users");
    const id = plannedId();
    const user = createdUser(id, request, new Date());
    await this.record({ resourceType: "User", resourceId: id }, { op: "createUser", id, request }, null, [
      { kind: "user", key: id, email, body: user, planned: true },
    ]);
    const answer: ZoomCreatedUser = { id, email, type: user.type };
    if (user.first_name !== undefined) answer.first_name = user.first_name;
    if (user.last_name !== undefined) answer.last_name = user.last_name;
    return answer;
  }

  /** Records a change of one user: the call, and the user (and any other object) it leaves. */
  private async changeUser(
    found: Found<ZoomUser>,
    call: PlannedCall,
    after: ZoomUser | null,
    destructive: DestructiveKind | null,
    more: readonly ObjectChange[] = [],
  ): Promise<void> {
    const user = found.value;
    await this.record({ resourceType: "User", resourceId: user.id }, call, destructive, [
      { kind: "user", key: user.id, email: after?.email ?? user.email, body: after, planned: found.planned },
      ...more,
    ]);
  }

  async updateUser(idOrEmail: string, update: ZoomUserUpdate): Promise<void> {
    if (!(await this.planning())) return this.real.updateUser(idOrEmail, update);
    const found = await this.requireUser(idOrEmail);
    const more = update.feature?.zoom_phone !== undefined ? await this.phone.phoneTurned(found.value, update.feature.zoom_phone) : [];
    await this.changeUser(
      found,
      { op: "updateUser", user: found.value.id, update },
      updatedUser(found.value, update),
      updateDestructiveness(found.value, update),
      more,
    );
  }

  async setUserStatus(idOrEmail: string, action: "activate" | "deactivate"): Promise<void> {
    if (!(await this.planning())) return this.real.setUserStatus(idOrEmail, action);
    const found = await this.requireUser(idOrEmail);
    const after: ZoomUser = { ...found.value, status: action === "activate" ? "active" : "inactive" };
    await this.changeUser(
      found,
      { op: "setUserStatus", user: found.value.id, action },
      after,
      action === "deactivate" ? "deactivation" : null,
    );
  }

  async deleteUser(idOrEmail: string, action: ZoomDeleteAction): Promise<void> {
    if (!(await this.planning())) return this.real.deleteUser(idOrEmail, action);
    const found = await this.requireUser(idOrEmail);
    await this.changeUser(found, { op: "deleteUser", user: found.value.id, action }, null, "deletion");
  }

  async changeUserEmail(idOrEmail: string, email: string): Promise<void> {
    if (!(await this.planning())) return this.real.changeUserEmail(idOrEmail, email);
    const found = await this.requireUser(idOrEmail);
    if (found.value.status === "pending")
      throw zoomError(400, 300, "The email of a pending user cannot be changed.", "PUT", "/users/{userId}/email");
    const holder = await this.findUser(email);
    if (holder && holder.value.id !== found.value.id)
      throw zoomError(409, 1005, `Email "${email}" has already been used.`, "PUT", "/users/{userId}/email");
    await this.changeUser(found, { op: "changeUserEmail", user: found.value.id, email }, { ...found.value, email }, null);
  }

  async signOutUser(idOrEmail: string): Promise<void> {
    if (!(await this.planning())) return this.real.signOutUser(idOrEmail);
    const found = await this.requireUser(idOrEmail);
    await this.record({ resourceType: "User", resourceId: found.value.id }, { op: "signOutUser", user: found.value.id }, null, []);
  }

  // ---- Groups

  private async findGroup(id: string): Promise<Found<ZoomGroup> | undefined> {
    const held = await this.ledger.get<ZoomGroup>("group", id);
    if (held) return held.body ? { value: held.body, planned: held.planned } : undefined;
    try {
      return { value: await this.real.getGroup(id), planned: false };
    } catch (error) {
      if (isZoomNotFound(error)) return undefined;
      throw error;
    }
  }

  private async requireGroup(id: string): Promise<Found<ZoomGroup>> {
    const found = await this.findGroup(id);
    if (!found) throw groupNotFound(id);
    return found;
  }

  async getGroup(groupId: string): Promise<ZoomGroup> {
    if (!(await this.overlaid())) return this.real.getGroup(groupId);
    const found = await this.requireGroup(groupId);
    const touched = found.planned || (await this.ledger.all("member", groupId)).length > 0;
    return touched ? { ...found.value, total_members: (await this.membersOf(found)).length } : found.value;
  }

  async listAllGroups(): Promise<ZoomGroup[]> {
    if (!(await this.overlaid())) return this.real.listAllGroups();
    const [real, held] = await Promise.all([this.real.listAllGroups(), this.ledger.all<ZoomGroup>("group")]);
    return overlayGroups(real, held);
  }

  async listGroups(params: { pageSize?: number; nextPageToken?: string } = {}): Promise<ZoomGroupPage> {
    if (!(await this.overlaid())) return this.real.listGroups(params);
    const all = await this.listAllGroups();
    const { items, next } = offsetPage(all, params);
    return { groups: items, total_records: all.length, ...(next ? { next_page_token: next } : {}) };
  }

  private async nameTaken(name: string, except?: string): Promise<boolean> {
    const lower = name.toLowerCase();
    return (await this.listAllGroups()).some((group) => group.id !== except && group.name.toLowerCase() === lower);
  }

  async createGroup(name: string): Promise<ZoomGroup> {
    if (!(await this.planning())) return this.real.createGroup(name);
    if (await this.nameTaken(name)) throw zoomError(409, 4132, `The group name "${name}" is already in use.`, "POST", "/groups");
    const id = plannedId();
    const group: ZoomGroup = { id, name, total_members: 0 };
    await this.record({ resourceType: "Group", resourceId: id }, { op: "createGroup", id, name }, null, [
      { kind: "group", key: id, body: group, planned: true },
    ]);
    return group;
  }

  async renameGroup(groupId: string, name: string): Promise<void> {
    if (!(await this.planning())) return this.real.renameGroup(groupId, name);
    const found = await this.requireGroup(groupId);
    if (await this.nameTaken(name, groupId))
      throw zoomError(409, 4132, `Group name ${name} is already in use.`, "PATCH", "/groups/{groupId}");
    await this.record({ resourceType: "Group", resourceId: groupId }, { op: "renameGroup", group: groupId, name }, null, [
      { kind: "group", key: groupId, body: { ...found.value, name }, planned: found.planned },
    ]);
  }

  async deleteGroup(groupId: string): Promise<void> {
    if (!(await this.planning())) return this.real.deleteGroup(groupId);
    const found = await this.requireGroup(groupId);
    // Its members (pending ones are known by their group_ids) no longer list it.
    const listed = new Set((await this.membersOf(found)).map((member) => member.id));
    for (const user of await this.ledger.all<ZoomUser>("user")) if (user.body?.group_ids?.includes(groupId)) listed.add(user.key);
    const changes: ObjectChange[] = [{ kind: "group", key: groupId, body: null, planned: found.planned }];
    for (const id of listed) {
      const user = await this.findUser(id);
      if (user) changes.push(this.withGroups(user, (ids) => ids.filter((g) => g !== groupId)));
    }
    await this.record({ resourceType: "Group", resourceId: groupId }, { op: "deleteGroup", group: groupId }, "deletion", changes);
  }

  /** The user object with its group ids changed (Zoom shows a user's groups on the user). */
  private withGroups(found: Found<ZoomUser>, change: (ids: string[]) => string[]): ObjectChange {
    const user = found.value;
    return {
      kind: "user",
      key: user.id,
      email: user.email,
      body: { ...user, group_ids: change(user.group_ids ?? []) },
      planned: found.planned,
    };
  }

  private async membersOf(group: Found<ZoomGroup>): Promise<ZoomGroupMember[]> {
    const id = group.value.id;
    const [real, held, users] = await Promise.all([
      group.planned ? Promise.resolve([]) : this.real.listAllGroupMembers(id),
      this.ledger.all<ZoomGroupMember>("member", id),
      this.ledger.all<ZoomUser>("user"),
    ]);
    return overlayMembers(real, held, new Map(users.map((user) => [user.key, user])));
  }

  async listAllGroupMembers(groupId: string): Promise<ZoomGroupMember[]> {
    if (!(await this.overlaid())) return this.real.listAllGroupMembers(groupId);
    return this.membersOf(await this.requireGroup(groupId));
  }

  async listGroupMembers(groupId: string, params: { pageSize?: number; nextPageToken?: string } = {}): Promise<ZoomGroupMemberPage> {
    if (!(await this.overlaid())) return this.real.listGroupMembers(groupId, params);
    const all = await this.listAllGroupMembers(groupId);
    const { items, next, size } = offsetPage(all, params);
    return { members: items, total_records: all.length, page_size: size, ...(next ? { next_page_token: next } : {}) };
  }

  async addGroupMembers(groupId: string, userIds: string[]): Promise<{ ids: string[]; added_at?: string }> {
    if (!(await this.planning())) return this.real.addGroupMembers(groupId, userIds);
    await this.requireGroup(groupId);
    const found: Found<ZoomUser>[] = [];
    for (const id of userIds) {
      const user = await this.requireUser(id);
      // As Zoom: a pending user joins a group through PATCH /users/{userId} {"group_id"}, not here.
      if (user.value.status === "pending")
        throw zoomError(
          400,
          300,
          `User ${user.value.email} is pending and cannot be added to a group.`,
          "POST",
          "/groups/{groupId}/members",
        );
      found.push(user);
    }
    const users = found.map((user) => user.value);
    const changes: ObjectChange[] = found.flatMap((user): ObjectChange[] => [
      { kind: "member", key: user.value.id, parent: groupId, body: memberOf(user.value), planned: false },
      this.withGroups(user, (ids) => [...new Set([...ids, groupId])]),
    ]);
    await this.record(
      { resourceType: "Group", resourceId: groupId },
      { op: "addGroupMembers", group: groupId, users: users.map((user) => user.id) },
      null,
      changes,
    );
    return { ids: users.map((user) => user.id), added_at: new Date().toISOString() };
  }

  async removeGroupMember(groupId: string, userIdOrEmail: string): Promise<void> {
    if (!(await this.planning())) return this.real.removeGroupMember(groupId, userIdOrEmail);
    await this.requireGroup(groupId);
    const user = await this.requireUser(userIdOrEmail);
    await this.record(
      { resourceType: "Group", resourceId: groupId },
      { op: "removeGroupMember", group: groupId, user: user.value.id },
      "group-removal",
      [
        { kind: "member", key: user.value.id, parent: groupId, body: null, planned: false },
        this.withGroups(user, (ids) => ids.filter((g) => g !== groupId)),
      ],
    );
  }

  // ---- Roles

  listRoles(): Promise<ZoomRole[]> {
    return this.real.listRoles();
  }

  private async roleName(roleId: string): Promise<string | undefined> {
    this.roleNames ??= new Map((await this.real.listRoles()).map((role) => [role.id, role.name]));
    return this.roleNames.get(roleId);
  }

  async listAllRoleMembers(roleId: string): Promise<ZoomRoleMember[]> {
    if (!(await this.overlaid())) return this.real.listAllRoleMembers(roleId);
    const [real, held] = await Promise.all([this.real.listAllRoleMembers(roleId), this.ledger.all<ZoomUser>("user")]);
    return overlayRoleMembers(real, held, roleId);
  }

  async assignRole(roleId: string, userIds: string[]): Promise<void> {
    if (!(await this.planning())) return this.real.assignRole(roleId, userIds);
    const roleName = await this.roleName(roleId);
    const changes: ObjectChange[] = [];
    let destructive: DestructiveKind | null = null;
    const ids: string[] = [];
    for (const id of userIds) {
      const found = await this.requireUser(id);
      const user = found.value;
      destructive ??= roleDestructiveness(user.role_id, roleId);
      const after: ZoomUser = { ...user, role_id: roleId, ...(roleName !== undefined ? { role_name: roleName } : {}) };
      changes.push({ kind: "user", key: user.id, email: user.email, body: after, planned: found.planned });
      ids.push(user.id);
    }
    await this.record(
      { resourceType: "User", resourceId: ids[0] ?? roleId },
      { op: "assignRole", role: roleId, users: ids },
      destructive,
      changes,
    );
  }

  async unassignRole(roleId: string, userIdOrEmail: string): Promise<void> {
    if (!(await this.planning())) return this.real.unassignRole(roleId, userIdOrEmail);
    const found = await this.requireUser(userIdOrEmail);
    const after: ZoomUser = { ...found.value, role_id: "2", role_name: "Member" };
    await this.changeUser(
      found,
      { op: "unassignRole", role: roleId, user: found.value.id },
      after,
      roleDestructiveness(found.value.role_id, "2"),
    );
  }

  // ---- for the phone part

  /** Whether writes are planned (throws on a live tenant whose plan is not applied). */
  plans(): Promise<boolean> {
    return this.planning();
  }
}

/** One page of an overlaid list: the token is the offset of the page's first item. */
function offsetPage<T>(
  all: readonly T[],
  params: { pageSize?: number; nextPageToken?: string },
): { items: T[]; next: string; size: number } {
  const size = params.pageSize ?? 30;
  const from = Number(params.nextPageToken ?? 0) || 0;
  return { items: all.slice(from, from + size), next: from + size < all.length ? String(from + size) : "", size };
}
