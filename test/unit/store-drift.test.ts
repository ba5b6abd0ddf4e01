// Migration 9 on both backends: what the IdPs set of each group's membership, for the drift report.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { storeBackends } from "../helpers/stores.js";

for (const backend of storeBackends()) {
  describe(`store on ${backend.name}: IdP memberships (migration 9)`, () => {
    it("keeps additions and removals, a whole membership once replaced, per tenant, until the group or user is forgotten", async () => {
      const store = await backend.open(await backend.location("idp-members"));
      const lifecycle = store.lifecycle;
      await lifecycle.recordIdpMembers("t1", "g1", { add: ["u1", "u2"], remove: [] });
      await lifecycle.recordIdpMembers("t1", "g1", { add: ["u2", "u3"], remove: ["u1"] });
      await lifecycle.recordIdpMembers("t2", "g1", { add: ["u9"], remove: [] });
      assert.deepEqual(await lifecycle.listIdpMemberships("t1"), [{ groupId: "g1", complete: false, members: ["u2", "u3"] }]);

      await lifecycle.recordIdpMembers("t1", "g2", { add: ["u4"], remove: [], replace: true });
      await lifecycle.recordIdpMembers("t1", "g1", { add: ["u5"], remove: [], replace: true });
      // A later partial change keeps the membership complete.
      await lifecycle.recordIdpMembers("t1", "g1", { add: ["u6"], remove: [] });
      assert.deepEqual(await lifecycle.listIdpMemberships("t1"), [
        { groupId: "g1", complete: true, members: ["u5", "u6"] },
        { groupId: "g2", complete: true, members: ["u4"] },
      ]);

      await lifecycle.forgetUser("t1", "u5");
      await lifecycle.forgetIdpGroup("t1", "g2");
      assert.deepEqual(await lifecycle.listIdpMemberships("t1"), [{ groupId: "g1", complete: true, members: ["u6"] }]);
      assert.deepEqual(await lifecycle.listIdpMemberships("t2"), [{ groupId: "g1", complete: false, members: ["u9"] }]);
      await store.close();
    });
  });
}
