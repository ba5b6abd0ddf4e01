// The pending-user lifecycle's tables (migration 2) in the embedded SQLite store.
import type Database from "better-sqlite3";
import { SQL, claimQueue } from "./queries.js";
import { claimable, idpMemberships, toDeferred, toInvitation, type DeferredRow, type InvitationRow } from "./rows.js";
import { StatementCache } from "./sqlite-statements.js";
import type { SqliteUnitOfWork } from "./sqlite-unit-of-work.js";
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

export class SqliteLifecycleStore implements LifecycleStore {
  private readonly statements: StatementCache;

  constructor(
    private readonly db: Database.Database,
    private readonly unit: SqliteUnitOfWork,
  ) {
    this.statements = new StatementCache(db);
  }

  private rows<R>(sql: string, ...params: unknown[]): R[] {
    return this.statements.prepare(sql).all(...params) as R[];
  }

  getInvitation(tenant: string, id: string): Promise<Invitation | undefined> {
    return this.unit.read(() => {
      const row = this.statements.prepare(SQL.getInvitation).get(tenant, id) as InvitationRow | undefined;
      return row ? toInvitation(row) : undefined;
    });
  }

  findInvitationsByEmail(tenant: string, email: string): Promise<Invitation[]> {
    return this.unit.read(() => this.rows<InvitationRow>(SQL.invitationsByEmail, tenant, email.toLowerCase()).map(toInvitation));
  }

  listInvitations(tenant: string): Promise<Invitation[]> {
    return this.unit.read(() => this.rows<InvitationRow>(SQL.listInvitations, tenant).map(toInvitation));
  }

  putInvitation(invitation: Omit<Invitation, "updatedAt">, now: Date): Promise<void> {
    return this.unit.write(() => {
      this.db
        .prepare(SQL.upsertInvitation)
        .run(
          invitation.tenant,
          invitation.id,
          invitation.state,
          invitation.email.toLowerCase(),
          JSON.stringify(invitation.zoomUser),
          now.toISOString(),
        );
    });
  }

  removeInvitation(tenant: string, id: string): Promise<void> {
    return this.unit.write(() => {
      this.statements.prepare(SQL.deleteInvitation).run(tenant, id);
    });
  }

  listDeferredChanges(tenant: string, userId?: string): Promise<DeferredChange[]> {
    return this.unit.read(() =>
      (userId === undefined
        ? this.rows<DeferredRow>(SQL.deferredOfTenant, tenant)
        : this.rows<DeferredRow>(SQL.deferredOfUser, tenant, userId)
      ).map(toDeferred),
    );
  }

  claimDeferredChanges(tenant: string, userId: string, dueBy?: Date): Promise<DeferredChange[]> {
    // The unit's write lock (BEGIN IMMEDIATE) keeps every other claim, in this process or another, out until it ends.
    return this.unit.write(() => {
      const head = this.statements.prepare(SQL.deferredHead).get(tenant, userId) as { seq: number | null };
      return claimable(this.rows<DeferredRow>(claimQueue("sqlite"), tenant, userId), head.seq, dueBy);
    });
  }

  addDeferredChange(tenant: string, userId: string, change: JsonObject, now: Date, origin?: DeferredOrigin): Promise<DeferredChange> {
    const at = now.toISOString();
    return this.unit.write(() => {
      const { seq } = this.statements
        .prepare(SQL.insertDeferred)
        .get(tenant, userId, JSON.stringify(change), at, at, origin?.requestId ?? null, origin?.actor ?? null) as { seq: number };
      return { seq, tenant, userId, change, createdAt: at, attempts: 0, lastError: null, nextAttemptAt: at, ...(origin ? { origin } : {}) };
    });
  }

  removeDeferredChange(tenant: string, seq: number): Promise<void> {
    return this.unit.write(() => {
      this.statements.prepare(SQL.deleteDeferred).run(tenant, seq);
    });
  }

  recordDeferredFailure(tenant: string, seq: number, error: string, nextAttemptAt: Date): Promise<void> {
    return this.unit.write(() => {
      this.statements.prepare(SQL.failDeferred).run(error, nextAttemptAt.toISOString(), tenant, seq);
    });
  }

  listAliases(tenant: string): Promise<UserAlias[]> {
    return this.unit.read(() => this.rows<UserAlias>(SQL.listAliases, tenant));
  }

  aliasGeneration(tenant: string): Promise<number> {
    return this.unit.read(() => Number(this.rows<{ generation: number }>(SQL.aliasGeneration, tenant)[0]?.generation ?? 0));
  }

  putAlias(tenant: string, alias: UserAlias): Promise<void> {
    return this.unit.write(() => {
      this.statements.prepare(SQL.upsertAlias).run(tenant, alias.id, alias.zoomId);
    });
  }

  removeAlias(tenant: string, id: string): Promise<void> {
    return this.unit.write(() => {
      this.statements.prepare(SQL.deleteAlias).run(tenant, id);
    });
  }

  listTenants(): Promise<string[]> {
    return this.unit.read(() => this.rows<{ tenant: string }>(SQL.lifecycleTenants).map((row) => row.tenant));
  }

  forgetUser(tenant: string, id: string): Promise<void> {
    return this.unit.write(() => {
      this.statements.prepare(SQL.deleteInvitation).run(tenant, id);
      this.statements.prepare(SQL.deleteDeferredOfUser).run(tenant, id);
      this.statements.prepare(SQL.deleteAlias).run(tenant, id);
      this.statements.prepare(SQL.deleteDesiredOfUser).run(tenant, id);
      this.statements.prepare(SQL.deleteIdpMembersOfUser).run(tenant, id);
    });
  }

  recordIdpMembers(tenant: string, groupId: string, change: IdpMemberChange): Promise<void> {
    return this.unit.write(() => {
      if (change.replace) this.statements.prepare(SQL.deleteIdpMembersOfGroup).run(tenant, groupId);
      this.statements.prepare(SQL.upsertIdpGroup).run(tenant, groupId, change.replace ? 1 : 0);
      const insert = this.statements.prepare(SQL.insertIdpMember);
      for (const userId of change.add) insert.run(tenant, groupId, userId);
      const remove = this.statements.prepare(SQL.deleteIdpMember);
      for (const userId of change.remove) remove.run(tenant, groupId, userId);
    });
  }

  listIdpMemberships(tenant: string): Promise<IdpMembership[]> {
    return this.unit.read(() =>
      idpMemberships(
        this.rows<{ groupId: string; complete: number }>(SQL.idpGroupsOfTenant, tenant),
        this.rows<{ groupId: string; userId: string }>(SQL.idpMembersOfTenant, tenant),
      ),
    );
  }

  forgetIdpGroup(tenant: string, groupId: string): Promise<void> {
    return this.unit.write(() => {
      this.statements.prepare(SQL.deleteIdpMembersOfGroup).run(tenant, groupId);
      this.statements.prepare(SQL.deleteIdpGroup).run(tenant, groupId);
    });
  }

  listDesiredMembers(tenant: string, groupId: string): Promise<string[]> {
    return this.unit.read(() => this.rows<{ user_id: string }>(SQL.desiredMembersOfGroup, tenant, groupId).map((row) => row.user_id));
  }

  listDesiredGroups(tenant: string, userId: string): Promise<string[]> {
    return this.unit.read(() => this.rows<{ group_id: string }>(SQL.desiredGroupsOfUser, tenant, userId).map((row) => row.group_id));
  }

  listAllDesiredMembers(tenant: string): Promise<{ groupId: string; userId: string }[]> {
    return this.unit.read(() => this.rows<{ groupId: string; userId: string }>(SQL.desiredOfTenant, tenant));
  }

  addDesiredMember(tenant: string, groupId: string, userId: string, now: Date): Promise<void> {
    return this.unit.write(() => {
      this.statements.prepare(SQL.insertDesiredMember).run(tenant, groupId, userId, now.toISOString());
    });
  }

  removeDesiredMember(tenant: string, groupId: string, userId: string): Promise<void> {
    return this.unit.write(() => {
      this.statements.prepare(SQL.deleteDesiredMember).run(tenant, groupId, userId);
    });
  }

  removeDesiredMembersOfGroup(tenant: string, groupId: string): Promise<void> {
    return this.unit.write(() => {
      this.statements.prepare(SQL.deleteDesiredOfGroup).run(tenant, groupId);
    });
  }
}
