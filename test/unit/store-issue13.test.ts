// Migration 5 on both backends: the userName index (users whose userName is not their email) and desired group
// memberships of users Zoom does not hold right now; and the upgrade of rows written before it.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import { migrations } from "../../src/store/migrations.js";
import { SqliteStore } from "../../src/store/sqlite-store.js";
import { storeBackends } from "../helpers/stores.js";

for (const backend of storeBackends()) {
  describe(`store on ${backend.name}: migration 5`, () => {
    it("finds users by userName, case-insensitively, and keeps it through guarded writes", async () => {
      const store = await backend.open(await backend.location("user-names"));
      const write = {
        tenant: "t1",
        kind: "User" as const,
        id: "u1",
        externalId: null,
        attributes: {},
        email: "bob@example.com",
        emails: ["bob@example.com"],
        userName: " UserName123 ",
      };
      const first = await store.put(write, new Date());
      assert.equal(first.userName, "username123");
      assert.deepEqual(
        (await store.findUsersByUserName("t1", "USERNAME123")).map((r) => r.id),
        ["u1"],
      );
      assert.deepEqual(await store.findUsersByUserName("t2", "username123"), [], "per tenant");
      const second = await store.put({ ...first, userName: "Renamed" }, new Date(), { expectedVersion: first.version });
      assert.equal(second.userName, "renamed");
      assert.deepEqual(await store.findUsersByUserName("t1", "username123"), []);
      await store.put({ tenant: "t1", kind: "Group", id: "g1", externalId: null, attributes: {}, email: null, emails: [] }, new Date());
      assert.equal((await store.get("t1", "Group", "g1"))?.userName, undefined, "groups have none");
      await store.close();
    });

    it("keeps desired group memberships, by group and by user, until removed or the user is forgotten", async () => {
      const store = await backend.open(await backend.location("desired"));
      const lifecycle = store.lifecycle;
      await lifecycle.addDesiredMember("t1", "g1", "u1", new Date("2026-01-01T00:00:00Z"));
      await lifecycle.addDesiredMember("t1", "g1", "u2", new Date("2026-01-02T00:00:00Z"));
      await lifecycle.addDesiredMember("t1", "g1", "u1", new Date("2026-01-03T00:00:00Z"));
      await lifecycle.addDesiredMember("t1", "g2", "u1", new Date("2026-01-04T00:00:00Z"));
      await lifecycle.addDesiredMember("t2", "g1", "u9", new Date());
      assert.deepEqual(await lifecycle.listDesiredMembers("t1", "g1"), ["u1", "u2"], "once each, in the order asked");
      assert.deepEqual(await lifecycle.listDesiredGroups("t1", "u1"), ["g1", "g2"]);
      assert.deepEqual(await lifecycle.listAllDesiredMembers("t1"), [
        { groupId: "g1", userId: "u1" },
        { groupId: "g1", userId: "u2" },
        { groupId: "g2", userId: "u1" },
      ]);
      await lifecycle.removeDesiredMember("t1", "g1", "u2");
      assert.deepEqual(await lifecycle.listDesiredMembers("t1", "g1"), ["u1"]);
      await lifecycle.removeDesiredMembersOfGroup("t1", "g2");
      assert.deepEqual(await lifecycle.listDesiredGroups("t1", "u1"), ["g1"]);
      await store.transaction(async (tx) => {
        await tx.lifecycle.addDesiredMember("t1", "g3", "u1", new Date());
        await tx.lifecycle.forgetUser("t1", "u1");
      });
      assert.deepEqual(await lifecycle.listDesiredGroups("t1", "u1"), []);
      assert.deepEqual(await lifecycle.listDesiredMembers("t2", "g1"), ["u9"], "other tenants keep theirs");
      await store.close();
    });
  });
}

describe("SQLite: migration 5 upgrades rows written before it", () => {
  it("indexes the userName each user was last sent with", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zoom-scim-store-v3-"));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, "v3.sqlite");
    const db = new Database(path);
    db.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)");
    for (const migration of migrations.filter((m) => m.version < 5)) {
      db.exec(migration.sql);
      db.prepare("INSERT INTO schema_migrations VALUES (?, ?, ?)").run(migration.version, migration.description, "2026-01-01T00:00:00Z");
    }
    const insert = db.prepare(
      "INSERT INTO resources (tenant, kind, id, external_id, attributes, email, created, last_modified) VALUES ('t', 'User', ?, NULL, ?, ?, 'x', 'x')",
    );
    insert.run(
      "a1",
      JSON.stringify({ scim: {}, sent: { userName: { value: "Ann@Example.com", zoom: "ann@example.com" } } }),
      "ann@example.com",
    );
    insert.run("a2", JSON.stringify({ scim: {}, sent: {} }), "bo@example.com");
    db.close();

    const store = new SqliteStore(path);
    assert.deepEqual(
      (await store.findUsersByUserName("t", "ann@example.com")).map((r) => r.id),
      ["a1"],
    );
    assert.equal((await store.get("t", "User", "a2"))?.userName, undefined);
    await store.close();
  });
});
