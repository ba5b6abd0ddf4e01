// The Zoom a preview tenant talks to: reads go to Zoom and come back with the plan laid over them; writes are
// checked as Zoom would check them (the user or group exists, the email or name is free), recorded as plan steps
// with the state they leave, and answered as Zoom would answer, with ids of our own for what the plan creates.
// Nothing is written to Zoom. A live tenant whose plan is not applied yet reads the same way and refuses writes:
// the IdP must keep seeing what it was told until `apply` has made it true.
import { ScimError } from "../../scim/errors.js";
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
import { unlessNotFound } from "../zoom-errors.js";
import { auditPlanned } from "../audit/scope.js";
import type { DestructiveKind } from "../guardrails/destructive.js";
import {
  createdUser,
  membershipChanges,
  overlayRoleMembers,
  overlayUserList,
  roleDestructiveness,
  updateDestructiveness,
  updatedUser,
  withMemberships,
  type MembershipChanges,
} from "./overlay.js";
import type { ObjectChange, PreviewLedger } from "./preview-ledger.js";
import { PreviewGroups } from "./preview-groups.js";
import { PreviewPhone } from "./preview-phone.js";
import { foundOf, offsetPage, plannedId, userNotFound, zoomError, type Found, type PreviewUsers } from "./zoom-answers.js";
import type { PlannedCall } from "./planned-call.js";

/** How long a live tenant trusts "the plan still has unapplied steps" before asking the store again. */
const PLAN_CHECK_MS = 2_000;
const PLAN_PENDING_RETRY_AFTER_SECONDS = 60;
/** Unknown members of one batch looked up one by one; more, and Zoom's lists are read instead. */
const FEW_LOOKUPS = 5;
/** How long Zoom's user lists serve the member batches of a preview (a push's group batches come together). */
const LISTED_USERS_MS = 30_000;

export class PreviewZoom implements ZoomApi, PreviewUsers {
  readonly phone: PreviewPhone;
  private readonly groups: PreviewGroups;
  private drainedAt: number | undefined;
  private checkedAt = 0;
  private roleNames: Map<string, string> | undefined;
  private listed: { at: number; byId: ReadonlyMap<string, ZoomListedUser> } | undefined;

  constructor(
    private readonly real: ZoomApi,
    readonly ledger: PreviewLedger,
    private readonly mode: TenantMode,
  ) {
    this.phone = new PreviewPhone(real.phone, ledger, this);
    this.groups = new PreviewGroups(real, ledger, this);
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
    if (this.drainedAt !== undefined) return false;
    const waiting = await this.ledger.unappliedCount();
    if (waiting === 0) {
      this.drainedAt = Date.now();
      return false;
    }
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
      if (mine) return foundOf(mine);
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
    if (held) return foundOf(held);
    const real = await this.realUser(idOrEmail);
    return real ? { value: real, planned: false } : undefined;
  }

  private realUser(idOrEmail: string): Promise<ZoomUser | undefined> {
    return unlessNotFound(this.real.getUser(idOrEmail));
  }

  async requireUser(idOrEmail: string): Promise<Found<ZoomUser>> {
    const found = await this.findUser(idOrEmail);
    if (!found) throw userNotFound(idOrEmail);
    return found;
  }

  async getUser(idOrEmail: string): Promise<ZoomUser> {
    if (!(await this.overlaid())) return this.real.getUser(idOrEmail);
    const [found, memberships] = await Promise.all([this.requireUser(idOrEmail), this.membershipChanges()]);
    return withMemberships(found.value, memberships);
  }

  async listAllUsers(status: ZoomUserStatus): Promise<ZoomListedUser[]> {
    if (!(await this.overlaid())) return this.real.listAllUsers(status);
    const [real, held, memberships] = await Promise.all([
      this.real.listAllUsers(status),
      this.ledger.all<ZoomUser>("user"),
      this.membershipChanges(),
    ]);
    // Applied to the plan's users before they are listed (a pending one is listed without the id that names it).
    const mine = held.map((user) => (user.body ? { ...user, body: withMemberships(user.body, memberships) } : user));
    return overlayUserList(real, mine, status).map((user) => withMemberships(user, memberships));
  }

  /** The plan's member additions and removals and group deletions (users' group_ids are derived from them). */
  private async membershipChanges(): Promise<MembershipChanges> {
    const [members, groups] = await Promise.all([this.ledger.all<ZoomGroupMember>("member"), this.ledger.all<ZoomGroup>("group")]);
    return membershipChanges(members, groups);
  }

  /**
   * Users as a batch of group members needs them (id, email, names, type, status): the plan's, else Zoom's lists
   * (read once, kept for LISTED_USERS_MS: a large group push costs two list scans, not one read per member),
   * else a read (a pending user, whom Zoom lists without an id). Throws Zoom's 404 for an unknown one.
   */
  async membersToAdd(ids: readonly string[]): Promise<Found<ZoomUser | ZoomListedUser>[]> {
    const held = new Map((await this.ledger.some<ZoomUser>("user", ids)).map((user) => [user.key, user]));
    const unknown = ids.filter((id) => !held.has(id));
    const listed = unknown.length > FEW_LOOKUPS ? await this.listedUsers() : undefined;
    const out: Found<ZoomUser | ZoomListedUser>[] = [];
    for (const id of ids) {
      const mine = held.get(id);
      if (mine) {
        if (!mine.body) throw userNotFound(id);
        out.push({ value: mine.body, planned: mine.planned });
        continue;
      }
      const known = listed?.get(id);
      out.push(known ? { value: known, planned: false } : await this.requireUser(id));
    }
    return out;
  }

  private async listedUsers(): Promise<ReadonlyMap<string, ZoomListedUser>> {
    const now = Date.now();
    if (this.listed && now - this.listed.at < LISTED_USERS_MS) return this.listed.byId;
    const lists = await Promise.all((["active", "inactive"] as const).map((status) => this.real.listAllUsers(status)));
    const byId = new Map(lists.flat().flatMap((user) => (user.id !== undefined ? [[user.id, user] as const] : [])));
    this.listed = { at: now, byId };
    return byId;
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
    const more = update.feature?.zoom_phone !== undefined ? await this.phone.phoneTurned(found, update.feature.zoom_phone) : [];
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

  // ---- Groups (preview-groups.ts)

  getGroup(groupId: string): Promise<ZoomGroup> {
    return this.groups.getGroup(groupId);
  }

  listAllGroups(): Promise<ZoomGroup[]> {
    return this.groups.listAllGroups();
  }

  listGroups(params: { pageSize?: number; nextPageToken?: string } = {}): Promise<ZoomGroupPage> {
    return this.groups.listGroups(params);
  }

  createGroup(name: string): Promise<ZoomGroup> {
    return this.groups.createGroup(name);
  }

  renameGroup(groupId: string, name: string): Promise<void> {
    return this.groups.renameGroup(groupId, name);
  }

  deleteGroup(groupId: string): Promise<void> {
    return this.groups.deleteGroup(groupId);
  }

  listAllGroupMembers(groupId: string): Promise<ZoomGroupMember[]> {
    return this.groups.listAllGroupMembers(groupId);
  }

  listGroupMembers(groupId: string, params: { pageSize?: number; nextPageToken?: string } = {}): Promise<ZoomGroupMemberPage> {
    return this.groups.listGroupMembers(groupId, params);
  }

  addGroupMembers(groupId: string, userIds: string[]): Promise<{ ids: string[]; added_at?: string }> {
    return this.groups.addGroupMembers(groupId, userIds);
  }

  removeGroupMember(groupId: string, userIdOrEmail: string): Promise<void> {
    return this.groups.removeGroupMember(groupId, userIdOrEmail);
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
