// The store's typed failures: what a caller can act on rather than report.
import type { ResourceKind } from "./types.js";

/** A guarded write found another version than it expected: someone else wrote the record since it was read. */
export class StoreConflictError extends Error {
  constructor(
    readonly tenant: string,
    readonly kind: ResourceKind,
    readonly id: string,
    readonly expectedVersion: number | null,
    /** The version found, or null when there is no record. */
    readonly actualVersion: number | null,
  ) {
    super(`store: ${kind} ${id} is at version ${actualVersion ?? "none"}, not ${expectedVersion ?? "none"} as expected`);
    this.name = "StoreConflictError";
  }
}

/** The store could not be reached (PostgreSQL down, its connection lost): nothing of the statement was applied. */
export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super("store: the database is unreachable", { cause });
    this.name = "StoreUnavailableError";
  }
}

/** Whether a pg failure is the connection's (SQLSTATE class 08, a server shutting down, a socket error), not the statement's. */
export function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string")
    return code.startsWith("08") || code === "57P01" || code === "57P02" || code === "57P03" || /^E[A-Z]+$/.test(code);
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(error.message);
}
