// Zoom's user calls in SCIM ids: ids in are translated to the Zoom ids of re-invited users, ids out back. The
// gateway extends this; nothing else calls Zoom's user endpoints.
import type {
  ZoomApi,
  ZoomCreatedUser,
  ZoomCreateUserRequest,
  ZoomDeleteAction,
  ZoomFeatureSettings,
  ZoomPhoneProfileUpdate,
  ZoomPhoneUser,
  ZoomGroupMember,
  ZoomListedUser,
  ZoomRoleMember,
  ZoomUser,
  ZoomUserStatus,
  ZoomUserUpdate,
} from "../../zoom/types.js";
import type { UserAliases } from "./user-aliases.js";

export class ZoomUserCalls {
  constructor(
    protected readonly zoom: ZoomApi,
    protected readonly aliases: UserAliases,
  ) {}

  /** A new Zoom user: its Zoom id is its SCIM id (no alias). */
  createUser(request: ZoomCreateUserRequest): Promise<ZoomCreatedUser> {
    return this.zoom.createUser(request);
  }

  async getUser(idOrEmail: string): Promise<ZoomUser> {
    const { zoom_one_type: zoomOne, ...user } = await this.zoom.getUser(await this.aliases.zoomId(idOrEmail));
    // The plan code as exact digits: a bigint would break every JSON copy of the user (snapshot events, the store).
    const code = zoomOne === undefined || zoomOne === null ? undefined : BigInt(zoomOne).toString();
    return { ...user, id: this.aliases.scimId(user.id), ...(code && code !== "0" ? { zoomOneCode: code } : {}) } as ZoomUser;
  }

  async listAllUsers(status: ZoomUserStatus): Promise<ZoomListedUser[]> {
    return this.aliases.back(await this.zoom.listAllUsers(status));
  }

  async updateUser(id: string, update: ZoomUserUpdate): Promise<void> {
    await this.zoom.updateUser(await this.aliases.zoomId(id), update);
  }

  async setUserStatus(id: string, action: "activate" | "deactivate"): Promise<void> {
    await this.zoom.setUserStatus(await this.aliases.zoomId(id), action);
  }

  async deleteUser(id: string, action: ZoomDeleteAction): Promise<void> {
    await this.zoom.deleteUser(await this.aliases.zoomId(id), action);
  }

  async changeUserEmail(id: string, email: string): Promise<void> {
    await this.zoom.changeUserEmail(await this.aliases.zoomId(id), email);
  }

  async signOutUser(id: string): Promise<void> {
    await this.zoom.signOutUser(await this.aliases.zoomId(id));
  }

  async listAllGroupMembers(groupId: string): Promise<ZoomGroupMember[]> {
    return this.aliases.back(await this.zoom.listAllGroupMembers(groupId));
  }

  /** At most 30 ids a call (the caller splits, to report partial progress); answers the SCIM ids added. */
  async addGroupMembers(groupId: string, ids: readonly string[]): Promise<{ ids: string[] }> {
    const added = await this.zoom.addGroupMembers(groupId, await this.aliases.zoomIds(ids));
    return { ids: added.ids.map((id) => this.aliases.scimId(id)) };
  }

  async removeGroupMember(groupId: string, id: string): Promise<void> {
    await this.zoom.removeGroupMember(groupId, await this.aliases.zoomId(id));
  }

  async listAllRoleMembers(roleId: string): Promise<ZoomRoleMember[]> {
    return this.aliases.back(await this.zoom.listAllRoleMembers(roleId));
  }

  async assignRole(roleId: string, ids: readonly string[]): Promise<void> {
    await this.zoom.assignRole(roleId, await this.aliases.zoomIds(ids));
  }

  async unassignRole(roleId: string, id: string): Promise<void> {
    await this.zoom.unassignRole(roleId, await this.aliases.zoomId(id));
  }

  // ---- Zoom Phone and licence settings of one user

  async getPhoneUser(id: string): Promise<ZoomPhoneUser | undefined> {
    const phone = await this.zoom.phone.getPhoneUser(await this.aliases.zoomId(id));
    return phone ? { ...phone, id: this.aliases.scimId(phone.id) } : undefined;
  }

  async updatePhoneUser(id: string, update: ZoomPhoneProfileUpdate): Promise<void> {
    await this.zoom.phone.updatePhoneUser(await this.aliases.zoomId(id), update);
  }

  async assignCallingPlans(id: string, types: readonly number[]): Promise<void> {
    await this.zoom.phone.assignCallingPlans(await this.aliases.zoomId(id), types);
  }

  async switchCallingPlan(id: string, source: number, target: number): Promise<void> {
    await this.zoom.phone.switchCallingPlan(await this.aliases.zoomId(id), source, target);
  }

  async unassignCallingPlan(id: string, type: number): Promise<void> {
    await this.zoom.phone.unassignCallingPlan(await this.aliases.zoomId(id), type);
  }

  async assignPhoneNumbers(id: string, numbers: readonly string[]): Promise<void> {
    await this.zoom.phone.assignPhoneNumbers(await this.aliases.zoomId(id), numbers);
  }

  async unassignPhoneNumber(id: string, number: string): Promise<void> {
    await this.zoom.phone.unassignPhoneNumber(await this.aliases.zoomId(id), number);
  }

  async getUserFeatures(id: string): Promise<ZoomFeatureSettings> {
    return this.zoom.phone.getUserFeatures(await this.aliases.zoomId(id));
  }

  async updateUserFeatures(id: string, feature: ZoomFeatureSettings): Promise<void> {
    await this.zoom.phone.updateUserFeatures(await this.aliases.zoomId(id), feature);
  }
}
