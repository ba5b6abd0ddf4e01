// Migration 8 on both backends: the audit trail (append, filtered and paged reads, retention) and the origin a
// deferred change keeps of the request that made it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AuditEntryInput } from "../../src/store/types.js";
import { storeBackends } from "../helpers/stores.js";

const entry = (overrides: Partial<AuditEntryInput>): AuditEntryInput => ({
  at: "2026-06-01T00:00:00.000Z",
  tenant: "t1",
  kind: "scim",
  actor: "okta-2026",
  client: "okta",
  requestId: "r1",
  originRequestId: null,
  method: "PATCH",
  route: "/Users/:id",
  resourceType: "User",
  resourceId: "u1",
  userName: "ada@example.com",
  changes: [{ attribute: "title", before: "Engineer", after: "Director" }],
  zoomCalls: [{ method: "PATCH", path: "/users/{userId}", status: 204, trackingId: "tr-1" }],
  outcome: "applied",
  error: null,
  ...overrides,
});

for (const backend of storeBackends()) {
  describe(`store on ${backend.name}: migration 8 (audit trail)`, () => {
    it("keeps entries whole and reads them by tenant, user, since, in pages", async () => {
      const store = await backend.open(await backend.location("audit"));
      await store.audit.append(entry({}));
      await store.audit.append(entry({ at: "2026-06-02T00:00:00.000Z", resourceId: "u2", userName: "Bob@Example.com", requestId: "r2" }));
      await store.audit.append(entry({ at: "2026-06-03T00:00:00.000Z", tenant: "t2", requestId: "r3" }));
      await store.audit.append(
        entry({ at: "2026-06-04T00:00:00.000Z", kind: "breaker", resourceId: null, userName: null, requestId: null }),
      );

      const all = await store.audit.list({ limit: 10 });
      assert.deepEqual(
        all.map((e) => e.requestId),
        ["r1", "r2", "r3", null],
      );
      const { seq, ...first } = all[0] ?? { seq: 0 };
      assert.ok(seq > 0);
      assert.deepEqual(first, entry({}), "the entry comes back as written");
      assert.deepEqual(
        (await store.audit.list({ tenant: "t1", limit: 10 })).map((e) => e.requestId),
        ["r1", "r2", null],
      );
      assert.deepEqual(
        (await store.audit.list({ user: "BOB@example.com", limit: 10 })).map((e) => e.requestId),
        ["r2"],
        "a userName, whatever its case",
      );
      assert.deepEqual(
        (await store.audit.list({ user: "u1", tenant: "t1", limit: 10 })).map((e) => e.requestId),
        ["r1"],
      );
      assert.deepEqual(
        (await store.audit.list({ resourceId: "u2", limit: 10 })).map((e) => e.requestId),
        ["r2"],
      );
      assert.deepEqual(
        (await store.audit.list({ userName: "ada@example.com", tenant: "t2", limit: 10 })).map((e) => e.requestId),
        ["r3"],
      );
      assert.deepEqual(
        (await store.audit.list({ since: "2026-06-02T00:00:00.000Z", limit: 10 })).map((e) => e.requestId),
        ["r2", "r3", null],
      );
      const page1 = await store.audit.list({ limit: 2 });
      const page2 = await store.audit.list({ limit: 2, afterSeq: page1.at(-1)?.seq });
      assert.deepEqual(
        [...page1, ...page2].map((e) => e.seq),
        all.map((e) => e.seq),
      );

      assert.equal(await store.audit.prune(new Date("2026-06-03T00:00:00.000Z")), 2);
      assert.deepEqual(
        (await store.audit.list({ limit: 10 })).map((e) => e.requestId),
        ["r3", null],
      );
      await store.close();
    });

    it("joins a unit of work: an entry written in a transaction that fails is gone with it", async () => {
      const store = await backend.open(await backend.location("audit-tx"));
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.audit.append(entry({ requestId: "rolled-back" }));
          throw new Error("the unit fails");
        }),
      );
      await store.transaction((tx) => tx.audit.append(entry({ requestId: "kept" })));
      assert.deepEqual(
        (await store.audit.list({ limit: 10 })).map((e) => e.requestId),
        ["kept"],
      );
      await store.close();
    });

    it("keeps the request behind a deferred change", async () => {
      const store = await backend.open(await backend.location("deferred-origin"));
      const added = await store.lifecycle.addDeferredChange("t1", "u1", { title: "X" }, new Date(), { requestId: "req-9", actor: "entra" });
      await store.lifecycle.addDeferredChange("t1", "u1", { title: "Y" }, new Date());
      const [withOrigin, without] = await store.lifecycle.listDeferredChanges("t1", "u1");
      assert.deepEqual(withOrigin?.origin, { requestId: "req-9", actor: "entra" });
      assert.deepEqual(added.origin, { requestId: "req-9", actor: "entra" });
      assert.equal(without?.origin, undefined);
      await store.close();
    });
  });
}
