// The pending-user lifecycle's tables in the PostgreSQL store: the same statements as SQLite's (queries.ts).
import { SQL, claimQueue } from "./queries.js";
import { claimable, idpMemberships, toDeferred, toInvitation, type DeferredRow, type InvitationRow } from "./rows.js";
import type { PgUnitOfWork } from "./pg-unit-of-work.js";
import type {
  DeferredChange,
  DeferredOrigin,
  IdpMemberChange,
  IdpMembership,
  Invitation,
  JsonObject,
  LifecycleStore,
  UserAlias,
} from "./types.js";

export class PgLifecycleStore implements LifecycleStore {
  constructor(private readonly db: PgUnitOfWork) {}

  async getInvitation(tenant: string, id: string): Promise<Invitation | undefined> {
    const row = await this.db.row<InvitationRow>(SQL.getInvitation, [tenant, id]);
    return row ? toInvitation(row) : undefined;
  }

  async findInvitationsByEmail(tenant: string, email: string): Promise<Invitation[]> {
    return (await this.db.rows<InvitationRow>(SQL.invitationsByEmail, [tenant, email.toLowerCase()])).map(toInvitation);
  }

  async listInvitations(tenant: string): Promise<Invitation[]> {
    return (await this.db.rows<InvitationRow>(SQL.listInvitations, [tenant])).map(toInvitation);
  }

  async putInvitation(invitation: Omit<Invitation, "updatedAt">, now: Date): Promise<void> {
    const { tenant, id, state, email, zoomUser } = invitation;
    await this.db.run(SQL.upsertInvitation, [tenant, id, state, email.toLowerCase(), JSON.stringify(zoomUser), now.toISOString()]);
  }

  async removeInvitation(tenant: string, id: string): Promise<void> {
    await this.db.run(SQL.deleteInvitation, [tenant, id]);
  }

  async listDeferredChanges(tenant: string, userId?: string): Promise<DeferredChange[]> {
    const rows =
      userId === undefined
        ? await this.db.rows<DeferredRow>(SQL.deferredOfTenant, [tenant])
        : await this.db.rows<DeferredRow>(SQL.deferredOfUser, [tenant, userId]);
    return rows.map(toDeferred);
  }

  claimDeferredChanges(tenant: string, userId: string, dueBy?: Date): Promise<DeferredChange[]> {
    return this.db.transaction(async () => {
      // Lock first, then read the head as committed: a head skipped because another unit holds it differs.
      const locked = await this.db.rows<DeferredRow>(claimQueue("postgres"), [tenant, userId]);
      const head = await this.db.row<{ seq: string | null }>(SQL.deferredHead, [tenant, userId]);
      return claimable(locked, head?.seq ?? null, dueBy);
    });
  }

  async addDeferredChange(tenant: string, userId: string, change: JsonObject, now: Date, origin?: DeferredOrigin): Promise<DeferredChange> {
    const at = now.toISOString();
    const row = await this.db.row<{ seq: string }>(SQL.insertDeferred, [
      tenant,
      userId,
      JSON.stringify(change),
      at,
      at,
      origin?.requestId ?? null,
      origin?.actor ?? null,
    ]);
    if (!row) throw new Error("store: a deferred change was inserted without a seq");
    return {
      seq: Number(row.seq),
      tenant,
      userId,
      change,
      createdAt: at,
      attempts: 0,
      lastError: null,
      nextAttemptAt: at,
      ...(origin ? { origin } : {}),
    };
  }

  async removeDeferredChange(tenant: string, seq: number): Promise<void> {
    await this.db.run(SQL.deleteDeferred, [tenant, seq]);
  }

  async recordDeferredFailure(tenant: string, seq: number, error: string, nextAttemptAt: Date): Promise<void> {
    await this.db.run(SQL.failDeferred, [error, nextAttemptAt.toISOString(), tenant, seq]);
  }

  listAliases(tenant: string): Promise<UserAlias[]> {
    return this.db.rows<UserAlias>(SQL.listAliases, [tenant]);
  }

  async aliasGeneration(tenant: string): Promise<number> {
    const [row] = await this.db.rows<{ generation: number | string }>(SQL.aliasGeneration, [tenant]);
    return Number(row?.generation ?? 0);
  }

  async putAlias(tenant: string, alias: UserAlias): Promise<void> {
    await this.db.run(SQL.upsertAlias, [tenant, alias.id, alias.zoomId]);
  }

  async removeAlias(tenant: string, id: string): Promise<void> {
    await this.db.run(SQL.deleteAlias, [tenant, id]);
  }

  async listTenants(): Promise<string[]> {
    return (await this.db.rows<{ tenant: string }>(SQL.lifecycleTenants)).map((row) => row.tenant);
  }

  forgetUser(tenant: string, id: string): Promise<void> {
    return this.db.transaction(async () => {
      await this.db.run(SQL.deleteInvitation, [tenant, id]);
      await this.db.run(SQL.deleteDeferredOfUser, [tenant, id]);
      await this.db.run(SQL.deleteAlias, [tenant, id]);
      await this.db.run(SQL.deleteDesiredOfUser, [tenant, id]);
      await this.db.run(SQL.deleteIdpMembersOfUser, [tenant, id]);
    });
  }

  recordIdpMembers(tenant: string, groupId: string, change: IdpMemberChange): Promise<void> {
    return this.db.transaction(async () => {
      if (change.replace) await this.db.run(SQL.deleteIdpMembersOfGroup, [tenant, groupId]);
      await this.db.run(SQL.upsertIdpGroup, [tenant, groupId, change.replace ? 1 : 0]);
      for (const userId of change.add) await this.db.run(SQL.insertIdpMember, [tenant, groupId, userId]);
      for (const userId of change.remove) await this.db.run(SQL.deleteIdpMember, [tenant, groupId, userId]);
    });
  }

  async listIdpMemberships(tenant: string): Promise<IdpMembership[]> {
    return idpMemberships(
      await this.db.rows<{ groupId: string; complete: number }>(SQL.idpGroupsOfTenant, [tenant]),
      await this.db.rows<{ groupId: string; userId: string }>(SQL.idpMembersOfTenant, [tenant]),
    );
  }

  forgetIdpGroup(tenant: string, groupId: string): Promise<void> {
    return this.db.transaction(async () => {
      await this.db.run(SQL.deleteIdpMembersOfGroup, [tenant, groupId]);
      await this.db.run(SQL.deleteIdpGroup, [tenant, groupId]);
    });
  }

  async listDesiredMembers(tenant: string, groupId: string): Promise<string[]> {
    return (await this.db.rows<{ user_id: string }>(SQL.desiredMembersOfGroup, [tenant, groupId])).map((row) => row.user_id);
  }

  async listDesiredGroups(tenant: string, userId: string): Promise<string[]> {
    return (await this.db.rows<{ group_id: string }>(SQL.desiredGroupsOfUser, [tenant, userId])).map((row) => row.group_id);
  }

  listAllDesiredMembers(tenant: string): Promise<{ groupId: string; userId: string }[]> {
    return this.db.rows<{ groupId: string; userId: string }>(SQL.desiredOfTenant, [tenant]);
  }

  async addDesiredMember(tenant: string, groupId: string, userId: string, now: Date): Promise<void> {
    await this.db.run(SQL.insertDesiredMember, [tenant, groupId, userId, now.toISOString()]);
  }

  async removeDesiredMember(tenant: string, groupId: string, userId: string): Promise<void> {
    await this.db.run(SQL.deleteDesiredMember, [tenant, groupId, userId]);
  }

  async removeDesiredMembersOfGroup(tenant: string, groupId: string): Promise<void> {
    await this.db.run(SQL.deleteDesiredOfGroup, [tenant, groupId]);
  }
}
