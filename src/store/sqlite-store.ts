// The embedded store: one SQLite file (WAL mode), migrated on open. better-sqlite3 is synchronous; the
// ResourceStore interface is asynchronous for PostgreSQL (pg-store.ts), which runs the same statements (queries.ts).
// Writes go through the unit of work (sqlite-unit-of-work.ts), so a transaction's statements never interleave with
// other work's.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { migrations } from "./migrations.js";
import { SqlAuditLog } from "./audit-log.js";
import { SqlPreviewPlan } from "./preview-plan.js";
import { SqlCoordination, type LockProvider } from "./coordination.js";
import { SqlStoreHealth } from "./health.js";
import { StoreConflictError } from "./errors.js";
import { KeyedMutex } from "../lib/concurrency.js";
import { SqliteLifecycleStore } from "./sqlite-lifecycle.js";
import { StatementCache } from "./sqlite-statements.js";
import { SqliteUnitOfWork } from "./sqlite-unit-of-work.js";
import { POINT_QUERY_LIMIT, SQL, type SqlValue, resourceValues, resourceWrite, resourcesIn, type ResourceValues } from "./queries.js";
import { emailsById, toIntent, toResource, toTombstone, type IntentRow, type ResourceRow, type TombstoneRow } from "./rows.js";
import type {
  CreateIntent,
  PutOptions,
  ResourceKind,
  ResourceStore,
  ResourceWrite,
  StoredResource,
  StoreTransaction,
  Tombstone,
} from "./types.js";

const BUSY_TIMEOUT_MS = 5000;

/**
 * Applies every migration the database has not recorded, in order, each in its own transaction. Not only those
 * above the highest recorded: versions may land out of order (a database at 7 still gets a 6 added after it).
 */
export function migrate(db: Database.Database): number {
  db.exec(SQL.createSchemaMigrations);
  const applied = new Set((db.prepare(SQL.appliedMigrations).all() as { version: number }[]).map((row) => Number(row.version)));
  for (const migration of migrations) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.prepare(SQL.recordMigration).run(migration.version, migration.description, new Date().toISOString());
    })();
  }
  return migrations.at(-1)?.version ?? 0;
}

export class SqliteStore implements ResourceStore {
  private readonly db: Database.Database;
  private readonly unit: SqliteUnitOfWork;
  readonly lifecycle: SqliteLifecycleStore;
  readonly coordination: SqlCoordination;
  readonly audit: SqlAuditLog;
  readonly plan: SqlPreviewPlan;
  readonly health: SqlStoreHealth;
  private readonly emailsOf: Database.Statement<[string, string], { email: string }>;
  private readonly statements: StatementCache;

  /** `path` is a file path, or ":memory:". Parent folders are created. */
  constructor(path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    migrate(this.db);
    this.statements = new StatementCache(this.db);
    this.unit = new SqliteUnitOfWork(this.db, BUSY_TIMEOUT_MS);
    this.lifecycle = new SqliteLifecycleStore(this.db, this.unit);
    this.emailsOf = this.db.prepare(SQL.emailsOf);
    const executor = {
      dialect: "sqlite" as const,
      rows: <R>(sql: string, params: readonly SqlValue[]) => this.unit.write(() => this.statements.prepare(sql).all(...params) as R[]),
      run: (sql: string, params: readonly SqlValue[]) => this.unit.write(() => this.statements.prepare(sql).run(...params).changes),
    };
    // One process uses an SQLite file (the cross-instance guard aside): its locks are this process's.
    this.coordination = new SqlCoordination(executor, processLock(new KeyedMutex()), false);
    this.audit = new SqlAuditLog(executor);
    this.plan = new SqlPreviewPlan(executor);
    this.health = new SqlStoreHealth(executor, migrations);
  }

  private toResource(row: ResourceRow): StoredResource {
    return toResource(row, row.kind === "User" ? this.emailsOf.all(row.tenant, row.id).map((r) => r.email) : []);
  }

  private rows<R>(sql: string, ...params: unknown[]): R[] {
    return this.statements.prepare(sql).all(...params) as R[];
  }

  private row<R>(sql: string, ...params: unknown[]): R | undefined {
    return this.statements.prepare(sql).get(...params) as R | undefined;
  }

  transaction<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    // One connection: inside the work, this store is the transaction (the unit of work recognises its context).
    return this.unit.run(() => work(this));
  }

  private getNow(tenant: string, kind: ResourceKind, id: string): StoredResource | undefined {
    const row = this.row<ResourceRow>(SQL.getResource, tenant, kind, id);
    return row ? this.toResource(row) : undefined;
  }

  get(tenant: string, kind: ResourceKind, id: string): Promise<StoredResource | undefined> {
    return this.unit.read(() => this.getNow(tenant, kind, id));
  }

  getMany(tenant: string, kind: ResourceKind, ids: readonly string[]): Promise<Map<string, StoredResource>> {
    return this.unit.read(() => {
      const found = new Map<string, StoredResource>();
      if (ids.length === 0) return found;
      const wanted = new Set(ids);
      if (wanted.size <= POINT_QUERY_LIMIT) {
        // A page or a lookup: read just those rows.
        for (const row of this.rows<ResourceRow>(resourcesIn(wanted.size), tenant, kind, ...wanted))
          found.set(row.id, this.toResource(row));
        return found;
      }
      for (const resource of this.listNow(tenant, kind)) if (wanted.has(resource.id)) found.set(resource.id, resource);
      return found;
    });
  }

  list(tenant: string, kind: ResourceKind): Promise<StoredResource[]> {
    return this.unit.read(() => this.listNow(tenant, kind));
  }

  private listNow(tenant: string, kind: ResourceKind): StoredResource[] {
    const rows = this.rows<ResourceRow>(SQL.listResources, tenant, kind);
    if (kind !== "User") return rows.map((row) => this.toResource(row));
    const emails = emailsById(this.rows<{ id: string; email: string }>(SQL.tenantEmails, tenant));
    return rows.map((row) => toResource(row, emails.get(row.id) ?? []));
  }

  findByExternalId(tenant: string, kind: ResourceKind, externalId: string): Promise<StoredResource[]> {
    return this.unit.read(() => this.rows<ResourceRow>(SQL.byExternalId, tenant, kind, externalId).map((row) => this.toResource(row)));
  }

  findUsersByEmail(tenant: string, email: string): Promise<StoredResource[]> {
    const lower = email.toLowerCase();
    return this.unit.read(() => this.rows<ResourceRow>(SQL.usersByEmail, tenant, lower, tenant, lower).map((row) => this.toResource(row)));
  }

  findUsersByUserName(tenant: string, userName: string): Promise<StoredResource[]> {
    const lower = userName.trim().toLowerCase();
    return this.unit.read(() => this.rows<ResourceRow>(SQL.usersByUserName, tenant, lower).map((row) => this.toResource(row)));
  }

  put(write: ResourceWrite, now: Date, options: PutOptions = {}): Promise<StoredResource> {
    const values = resourceValues(write, now);
    return this.unit.write(() => {
      this.writeRow(values, options.expectedVersion);
      if (write.kind === "User") {
        this.statements.prepare(SQL.deleteEmails).run(write.tenant, write.id);
        const insert = this.statements.prepare(SQL.insertEmail);
        for (const value of values.emails) insert.run(write.tenant, write.id, value);
      }
      const stored = this.getNow(write.tenant, write.kind, write.id);
      if (!stored) throw new Error(`store: ${write.kind} ${write.id} vanished during write`);
      return stored;
    });
  }

  /** The row itself: upserted, inserted only if absent, or updated only at the expected version. */
  private writeRow(values: ResourceValues, expected: number | null | undefined): void {
    const { sql, params } = resourceWrite(values, expected);
    if (this.statements.prepare(sql).run(...params).changes > 0) return;
    const found = this.row<{ version: number }>(SQL.resourceVersion, values.tenant, values.kind, values.id);
    throw new StoreConflictError(values.tenant, values.kind, values.id, expected || null, found?.version ?? null);
  }

  remove(tenant: string, kind: ResourceKind, id: string): Promise<void> {
    return this.unit.write(() => {
      this.statements.prepare(SQL.deleteResource).run(tenant, kind, id);
      if (kind === "User") this.statements.prepare(SQL.deleteEmails).run(tenant, id);
    });
  }

  putTombstone(tombstone: Tombstone): Promise<void> {
    return this.unit.write(() => {
      this.db
        .prepare(SQL.upsertTombstone)
        .run(tombstone.tenant, tombstone.kind, tombstone.id, tombstone.email?.toLowerCase() ?? null, tombstone.deletedAt, tombstone.mode);
    });
  }

  getTombstone(tenant: string, kind: ResourceKind, id: string): Promise<Tombstone | undefined> {
    return this.unit.read(() => {
      const row = this.row<TombstoneRow>(SQL.getTombstone, tenant, kind, id);
      return row ? toTombstone(row) : undefined;
    });
  }

  findTombstoneByEmail(tenant: string, email: string): Promise<Tombstone | undefined> {
    return this.unit.read(() => {
      const row = this.row<TombstoneRow>(SQL.tombstoneByEmail, tenant, email.toLowerCase());
      return row ? toTombstone(row) : undefined;
    });
  }

  listTombstoneIds(tenant: string, kind: ResourceKind): Promise<Set<string>> {
    return this.unit.read(() => new Set(this.rows<{ id: string }>(SQL.tombstoneIds, tenant, kind).map((row) => row.id)));
  }

  removeTombstone(tenant: string, kind: ResourceKind, id: string): Promise<void> {
    return this.unit.write(() => {
      this.statements.prepare(SQL.deleteTombstone).run(tenant, kind, id);
    });
  }

  putCreateIntent(intent: Omit<CreateIntent, "createdAt">, now: Date): Promise<void> {
    return this.unit.write(() => {
      this.statements
        .prepare(SQL.insertIntent)
        .run(intent.tenant, intent.email.toLowerCase(), JSON.stringify(intent.request), now.toISOString());
    });
  }

  getCreateIntent(tenant: string, email: string): Promise<CreateIntent | undefined> {
    return this.unit.read(() => {
      const row = this.row<IntentRow>(SQL.getIntent, tenant, email.toLowerCase());
      return row ? toIntent(row) : undefined;
    });
  }

  removeCreateIntent(tenant: string, email: string): Promise<void> {
    return this.unit.write(() => {
      this.statements.prepare(SQL.deleteIntent).run(tenant, email.toLowerCase());
    });
  }

  pruneCreateIntents(before: Date): Promise<number> {
    return this.unit.write(() => this.statements.prepare(SQL.pruneIntents).run(before.toISOString()).changes);
  }

  async close(): Promise<void> {
    // Work under way commits (or rolls back) before the connection goes.
    await this.unit.idle();
    if (this.db.open) this.db.close();
  }
}

function processLock(mutex: KeyedMutex): LockProvider {
  return async (name, work, wait) => {
    if (!wait && mutex.has(name)) return { acquired: false };
    return { acquired: true, value: await mutex.run(name, work) };
  };
}
