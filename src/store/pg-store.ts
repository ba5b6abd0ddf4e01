// The shared store: one PostgreSQL database for several zoom-scim replicas, migrated on open. It runs SQLite's
// statements (queries.ts) and maps rows alike (rows.ts), so both stores answer the same; transactions are
// PostgreSQL's own (read committed), on one pooled client each (pg-unit-of-work.ts).
import pg from "pg";
import { SqlAuditLog } from "./audit-log.js";
import { SqlPreviewPlan } from "./preview-plan.js";
import { SqlCoordination } from "./coordination.js";
import { SqlStoreHealth } from "./health.js";
import { pgMigrations } from "./pg-migrations.js";
import { StoreConflictError } from "./errors.js";
import { pgAdvisoryLock } from "./pg-locks.js";
import { PgLifecycleStore } from "./pg-lifecycle.js";
import { PgUnitOfWork, migratePostgres } from "./pg-unit-of-work.js";
import { POINT_QUERY_LIMIT, SQL, emailsIn, resourceValues, resourceWrite, resourcesIn, type ResourceValues } from "./queries.js";
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

export class PgStore implements ResourceStore {
  readonly lifecycle: PgLifecycleStore;
  readonly coordination: SqlCoordination;
  readonly audit: SqlAuditLog;
  readonly plan: SqlPreviewPlan;
  readonly health: SqlStoreHealth;

  private constructor(
    private readonly db: PgUnitOfWork,
    private readonly lockPool: pg.Pool,
    private readonly tokenLockPool: pg.Pool,
  ) {
    this.lifecycle = new PgLifecycleStore(db);
    const executor = { dialect: "postgres" as const, rows: db.rows.bind(db), run: db.run.bind(db) };
    this.audit = new SqlAuditLog(executor);
    this.plan = new SqlPreviewPlan(executor);
    const locks = pgAdvisoryLock(lockPool);
    // Work under any lock may need the token renewed: its lock has connections of its own, so locks holding every
    // connection of the other pool can never keep the renewal they wait for from starting.
    const tokenLocks = pgAdvisoryLock(tokenLockPool);
    this.coordination = new SqlCoordination(
      executor,
      (name, work, wait) => (name.startsWith("oauth\n") ? tokenLocks : locks)(name, work, wait),
      true,
    );
    this.health = new SqlStoreHealth(executor, pgMigrations);
  }

  /** Connects to `url` (postgres://…), migrates the database, and answers the store. */
  static async open(url: string): Promise<PgStore> {
    const pool = new pg.Pool({ connectionString: url, application_name: "zoom-scim" });
    // An idle client whose connection dropped: the pool replaces it, and the next query reports a lasting problem.
    pool.on("error", () => undefined);
    try {
      await migratePostgres(pool);
    } catch (error) {
      await pool.end();
      throw error;
    }
    // Locks hold a connection each for as long as their work runs: their own pool, so they never starve queries.
    const lockPool = new pg.Pool({ connectionString: url, application_name: "zoom-scim-locks", max: 16 });
    lockPool.on("error", () => undefined);
    const tokenLockPool = new pg.Pool({ connectionString: url, application_name: "zoom-scim-locks", max: 2 });
    tokenLockPool.on("error", () => undefined);
    return new PgStore(new PgUnitOfWork(pool), lockPool, tokenLockPool);
  }

  transaction<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    // Inside the work, this store is the transaction (the unit of work recognises its context).
    return this.db.transaction(() => work(this));
  }

  /** The rows as resources, users with their email values (read in one statement). */
  private async withEmails(tenant: string, rows: ResourceRow[]): Promise<StoredResource[]> {
    const users = [...new Set(rows.filter((row) => row.kind === "User").map((row) => row.id))];
    if (users.length === 0) return rows.map((row) => toResource(row, []));
    const emailRows =
      users.length <= POINT_QUERY_LIMIT
        ? await this.db.rows<{ id: string; email: string }>(emailsIn(users.length), [tenant, ...users])
        : await this.db.rows<{ id: string; email: string }>(SQL.tenantEmails, [tenant]);
    const emails = emailsById(emailRows);
    return rows.map((row) => toResource(row, row.kind === "User" ? (emails.get(row.id) ?? []) : []));
  }

  async get(tenant: string, kind: ResourceKind, id: string): Promise<StoredResource | undefined> {
    const row = await this.db.row<ResourceRow>(SQL.getResource, [tenant, kind, id]);
    if (!row) return undefined;
    const emails = kind === "User" ? await this.db.rows<{ email: string }>(SQL.emailsOf, [tenant, id]) : [];
    return toResource(
      row,
      emails.map((r) => r.email),
    );
  }

  async getMany(tenant: string, kind: ResourceKind, ids: readonly string[]): Promise<Map<string, StoredResource>> {
    const found = new Map<string, StoredResource>();
    if (ids.length === 0) return found;
    const wanted = new Set(ids);
    const resources =
      wanted.size <= POINT_QUERY_LIMIT
        ? await this.withEmails(tenant, await this.db.rows<ResourceRow>(resourcesIn(wanted.size), [tenant, kind, ...wanted]))
        : (await this.list(tenant, kind)).filter((resource) => wanted.has(resource.id));
    for (const resource of resources) found.set(resource.id, resource);
    return found;
  }

  async list(tenant: string, kind: ResourceKind): Promise<StoredResource[]> {
    const rows = await this.db.rows<ResourceRow>(SQL.listResources, [tenant, kind]);
    if (kind !== "User") return rows.map((row) => toResource(row, []));
    const emails = emailsById(await this.db.rows<{ id: string; email: string }>(SQL.tenantEmails, [tenant]));
    return rows.map((row) => toResource(row, emails.get(row.id) ?? []));
  }

  async findByExternalId(tenant: string, kind: ResourceKind, externalId: string): Promise<StoredResource[]> {
    return this.withEmails(tenant, await this.db.rows<ResourceRow>(SQL.byExternalId, [tenant, kind, externalId]));
  }

  async findUsersByEmail(tenant: string, email: string): Promise<StoredResource[]> {
    const lower = email.toLowerCase();
    return this.withEmails(tenant, await this.db.rows<ResourceRow>(SQL.usersByEmail, [tenant, lower, tenant, lower]));
  }

  async findUsersByUserName(tenant: string, userName: string): Promise<StoredResource[]> {
    const lower = userName.trim().toLowerCase();
    return this.withEmails(tenant, await this.db.rows<ResourceRow>(SQL.usersByUserName, [tenant, lower]));
  }

  put(write: ResourceWrite, now: Date, options: PutOptions = {}): Promise<StoredResource> {
    const values = resourceValues(write, now);
    return this.db.transaction(async () => {
      await this.writeRow(values, options.expectedVersion);
      if (write.kind === "User") {
        await this.db.run(SQL.deleteEmails, [write.tenant, write.id]);
        for (const value of values.emails) await this.db.run(SQL.insertEmail, [write.tenant, write.id, value]);
      }
      const stored = await this.get(write.tenant, write.kind, write.id);
      if (!stored) throw new Error(`store: ${write.kind} ${write.id} vanished during write`);
      return stored;
    });
  }

  /** The row itself: upserted, inserted only if absent, or updated only at the expected version. */
  private async writeRow(values: ResourceValues, expected: number | null | undefined): Promise<void> {
    const { sql, params } = resourceWrite(values, expected);
    if ((await this.db.run(sql, params)) > 0) return;
    const found = await this.db.row<{ version: number }>(SQL.resourceVersion, [values.tenant, values.kind, values.id]);
    throw new StoreConflictError(values.tenant, values.kind, values.id, expected || null, found?.version ?? null);
  }

  remove(tenant: string, kind: ResourceKind, id: string): Promise<void> {
    return this.db.transaction(async () => {
      await this.db.run(SQL.deleteResource, [tenant, kind, id]);
      if (kind === "User") await this.db.run(SQL.deleteEmails, [tenant, id]);
    });
  }

  async putTombstone(tombstone: Tombstone): Promise<void> {
    const { tenant, kind, id, email, deletedAt, mode } = tombstone;
    await this.db.run(SQL.upsertTombstone, [tenant, kind, id, email?.toLowerCase() ?? null, deletedAt, mode]);
  }

  async getTombstone(tenant: string, kind: ResourceKind, id: string): Promise<Tombstone | undefined> {
    const row = await this.db.row<TombstoneRow>(SQL.getTombstone, [tenant, kind, id]);
    return row ? toTombstone(row) : undefined;
  }

  async findTombstoneByEmail(tenant: string, email: string): Promise<Tombstone | undefined> {
    const row = await this.db.row<TombstoneRow>(SQL.tombstoneByEmail, [tenant, email.toLowerCase()]);
    return row ? toTombstone(row) : undefined;
  }

  async listTombstoneIds(tenant: string, kind: ResourceKind): Promise<Set<string>> {
    return new Set((await this.db.rows<{ id: string }>(SQL.tombstoneIds, [tenant, kind])).map((row) => row.id));
  }

  async removeTombstone(tenant: string, kind: ResourceKind, id: string): Promise<void> {
    await this.db.run(SQL.deleteTombstone, [tenant, kind, id]);
  }

  async putCreateIntent(intent: Omit<CreateIntent, "createdAt">, now: Date): Promise<void> {
    await this.db.run(SQL.insertIntent, [intent.tenant, intent.email.toLowerCase(), JSON.stringify(intent.request), now.toISOString()]);
  }

  async getCreateIntent(tenant: string, email: string): Promise<CreateIntent | undefined> {
    const row = await this.db.row<IntentRow>(SQL.getIntent, [tenant, email.toLowerCase()]);
    return row ? toIntent(row) : undefined;
  }

  async removeCreateIntent(tenant: string, email: string): Promise<void> {
    await this.db.run(SQL.deleteIntent, [tenant, email.toLowerCase()]);
  }

  pruneCreateIntents(before: Date): Promise<number> {
    return this.db.run(SQL.pruneIntents, [before.toISOString()]);
  }

  /** Work under way commits (or rolls back) before the pool closes. */
  async close(): Promise<void> {
    await this.db.close();
    // Ending the lock connections releases any lock still held.
    await Promise.all([this.lockPool.end(), this.tokenLockPool.end()]);
  }
}
