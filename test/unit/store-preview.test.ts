// Migration 10 on both backends: a preview tenant's plan steps, the objects they leave, the apply lease, and the
// aliases of groups an apply created.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PreviewObject } from "../../src/store/types.js";
import { storeBackends } from "../helpers/stores.js";

const object = (kind: PreviewObject["kind"], key: string, uptoSeq: number, more: Partial<PreviewObject> = {}): PreviewObject => ({
  kind,
  key,
  parent: "",
  email: null,
  body: JSON.stringify({ key }),
  planned: false,
  uptoSeq,
  ...more,
});

for (const backend of storeBackends()) {
  describe(`store on ${backend.name}: the preview plan (migration 10)`, () => {
    it("keeps steps in order per tenant, counts and marks them", async () => {
      const store = await backend.open(await backend.location("plan-steps"));
      const plan = store.plan;
      const step = (tenant: string, id: string) =>
        plan.addStep({
          tenant,
          resourceType: "User",
          resourceId: id,
          call: `{"op":"x","id":"${id}"}`,
          destructive: id === "c" ? "deactivation" : null,
          category: id === "c" ? "deactivations" : "user creates",
          touched: id === "b" ? 30 : 1,
          plannedAt: "2026-12-04T00:00:00Z",
        });
      const a = await step("t1", "a");
      const other = await step("t2", "z");
      const b = await step("t1", "b");
      const c = await step("t1", "c");
      assert.ok(a < b && b < c && other > a);
      assert.deepEqual(
        (await plan.listSteps("t1")).map((s) => [s.resourceId, s.state]),
        [
          ["a", "planned"],
          ["b", "planned"],
          ["c", "planned"],
        ],
      );
      await plan.markStep(a, "sending", "2026-12-04T00:00:01Z");
      await plan.markStep(a, "done", "2026-12-04T00:00:02Z", { result: '{"zoomId":"Z"}' });
      await plan.markStep(b, "failed", "2026-12-04T00:00:03Z", { error: "Zoom said no" });
      assert.deepEqual(await plan.countSteps("t1"), { planned: 1, sending: 0, done: 1, failed: 1, skipped: 0 });
      assert.equal(await plan.maxSeq("t1", ["done", "failed"]), b);
      assert.equal(await plan.maxSeq("t1", ["skipped"]), 0);
      const [done] = await plan.listSteps("t1", { states: ["done"] });
      assert.equal(done?.result, '{"zoomId":"Z"}');
      assert.equal(done?.appliedAt, "2026-12-04T00:00:02Z");
      // A later mark without a result keeps the one recorded.
      await plan.markStep(a, "done", "2026-12-04T00:00:04Z");
      assert.equal((await plan.listSteps("t1", { states: ["done"] }))[0]?.result, '{"zoomId":"Z"}');
      assert.deepEqual(
        (await plan.listSteps("t1", { states: ["planned", "failed"], afterSeq: a, limit: 1 })).map((s) => [s.resourceId, s.error]),
        [["b", "Zoom said no"]],
      );
      assert.deepEqual(await plan.listSteps("t1", { states: [] }), []);
      // The summary counts users touched, by category and destructive kind, in the states asked.
      assert.deepEqual(await plan.sumSteps("t1", ["planned", "failed"]), [
        { category: "deactivations", destructive: "deactivation", touched: 1 },
        { category: "user creates", destructive: null, touched: 30 },
      ]);
      await plan.markStep(b, "skipped", "2026-12-04T00:00:05Z");
      assert.deepEqual(await plan.sumSteps("t1", ["planned", "failed"]), [
        { category: "deactivations", destructive: "deactivation", touched: 1 },
      ]);
      await plan.rewriteCall(c, "{}");
      assert.equal((await plan.listSteps("t1", { states: ["planned"] }))[0]?.call, "{}");
      await store.close();
    });

    it("holds objects by kind, key, parent and email; rekeys a create; forgets what applied steps made true", async () => {
      const store = await backend.open(await backend.location("plan-objects"));
      const plan = store.plan;
      await plan.putObject("t1", object("user", "P1", 1, { email: "ann@x.example", planned: true }));
      await plan.putObject("t1", object("user", "R1", 2, { email: "ann@x.example", body: null }));
      await plan.putObject("t1", object("group", "G1", 3, { planned: true }));
      await plan.putObject("t1", object("member", "P1", 4, { parent: "G1" }));
      await plan.putObject("t1", object("member", "R2", 5, { parent: "G1", body: null }));
      await plan.putObject("t1", object("phone", "P1", 6));
      await plan.putObject("t2", object("user", "P1", 7));
      // The living first, among objects with the same email.
      assert.deepEqual(
        (await plan.objectsByEmail("t1", "user", "ANN@x.example")).map((o) => [o.key, o.body === null]),
        [
          ["P1", false],
          ["R1", true],
        ],
      );
      assert.deepEqual(
        (await plan.listObjects("t1", "member", "G1")).map((o) => o.key),
        ["P1", "R2"],
      );
      assert.equal((await plan.getObject("t1", "member", "P1", "G1"))?.uptoSeq, 4);
      assert.deepEqual((await plan.getObjects("t1", "user", ["R1", "P1", "nobody"])).map((o) => o.key).sort(), ["P1", "R1"]);
      assert.equal(await plan.getObject("t1", "member", "P1"), undefined, "a member is found under its group");
      // An upsert replaces the object's state and its last step.
      await plan.putObject("t1", object("user", "P1", 8, { email: "ann@x.example", planned: true, body: '{"v":2}' }));
      assert.equal((await plan.getObject("t1", "user", "P1"))?.body, '{"v":2}');

      await plan.rekeyUser("t1", "P1", "Z1");
      await plan.rekeyGroup("t1", "G1", "ZG");
      assert.equal(await plan.getObject("t1", "user", "P1"), undefined);
      const user = await plan.getObject("t1", "user", "Z1");
      assert.equal(user?.planned, false, "Zoom holds it now");
      assert.equal((await plan.getObject("t1", "phone", "Z1"))?.uptoSeq, 6);
      assert.deepEqual(
        (await plan.listObjects("t1", "member", "ZG")).map((o) => o.key),
        ["Z1", "R2"],
      );
      assert.equal((await plan.getObject("t1", "group", "ZG"))?.planned, false);
      assert.equal((await plan.getObject("t2", "user", "P1"))?.key, "P1", "another tenant's object is its own");

      assert.equal(await plan.forgetObjectsUpTo("t1", 5), 4);
      assert.deepEqual(
        (await plan.listObjects("t1", "user")).map((o) => o.key),
        ["Z1"],
      );
      await store.close();
    });

    it("leases the apply to one holder at a time, until it runs out or is dropped", async () => {
      const store = await backend.open(await backend.location("plan-lease"));
      const plan = store.plan;
      assert.equal(await plan.takeLease("t1", "a", 1000, 2000), true);
      assert.equal(await plan.takeLease("t1", "b", 1500, 2500), false, "held by a");
      assert.equal(await plan.takeLease("t1", "a", 1500, 3000), true, "renewed by its holder");
      assert.equal(await plan.leaseExpiry("t1"), 3000);
      assert.equal(await plan.takeLease("t2", "b", 1500, 2500), true, "per tenant");
      assert.equal(await plan.takeLease("t1", "b", 3001, 4000), true, "taken over once run out");
      await plan.dropLease("t1", "a");
      assert.equal(await plan.leaseExpiry("t1"), 4000, "only its holder drops it");
      await plan.dropLease("t1", "b");
      assert.equal(await plan.leaseExpiry("t1"), undefined);
      await store.close();
    });

    it("moves a tenant's alias generation with every change of its user or group aliases, and only then", async () => {
      const store = await backend.open(await backend.location("alias-generation"));
      const generation = () => store.lifecycle.aliasGeneration("t1");
      assert.equal(await generation(), 0);
      await store.lifecycle.putAlias("t1", { id: "scim1", zoomId: "zoom1" });
      const afterUser = await generation();
      assert.ok(afterUser > 0);
      await store.lifecycle.putAlias("t1", { id: "scim1", zoomId: "zoom2" });
      const afterUpdate = await generation();
      assert.ok(afterUpdate > afterUser);
      await store.plan.putGroupAlias("t1", "g1", "zg1");
      const afterGroup = await generation();
      assert.ok(afterGroup > afterUpdate);
      await store.lifecycle.putAlias("t2", { id: "scim1", zoomId: "zoom9" });
      await store.plan.listGroupAliases("t1");
      assert.equal(await generation(), afterGroup, "another tenant's change and reads leave it");
      await store.lifecycle.forgetUser("t1", "scim1");
      const afterForget = await generation();
      assert.ok(afterForget > afterGroup);
      await store.plan.removeGroupAlias("t1", "g1");
      assert.ok((await generation()) > afterForget);
      await store.close();
    });

    it("keeps the aliases of groups an apply created", async () => {
      const store = await backend.open(await backend.location("group-aliases"));
      await store.plan.putGroupAlias("t1", "planned1", "zoom1");
      await store.plan.putGroupAlias("t1", "planned1", "zoom2");
      await store.plan.putGroupAlias("t2", "planned1", "zoom3");
      assert.deepEqual(await store.plan.listGroupAliases("t1"), [{ id: "planned1", zoomId: "zoom2" }]);
      await store.plan.removeGroupAlias("t1", "planned1");
      assert.deepEqual(await store.plan.listGroupAliases("t1"), []);
      assert.equal((await store.plan.listGroupAliases("t2")).length, 1);
      await store.close();
    });
  });
}
