// A SCIM user keeps the id it was created with. Zoom gives a new id to the user a re-sent invitation creates
// (after a cancelled or expired one), so the tenant's Zoom client is wrapped: user ids going to Zoom are
// translated to the current Zoom id, and ids coming back to the SCIM id. Every other module keeps one id.
import type { LifecycleStore } from "../../store/types.js";
import type { ZoomApi } from "../../zoom/types.js";

export class UserAliases {
  private readonly toZoom = new Map<string, string>();
  private readonly toScim = new Map<string, string>();
  private loading: Promise<void> | undefined;

  constructor(
    private readonly tenant: string,
    private readonly store: LifecycleStore,
  ) {}

  /** Loads the tenant's aliases once (there are few: one per re-sent invitation). */
  ready(): Promise<void> {
    this.loading ??= this.store.listAliases(this.tenant).then((aliases) => {
      for (const { id, zoomId } of aliases) this.remember(id, zoomId);
    });
    return this.loading;
  }

  zoomId(idOrEmail: string): string {
    return idOrEmail.includes("@") ? idOrEmail : (this.toZoom.get(idOrEmail) ?? idOrEmail);
  }

  scimId(zoomId: string): string {
    return this.toScim.get(zoomId) ?? zoomId;
  }

  /** Records that SCIM user `id` is now Zoom user `zoomId` (the same id needs no alias). */
  async set(id: string, zoomId: string): Promise<void> {
    await this.ready();
    this.forget(id);
    if (id === zoomId) {
      await this.store.removeAlias(this.tenant, id);
      return;
    }
    await this.store.putAlias(this.tenant, { id, zoomId });
    this.remember(id, zoomId);
  }

  /** Called once the Zoom user is gone; the SCIM id then means nothing in Zoom. */
  async remove(id: string): Promise<void> {
    await this.ready();
    this.forget(id);
    await this.store.removeAlias(this.tenant, id);
  }

  private remember(id: string, zoomId: string): void {
    this.toZoom.set(id, zoomId);
    this.toScim.set(zoomId, id);
  }

  private forget(id: string): void {
    const zoomId = this.toZoom.get(id);
    if (zoomId !== undefined) this.toScim.delete(zoomId);
    this.toZoom.delete(id);
  }
}

/** `api` with user ids translated both ways; group and role ids pass unchanged. */
export function aliasedZoomApi(api: ZoomApi, aliases: UserAliases): ZoomApi {
  const z = async (id: string): Promise<string> => {
    await aliases.ready();
    return aliases.zoomId(id);
  };
  const zs = async (ids: string[]): Promise<string[]> => {
    await aliases.ready();
    return ids.map((id) => aliases.zoomId(id));
  };
  const back = async <T extends { id?: string }>(items: T[]): Promise<T[]> => {
    await aliases.ready();
    return items.map((item) => (item.id === undefined ? item : { ...item, id: aliases.scimId(item.id) }));
  };
  return {
    listUsers: async (params) => {
      const page = await api.listUsers(params);
      return { ...page, users: await back(page.users) };
    },
    listAllUsers: async (status) => back(await api.listAllUsers(status)),
    getUser: async (idOrEmail) => {
      const user = await api.getUser(await z(idOrEmail));
      return { ...user, id: aliases.scimId(user.id) };
    },
    // A new user has no alias yet: the caller records one when it stands for an existing SCIM user.
    createUser: (request) => api.createUser(request),
    updateUser: async (idOrEmail, update) => api.updateUser(await z(idOrEmail), update),
    setUserStatus: async (idOrEmail, action) => api.setUserStatus(await z(idOrEmail), action),
    deleteUser: async (idOrEmail, action) => api.deleteUser(await z(idOrEmail), action),
    changeUserEmail: async (idOrEmail, email) => api.changeUserEmail(await z(idOrEmail), email),
    signOutUser: async (idOrEmail) => api.signOutUser(await z(idOrEmail)),

    listGroups: (params) => api.listGroups(params),
    listAllGroups: () => api.listAllGroups(),
    getGroup: (groupId) => api.getGroup(groupId),
    createGroup: (name) => api.createGroup(name),
    renameGroup: (groupId, name) => api.renameGroup(groupId, name),
    deleteGroup: (groupId) => api.deleteGroup(groupId),
    listGroupMembers: async (groupId, params) => {
      const page = await api.listGroupMembers(groupId, params);
      return { ...page, members: await back(page.members) };
    },
    listAllGroupMembers: async (groupId) => back(await api.listAllGroupMembers(groupId)),
    addGroupMembers: async (groupId, userIds) => {
      const added = await api.addGroupMembers(groupId, await zs(userIds));
      return { ...added, ids: added.ids.map((id) => aliases.scimId(id)) };
    },
    removeGroupMember: async (groupId, userIdOrEmail) => api.removeGroupMember(groupId, await z(userIdOrEmail)),

    listRoles: () => api.listRoles(),
    listAllRoleMembers: async (roleId) => back(await api.listAllRoleMembers(roleId)),
    assignRole: async (roleId, userIds) => api.assignRole(roleId, await zs(userIds)),
    unassignRole: async (roleId, userIdOrEmail) => api.unassignRole(roleId, await z(userIdOrEmail)),
  };
}
