// The SQLite store's unit of work, optimistic version guard and create intents, on real files (two store instances
// on one file stand for two processes).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, describe, it } from "node:test";
import { StoreConflictError } from "../../src/store/errors.js";
import { SqliteStore } from "../../src/store/sqlite-store.js";
import type { ResourceWrite } from "../../src/store/types.js";

const dir = mkdtempSync(join(tmpdir(), "zoom-scim-store-tx-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const user = (id: string, extra: Partial<ResourceWrite> = {}): ResourceWrite => ({
  tenant: "t",
  kind: "User",
  id,
  externalId: null,
  attributes: {},
  email: `${id}@example.com`,
  emails: [],
  ...extra,
});

describe("SqliteStore transactions", () => {
  it("a unit that throws leaves nothing written, across every table", async () => {
    const store = new SqliteStore(join(dir, "rollback.sqlite"));
    await store.put(user("kept"), new Date());
    await assert.rejects(
      store.transaction(async (tx) => {
        await tx.put(user("u1", { emails: ["a@example.com"] }), new Date());
        await tx.remove("t", "User", "kept");
        await tx.putTombstone({ tenant: "t", kind: "User", id: "u2", email: null, deletedAt: new Date().toISOString(), mode: "deactivate" });
        await tx.lifecycle.addDeferredChange("t", "u1", { title: "X" }, new Date());
        // Writes through the store itself, from within the work, belong to the unit too.
        await store.putCreateIntent({ tenant: "t", email: "u1@example.com", request: {} }, new Date());
        throw new Error("boom");
      }),
      /boom/,
    );
    assert.equal(await store.get("t", "User", "u1"), undefined);
    assert.ok(await store.get("t", "User", "kept"));
    assert.equal(await store.getTombstone("t", "User", "u2"), undefined);
    assert.deepEqual(await store.lifecycle.listDeferredChanges("t"), []);
    assert.equal(await store.getCreateIntent("t", "u1@example.com"), undefined);
    assert.deepEqual(await store.findUsersByEmail("t", "a@example.com"), []);
    await store.close();
  });

  it("commits a unit's writes together; nested units join the outer one", async () => {
    const store = new SqliteStore(join(dir, "commit.sqlite"));
    const answer = await store.transaction(async (tx) => {
      await tx.put(user("u1"), new Date());
      return store.transaction(async (inner) => {
        await inner.put(user("u2"), new Date());
        return "done";
      });
    });
    assert.equal(answer, "done");
    assert.equal((await store.list("t", "User")).length, 2);
    await assert.rejects(
      store.transaction(async (tx) => {
        await tx.put(user("u3"), new Date());
        await store.transaction(async () => {
          throw new Error("inner");
        });
      }),
      /inner/,
    );
    assert.equal(await store.get("t", "User", "u3"), undefined, "an inner failure rolls back the outer unit");
    await store.close();
  });

  it("concurrent units do not interleave, and outside reads never see an open unit's writes", async () => {
    const store = new SqliteStore(join(dir, "serial.sqlite"));
    const trace: string[] = [];
    const unit = (name: string) =>
      store.transaction(async (tx) => {
        trace.push(`${name} begin`);
        await tx.put(user(name), new Date());
        await sleep(20);
        trace.push(`${name} end`);
      });
    const seen = sleep(5).then(() => store.get("t", "User", "a"));
    const failing = store.transaction(async (tx) => {
      await tx.put(user("gone"), new Date());
      await sleep(10);
      throw new Error("rolled back");
    });
    const dirty = sleep(2).then(() => store.get("t", "User", "gone"));
    await Promise.all([unit("a"), unit("b"), unit("c"), failing.catch(() => undefined)]);
    assert.deepEqual(trace, ["a begin", "a end", "b begin", "b end", "c begin", "c end"]);
    assert.ok(await seen, "a read waits for the open unit, then sees its commit");
    assert.equal(await dirty, undefined, "a read never sees writes that were rolled back");
    await store.close();
  });
});

describe("SqliteStore version guard", () => {
  it("writes at the expected version, refuses any other with StoreConflictError", async () => {
    const store = new SqliteStore(join(dir, "guard.sqlite"));
    const first = await store.put(user("u1"), new Date(), { expectedVersion: null });
    assert.equal(first.version, 1);
    await assert.rejects(store.put(user("u1"), new Date(), { expectedVersion: null }), (error: unknown) => {
      assert.ok(error instanceof StoreConflictError);
      assert.equal(error.actualVersion, 1);
      return true;
    });
    const second = await store.put(user("u1", { externalId: "x" }), new Date(), { expectedVersion: 1 });
    assert.equal(second.version, 2);
    await assert.rejects(store.put(user("u1", { externalId: "lost" }), new Date(), { expectedVersion: 1 }), StoreConflictError);
    await assert.rejects(store.put(user("absent"), new Date(), { expectedVersion: 3 }), (error: unknown) => {
      assert.ok(error instanceof StoreConflictError);
      assert.equal(error.actualVersion, null);
      return true;
    });
    assert.equal((await store.get("t", "User", "u1"))?.externalId, "x", "the refused write changed nothing");
    assert.equal((await store.put(user("u1", { externalId: "y" }), new Date())).version, 3, "unguarded writes still upsert");
    await store.close();
  });

  it("guards across two store instances on one file (two processes)", async () => {
    const path = join(dir, "shared.sqlite");
    const a = new SqliteStore(path);
    const b = new SqliteStore(path);
    await a.put(user("u1", { attributes: { n: 0 } }), new Date());
    const readByA = await a.get("t", "User", "u1");
    const readByB = await b.get("t", "User", "u1");
    assert.equal(readByA?.version, 1);
    assert.equal(readByB?.version, 1);
    await b.put(user("u1", { attributes: { n: "b" } }), new Date(), { expectedVersion: readByB?.version ?? null });
    await assert.rejects(a.put(user("u1", { attributes: { n: "a" } }), new Date(), { expectedVersion: readByA?.version ?? null }), StoreConflictError);
    // Re-read and re-apply: the second write goes through on top of the first.
    const again = await a.get("t", "User", "u1");
    assert.equal(again?.version, 2);
    const merged = await a.put(user("u1", { attributes: { ...again?.attributes, m: "a" } }), new Date(), { expectedVersion: again?.version ?? null });
    assert.deepEqual(merged.attributes, { n: "b", m: "a" });
    assert.equal((await b.get("t", "User", "u1"))?.version, 3);

    // A unit open on one instance makes the other's write wait for it (asynchronously), not fail.
    const slow = a.transaction(async (tx) => {
      await tx.put(user("u2"), new Date());
      await sleep(50);
    });
    await sleep(5);
    await b.put(user("u3"), new Date());
    await slow;
    assert.ok(await b.get("t", "User", "u2"));
    await a.close();
    await b.close();
  });

  it("keeps create intents by tenant and lower-cased email, the first attempt's, and prunes old ones", async () => {
    const store = new SqliteStore(join(dir, "intents.sqlite"));
    await store.putCreateIntent({ tenant: "t", email: "Ann@Example.com", request: { externalId: "e1" } }, new Date("2026-01-01T00:00:00Z"));
    await store.putCreateIntent({ tenant: "t", email: "ann@example.com", request: { externalId: "e2" } }, new Date("2026-01-01T00:05:00Z"));
    await store.putCreateIntent({ tenant: "t", email: "old@example.com", request: {} }, new Date("2025-12-01T00:00:00Z"));
    const intent = await store.getCreateIntent("t", "ANN@example.com");
    assert.deepEqual(intent, { tenant: "t", email: "ann@example.com", request: { externalId: "e1" }, createdAt: "2026-01-01T00:00:00.000Z" });
    assert.equal(await store.getCreateIntent("other", "ann@example.com"), undefined);
    assert.equal(await store.pruneCreateIntents(new Date("2025-12-31T00:00:00Z")), 1);
    assert.equal(await store.getCreateIntent("t", "old@example.com"), undefined);
    await store.removeCreateIntent("t", "ann@example.com");
    assert.equal(await store.getCreateIntent("t", "ann@example.com"), undefined);
    await store.close();
  });
});
