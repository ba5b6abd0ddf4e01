// The store on both backends (SQLite file, PostgreSQL database; test/helpers/stores.ts): migrations, writes,
// lookups, tombstones, the pending lifecycle, and survival across reopen.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import { migrations } from "../../src/store/migrations.js";
import { isPostgresUrl, openStore } from "../../src/store/open-store.js";
import { pgMigrations } from "../../src/store/pg-migrations.js";
import { PgStore } from "../../src/store/pg-store.js";
import { SqliteStore } from "../../src/store/sqlite-store.js";
import { storeBackends } from "../helpers/stores.js";

const backends = storeBackends();

for (const backend of backends) {
  describe(`store on ${backend.name}`, () => {
    it("migrates a new database to the latest version, once", async () => {
      const location = await backend.location("migrate");
      await (await backend.open(location)).close();
      await (await backend.open(location)).close();
      const versions = await backend.query<{ version: number }>(location, "SELECT version FROM schema_migrations ORDER BY version");
      assert.deepEqual(
        versions.map((v) => v.version),
        migrations.map((m) => m.version),
      );
    });

    it("applies a version it has not recorded even below the highest recorded one (versions land out of order)", async () => {
      const location = await backend.location("out-of-order");
      await (await backend.open(location)).close();
      // As a database migrated by a build that had 5 and 7 but not yet 4: 4's tables and record are not there.
      await backend.query(location, "DROP TABLE oauth_tokens");
      await backend.query(location, "DROP TABLE rate_budgets");
      await backend.query(location, "DROP TABLE webhook_deliveries");
      await backend.query(location, "DROP TABLE user_events");
      await backend.query(location, "DELETE FROM schema_migrations WHERE version = 4");
      const store = await backend.open(location);
      await store.coordination.addUserEvent("t", "replica", "u1", null, Date.now());
      assert.equal(await store.coordination.lastUserEvent("t"), 1, "version 4's tables are back");
      await store.close();
      const versions = await backend.query<{ version: number }>(location, "SELECT version FROM schema_migrations ORDER BY version");
      assert.deepEqual(
        versions.map((v) => v.version),
        migrations.map((m) => m.version),
      );
    });

    it("writes, bumps versions, finds by externalId and email, and keeps it all across reopen", async () => {
      const location = await backend.location("data");
      const store = await backend.open(location);
      const first = await store.put(
        {
          tenant: "t1",
          kind: "User",
          id: "u1",
          externalId: "ext-1",
          attributes: { scim: { nickName: "Bob" } },
          email: "Bob@Example.com",
          emails: ["bob@example.com", "Robert@Other.org"],
        },
        new Date("2026-01-01T00:00:00Z"),
      );
      assert.equal(first.version, 1);
      assert.equal(first.email, "bob@example.com");
      const second = await store.put({ ...first, externalId: "ext-2", tenant: "t1", kind: "User" }, new Date("2026-01-02T00:00:00Z"));
      assert.equal(second.version, 2);
      assert.equal(second.created, "2026-01-01T00:00:00.000Z");
      assert.equal(second.lastModified, "2026-01-02T00:00:00.000Z");
      await store.put(
        { tenant: "t2", kind: "User", id: "u1", externalId: "ext-2", attributes: {}, email: "other@example.com", emails: [] },
        new Date(),
      );
      await store.put(
        { tenant: "t1", kind: "Group", id: "g1", externalId: "ext-2", attributes: { a: [1] }, email: null, emails: [] },
        new Date(),
      );
      await store.close();

      const reopened = await backend.open(location);
      assert.deepEqual(
        (await reopened.findByExternalId("t1", "User", "ext-2")).map((r) => r.id),
        ["u1"],
      );
      assert.deepEqual((await reopened.findByExternalId("t1", "User", "ext-2"))[0]?.emails, ["bob@example.com", "robert@other.org"]);
      assert.equal((await reopened.findByExternalId("t1", "User", "ext-1")).length, 0);
      assert.deepEqual(
        (await reopened.findByExternalId("t1", "Group", "ext-2")).map((r) => [r.id, r.attributes, r.emails]),
        [["g1", { a: [1] }, []]],
      );
      assert.deepEqual(
        (await reopened.findUsersByEmail("t1", "ROBERT@other.org")).map((r) => r.id),
        ["u1"],
      );
      assert.equal((await reopened.findUsersByEmail("t2", "robert@other.org")).length, 0, "tenants never see each other's records");
      const got = await reopened.get("t1", "User", "u1");
      assert.deepEqual(got?.attributes, { scim: { nickName: "Bob" } });
      assert.deepEqual(got?.emails, ["bob@example.com", "robert@other.org"]);
      assert.equal((await reopened.getMany("t1", "User", ["u1", "nope"])).size, 1);
      const many = Array.from({ length: 600 }, (_, i) => `other-${i}`).concat("u1");
      assert.deepEqual([...(await reopened.getMany("t1", "User", many)).keys()], ["u1"], "a large id set reads by scan, same answer");
      assert.deepEqual((await reopened.getMany("t1", "User", ["u1"])).get("u1")?.emails, ["bob@example.com", "robert@other.org"]);
      assert.deepEqual(
        (await reopened.list("t1", "User")).map((r) => [r.id, r.emails]),
        [["u1", ["bob@example.com", "robert@other.org"]]],
      );
      await reopened.remove("t1", "User", "u1");
      assert.equal(await reopened.get("t1", "User", "u1"), undefined);
      assert.deepEqual(await reopened.findUsersByEmail("t1", "robert@other.org"), [], "a removed user's emails go with it");
      await reopened.close();
    });

    it("keeps tombstones by id and by email", async () => {
      const store = await backend.open(await backend.location("tombstones"));
      await store.putTombstone({
        tenant: "t",
        kind: "User",
        id: "u9",
        email: "Gone@Example.com",
        deletedAt: "2026-01-01T00:00:00Z",
        mode: "deactivate",
      });
      await store.putTombstone({
        tenant: "t",
        kind: "User",
        id: "u8",
        email: "gone@example.com",
        deletedAt: "2026-01-02T00:00:00Z",
        mode: "delete",
      });
      assert.equal((await store.getTombstone("t", "User", "u9"))?.mode, "deactivate");
      assert.equal((await store.findTombstoneByEmail("t", "GONE@example.com"))?.id, "u8", "the latest deletion of that email");
      assert.deepEqual([...(await store.listTombstoneIds("t", "User"))].sort(), ["u8", "u9"]);
      await store.removeTombstone("t", "User", "u9");
      assert.equal(await store.getTombstone("t", "User", "u9"), undefined);
      await store.close();
    });

    it("keeps invitations, deferred changes in order with their failures, and aliases, per tenant", async () => {
      const location = await backend.location("lifecycle");
      const store = await backend.open(location);
      const life = store.lifecycle;
      await life.putInvitation(
        { tenant: "t", id: "u1", state: "pending", email: "U1@Example.com", zoomUser: { first_name: "U" } },
        new Date("2026-01-01T00:00:00Z"),
      );
      await life.putInvitation(
        { tenant: "t", id: "u1", state: "expired", email: "u1@example.com", zoomUser: { first_name: "U" } },
        new Date("2026-01-02T00:00:00Z"),
      );
      const a = await life.addDeferredChange("t", "u1", { title: "A" }, new Date("2026-01-01T00:00:00Z"));
      const b = await life.addDeferredChange("t", "u1", { title: "B" }, new Date("2026-01-01T00:00:01Z"));
      assert.equal(typeof a.seq, "number");
      assert.ok(b.seq > a.seq, "seq orders acceptance");
      await life.addDeferredChange("t2", "u1", { title: "other tenant" }, new Date());
      await life.recordDeferredFailure("t", a.seq, "Zoom is unavailable", new Date("2026-01-01T00:05:00Z"));
      await life.putAlias("t", { id: "u1", zoomId: "z9" });
      await store.close();

      const reopened = await backend.open(location);
      const again = reopened.lifecycle;
      assert.deepEqual(
        (await again.findInvitationsByEmail("t", "u1@EXAMPLE.com")).map((i) => [i.id, i.state, i.updatedAt]),
        [["u1", "expired", "2026-01-02T00:00:00.000Z"]],
      );
      assert.deepEqual((await again.getInvitation("t", "u1"))?.zoomUser, { first_name: "U" });
      const changes = await again.listDeferredChanges("t", "u1");
      assert.deepEqual(
        changes.map((c) => [c.seq, c.change.title, c.attempts, c.lastError, c.nextAttemptAt]),
        [
          [a.seq, "A", 1, "Zoom is unavailable", "2026-01-01T00:05:00.000Z"],
          [b.seq, "B", 0, null, "2026-01-01T00:00:01.000Z"],
        ],
      );
      assert.deepEqual(await again.listAliases("t"), [{ id: "u1", zoomId: "z9" }]);
      assert.deepEqual(await again.listTenants(), ["t", "t2"]);
      await again.removeDeferredChange("t", a.seq);
      assert.deepEqual(
        (await again.listDeferredChanges("t")).map((c) => c.seq),
        [b.seq],
      );
      await again.forgetUser("t", "u1");
      assert.equal(await again.getInvitation("t", "u1"), undefined);
      assert.deepEqual(await again.listDeferredChanges("t"), []);
      assert.deepEqual(await again.listAliases("t"), []);
      assert.equal((await again.listDeferredChanges("t2")).length, 1, "tenants never see each other's records");
      await reopened.close();
    });

    it("orders text byte-wise, as SQLite does", async () => {
      const store = await backend.open(await backend.location("collation"));
      for (const id of ["b", "B", "a", "_", "A", "é"]) {
        await store.lifecycle.putInvitation({ tenant: "t", id, state: "pending", email: `${id}@x`, zoomUser: {} }, new Date());
      }
      assert.deepEqual(
        (await store.lifecycle.listInvitations("t")).map((i) => i.id),
        ["A", "B", "_", "a", "b", "é"],
      );
      await store.close();
    });
  });
}

describe("store backends", () => {
  it("ZOOM_SCIM_DB names PostgreSQL by a postgres:// or postgresql:// URL, SQLite by anything else", async () => {
    assert.deepEqual(
      [
        "postgres://h/db",
        "postgresql://u:p@h:5432/db",
        "POSTGRES://h/db",
        ":memory:",
        "data/zoom-scim.sqlite",
        "/var/postgres/x.sqlite",
      ].map(isPostgresUrl),
      [true, true, true, false, false, false],
    );
    const memory = await openStore(":memory:");
    assert.ok(memory instanceof SqliteStore);
    await memory.close();
    const postgres = backends.find((b) => b.name === "postgres");
    assert.ok(postgres);
    const shared = await openStore(await postgres.location("open-store"));
    assert.ok(shared instanceof PgStore);
    await shared.close();
  });

  it("PostgreSQL's schema has SQLite's versions", () => {
    assert.deepEqual(
      pgMigrations.map((m) => [m.version, m.description]),
      migrations.map((m) => [m.version, m.description]),
    );
  });

  it("SQLite: migrates version 1's kept POST attributes of pending users into deferred changes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zoom-scim-store-v1-"));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, "v1.sqlite");
    const db = new Database(path);
    db.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)");
    const first = migrations[0];
    assert.ok(first);
    db.exec(first.sql);
    db.prepare("INSERT INTO schema_migrations VALUES (1, ?, ?)").run(first.description, "2026-01-01T00:00:00Z");
    const insert = db.prepare(
      "INSERT INTO resources (tenant, kind, id, external_id, attributes, email, created, last_modified) VALUES (?, 'User', ?, NULL, ?, ?, ?, ?)",
    );
    insert.run(
      "t",
      "p1",
      JSON.stringify({ scim: {}, sent: {}, deferred: { title: "CTO", roles: [{ value: "Admin" }] } }),
      "p1@example.com",
      "2026-01-01T00:00:00Z",
      "2026-01-02T00:00:00Z",
    );
    insert.run(
      "t",
      "a1",
      JSON.stringify({ scim: { nickName: "A" }, sent: {} }),
      "a1@example.com",
      "2026-01-01T00:00:00Z",
      "2026-01-01T00:00:00Z",
    );
    db.close();

    const store = new SqliteStore(path);
    const changes = await store.lifecycle.listDeferredChanges("t");
    assert.deepEqual(
      changes.map((c) => [c.userId, c.change, c.createdAt, c.attempts]),
      [["p1", { title: "CTO", roles: [{ value: "Admin" }] }, "2026-01-02T00:00:00Z", 0]],
    );
    assert.deepEqual((await store.get("t", "User", "p1"))?.attributes, { scim: {}, sent: {} });
    assert.deepEqual((await store.get("t", "User", "a1"))?.attributes, { scim: { nickName: "A" }, sent: {} });
    await store.close();
  });
});
