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
