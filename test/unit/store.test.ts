// The SQLite store on a real file: migrations, writes, lookups, tombstones, and survival across reopen.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import { migrations } from "../../src/store/migrations.js";
import { SqliteStore } from "../../src/store/sqlite-store.js";

const dir = mkdtempSync(join(tmpdir(), "zoom-scim-store-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("SqliteStore", () => {
  it("migrates a new file to the latest version, once", async () => {
    const path = join(dir, "migrate.sqlite");
    await new SqliteStore(path).close();
    await new SqliteStore(path).close();
    const db = new Database(path, { readonly: true });
    const versions = db.prepare("SELECT version FROM schema_migrations ORDER BY version").all() as { version: number }[];
    db.close();
    assert.deepEqual(versions.map((v) => v.version), migrations.map((m) => m.version));
  });

  it("writes, bumps versions, finds by externalId and email, and keeps it all across reopen", async () => {
    const path = join(dir, "data.sqlite");
    const store = new SqliteStore(path);
    const first = await store.put(
      { tenant: "t1", kind: "User", id: "u1", externalId: "ext-1", attributes: { scim: { nickName: "Bob" } }, email: "Bob@Example.com", emails: ["bob@example.com", "Robert@Other.org"] },
      new Date("2026-01-01T00:00:00Z"),
    );
    assert.equal(first.version, 1);
    assert.equal(first.email, "bob@example.com");
    const second = await store.put({ ...first, externalId: "ext-2", tenant: "t1", kind: "User" }, new Date("2026-01-02T00:00:00Z"));
    assert.equal(second.version, 2);
    assert.equal(second.created, "2026-01-01T00:00:00.000Z");
    assert.equal(second.lastModified, "2026-01-02T00:00:00.000Z");
    await store.put({ tenant: "t2", kind: "User", id: "u1", externalId: "ext-2", attributes: {}, email: "other@example.com", emails: [] }, new Date());
    await store.close();

    const reopened = new SqliteStore(path);
    assert.deepEqual((await reopened.findByExternalId("t1", "User", "ext-2")).map((r) => r.id), ["u1"]);
    assert.equal((await reopened.findByExternalId("t1", "User", "ext-1")).length, 0);
    assert.deepEqual((await reopened.findUsersByEmail("t1", "ROBERT@other.org")).map((r) => r.id), ["u1"]);
    assert.equal((await reopened.findUsersByEmail("t2", "robert@other.org")).length, 0, "tenants never see each other's records");
    const got = await reopened.get("t1", "User", "u1");
    assert.deepEqual(got?.attributes, { scim: { nickName: "Bob" } });
    assert.deepEqual(got?.emails, ["bob@example.com", "robert@other.org"]);
    assert.equal((await reopened.getMany("t1", "User", ["u1", "nope"])).size, 1);
    await reopened.remove("t1", "User", "u1");
    assert.equal(await reopened.get("t1", "User", "u1"), undefined);
    await reopened.close();
  });

  it("keeps tombstones by id and by email", async () => {
    const store = new SqliteStore(join(dir, "tombstones.sqlite"));
    await store.putTombstone({ tenant: "t", kind: "User", id: "u9", email: "Gone@Example.com", deletedAt: "2026-01-01T00:00:00Z", mode: "deactivate" });
    assert.equal((await store.getTombstone("t", "User", "u9"))?.mode, "deactivate");
    assert.equal((await store.findTombstoneByEmail("t", "gone@example.com"))?.id, "u9");
    assert.deepEqual([...(await store.listTombstoneIds("t", "User"))], ["u9"]);
    await store.removeTombstone("t", "User", "u9");
    assert.equal(await store.getTombstone("t", "User", "u9"), undefined);
    await store.close();
  });
});
