// The groups of a preview tenant: Zoom's, with the plan's creates, renames, deletions and member changes laid over
// them; writes checked as Zoom checks them (the group exists, the name is free, a pending user joins through its
// invitation) and planned. A user's groups show on the user too (its group_ids), as Zoom shows them.
import type { ZoomApi, ZoomGroup, ZoomGroupMember, ZoomGroupMemberPage, ZoomGroupPage, ZoomUser } from "../../zoom/types.js";
import { unlessNotFound } from "../zoom-errors.js";
import { memberOf, overlayGroups, overlayMembers } from "./overlay.js";
import type { ObjectChange, PreviewLedger } from "./preview-ledger.js";
import { foundOf, groupNotFound, offsetPage, plannedId, zoomError, type Found, type PreviewUsers } from "./zoom-answers.js";

export class PreviewGroups {
  constructor(
    private readonly real: ZoomApi,
    private readonly ledger: PreviewLedger,
    private readonly users: PreviewUsers,
  ) {}

  private async findGroup(id: string): Promise<Found<ZoomGroup> | undefined> {
    const held = await this.ledger.get<ZoomGroup>("group", id);
    if (held) return foundOf(held);
    const real = await unlessNotFound(this.real.getGroup(id));
    return real ? { value: real, planned: false } : undefined;
  }

  private async requireGroup(id: string): Promise<Found<ZoomGroup>> {
    const found = await this.findGroup(id);
    if (!found) throw groupNotFound(id);
    return found;
  }

  async getGroup(groupId: string): Promise<ZoomGroup> {
    if (!(await this.users.overlaid())) return this.real.getGroup(groupId);
    const found = await this.requireGroup(groupId);
    const touched = found.planned || (await this.ledger.all("member", groupId)).length > 0;
    return touched ? { ...found.value, total_members: (await this.membersOf(found)).length } : found.value;
  }

  async listAllGroups(): Promise<ZoomGroup[]> {
    if (!(await this.users.overlaid())) return this.real.listAllGroups();
    const [real, held] = await Promise.all([this.real.listAllGroups(), this.ledger.all<ZoomGroup>("group")]);
    return overlayGroups(real, held);
  }

  async listGroups(params: { pageSize?: number; nextPageToken?: string } = {}): Promise<ZoomGroupPage> {
    if (!(await this.users.overlaid())) return this.real.listGroups(params);
    const all = await this.listAllGroups();
    const { items, next } = offsetPage(all, params);
    return { groups: items, total_records: all.length, ...(next ? { next_page_token: next } : {}) };
  }

  private async nameTaken(name: string, except?: string): Promise<boolean> {
    const lower = name.toLowerCase();
    return (await this.listAllGroups()).some((group) => group.id !== except && group.name.toLowerCase() === lower);
  }

  async createGroup(name: string): Promise<ZoomGroup> {
    if (!(await this.users.plans())) return this.real.createGroup(name);
    if (await this.nameTaken(name)) throw zoomError(409, 4132, `The group name "${name}" is already in use.`, "POST", "/groups");
    const id = plannedId();
    const group: ZoomGroup = { id, name, total_members: 0 };
    await this.users.record({ resourceType: "Group", resourceId: id }, { op: "createGroup", id, name }, null, [
      { kind: "group", key: id, body: group, planned: true },
    ]);
    return group;
  }

  async renameGroup(groupId: string, name: string): Promise<void> {
    if (!(await this.users.plans())) return this.real.renameGroup(groupId, name);
    const found = await this.requireGroup(groupId);
    if (await this.nameTaken(name, groupId))
      throw zoomError(409, 4132, `Group name ${name} is already in use.`, "PATCH", "/groups/{groupId}");
    await this.users.record({ resourceType: "Group", resourceId: groupId }, { op: "renameGroup", group: groupId, name }, null, [
      { kind: "group", key: groupId, body: { ...found.value, name }, planned: found.planned },
    ]);
  }

  async deleteGroup(groupId: string): Promise<void> {
    if (!(await this.users.plans())) return this.real.deleteGroup(groupId);
    const found = await this.requireGroup(groupId);
    // Its members' group_ids drop it when read (preview-zoom.ts derives them from the plan's groups).
    await this.users.record({ resourceType: "Group", resourceId: groupId }, { op: "deleteGroup", group: groupId }, "deletion", [
      { kind: "group", key: groupId, body: null, planned: found.planned },
    ]);
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
    if (!(await this.users.overlaid())) return this.real.listAllGroupMembers(groupId);
    return this.membersOf(await this.requireGroup(groupId));
  }

  async listGroupMembers(groupId: string, params: { pageSize?: number; nextPageToken?: string } = {}): Promise<ZoomGroupMemberPage> {
    if (!(await this.users.overlaid())) return this.real.listGroupMembers(groupId, params);
    const all = await this.listAllGroupMembers(groupId);
    const { items, next, size } = offsetPage(all, params);
    return { members: items, total_records: all.length, page_size: size, ...(next ? { next_page_token: next } : {}) };
  }

  async addGroupMembers(groupId: string, userIds: string[]): Promise<{ ids: string[]; added_at?: string }> {
    if (!(await this.users.plans())) return this.real.addGroupMembers(groupId, userIds);
    await this.requireGroup(groupId);
    const found = await this.users.membersToAdd(userIds);
    const users = found.map((user) => user.value);
    // As Zoom: a pending user joins a group through PATCH /users/{userId} {"group_id"}, not here.
    const pending = users.find((user) => user.status === "pending");
    if (pending)
      throw zoomError(400, 300, `User ${pending.email} is pending and cannot be added to a group.`, "POST", "/groups/{groupId}/members");
    // Users that are not pending are listed with their id; the id asked stands in should one lack it.
    const ids = users.map((user, i) => user.id ?? (userIds[i] as string));
    const changes: ObjectChange[] = users.map((user, i) => ({
      kind: "member",
      key: ids[i] as string,
      parent: groupId,
      body: memberOf({ ...user, id: ids[i] as string }),
      planned: false,
    }));
    await this.users.record(
      { resourceType: "Group", resourceId: groupId },
      { op: "addGroupMembers", group: groupId, users: ids },
      null,
      changes,
    );
    return { ids, added_at: new Date().toISOString() };
  }

  async removeGroupMember(groupId: string, userIdOrEmail: string): Promise<void> {
    if (!(await this.users.plans())) return this.real.removeGroupMember(groupId, userIdOrEmail);
    await this.requireGroup(groupId);
    const user = await this.users.requireUser(userIdOrEmail);
    await this.users.record(
      { resourceType: "Group", resourceId: groupId },
      { op: "removeGroupMember", group: groupId, user: user.value.id },
      "group-removal",
      [{ kind: "member", key: user.value.id, parent: groupId, body: null, planned: false }],
    );
  }
}
