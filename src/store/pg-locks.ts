// Locks across replicas: PostgreSQL session advisory locks, each on a connection of its own held while the work
// runs. A replica that dies loses its connection, and the server releases its locks. Keys are the lock's name
// within the current schema (stores in different schemas of one database do not contend).
import type pg from "pg";
import type { LockProvider } from "./coordination.js";
import { StoreUnavailableError, isConnectionFailure } from "./errors.js";

const KEY = "hashtextextended(current_schema() || ':' || $1, 0)";

export function pgAdvisoryLock(pool: pg.Pool): LockProvider {
  return async (name, work, wait) => {
    const client = await pool.connect().catch((error: unknown) => {
      throw isConnectionFailure(error) ? new StoreUnavailableError(error) : error;
    });
    let broken: Error | undefined;
    // A held client whose connection drops reports it here (else the error would be unhandled); the lock is then
    // lost with the session, and the client is not given back to the pool.
    const onError = (error: Error): void => void (broken ??= error);
    client.on("error", onError);
    try {
      if (wait) await client.query(`SELECT pg_advisory_lock(${KEY})`, [name]);
      else {
        const { rows } = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${KEY}) AS ok`, [name]);
        if (rows[0]?.ok !== true) return { acquired: false };
      }
      try {
        const value = await work().catch((error: unknown) => {
          throw new WorkFailed(error);
        });
        return { acquired: true, value };
      } finally {
        await client.query(`SELECT pg_advisory_unlock(${KEY})`, [name]).catch((error: unknown) => {
          // A connection that cannot unlock is destroyed: closing it releases the lock.
          broken = error instanceof Error ? error : new Error(String(error));
        });
      }
    } catch (error) {
      if (error instanceof WorkFailed) throw error.cause;
      broken ??= error instanceof Error ? error : new Error(String(error));
      throw error;
    } finally {
      client.off("error", onError);
      client.release(broken);
    }
  };
}

/** The work's own failure, told apart from the connection's (which is not given back to the pool). */
class WorkFailed extends Error {
  constructor(cause: unknown) {
    super("lock work failed", { cause });
  }
}
