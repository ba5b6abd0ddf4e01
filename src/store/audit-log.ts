// The audit trail's table (migration 8), one class for both backends, as coordination.ts is: each store gives it
// a way to run the shared statements. An entry is kept whole as JSON; the columns beside it are for filtering.
import type { SqlExecutor } from "./coordination.js";
import { SQL, auditSelect, type AuditQuery } from "./queries.js";
import { parseObject } from "./rows.js";
import type { AuditEntry, AuditEntryInput, AuditLog } from "./types.js";

export class SqlAuditLog implements AuditLog {
  constructor(private readonly db: SqlExecutor) {}

  async append(entry: AuditEntryInput): Promise<void> {
    await this.db.run(SQL.insertAudit, [
      entry.at,
      entry.tenant,
      entry.resourceId,
      entry.userName?.trim().toLowerCase() ?? null,
      entry.requestId,
      JSON.stringify(entry),
    ]);
  }

  async list(query: AuditQuery): Promise<AuditEntry[]> {
    const { sql, params } = auditSelect(query);
    const rows = await this.db.rows<{ seq: number | string; entry: string }>(sql, params);
    return rows.map((row) => ({ ...(parseObject(row.entry) as unknown as AuditEntryInput), seq: Number(row.seq) }));
  }

  prune(before: Date): Promise<number> {
    return this.db.run(SQL.pruneAudit, [before.toISOString()]);
  }
}
