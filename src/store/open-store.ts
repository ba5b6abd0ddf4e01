// Which store ZOOM_SCIM_DB names: a postgres:// or postgresql:// URL is a PostgreSQL database (shared by several
// replicas); anything else is an SQLite file path or ":memory:" (the embedded default).
import { PgStore } from "./pg-store.js";
import { SqliteStore } from "./sqlite-store.js";
import type { ResourceStore } from "./types.js";

export const isPostgresUrl = (location: string): boolean => /^postgres(ql)?:\/\//i.test(location);

/** Opens (and migrates) the store at `location`. */
export async function openStore(location: string): Promise<ResourceStore> {
  return isPostgresUrl(location) ? PgStore.open(location) : new SqliteStore(location);
}
