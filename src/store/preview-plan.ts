// Preview mode's tables (migration 10), one class for both backends, as audit-log.ts is. The store keeps JSON text
// and never reads it: what a step or an object means is the provisioning layer's (provisioning/preview).
import type { SqlExecutor } from "./coordination.js";
import type { SqlValue } from "./queries.js";
import type { PlanStepRecord, PlanStepState, PreviewObject, PreviewPlanStore } from "./types.js";

type Num = number | string;

interface StepRow {
  seq: Num;
  tenant: string;
  resource_type: string;
  resource_id: string;
  zoom_call: string;
  destructive: string | null;
  category: string;
  touched: Num;
  state: PlanStepState;
  planned_at: string;
  applied_at: string | null;
  result: string | null;
  error: string | null;
}

interface ObjectRow {
  kind: PreviewObject["kind"];
  object_key: string;
  parent: string;
  email: string | null;
  body: string | null;
  planned: Num;
  upto_seq: Num;
}

const toStep = (row: StepRow): PlanStepRecord => ({
  seq: Number(row.seq),
  tenant: row.tenant,
  resourceType: row.resource_type === "Group" ? "Group" : "User",
  resourceId: row.resource_id,
  call: row.zoom_call,
  destructive: row.destructive,
  category: row.category,
  touched: Number(row.touched),
  state: row.state,
  plannedAt: row.planned_at,
  appliedAt: row.applied_at,
  result: row.result,
  error: row.error,
});

const toObject = (row: ObjectRow): PreviewObject => ({
  kind: row.kind,
  key: row.object_key,
  parent: row.parent,
  email: row.email,
  body: row.body,
  planned: Number(row.planned) === 1,
  uptoSeq: Number(row.upto_seq),
});

const OBJECT_COLUMNS = "kind, object_key, parent, email, body, planned, upto_seq";
const STEP_STATES: readonly PlanStepState[] = ["planned", "sending", "done", "failed", "skipped"];
const placeholders = (n: number): string => Array.from({ length: n }, () => "?").join(", ");
/** A user's objects: the user, its phone profile and licence features, and its memberships (key: the user id). */
const USER_KINDS = "('user', 'member', 'phone', 'features')";

export class SqlPreviewPlan implements PreviewPlanStore {
  constructor(private readonly db: SqlExecutor) {}

  async addStep(step: Omit<PlanStepRecord, "seq" | "state" | "appliedAt" | "result" | "error">): Promise<number> {
    const [row] = await this.db.rows<{ seq: Num }>(
      `INSERT INTO plan_steps (tenant, resource_type, resource_id, zoom_call, destructive, category, touched, state, planned_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, 'planned', ?) RETURNING seq`,
      [step.tenant, step.resourceType, step.resourceId, step.call, step.destructive, step.category, step.touched, step.plannedAt],
    );
    if (!row) throw new Error("store: the plan step was not added");
    return Number(row.seq);
  }

  async putObject(tenant: string, object: PreviewObject): Promise<void> {
    await this.db.run(
      `INSERT INTO preview_state (tenant, ${OBJECT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (tenant, kind, parent, object_key) DO UPDATE SET email = excluded.email, body = excluded.body,
          planned = excluded.planned, upto_seq = excluded.upto_seq`,
      [tenant, object.kind, object.key, object.parent, object.email, object.body, object.planned ? 1 : 0, object.uptoSeq],
    );
  }

  async getObject(tenant: string, kind: PreviewObject["kind"], key: string, parent = ""): Promise<PreviewObject | undefined> {
    const [row] = await this.db.rows<ObjectRow>(
      `SELECT ${OBJECT_COLUMNS} FROM preview_state WHERE tenant = ? AND kind = ? AND parent = ? AND object_key = ?`,
      [tenant, kind, parent, key],
    );
    return row ? toObject(row) : undefined;
  }

  async objectsByEmail(tenant: string, kind: PreviewObject["kind"], email: string): Promise<PreviewObject[]> {
    const rows = await this.db.rows<ObjectRow>(
      `SELECT ${OBJECT_COLUMNS} FROM preview_state WHERE tenant = ? AND kind = ? AND email = ?
        ORDER BY CASE WHEN body IS NULL THEN 1 ELSE 0 END, upto_seq DESC`,
      [tenant, kind, email.toLowerCase()],
    );
    return rows.map(toObject);
  }

  async listObjects(tenant: string, kind: PreviewObject["kind"], parent?: string): Promise<PreviewObject[]> {
    const params: SqlValue[] = [tenant, kind];
    if (parent !== undefined) params.push(parent);
    const rows = await this.db.rows<ObjectRow>(
      `SELECT ${OBJECT_COLUMNS} FROM preview_state WHERE tenant = ? AND kind = ?${parent !== undefined ? " AND parent = ?" : ""}
        ORDER BY upto_seq`,
      params,
    );
    return rows.map(toObject);
  }

  async listSteps(
    tenant: string,
    query: { states?: readonly PlanStepState[]; afterSeq?: number; limit?: number; category?: string } = {},
  ): Promise<PlanStepRecord[]> {
    const states = (query.states ?? STEP_STATES).filter((state) => STEP_STATES.includes(state));
    if (states.length === 0) return [];
    const rows = await this.db.rows<StepRow>(
      `SELECT * FROM plan_steps WHERE tenant = ? AND seq > ? AND state IN (${placeholders(states.length)})${query.category !== undefined ? " AND category = ?" : ""}
        ORDER BY seq LIMIT ?`,
      [tenant, query.afterSeq ?? 0, ...states, ...(query.category !== undefined ? [query.category] : []), query.limit ?? 1_000_000],
    );
    return rows.map(toStep);
  }

  async countSteps(tenant: string): Promise<Record<PlanStepState, number>> {
    const rows = await this.db.rows<{ state: PlanStepState; n: Num }>(
      "SELECT state, COUNT(*) AS n FROM plan_steps WHERE tenant = ? GROUP BY state",
      [tenant],
    );
    const counts: Record<PlanStepState, number> = { planned: 0, sending: 0, done: 0, failed: 0, skipped: 0 };
    for (const row of rows) counts[row.state] = Number(row.n);
    return counts;
  }

  async maxSeq(tenant: string, states: readonly PlanStepState[]): Promise<number> {
    if (states.length === 0) return 0;
    const [row] = await this.db.rows<{ seq: Num | null }>(
      `SELECT MAX(seq) AS seq FROM plan_steps WHERE tenant = ? AND state IN (${placeholders(states.length)})`,
      [tenant, ...states],
    );
    return Number(row?.seq ?? 0);
  }

  async sumSteps(
    tenant: string,
    states: readonly PlanStepState[],
  ): Promise<{ category: string; destructive: string | null; touched: number }[]> {
    if (states.length === 0) return [];
    const rows = await this.db.rows<{ category: string; destructive: string | null; touched: Num }>(
      `SELECT category, destructive, SUM(touched) AS touched FROM plan_steps WHERE tenant = ? AND state IN (${placeholders(states.length)})
        GROUP BY category, destructive ORDER BY category, destructive`,
      [tenant, ...states],
    );
    return rows.map((row) => ({ category: row.category, destructive: row.destructive, touched: Number(row.touched) }));
  }

  async getObjects(tenant: string, kind: PreviewObject["kind"], keys: readonly string[]): Promise<PreviewObject[]> {
    const out: PreviewObject[] = [];
    // In chunks: SQLite's and PostgreSQL's limits on bound parameters are far above 500.
    for (let i = 0; i < keys.length; i += 500) {
      const chunk = keys.slice(i, i + 500);
      const rows = await this.db.rows<ObjectRow>(
        `SELECT ${OBJECT_COLUMNS} FROM preview_state WHERE tenant = ? AND kind = ? AND parent = '' AND object_key IN (${placeholders(chunk.length)})`,
        [tenant, kind, ...chunk],
      );
      out.push(...rows.map(toObject));
    }
    return out;
  }

  async skipStep(tenant: string, seq: number, at: string): Promise<boolean> {
    const changed = await this.db.run(
      "UPDATE plan_steps SET state = 'skipped', applied_at = ? WHERE tenant = ? AND seq = ? AND state = 'failed'",
      [at, tenant, seq],
    );
    return changed === 1;
  }

  async rewriteCall(seq: number, call: string): Promise<void> {
    await this.db.run("UPDATE plan_steps SET zoom_call = ? WHERE seq = ?", [call, seq]);
  }

  async markStep(seq: number, state: PlanStepState, at: string, outcome: { result?: string; error?: string } = {}): Promise<void> {
    await this.db.run("UPDATE plan_steps SET state = ?, applied_at = ?, result = COALESCE(?, result), error = ? WHERE seq = ?", [
      state,
      at,
      outcome.result ?? null,
      outcome.error ?? null,
      seq,
    ]);
  }

  async rekeyUser(tenant: string, from: string, to: string): Promise<void> {
    await this.db.run(
      `UPDATE preview_state SET object_key = ?, planned = 0 WHERE tenant = ? AND kind IN ${USER_KINDS} AND object_key = ?`,
      [to, tenant, from],
    );
  }

  async rekeyGroup(tenant: string, from: string, to: string): Promise<void> {
    await this.db.run("UPDATE preview_state SET object_key = ?, planned = 0 WHERE tenant = ? AND kind = 'group' AND object_key = ?", [
      to,
      tenant,
      from,
    ]);
    await this.db.run("UPDATE preview_state SET parent = ? WHERE tenant = ? AND kind = 'member' AND parent = ?", [to, tenant, from]);
  }

  forgetObjectsUpTo(tenant: string, seq: number): Promise<number> {
    return this.db.run("DELETE FROM preview_state WHERE tenant = ? AND upto_seq <= ?", [tenant, seq]);
  }

  async takeLease(tenant: string, holder: string, nowMs: number, expiresAtMs: number): Promise<boolean> {
    const rows = await this.db.rows<{ holder: string }>(
      `INSERT INTO plan_leases (tenant, holder, expires_at) VALUES (?, ?, ?)
        ON CONFLICT (tenant) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
        WHERE plan_leases.holder = excluded.holder OR plan_leases.expires_at < ? RETURNING holder`,
      [tenant, holder, expiresAtMs, nowMs],
    );
    return rows.length === 1;
  }

  async leaseExpiry(tenant: string): Promise<number | undefined> {
    const [row] = await this.db.rows<{ expires_at: Num }>("SELECT expires_at FROM plan_leases WHERE tenant = ?", [tenant]);
    return row ? Number(row.expires_at) : undefined;
  }

  async dropLease(tenant: string, holder: string): Promise<void> {
    await this.db.run("DELETE FROM plan_leases WHERE tenant = ? AND holder = ?", [tenant, holder]);
  }

  listGroupAliases(tenant: string): Promise<{ id: string; zoomId: string }[]> {
    return this.db.rows<{ id: string; zoomId: string }>(`SELECT id, zoom_id AS "zoomId" FROM group_aliases WHERE tenant = ?`, [tenant]);
  }

  async putGroupAlias(tenant: string, id: string, zoomId: string): Promise<void> {
    await this.db.run(
      "INSERT INTO group_aliases (tenant, id, zoom_id) VALUES (?, ?, ?) ON CONFLICT (tenant, id) DO UPDATE SET zoom_id = excluded.zoom_id",
      [tenant, id, zoomId],
    );
  }

  async removeGroupAlias(tenant: string, id: string): Promise<void> {
    await this.db.run("DELETE FROM group_aliases WHERE tenant = ? AND id = ?", [tenant, id]);
  }
}
