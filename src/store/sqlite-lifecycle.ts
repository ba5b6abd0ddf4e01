// The pending-user lifecycle's tables (migration 2) in the embedded SQLite store.
import type Database from "better-sqlite3";
import type { SqliteUnitOfWork } from "./sqlite-unit-of-work.js";
import type { DeferredChange, Invitation, InvitationState, JsonObject, LifecycleStore, UserAlias } from "./types.js";

interface InvitationRow {
  tenant: string;
  id: string;
  state: InvitationState;
  email: string;
  zoom_user: string;
  updated_at: string;
}

interface DeferredRow {
  seq: number;
  tenant: string;
  user_id: string;
  change: string;
  created_at: string;
  attempts: number;
  last_error: string | null;
  next_attempt_at: string;
}

function parseObject(text: string): JsonObject {
  const parsed: unknown = JSON.parse(text);
  return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as JsonObject) : {};
}

const toInvitation = (row: InvitationRow): Invitation => ({
  tenant: row.tenant,
  id: row.id,
  state: row.state,
  email: row.email,
  zoomUser: parseObject(row.zoom_user),
  updatedAt: row.updated_at,
});

const toDeferred = (row: DeferredRow): DeferredChange => ({
  seq: row.seq,
  tenant: row.tenant,
  userId: row.user_id,
  change: parseObject(row.change),
  createdAt: row.created_at,
  attempts: row.attempts,
  lastError: row.last_error,
  nextAttemptAt: row.next_attempt_at,
});

export class SqliteLifecycleStore implements LifecycleStore {
  constructor(
    private readonly db: Database.Database,
    private readonly unit: SqliteUnitOfWork,
  ) {}

  getInvitation(tenant: string, id: string): Promise<Invitation | undefined> {
    return this.unit.read(() => {
      const row = this.db.prepare("SELECT * FROM user_invitations WHERE tenant = ? AND id = ?").get(tenant, id) as InvitationRow | undefined;
      return row ? toInvitation(row) : undefined;
    });
  }

  findInvitationsByEmail(tenant: string, email: string): Promise<Invitation[]> {
    return this.unit.read(() => {
      const rows = this.db.prepare("SELECT * FROM user_invitations WHERE tenant = ? AND email = ?").all(tenant, email.toLowerCase()) as InvitationRow[];
      return rows.map(toInvitation);
    });
  }

  listInvitations(tenant: string): Promise<Invitation[]> {
    return this.unit.read(() => (this.db.prepare("SELECT * FROM user_invitations WHERE tenant = ? ORDER BY id").all(tenant) as InvitationRow[]).map(toInvitation));
  }

  putInvitation(invitation: Omit<Invitation, "updatedAt">, now: Date): Promise<void> {
    return this.unit.write(() => {
      this.db
        .prepare(
          `INSERT INTO user_invitations (tenant, id, state, email, zoom_user, updated_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (tenant, id) DO UPDATE SET state = excluded.state, email = excluded.email,
             zoom_user = excluded.zoom_user, updated_at = excluded.updated_at`,
        )
        .run(invitation.tenant, invitation.id, invitation.state, invitation.email.toLowerCase(), JSON.stringify(invitation.zoomUser), now.toISOString());
    });
  }

  removeInvitation(tenant: string, id: string): Promise<void> {
    return this.unit.write(() => {
      this.db.prepare("DELETE FROM user_invitations WHERE tenant = ? AND id = ?").run(tenant, id);
    });
  }

  listDeferredChanges(tenant: string, userId?: string): Promise<DeferredChange[]> {
    return this.unit.read(() => {
      const rows = (
        userId === undefined
          ? this.db.prepare("SELECT * FROM deferred_changes WHERE tenant = ? ORDER BY seq").all(tenant)
          : this.db.prepare("SELECT * FROM deferred_changes WHERE tenant = ? AND user_id = ? ORDER BY seq").all(tenant, userId)
      ) as DeferredRow[];
      return rows.map(toDeferred);
    });
  }

  addDeferredChange(tenant: string, userId: string, change: JsonObject, now: Date): Promise<DeferredChange> {
    const at = now.toISOString();
    return this.unit.write(() => {
      const result = this.db
        .prepare("INSERT INTO deferred_changes (tenant, user_id, change, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?)")
        .run(tenant, userId, JSON.stringify(change), at, at);
      return { seq: Number(result.lastInsertRowid), tenant, userId, change, createdAt: at, attempts: 0, lastError: null, nextAttemptAt: at };
    });
  }

  removeDeferredChange(tenant: string, seq: number): Promise<void> {
    return this.unit.write(() => {
      this.db.prepare("DELETE FROM deferred_changes WHERE tenant = ? AND seq = ?").run(tenant, seq);
    });
  }

  recordDeferredFailure(tenant: string, seq: number, error: string, nextAttemptAt: Date): Promise<void> {
    return this.unit.write(() => {
      this.db
        .prepare("UPDATE deferred_changes SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE tenant = ? AND seq = ?")
        .run(error, nextAttemptAt.toISOString(), tenant, seq);
    });
  }

  listAliases(tenant: string): Promise<UserAlias[]> {
    return this.unit.read(() => this.db.prepare("SELECT id, zoom_id AS zoomId FROM user_aliases WHERE tenant = ?").all(tenant) as UserAlias[]);
  }

  putAlias(tenant: string, alias: UserAlias): Promise<void> {
    return this.unit.write(() => {
      this.db
        .prepare("INSERT INTO user_aliases (tenant, id, zoom_id) VALUES (?, ?, ?) ON CONFLICT (tenant, id) DO UPDATE SET zoom_id = excluded.zoom_id")
        .run(tenant, alias.id, alias.zoomId);
    });
  }

  removeAlias(tenant: string, id: string): Promise<void> {
    return this.unit.write(() => {
      this.db.prepare("DELETE FROM user_aliases WHERE tenant = ? AND id = ?").run(tenant, id);
    });
  }

  listTenants(): Promise<string[]> {
    return this.unit.read(() => {
      const rows = this.db
        .prepare("SELECT tenant FROM user_invitations UNION SELECT tenant FROM deferred_changes ORDER BY tenant")
        .all() as { tenant: string }[];
      return rows.map((row) => row.tenant);
    });
  }

  forgetUser(tenant: string, id: string): Promise<void> {
    return this.unit.write(() => {
      this.db.prepare("DELETE FROM user_invitations WHERE tenant = ? AND id = ?").run(tenant, id);
      this.db.prepare("DELETE FROM deferred_changes WHERE tenant = ? AND user_id = ?").run(tenant, id);
      this.db.prepare("DELETE FROM user_aliases WHERE tenant = ? AND id = ?").run(tenant, id);
    });
  }
}
