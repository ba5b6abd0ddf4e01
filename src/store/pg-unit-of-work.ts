// PostgreSQL's connections, transactions and migrations for pg-store.ts. A unit of work is a real transaction on
// one pooled client; work running inside it (found by AsyncLocalStorage) joins it, anything else runs on the pool
// (one statement, autocommit). Several replicas share the database: migrations run under an advisory lock.
import { AsyncLocalStorage } from "node:async_hooks";
import pg from "pg";
import { pgMigrations } from "./pg-migrations.js";
import { SQL, type SqlValue } from "./queries.js";
import { StoreUnavailableError, isConnectionFailure } from "./errors.js";

/** A lost connection as the store's typed failure; the statement's own errors as they are. */
const unavailable = (error: unknown): never => {
  throw isConnectionFailure(error) ? new StoreUnavailableError(error) : error;
};

interface Unit {
  client: pg.PoolClient;
  open: boolean;
}

/** Held while migrating: replicas starting together migrate one after another (the later ones find nothing to do). */
const MIGRATION_LOCK = 0x7a6f6f6d_5343494dn; // "zoomSCIM"

const numbered = new Map<string, string>();

/** The shared statements' `?` placeholders as PostgreSQL's $1, $2 … (no shared statement has `?` in a literal). */
export function toPostgres(sql: string): string {
  let text = numbered.get(sql);
  if (text === undefined) {
    let n = 0;
    text = sql.replace(/\?/g, () => `$${(n += 1)}`);
    numbered.set(sql, text);
  }
  return text;
}

export class PgUnitOfWork {
  private readonly current = new AsyncLocalStorage<Unit>();
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly pool: pg.Pool) {}

  /** True inside the work of an open transaction of this store. */
  inTransaction(): boolean {
    return this.current.getStore()?.open === true;
  }

  /** One statement: on the open unit's client, else on the pool. */
  async query(sql: string, params: readonly SqlValue[] = []): Promise<pg.QueryResult> {
    const unit = this.current.getStore();
    return (unit?.open ? unit.client : this.pool).query(toPostgres(sql), [...params]).catch(unavailable);
  }

  async rows<R>(sql: string, params: readonly SqlValue[] = []): Promise<R[]> {
    return (await this.query(sql, params)).rows as R[];
  }

  async row<R>(sql: string, params: readonly SqlValue[] = []): Promise<R | undefined> {
    return (await this.rows<R>(sql, params))[0];
  }

  /** Runs a statement and answers how many rows it changed. */
  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return (await this.query(sql, params)).rowCount ?? 0;
  }

  /** Runs `work` in a transaction: the caller's when there is one, else a new one, committed when `work` settles. */
  transaction<T>(work: () => Promise<T>): Promise<T> {
    if (this.inTransaction()) return work();
    const done = this.begin(work);
    const tracked = done.then(
      () => undefined,
      () => undefined,
    );
    this.running.add(tracked);
    void tracked.then(() => this.running.delete(tracked));
    return done;
  }

  private async begin<T>(work: () => Promise<T>): Promise<T> {
    const client = await this.pool.connect().catch(unavailable);
    const unit: Unit = { client, open: true };
    let broken: Error | undefined;
    // A lost connection mid-unit: reported by the next statement; the client is not pooled again.
    const onError = (error: Error): void => void (broken ??= error);
    client.on("error", onError);
    try {
      await client.query("BEGIN");
      const result = await this.current.run(unit, work);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch((rollback: unknown) => {
        // A client that cannot roll back is not given back to the pool for reuse.
        broken = rollback instanceof Error ? rollback : new Error(String(rollback));
      });
      throw error;
    } finally {
      // Work the unit started and left running must not think itself inside it any more.
      unit.open = false;
      client.off("error", onError);
      client.release(broken);
    }
  }

  /** Waits until no transaction is open, then closes the pool. */
  async close(): Promise<void> {
    while (this.running.size > 0 && !this.inTransaction()) await Promise.all(this.running);
    await this.pool.end();
  }
}

/** Applies every migration the database has not recorded, in order, each in its own transaction, under the lock. */
export async function migratePostgres(pool: pg.Pool): Promise<number> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK.toString()]);
    try {
      await client.query(SQL.createSchemaMigrations);
      // Every unrecorded version, not only those above the highest: versions may land out of order.
      const applied = new Set((await client.query<{ version: number }>(SQL.appliedMigrations)).rows.map((row) => Number(row.version)));
      for (const migration of pgMigrations) {
        if (applied.has(migration.version)) continue;
        await client.query("BEGIN");
        try {
          await client.query(migration.sql);
          await client.query(toPostgres(SQL.recordMigration), [migration.version, migration.description, new Date().toISOString()]);
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK");
          throw error;
        }
      }
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK.toString()]);
    }
  } catch (error) {
    broken = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    // A failed client may still hold the lock: destroyed, not pooled, so the server releases it.
    client.release(broken);
  }
  return pgMigrations.at(-1)?.version ?? 0;
}
