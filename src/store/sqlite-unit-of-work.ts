// Transactions on the one better-sqlite3 connection. Its calls are synchronous but a unit of work is async (the
// store interface is, for PostgreSQL), so while one is open other async work could slip statements into it:
// every write therefore runs inside a transaction taken through one async mutex, and reads from outside wait for
// an open one (it may still roll back). Work running inside a transaction (found by AsyncLocalStorage) joins it.
import { AsyncLocalStorage } from "node:async_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import type Database from "better-sqlite3";
import { KeyedMutex } from "../lib/concurrency.js";

const KEY = "transaction";
/** How long BEGIN IMMEDIATE keeps trying while another process holds the file's write lock. */
const BEGIN_TIMEOUT_MS = 5_000;

interface Unit {
  open: boolean;
}

const isBusy = (error: unknown): boolean =>
  error instanceof Error && "code" in error && (error.code === "SQLITE_BUSY" || error.code === "SQLITE_LOCKED");

export class SqliteUnitOfWork {
  private readonly mutex = new KeyedMutex();
  private readonly current = new AsyncLocalStorage<Unit>();

  constructor(
    private readonly db: Database.Database,
    private readonly busyTimeoutMs: number,
  ) {}

  /** True inside the work of an open transaction of this connection. */
  inTransaction(): boolean {
    return this.current.getStore()?.open === true;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.inTransaction()) return work();
    return this.mutex.run(KEY, async () => {
      await this.begin();
      const unit: Unit = { open: true };
      try {
        const result = await this.current.run(unit, work);
        this.db.exec("COMMIT");
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec("ROLLBACK");
        throw error;
      } finally {
        // Work the unit started and left running must not think itself inside it any more.
        unit.open = false;
      }
    });
  }

  /** Statements that belong together: in the caller's transaction, else in one of their own. */
  async write<T>(statements: () => T): Promise<T> {
    if (this.inTransaction()) return statements();
    return this.run(async () => statements());
  }

  /** A read: at once, unless another async context has a transaction open (then after it ends). */
  async read<T>(query: () => T): Promise<T> {
    if (this.inTransaction() || !this.mutex.has(KEY)) return query();
    return this.mutex.run(KEY, async () => query());
  }

  /** Waits until no transaction is open (before closing). */
  async idle(): Promise<void> {
    if (!this.inTransaction()) await this.mutex.run(KEY, async () => undefined);
  }

  /**
   * BEGIN IMMEDIATE takes the file's write lock now, so the unit never fails half-way on a lock. Waiting for another
   * process is done here, asynchronously: SQLite's busy timeout would block the event loop (and, with a second
   * connection in this process, the very work that would release the lock).
   */
  private async begin(): Promise<void> {
    const deadline = Date.now() + BEGIN_TIMEOUT_MS;
    for (let wait = 1; ; wait = Math.min(wait * 2, 25)) {
      this.db.pragma("busy_timeout = 0");
      try {
        this.db.exec("BEGIN IMMEDIATE");
        return;
      } catch (error) {
        if (!isBusy(error) || Date.now() > deadline) throw error;
      } finally {
        this.db.pragma(`busy_timeout = ${this.busyTimeoutMs}`);
      }
      await sleep(wait);
    }
  }
}
