// The log of API calls (every /v2 and /oauth/token call, never /_sim): a ring buffer with
// increasing sequence numbers, and counters that survive the ring's wrap-around.

export type CallCategory = "light" | "medium" | "heavy" | "oauth";

export interface CallRecord {
  seq: number;
  method: string;
  /** Path without query string, e.g. `/v2/users/abc`. */
  path: string;
  /** Raw query string, possibly "". */
  query: string;
  status: number;
  category: CallCategory;
  /** ISO time the call arrived. */
  at: string;
  /** Route template, e.g. `GET /v2/users/{userId}`; absent for unknown endpoints. */
  operation?: string;
  /** Zoom error code of the answer, when it was an error. */
  code?: number;
  /** The status the call itself came to, when an `applyFirst` fault replaced its answer (`status`). */
  appliedStatus?: number;
  /** The x-zm-trackingid the answer carried. */
  trackingId?: string;
  durationMs: number;
}

export interface CallCounters {
  byCategory: Record<CallCategory, number>;
  byStatus: Record<string, number>;
  byOperation: Record<string, number>;
}

function emptyCounters(): CallCounters {
  return { byCategory: { light: 0, medium: 0, heavy: 0, oauth: 0 }, byStatus: {}, byOperation: {} };
}

export class CallLog {
  private ring: (CallRecord | undefined)[];
  private seq = 0;
  private total = 0;
  private counters = emptyCounters();

  constructor(private limit: number) {
    this.ring = new Array<CallRecord | undefined>(Math.max(1, limit));
  }

  record(entry: Omit<CallRecord, "seq">): void {
    this.seq += 1;
    this.total += 1;
    const rec: CallRecord = { seq: this.seq, ...entry };
    this.ring[this.seq % this.ring.length] = rec;
    const c = this.counters;
    c.byCategory[entry.category] += 1;
    const status = String(entry.status);
    c.byStatus[status] = (c.byStatus[status] ?? 0) + 1;
    const op = entry.operation ?? "unknown";
    c.byOperation[op] = (c.byOperation[op] ?? 0) + 1;
  }

  /** Calls still in the ring with seq > since, oldest first. */
  since(since: number): CallRecord[] {
    const out: CallRecord[] = [];
    const first = Math.max(since + 1, this.seq - this.ring.length + 1, 1);
    for (let s = first; s <= this.seq; s++) {
      const rec = this.ring[s % this.ring.length];
      if (rec && rec.seq === s) out.push(rec);
    }
    return out;
  }

  snapshot(since: number): { total: number; lastSeq: number; counters: CallCounters; calls: CallRecord[] } {
    return { total: this.total, lastSeq: this.seq, counters: this.counters, calls: this.since(since) };
  }

  /** Empties the log; sequence numbers keep increasing so `since` cursors stay valid. */
  clear(): void {
    this.ring = new Array<CallRecord | undefined>(this.ring.length);
    this.total = 0;
    this.counters = emptyCounters();
  }

  resize(limit: number): void {
    if (limit === this.limit) return;
    this.limit = limit;
    const kept = this.since(0).slice(-limit);
    this.ring = new Array<CallRecord | undefined>(Math.max(1, limit));
    for (const rec of kept) this.ring[rec.seq % this.ring.length] = rec;
  }
}
