// Replica coordination on the store's own tables (migration 4), one class for both backends: each gives it a way
// to run the shared statements (queries.ts) and its own lock. PostgreSQL's BIGINT columns arrive as strings, so
// every number read is passed through Number().
import { SQL, readBudget, reserveBudget, reserveBudgetBy, type Dialect, type SqlValue } from "./queries.js";
import type { BreakerRecord, CoordinationStore, JsonObject, LockOutcome, RateReservationRequest, StoredToken, UserEvent } from "./types.js";

export interface SqlExecutor {
  dialect: Dialect;
  rows<R>(sql: string, params: readonly SqlValue[]): Promise<R[]>;
  run(sql: string, params: readonly SqlValue[]): Promise<number>;
}

/** A lock across the processes sharing the store (or within the one process that uses it). */
export type LockProvider = <T>(name: string, work: () => Promise<T>, wait: boolean) => Promise<LockOutcome<T>>;

type Num = number | string;

export class SqlCoordination implements CoordinationStore {
  constructor(
    private readonly db: SqlExecutor,
    private readonly lock: LockProvider,
    readonly shared: boolean,
  ) {}

  withLock<T>(name: string, work: () => Promise<T>, options: { wait?: boolean } = {}): Promise<LockOutcome<T>> {
    return this.lock(name, work, options.wait ?? true);
  }

  async getToken(appKey: string): Promise<StoredToken | undefined> {
    const [row] = await this.db.rows<{ sealed: string; expires_at: Num; renew_at: Num }>(SQL.getToken, [appKey]);
    return row ? { appKey, sealed: row.sealed, expiresAt: Number(row.expires_at), renewAt: Number(row.renew_at) } : undefined;
  }

  async putToken(token: StoredToken): Promise<void> {
    await this.db.run(SQL.upsertToken, [token.appKey, token.sealed, token.expiresAt, token.renewAt]);
  }

  async dropToken(appKey: string, sealed: string): Promise<void> {
    await this.db.run(SQL.deleteToken, [appKey, sealed]);
  }

  async reserveRate(key: string, nowMs: number, intervalMs: number): Promise<number> {
    let [row] = await this.db.rows<{ tat: Num; paused_until: Num }>(reserveBudget(this.db.dialect), [nowMs, intervalMs, key]);
    if (!row) {
      // The budget's first use: made once, then reserved like any other.
      await this.db.run(SQL.insertBudget, [key]);
      [row] = await this.db.rows<{ tat: Num; paused_until: Num }>(reserveBudget(this.db.dialect), [nowMs, intervalMs, key]);
    }
    if (!row) throw new Error(`store: rate budget ${key} could not be made`);
    // The start is one interval before the new arrival time (a burst of one: see zoom/rate-limiter.ts).
    return Math.max(nowMs, Number(row.paused_until), Number(row.tat) - intervalMs);
  }

  async reserveRateBy(key: string, request: RateReservationRequest): Promise<{ granted: boolean; startMs: number }> {
    const { nowMs, intervalMs, burstMs, latestStartMs } = request;
    const params = [nowMs, intervalMs, key, latestStartMs, nowMs, burstMs, latestStartMs];
    for (let attempt = 0; attempt < 3; attempt++) {
      const [row] = await this.db.rows<{ tat: Num; paused_until: Num }>(reserveBudgetBy(this.db.dialect), params);
      // The start is the new arrival time less one interval and the burst (zoom/rate-budget.ts).
      if (row) return { granted: true, startMs: Math.max(nowMs, Number(row.paused_until), Number(row.tat) - intervalMs - burstMs) };
      const [held] = await this.db.rows<{ tat: Num; paused_until: Num }>(readBudget, [key]);
      if (!held) {
        // The budget's first use: made once, then reserved like any other.
        await this.db.run(SQL.insertBudget, [key]);
        continue;
      }
      const paused = Number(held.paused_until);
      const startMs = Math.max(nowMs, paused, Math.max(Number(held.tat), nowMs, paused) - burstMs);
      if (startMs > latestStartMs) return { granted: false, startMs };
      // The slot came within the bound between the two statements: ask again.
    }
    return { granted: false, startMs: latestStartMs + intervalMs };
  }

  async pauseRate(key: string, untilMs: number): Promise<void> {
    await this.db.run(SQL.insertBudget, [key]);
    await this.db.run(SQL.pauseBudget, [untilMs, untilMs, key]);
  }

  async firstDelivery(tenant: string, signature: string, nowMs: number, forgetBeforeMs: number): Promise<boolean> {
    await this.db.run(SQL.pruneDeliveries, [forgetBeforeMs]);
    return (await this.db.rows(SQL.insertDelivery, [tenant, signature, nowMs])).length > 0;
  }

  async addUserEvent(tenant: string, origin: string, userId: string, state: JsonObject | null, nowMs: number): Promise<void> {
    await this.db.run(SQL.insertUserEvent, [tenant, origin, userId, state === null ? null : JSON.stringify(state), nowMs]);
  }

  async userEventsSince(tenant: string, seq: number): Promise<UserEvent[]> {
    const rows = await this.db.rows<{ seq: Num; origin: string; user_id: string; state: string | null }>(SQL.userEventsSince, [
      tenant,
      seq,
    ]);
    return rows.map((row) => ({
      seq: Number(row.seq),
      origin: row.origin,
      userId: row.user_id,
      state: row.state === null ? null : (JSON.parse(row.state) as JsonObject),
    }));
  }

  async lastUserEvent(tenant: string): Promise<number> {
    const [row] = await this.db.rows<{ seq: Num }>(SQL.lastUserEvent, [tenant]);
    return Number(row?.seq ?? 0);
  }

  async pruneUserEvents(beforeMs: number): Promise<void> {
    await this.db.run(SQL.pruneUserEvents, [beforeMs]);
  }

  async breakerState(tenant: string): Promise<BreakerRecord | undefined> {
    const [row] = await this.db.rows<{ opened_at: Num | null; detail: string | null; released_at: Num | null; released_by: string | null }>(
      SQL.breakerState,
      [tenant],
    );
    if (!row) return undefined;
    return {
      openedAtMs: row.opened_at === null ? null : Number(row.opened_at),
      detail: row.detail,
      releasedAtMs: row.released_at === null ? null : Number(row.released_at),
      releasedBy: row.released_by,
    };
  }

  async breakerChangesSince(tenant: string, sinceMs: number): Promise<number> {
    const [row] = await this.db.rows<{ n: Num }>(SQL.breakerChangesSince, [tenant, sinceMs]);
    return Number(row?.n ?? 0);
  }

  async addBreakerChanges(
    tenant: string,
    nowMs: number,
    kind: string,
    count: number,
    forgetBeforeMs: number,
    ticket: string,
  ): Promise<void> {
    await this.db.run(SQL.pruneBreakerChanges, [tenant, forgetBeforeMs]);
    await this.db.run(SQL.insertBreakerChange, [tenant, nowMs, kind, count, ticket]);
  }

  async removeBreakerChanges(tenant: string, ticket: string): Promise<void> {
    await this.db.run(SQL.deleteBreakerTicket, [tenant, ticket]);
  }

  async openBreaker(tenant: string, nowMs: number, detail: string): Promise<void> {
    await this.db.run(SQL.openBreaker, [tenant, nowMs, detail]);
  }

  async releaseBreaker(tenant: string, nowMs: number, releasedBy: string): Promise<void> {
    await this.db.run(SQL.releaseBreaker, [tenant, nowMs, releasedBy]);
  }
}
