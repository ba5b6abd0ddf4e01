// Replica coordination in the store (migration 4), on both backends (test/helpers/stores.ts). Two store instances
// on one location stand for two replicas: locks, the rate budget, the shared token, webhook deliveries, user events.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { storeBackends } from "../helpers/stores.js";

/** A promise and the function that settles it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

for (const backend of storeBackends()) {
  // SQLite serves one process: its locks are that process's, so two instances stand for two replicas on PostgreSQL only.
  const pair = async (label: string) => {
    const location = await backend.location(label);
    const a = await backend.open(location);
    return { a, b: backend.name === "postgres" ? await backend.open(location) : a };
  };

  describe(`store coordination on ${backend.name}`, () => {
    it("says whether it is shared", async () => {
      const store = await backend.open(await backend.location("shared"));
      assert.equal(store.coordination.shared, backend.name === "postgres");
      await store.close();
    });

    it("a lock held by one holder is refused to another without waiting, waited for with wait, free again after", async () => {
      const { a, b } = await pair("locks");
      const held = gate();
      const release = gate();
      const first = a.coordination.withLock("reconcile\nt", async () => {
        held.open();
        await release.opened;
        return "first";
      });
      await held.opened;
      assert.deepEqual(await b.coordination.withLock("reconcile\nt", async () => "second", { wait: false }), { acquired: false });
      assert.deepEqual(await b.coordination.withLock("other", async () => "other", { wait: false }), { acquired: true, value: "other" });
      const waiting = b.coordination.withLock("reconcile\nt", async () => "waited");
      release.open();
      assert.deepEqual(await first, { acquired: true, value: "first" });
      assert.deepEqual(await waiting, { acquired: true, value: "waited" });
      await assert.rejects(
        a.coordination.withLock("failing", async () => {
          throw new Error("work failed");
        }),
        /work failed/,
      );
      assert.deepEqual(await b.coordination.withLock("failing", async () => 1, { wait: false }), { acquired: true, value: 1 });
      await a.close();
      if (b !== a) await b.close();
    });

    it("a lock dies with its holder's connection (a replica that died)", async () => {
      if (backend.name !== "postgres") return;
      const location = await backend.location("lock-death");
      const a = await backend.open(location);
      const b = await backend.open(location);
      const held = gate();
      const holding = a.coordination
        .withLock("drain\nt\nu", async () => {
          held.open();
          await new Promise((resolve) => setTimeout(resolve, 60_000).unref());
        })
        .catch(() => undefined);
      await held.opened;
      assert.deepEqual(await b.coordination.withLock("drain\nt\nu", async () => 1, { wait: false }), { acquired: false });
      // What the server sees of a killed replica: its connections end.
      await backend.query(
        location,
        "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
      );
      let outcome = await b.coordination.withLock("drain\nt\nu", async () => 1, { wait: false });
      for (let i = 0; i < 40 && !outcome.acquired; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        outcome = await b.coordination.withLock("drain\nt\nu", async () => 1, { wait: false });
      }
      assert.deepEqual(outcome, { acquired: true, value: 1 });
      void holding;
      await b.close();
    });

    it("one rate budget shared by both: starts spaced one interval apart whoever reserves, and a pause holds both", async () => {
      const { a, b } = await pair("rate");
      const starts: number[] = [];
      for (let i = 0; i < 6; i++) starts.push(await (i % 2 === 0 ? a : b).coordination.reserveRate("acct\nlight", 1000, 50));
      assert.deepEqual(starts, [1000, 1050, 1100, 1150, 1200, 1250]);
      await a.coordination.pauseRate("acct\nlight", 5000);
      await b.coordination.pauseRate("acct\nlight", 4000);
      assert.equal(await b.coordination.reserveRate("acct\nlight", 1300, 50), 5000);
      assert.equal(await a.coordination.reserveRate("acct\nheavy", 1300, 100), 1300, "categories are apart");
      await a.close();
      if (b !== a) await b.close();
    });

    it("a bounded reservation with a burst: granted within the bound, refused past it without taking a slot", async () => {
      const { a, b } = await pair("rate-by");
      const by = (store: typeof a, nowMs: number, latestStartMs: number) =>
        store.coordination.reserveRateBy("acct\nmedium", { nowMs, intervalMs: 100, burstMs: 150, latestStartMs });
      const starts = [];
      for (let i = 0; i < 5; i++) starts.push(await by(i % 2 === 0 ? a : b, 1000, 1200));
      // A burst of two at once, then one interval apart; the fifth would start at 1250, past the bound.
      assert.deepEqual(starts, [
        { granted: true, startMs: 1000 },
        { granted: true, startMs: 1000 },
        { granted: true, startMs: 1050 },
        { granted: true, startMs: 1150 },
        { granted: false, startMs: 1250 },
      ]);
      assert.deepEqual(await by(b, 1000, 1250), { granted: true, startMs: 1250 }, "the refusal took nothing");
      await a.coordination.pauseRate("acct\nmedium", 9000);
      assert.deepEqual(await by(a, 1000, 5000), { granted: false, startMs: 9000 }, "a pause past the bound refuses");
      await a.close();
      if (b !== a) await b.close();
    });

    it("the token: put by one, read by the other, dropped only while it is the one named", async () => {
      const { a, b } = await pair("token");
      await a.coordination.putToken({ appKey: "app", sealed: "s1", expiresAt: 10, renewAt: 5 });
      assert.deepEqual(await b.coordination.getToken("app"), { appKey: "app", sealed: "s1", expiresAt: 10, renewAt: 5 });
      await b.coordination.putToken({ appKey: "app", sealed: "s2", expiresAt: 20, renewAt: 15 });
      await a.coordination.dropToken("app", "s1");
      assert.equal((await a.coordination.getToken("app"))?.sealed, "s2");
      await a.coordination.dropToken("app", "s2");
      assert.equal(await b.coordination.getToken("app"), undefined);
      await a.close();
      if (b !== a) await b.close();
    });

    it("a webhook signature is new once, whichever replica sees it; old ones are forgotten", async () => {
      const { a, b } = await pair("deliveries");
      assert.equal(await a.coordination.firstDelivery("t", "sig", 1000, 0), true);
      assert.equal(await b.coordination.firstDelivery("t", "sig", 1001, 0), false);
      assert.equal(await b.coordination.firstDelivery("other", "sig", 1001, 0), true, "per tenant");
      assert.equal(await b.coordination.firstDelivery("t", "sig", 9000, 5000), true, "forgotten after the window");
      await a.close();
      if (b !== a) await b.close();
    });

    it("user events: in order, with their origin, pruned by age", async () => {
      const { a, b } = await pair("events");
      assert.equal(await b.coordination.lastUserEvent("t"), 0);
      await a.coordination.addUserEvent("t", "A", "u1", { id: "u1", status: "active" }, 1000);
      await b.coordination.addUserEvent("t", "B", "u2", null, 2000);
      const events = await a.coordination.userEventsSince("t", 0);
      assert.deepEqual(
        events.map((e) => [e.origin, e.userId, e.state]),
        [
          ["A", "u1", { id: "u1", status: "active" }],
          ["B", "u2", null],
        ],
      );
      assert.deepEqual(await b.coordination.userEventsSince("t", events[0]?.seq ?? 0), events.slice(1));
      assert.equal(await b.coordination.lastUserEvent("t"), events[1]?.seq);
      await a.coordination.pruneUserEvents(1500);
      assert.deepEqual(
        (await b.coordination.userEventsSince("t", 0)).map((e) => e.userId),
        ["u2"],
      );
      await a.close();
      if (b !== a) await b.close();
    });
  });
}
