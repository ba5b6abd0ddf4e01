// The store's unit of work, optimistic version guard, create intents and deferred-change claims, on both backends
// (test/helpers/stores.ts). Two store instances on one location stand for two processes (replicas).
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, it } from "node:test";
import { StoreConflictError } from "../../src/store/errors.js";
import { migrations } from "../../src/store/migrations.js";
import type { ResourceStore, ResourceWrite } from "../../src/store/types.js";
import { storeBackends } from "../helpers/stores.js";

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

/** A promise and the function that settles it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

for (const backend of storeBackends()) {
  describe(`store transactions on ${backend.name}`, () => {
    it("a unit that throws leaves nothing written, across every table", async () => {
      const store = await backend.open(await backend.location("rollback"));
      await store.put(user("kept"), new Date());
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.put(user("u1", { emails: ["a@example.com"] }), new Date());
          await tx.remove("t", "User", "kept");
          await tx.putTombstone({
            tenant: "t",
            kind: "User",
            id: "u2",
            email: null,
            deletedAt: new Date().toISOString(),
            mode: "deactivate",
          });
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
      const store = await backend.open(await backend.location("commit"));
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

    if (backend.name === "sqlite") {
      it("concurrent units do not interleave, and outside reads wait for an open unit", async () => {
        const store = await backend.open(await backend.location("serial"));
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
    } else {
      it("units run side by side, each on its own connection, and nobody else sees an open unit's writes", async () => {
        const store = await backend.open(await backend.location("isolation"));
        const release = gate();
        const wrote = [gate(), gate(), gate()];
        const unit = (name: string, index: number, fail = false) =>
          store.transaction(async (tx) => {
            await tx.put(user(name), new Date());
            wrote[index]?.open();
            await release.opened;
            if (fail) throw new Error("rolled back");
          });
        const units = [unit("a", 0), unit("b", 1), unit("gone", 2, true).catch(() => "failed")];
        // Every unit has written before any commits: none waited for another.
        await Promise.all(wrote.map((w) => w.opened));
        assert.equal(await store.get("t", "User", "a"), undefined, "an open unit's writes are not seen from outside");
        assert.equal(await store.get("t", "User", "gone"), undefined);
        release.open();
        assert.deepEqual(await Promise.all(units), [undefined, undefined, "failed"]);
        assert.deepEqual((await store.list("t", "User")).map((r) => r.id).sort(), ["a", "b"], "commits are seen, the rollback never");
        await store.close();
      });
    }
  });

  describe(`store version guard on ${backend.name}`, () => {
    it("writes at the expected version, refuses any other with StoreConflictError", async () => {
      const store = await backend.open(await backend.location("guard"));
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

    it("two instances on one database see each other's writes, and the guard holds across them", async () => {
      const location = await backend.location("shared");
      const a = await backend.open(location);
      const b = await backend.open(location);
      await a.put(user("u1", { attributes: { n: 0 } }), new Date());
      const readByA = await a.get("t", "User", "u1");
      const readByB = await b.get("t", "User", "u1");
      assert.equal(readByA?.version, 1);
      assert.equal(readByB?.version, 1);
      await b.put(user("u1", { attributes: { n: "b" } }), new Date(), { expectedVersion: readByB?.version ?? null });
      await assert.rejects(
        a.put(user("u1", { attributes: { n: "a" } }), new Date(), { expectedVersion: readByA?.version ?? null }),
        StoreConflictError,
      );
      // Re-read and re-apply: the second write goes through on top of the first.
      const again = await a.get("t", "User", "u1");
      assert.equal(again?.version, 2);
      const merged = await a.put(user("u1", { attributes: { ...again?.attributes, m: "a" } }), new Date(), {
        expectedVersion: again?.version ?? null,
      });
      assert.deepEqual(merged.attributes, { n: "b", m: "a" });
      assert.equal((await b.get("t", "User", "u1"))?.version, 3);

      // A unit open on one instance: the other's write to another record waits for it (SQLite) or not (PostgreSQL),
      // and never fails.
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

    it("a guarded write racing an open unit's write of the same record waits for it, then conflicts", async () => {
      const location = await backend.location("race");
      const a = await backend.open(location);
      const b = await backend.open(location);
      await a.put(user("u1"), new Date());
      const written = gate();
      const slow = a.transaction(async (tx) => {
        await tx.put(user("u1", { externalId: "a" }), new Date(), { expectedVersion: 1 });
        written.open();
        await sleep(50);
      });
      await written.opened;
      await assert.rejects(b.put(user("u1", { externalId: "b" }), new Date(), { expectedVersion: 1 }), (error: unknown) => {
        assert.ok(error instanceof StoreConflictError);
        assert.equal(error.actualVersion, 2);
        return true;
      });
      await slow;
      assert.equal((await b.get("t", "User", "u1"))?.externalId, "a");
      await a.close();
      await b.close();
    });

    it("several instances opening a new database at once all migrate it, once", async () => {
      const location = await backend.location("concurrent-migrate");
      const stores = await Promise.all(Array.from({ length: 4 }, () => backend.open(location)));
      await stores[0]?.put(user("u1"), new Date());
      for (const store of stores) assert.ok(await store.get("t", "User", "u1"));
      await Promise.all(stores.map((store) => store.close()));
      const versions = await backend.query<{ version: number }>(location, "SELECT version FROM schema_migrations ORDER BY version");
      assert.deepEqual(
        versions.map((v) => v.version),
        migrations.map((m) => m.version),
      );
    });

    it("keeps create intents by tenant and lower-cased email, the first attempt's, and prunes old ones", async () => {
      const store = await backend.open(await backend.location("intents"));
      await store.putCreateIntent(
        { tenant: "t", email: "Ann@Example.com", request: { externalId: "e1" } },
        new Date("2026-01-01T00:00:00Z"),
      );
      await store.putCreateIntent(
        { tenant: "t", email: "ann@example.com", request: { externalId: "e2" } },
        new Date("2026-01-01T00:05:00Z"),
      );
      await store.putCreateIntent({ tenant: "t", email: "old@example.com", request: {} }, new Date("2025-12-01T00:00:00Z"));
      const intent = await store.getCreateIntent("t", "ANN@example.com");
      assert.deepEqual(intent, {
        tenant: "t",
        email: "ann@example.com",
        request: { externalId: "e1" },
        createdAt: "2026-01-01T00:00:00.000Z",
      });
      assert.equal(await store.getCreateIntent("other", "ann@example.com"), undefined);
      assert.equal(await store.pruneCreateIntents(new Date("2025-12-31T00:00:00Z")), 1);
      assert.equal(await store.getCreateIntent("t", "old@example.com"), undefined);
      await store.removeCreateIntent("t", "ann@example.com");
      assert.equal(await store.getCreateIntent("t", "ann@example.com"), undefined);
      await store.close();
    });
  });

  describe(`deferred-change claims on ${backend.name}`, () => {
    /** One drain: claims the queue in a unit, "applies" each change (a pause) and removes it. */
    const drain = (store: ResourceStore, who: string, applied: string[]) =>
      store.transaction(async () => {
        const claimed = await store.lifecycle.claimDeferredChanges("t", "u1", new Date());
        for (const change of claimed) {
          await sleep(5);
          applied.push(`${change.seq}:${who}`);
          await store.lifecycle.removeDeferredChange("t", change.seq);
        }
        return claimed.length;
      });

    it("each change is claimed once, by one of several drains on several instances", async () => {
      const location = await backend.location("claims");
      const a = await backend.open(location);
      const b = await backend.open(location);
      const seqs: number[] = [];
      for (let n = 0; n < 5; n += 1) seqs.push((await a.lifecycle.addDeferredChange("t", "u1", { n }, new Date(Date.now() - 1000))).seq);
      const applied: string[] = [];
      const counts = await Promise.all([
        drain(a, "a1", applied),
        drain(b, "b1", applied),
        drain(a, "a2", applied),
        drain(b, "b2", applied),
      ]);
      assert.deepEqual([...counts].sort(), [0, 0, 0, 5], "one drain claimed them all, the others none");
      assert.deepEqual(
        applied.map((entry) => Number(entry.split(":")[0])),
        seqs,
        "each applied once, in seq order",
      );
      assert.deepEqual(await b.lifecycle.listDeferredChanges("t", "u1"), []);
      await a.close();
      await b.close();
    });

    it("a claim answers nothing while the queue's head backs off, and a failure left behind is claimed again later", async () => {
      const store = await backend.open(await backend.location("claim-due"));
      const life = store.lifecycle;
      const head = await life.addDeferredChange("t", "u1", { n: 0 }, new Date("2026-01-01T00:00:00Z"));
      await life.addDeferredChange("t", "u1", { n: 1 }, new Date("2026-01-01T00:00:01Z"));
      await life.addDeferredChange("t", "other", { n: 2 }, new Date("2026-01-01T00:00:02Z"));
      await store.transaction(async () => {
        const claimed = await life.claimDeferredChanges("t", "u1", new Date("2026-01-01T00:01:00Z"));
        assert.deepEqual(
          claimed.map((c) => c.change.n),
          [0, 1],
          "the user's queue only, in order",
        );
        await life.recordDeferredFailure("t", head.seq, "Zoom is unavailable", new Date("2026-01-01T00:10:00Z"));
      });
      assert.deepEqual(
        await store.transaction(() => life.claimDeferredChanges("t", "u1", new Date("2026-01-01T00:05:00Z"))),
        [],
        "the head backs off",
      );
      const later = await store.transaction(() => life.claimDeferredChanges("t", "u1", new Date("2026-01-01T00:10:00Z")));
      assert.deepEqual(
        later.map((c) => [c.change.n, c.attempts]),
        [
          [0, 1],
          [1, 0],
        ],
      );
      assert.equal((await life.claimDeferredChanges("t", "u1")).length, 2, "without dueBy (forced), and outside a unit");
      assert.deepEqual(await life.claimDeferredChanges("t", "nobody"), []);
      await store.close();
    });

    if (backend.name === "postgres") {
      it("a claim skips a queue whose head another unit holds, even when later changes are free", async () => {
        const location = await backend.location("claim-head");
        const a = await backend.open(location);
        const b = await backend.open(location);
        await a.lifecycle.addDeferredChange("t", "u1", { n: 0 }, new Date());
        const held = gate();
        const release = gate();
        const holder = a.transaction(async () => {
          const claimed = await a.lifecycle.claimDeferredChanges("t", "u1");
          held.open();
          await release.opened;
          return claimed.length;
        });
        await held.opened;
        // Added after the claim: free of its locks, but behind its head.
        await b.lifecycle.addDeferredChange("t", "u1", { n: 1 }, new Date());
        assert.deepEqual(await b.transaction(() => b.lifecycle.claimDeferredChanges("t", "u1")), []);
        release.open();
        assert.equal(await holder, 1);
        assert.equal((await b.transaction(() => b.lifecycle.claimDeferredChanges("t", "u1"))).length, 2, "the holder left both");
        await a.close();
        await b.close();
      });
    }
  });
}
