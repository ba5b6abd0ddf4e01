// The embedded store: one SQLite file (WAL mode), migrated on open. better-sqlite3 is synchronous;
// the ResourceStore interface is asynchronous so PostgreSQL can stand in later. Writes go through the unit of
// work (sqlite-unit-of-work.ts), so that a transaction's statements are never interleaved with other work's.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { migrations } from "./migrations.js";
import { StoreConflictError } from "./errors.js";
import { SqliteLifecycleStore } from "./sqlite-lifecycle.js";
import { SqliteUnitOfWork } from "./sqlite-unit-of-work.js";
import type {
  CreateIntent,
  JsonObject,
  PutOptions,
  ResourceKind,
  ResourceStore,
  ResourceWrite,
  StoredResource,
  StoreTransaction,
  Tombstone,
  DeleteMode,
} from "./types.js";

interface ResourceRow {
  tenant: string;
  kind: ResourceKind;
  id: string;
  external_id: string | null;
  attributes: string;
  email: string | null;
  created: string;
  last_modified: string;
  version: number;
}

interface TombstoneRow {
  tenant: string;
  kind: ResourceKind;
  id: string;
  email: string | null;
  deleted_at: string;
  mode: DeleteMode;
}

interface IntentRow {
  tenant: string;
  email: string;
  request: string;
  created_at: string;
}

const BUSY_TIMEOUT_MS = 5000;

function parseAttributes(text: string): JsonObject {
  const parsed: unknown = JSON.parse(text);
  return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as JsonObject) : {};
}

function rowToResource(row: ResourceRow, emails: string[]): StoredResource {
  return {
    tenant: row.tenant,
    kind: row.kind,
    id: row.id,
    externalId: row.external_id,
    attributes: parseAttributes(row.attributes),
    email: row.email,
    emails,
    created: row.created,
    lastModified: row.last_modified,
    version: row.version,
  };
}

/** Up to this many ids, getMany reads the rows by id (SQLite allows far more bound parameters). */
const POINT_QUERY_LIMIT = 500;

function toTombstone(row: TombstoneRow): Tombstone {
  return { tenant: row.tenant, kind: row.kind, id: row.id, email: row.email, deletedAt: row.deleted_at, mode: row.mode };
}

/** Applies every migration newer than the database's version, each in its own transaction. */
export function migrate(db: Database.Database): number {
  db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)");
  const current = (db.prepare("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations").get() as { v: number }).v;
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.prepare("INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)").run(
        migration.version,
        migration.description,
        new Date().toISOString(),
      );
    })();
  }
  return migrations.at(-1)?.version ?? 0;
}

export class SqliteStore implements ResourceStore {
  private readonly db: Database.Database;
  private readonly unit: SqliteUnitOfWork;
  readonly lifecycle: SqliteLifecycleStore;
  private readonly emailsOf: Database.Statement<[string, string], { email: string }>;

  /** `path` is a file path, or ":memory:". Parent folders are created. */
  constructor(path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    migrate(this.db);
    this.unit = new SqliteUnitOfWork(this.db, BUSY_TIMEOUT_MS);
    this.lifecycle = new SqliteLifecycleStore(this.db, this.unit);
    this.emailsOf = this.db.prepare("SELECT email FROM resource_emails WHERE tenant = ? AND id = ? ORDER BY email");
  }

  private toResource(row: ResourceRow): StoredResource {
    return rowToResource(row, row.kind === "User" ? this.emailsOf.all(row.tenant, row.id).map((r) => r.email) : []);
  }

  transaction<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    // One connection: inside the work, this store is the transaction (the unit of work recognises its context).
    return this.unit.run(() => work(this));
  }

  private getNow(tenant: string, kind: ResourceKind, id: string): StoredResource | undefined {
    const row = this.db.prepare("SELECT * FROM resources WHERE tenant = ? AND kind = ? AND id = ?").get(tenant, kind, id) as
      | ResourceRow
      | undefined;
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
        const rows = this.db
          .prepare(`SELECT * FROM resources WHERE tenant = ? AND kind = ? AND id IN (${[...wanted].map(() => "?").join(", ")})`)
          .all(tenant, kind, ...wanted) as ResourceRow[];
        for (const row of rows) found.set(row.id, this.toResource(row));
        return found;
      }
      // Thousands of ids: one scan of the tenant's rows beats that many point queries.
      for (const resource of this.listNow(tenant, kind)) if (wanted.has(resource.id)) found.set(resource.id, resource);
      return found;
    });
  }

  list(tenant: string, kind: ResourceKind): Promise<StoredResource[]> {
    return this.unit.read(() => this.listNow(tenant, kind));
  }

  private listNow(tenant: string, kind: ResourceKind): StoredResource[] {
    const rows = this.db.prepare("SELECT * FROM resources WHERE tenant = ? AND kind = ?").all(tenant, kind) as ResourceRow[];
    if (kind !== "User") return rows.map((row) => this.toResource(row));
    const emails = new Map<string, string[]>();
    const emailRows = this.db.prepare("SELECT id, email FROM resource_emails WHERE tenant = ?").all(tenant) as { id: string; email: string }[];
    for (const { id, email } of emailRows) {
      const list = emails.get(id);
      if (list) list.push(email);
      else emails.set(id, [email]);
    }
    return rows.map((row) => rowToResource(row, (emails.get(row.id) ?? []).sort()));
  }

  findByExternalId(tenant: string, kind: ResourceKind, externalId: string): Promise<StoredResource[]> {
    return this.unit.read(() => {
      const rows = this.db
        .prepare("SELECT * FROM resources WHERE tenant = ? AND kind = ? AND external_id = ?")
        .all(tenant, kind, externalId) as ResourceRow[];
      return rows.map((row) => this.toResource(row));
    });
  }

  findUsersByEmail(tenant: string, email: string): Promise<StoredResource[]> {
    const lower = email.toLowerCase();
    return this.unit.read(() => {
      const rows = this.db
        .prepare(
          `SELECT * FROM resources WHERE tenant = ? AND kind = 'User' AND (email = ? OR id IN
             (SELECT id FROM resource_emails WHERE tenant = ? AND email = ?))`,
        )
        .all(tenant, lower, tenant, lower) as ResourceRow[];
      return rows.map((row) => this.toResource(row));
    });
  }

  put(write: ResourceWrite, now: Date, options: PutOptions = {}): Promise<StoredResource> {
    const values = {
      ...write,
      email: write.email?.toLowerCase() ?? null,
      attributes: JSON.stringify(write.attributes),
      now: now.toISOString(),
    };
    const emails = [...new Set(write.emails.map((e) => e.toLowerCase()))];
    return this.unit.write(() => {
      this.writeRow(values, options.expectedVersion);
      if (write.kind === "User") {
        this.db.prepare("DELETE FROM resource_emails WHERE tenant = ? AND id = ?").run(write.tenant, write.id);
        const insert = this.db.prepare("INSERT INTO resource_emails (tenant, id, email) VALUES (?, ?, ?)");
        for (const value of emails) insert.run(write.tenant, write.id, value);
      }
      const stored = this.getNow(write.tenant, write.kind, write.id);
      if (!stored) throw new Error(`store: ${write.kind} ${write.id} vanished during write`);
      return stored;
    });
  }

  /** The row itself: upserted, inserted only if absent, or updated only at the expected version. */
  private writeRow(values: Omit<ResourceWrite, "attributes"> & { attributes: string; now: string }, expected: number | null | undefined): void {
    const insert = `INSERT INTO resources (tenant, kind, id, external_id, attributes, email, created, last_modified, version)
      VALUES (@tenant, @kind, @id, @externalId, @attributes, @email, @now, @now, 1)`;
    let changes: number;
    if (expected === undefined) {
      changes = this.db
        .prepare(
          `${insert} ON CONFLICT (tenant, kind, id) DO UPDATE SET
             external_id = excluded.external_id, attributes = excluded.attributes, email = excluded.email,
             last_modified = excluded.last_modified, version = resources.version + 1`,
        )
        .run(values).changes;
    } else if (expected === null || expected === 0) {
      changes = this.db.prepare(`${insert} ON CONFLICT (tenant, kind, id) DO NOTHING`).run(values).changes;
    } else {
      changes = this.db
        .prepare(
          `UPDATE resources SET external_id = @externalId, attributes = @attributes, email = @email,
             last_modified = @now, version = version + 1
           WHERE tenant = @tenant AND kind = @kind AND id = @id AND version = @expected`,
        )
        .run({ ...values, expected }).changes;
    }
    if (changes > 0) return;
    const found = this.db.prepare("SELECT version FROM resources WHERE tenant = ? AND kind = ? AND id = ?").get(values.tenant, values.kind, values.id) as
      | { version: number }
      | undefined;
    throw new StoreConflictError(values.tenant, values.kind, values.id, expected || null, found?.version ?? null);
  }

  remove(tenant: string, kind: ResourceKind, id: string): Promise<void> {
    return this.unit.write(() => {
      this.db.prepare("DELETE FROM resources WHERE tenant = ? AND kind = ? AND id = ?").run(tenant, kind, id);
      if (kind === "User") this.db.prepare("DELETE FROM resource_emails WHERE tenant = ? AND id = ?").run(tenant, id);
    });
  }

  putTombstone(tombstone: Tombstone): Promise<void> {
    return this.unit.write(() => {
      this.db
        .prepare(
          `INSERT INTO tombstones (tenant, kind, id, email, deleted_at, mode) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (tenant, kind, id) DO UPDATE SET email = excluded.email, deleted_at = excluded.deleted_at, mode = excluded.mode`,
        )
        .run(tombstone.tenant, tombstone.kind, tombstone.id, tombstone.email?.toLowerCase() ?? null, tombstone.deletedAt, tombstone.mode);
    });
  }

  getTombstone(tenant: string, kind: ResourceKind, id: string): Promise<Tombstone | undefined> {
    return this.unit.read(() => {
      const row = this.db.prepare("SELECT * FROM tombstones WHERE tenant = ? AND kind = ? AND id = ?").get(tenant, kind, id) as
        | TombstoneRow
        | undefined;
      return row ? toTombstone(row) : undefined;
    });
  }

  findTombstoneByEmail(tenant: string, email: string): Promise<Tombstone | undefined> {
    return this.unit.read(() => {
      const row = this.db
        .prepare("SELECT * FROM tombstones WHERE tenant = ? AND kind = 'User' AND email = ? ORDER BY deleted_at DESC LIMIT 1")
        .get(tenant, email.toLowerCase()) as TombstoneRow | undefined;
      return row ? toTombstone(row) : undefined;
    });
  }

  listTombstoneIds(tenant: string, kind: ResourceKind): Promise<Set<string>> {
    return this.unit.read(() => {
      const rows = this.db.prepare("SELECT id FROM tombstones WHERE tenant = ? AND kind = ?").all(tenant, kind) as { id: string }[];
      return new Set(rows.map((row) => row.id));
    });
  }

  removeTombstone(tenant: string, kind: ResourceKind, id: string): Promise<void> {
    return this.unit.write(() => {
      this.db.prepare("DELETE FROM tombstones WHERE tenant = ? AND kind = ? AND id = ?").run(tenant, kind, id);
    });
  }

  putCreateIntent(intent: Omit<CreateIntent, "createdAt">, now: Date): Promise<void> {
    return this.unit.write(() => {
      this.db
        .prepare(
          `INSERT INTO create_intents (tenant, email, request, created_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (tenant, email) DO NOTHING`,
        )
        .run(intent.tenant, intent.email.toLowerCase(), JSON.stringify(intent.request), now.toISOString());
    });
  }

  getCreateIntent(tenant: string, email: string): Promise<CreateIntent | undefined> {
    return this.unit.read(() => {
      const row = this.db.prepare("SELECT * FROM create_intents WHERE tenant = ? AND email = ?").get(tenant, email.toLowerCase()) as IntentRow | undefined;
      return row ? { tenant: row.tenant, email: row.email, request: parseAttributes(row.request), createdAt: row.created_at } : undefined;
    });
  }

  removeCreateIntent(tenant: string, email: string): Promise<void> {
    return this.unit.write(() => {
      this.db.prepare("DELETE FROM create_intents WHERE tenant = ? AND email = ?").run(tenant, email.toLowerCase());
    });
  }

  pruneCreateIntents(before: Date): Promise<number> {
    return this.unit.write(() => this.db.prepare("DELETE FROM create_intents WHERE created_at < ?").run(before.toISOString()).changes);
  }

  async close(): Promise<void> {
    // Work under way commits (or rolls back) before the connection goes.
    await this.unit.idle();
    if (this.db.open) this.db.close();
  }
}
