// What operators ask of the store, for readiness and metrics: does it answer, has every migration this code knows
// been applied, and how many deferred changes wait. One class for both backends, over the coordination executor.
import type { SqlExecutor } from "./coordination.js";
import type { Migration } from "./migrations.js";
import type { DeferredChangeCount, StoreHealth } from "./types.js";

type Num = number | string;

const APPLIED = "SELECT version FROM schema_migrations";
// One aggregate over the outbox, whatever its size: the index on (tenant, user_id, seq) covers the grouping column.
const DEFERRED_COUNTS =
  "SELECT tenant, CASE WHEN attempts > 0 THEN 'retrying' ELSE 'waiting' END AS state, COUNT(*) AS n " +
  "FROM deferred_changes GROUP BY tenant, CASE WHEN attempts > 0 THEN 'retrying' ELSE 'waiting' END";

export class SqlStoreHealth implements StoreHealth {
  constructor(
    private readonly db: SqlExecutor,
    private readonly migrations: readonly Migration[],
  ) {}

  async missingMigrations(): Promise<number[]> {
    const rows = await this.db.rows<{ version: Num }>(APPLIED, []);
    const applied = new Set(rows.map((row) => Number(row.version)));
    return this.migrations.map((m) => m.version).filter((version) => !applied.has(version));
  }

  async deferredChangeCounts(): Promise<DeferredChangeCount[]> {
    const rows = await this.db.rows<{ tenant: string; state: string; n: Num }>(DEFERRED_COUNTS, []);
    return rows.map((row) => ({ tenant: row.tenant, state: row.state === "retrying" ? "retrying" : "waiting", count: Number(row.n) }));
  }
}
