// A group a preview plan created keeps the id the IdP was told: applying the plan records the id Zoom gave it
// (store table group_aliases), and this layer, between the provisioning code and Zoom, turns the IdP's id into
// Zoom's on the way out and Zoom's back into the IdP's on the way in. Without aliases it passes calls straight on.
import type { ResourceStore } from "../../store/types.js";
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
  ZoomPhoneApi,
  ZoomRole,
  ZoomRoleMember,
  ZoomUser,
  ZoomUserPage,
  ZoomUserStatus,
  ZoomUserUpdate,
} from "../../zoom/types.js";

/** How old a shared store's aliases may be when a user's group ids are translated. */
const USER_READ_STALENESS_MS = 1_000;

export class GroupAliases {
  private toZoom = new Map<string, string>();
  private toScim = new Map<string, string>();
  private loadedAt: number | undefined;
  /** The store's alias generation the maps were read at (shared stores). */
  private generation: number | undefined;

  constructor(
    private readonly tenant: string,
    private readonly store: ResourceStore,
  ) {}

  /**
   * Loads the aliases once; with a shared store, every group call checks the store's alias generation (one row;
   * another replica may apply a plan, and an IdP reading a group right after must find it) and reads the aliases
   * again when it moved, as user aliases are. A user's `group_ids` (the hot path of user reads) make do with a
   * check made within the last second.
   */
  private async ready(fresh = true): Promise<void> {
    const now = Date.now();
    if (this.loadedAt !== undefined && (!this.store.coordination.shared || (!fresh && now - this.loadedAt < USER_READ_STALENESS_MS)))
      return;
    const generation = this.store.coordination.shared ? await this.store.lifecycle.aliasGeneration(this.tenant) : undefined;
    if (this.loadedAt === undefined || generation !== this.generation) {
      const aliases = await this.store.plan.listGroupAliases(this.tenant);
      this.toZoom = new Map(aliases.map((alias) => [alias.id, alias.zoomId]));
      this.toScim = new Map(aliases.map((alias) => [alias.zoomId, alias.id]));
      this.generation = generation;
    }
    this.loadedAt = now;
  }

  async zoomId(id: string): Promise<string> {
    await this.ready();
    return this.toZoom.get(id) ?? id;
  }

  /** Translates ids Zoom answered with (aliases loaded: every path calls `zoomId` or `loaded` first). */
  scimId(zoomId: string): string {
    return this.toScim.get(zoomId) ?? zoomId;
  }

  /** Whether any alias exists (most tenants have none: their answers are passed on untouched). */
  async loaded(fresh = true): Promise<boolean> {
    await this.ready(fresh);
    return this.toScim.size > 0;
  }

  /** The group is gone from Zoom: its id means nothing there any more. */
  async drop(id: string): Promise<void> {
    await this.ready();
    const zoomId = this.toZoom.get(id);
    if (zoomId === undefined) return;
    await this.store.plan.removeGroupAlias(this.tenant, id);
    this.toZoom.delete(id);
    this.toScim.delete(zoomId);
  }

  /** Applying a plan created group `id` as Zoom's `zoomId`. */
  async set(id: string, zoomId: string): Promise<void> {
    await this.store.plan.putGroupAlias(this.tenant, id, zoomId);
    await this.ready();
    this.toZoom.set(id, zoomId);
    this.toScim.set(zoomId, id);
  }
}

export class GroupAliasedZoom implements ZoomApi {
  constructor(
    private readonly zoom: ZoomApi,
    private readonly aliases: GroupAliases,
  ) {}

  get phone(): ZoomPhoneApi {
    return this.zoom.phone;
  }

  ensureAccessToken(): Promise<void> {
    return this.zoom.ensureAccessToken();
  }

  private async users<U extends { group_ids?: string[] | undefined }>(users: U[]): Promise<U[]> {
    if (!(await this.aliases.loaded(false))) return users;
    return users.map((user) => (user.group_ids ? { ...user, group_ids: user.group_ids.map((id) => this.aliases.scimId(id)) } : user));
  }

  private async groups(groups: ZoomGroup[]): Promise<ZoomGroup[]> {
    if (!(await this.aliases.loaded())) return groups;
    return groups.map((group) => ({ ...group, id: this.aliases.scimId(group.id) }));
  }

  async listUsers(params: { status: ZoomUserStatus; pageSize?: number; nextPageToken?: string }): Promise<ZoomUserPage> {
    const page = await this.zoom.listUsers(params);
    return { ...page, users: await this.users(page.users) };
  }

  async listAllUsers(status: ZoomUserStatus): Promise<ZoomListedUser[]> {
    return this.users(await this.zoom.listAllUsers(status));
  }

  async getUser(idOrEmail: string): Promise<ZoomUser> {
    const [user] = await this.users([await this.zoom.getUser(idOrEmail)]);
    return user as ZoomUser;
  }

  createUser(request: ZoomCreateUserRequest): Promise<ZoomCreatedUser> {
    return this.zoom.createUser(request);
  }

  async updateUser(idOrEmail: string, update: ZoomUserUpdate): Promise<void> {
    const groupId = update.group_id === undefined ? undefined : await this.aliases.zoomId(update.group_id);
    await this.zoom.updateUser(idOrEmail, groupId === undefined ? update : { ...update, group_id: groupId });
  }

  setUserStatus(idOrEmail: string, action: "activate" | "deactivate"): Promise<void> {
    return this.zoom.setUserStatus(idOrEmail, action);
  }

  deleteUser(idOrEmail: string, action: ZoomDeleteAction): Promise<void> {
    return this.zoom.deleteUser(idOrEmail, action);
  }

  changeUserEmail(idOrEmail: string, email: string): Promise<void> {
    return this.zoom.changeUserEmail(idOrEmail, email);
  }

  signOutUser(idOrEmail: string): Promise<void> {
    return this.zoom.signOutUser(idOrEmail);
  }

  async listGroups(params?: { pageSize?: number; nextPageToken?: string }): Promise<ZoomGroupPage> {
    const page = await this.zoom.listGroups(params);
    return { ...page, groups: await this.groups(page.groups) };
  }

  async listAllGroups(): Promise<ZoomGroup[]> {
    return this.groups(await this.zoom.listAllGroups());
  }

  async getGroup(groupId: string): Promise<ZoomGroup> {
    return { ...(await this.zoom.getGroup(await this.aliases.zoomId(groupId))), id: groupId };
  }

  createGroup(name: string): Promise<ZoomGroup> {
    return this.zoom.createGroup(name);
  }

  async renameGroup(groupId: string, name: string): Promise<void> {
    await this.zoom.renameGroup(await this.aliases.zoomId(groupId), name);
  }

  async deleteGroup(groupId: string): Promise<void> {
    // The alias stays: a preview only plans the delete (apply drops it), and a deleted group's id finds nothing.
    await this.zoom.deleteGroup(await this.aliases.zoomId(groupId));
  }

  async listGroupMembers(groupId: string, params?: { pageSize?: number; nextPageToken?: string }): Promise<ZoomGroupMemberPage> {
    return this.zoom.listGroupMembers(await this.aliases.zoomId(groupId), params);
  }

  async listAllGroupMembers(groupId: string): Promise<ZoomGroupMember[]> {
    return this.zoom.listAllGroupMembers(await this.aliases.zoomId(groupId));
  }

  async addGroupMembers(groupId: string, userIds: string[]): Promise<{ ids: string[]; added_at?: string }> {
    return this.zoom.addGroupMembers(await this.aliases.zoomId(groupId), userIds);
  }

  async removeGroupMember(groupId: string, userIdOrEmail: string): Promise<void> {
    await this.zoom.removeGroupMember(await this.aliases.zoomId(groupId), userIdOrEmail);
  }

  listRoles(): Promise<ZoomRole[]> {
    return this.zoom.listRoles();
  }

  listAllRoleMembers(roleId: string): Promise<ZoomRoleMember[]> {
    return this.zoom.listAllRoleMembers(roleId);
  }

  assignRole(roleId: string, userIds: string[]): Promise<void> {
    return this.zoom.assignRole(roleId, userIds);
  }

  unassignRole(roleId: string, userIdOrEmail: string): Promise<void> {
    return this.zoom.unassignRole(roleId, userIdOrEmail);
  }
}
