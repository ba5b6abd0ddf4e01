// The breaker's pure rules: its threshold (absolute, a share of the account with a floor, off at 0) and what counts
// as destructive in a user's change plan or a DELETE.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_TENANT_OPTIONS } from "../../src/config/types.js";
import { breakerThreshold, PERCENT_FLOOR } from "../../src/provisioning/guardrails/breaker.js";
import {
  deletionChanges,
  destructiveChangesOf,
  isLicenceDowngrade,
  isRoleDemotion,
} from "../../src/provisioning/guardrails/destructive.js";
import type { UserChangePlan } from "../../src/provisioning/users/change-plan.js";

const defaults = DEFAULT_TENANT_OPTIONS.breaker;
const plan = (over: Partial<UserChangePlan>): UserChangePlan => ({
  profile: {},
  store: { externalId: null, attributes: { scim: {}, sent: {} }, emails: [], userName: "u" },
  storeChanged: false,
  ...over,
});

describe("breakerThreshold", () => {
  it("defaults to 25 changes or 5 % of the active users, whichever is lower, in 15 minutes", () => {
    assert.deepEqual(defaults, { maxChanges: 25, maxPercent: 5, windowMs: 900_000 });
    assert.equal(breakerThreshold(defaults, 100_000), 25);
    assert.equal(breakerThreshold(defaults, 400), 20);
    assert.equal(breakerThreshold(defaults, 401), 21, "the share rounds up");
  });

  it("never lets the share of a small account go below the floor, nor above the absolute limit", () => {
    assert.equal(PERCENT_FLOOR, 5);
    assert.equal(breakerThreshold(defaults, 20), 5);
    assert.equal(breakerThreshold({ ...defaults, maxChanges: 3 }, 20), 3);
  });

  it("uses the absolute limit alone without a count or without a share, and is off at 0", () => {
    assert.equal(breakerThreshold(defaults, undefined), 25);
    assert.equal(breakerThreshold({ ...defaults, maxPercent: 0 }, 100), 25);
    assert.equal(breakerThreshold({ ...defaults, maxChanges: 0 }, 100), Infinity);
  });
});

describe("what is destructive", () => {
  it("deactivations, role demotions and licence downgrades in a user's plan; not activations, promotions or upgrades", () => {
    assert.deepEqual(destructiveChangesOf({ type: 2, role_id: "2" }, plan({ status: "deactivate" })), [{ kind: "deactivation", count: 1 }]);
    assert.deepEqual(destructiveChangesOf({ type: 1 }, plan({ status: "activate", profile: { type: 2 } })), []);
    assert.deepEqual(destructiveChangesOf({ type: 2 }, plan({ profile: { type: 1 } })), [{ kind: "licence-downgrade", count: 1 }]);
    assert.deepEqual(destructiveChangesOf({ role_id: "1" }, plan({ role: { from: "1", to: "2", toName: "Member" } })), [
      { kind: "role-demotion", count: 1 },
    ]);
    assert.deepEqual(destructiveChangesOf({ role_id: "2" }, plan({ role: { from: "2", to: "1", toName: "Admin" } })), []);
    assert.deepEqual(destructiveChangesOf({ type: 2 }, plan({ profile: { job_title: "x" } })), []);
  });

  it("ranks licences Licensed > Basic > Unassigned > None", () => {
    assert.equal(isLicenceDowngrade(2, 1), true);
    assert.equal(isLicenceDowngrade(1, 4), true);
    assert.equal(isLicenceDowngrade(4, 99), true);
    assert.equal(isLicenceDowngrade(1, 2), false);
    assert.equal(isLicenceDowngrade(undefined, 1), false);
  });

  it("calls a role change a demotion when it lands on Member or leaves Admin", () => {
    assert.equal(isRoleDemotion("custom-role", "2"), true);
    assert.equal(isRoleDemotion("1", "custom-role"), true);
    assert.equal(isRoleDemotion("2", "custom-role"), false);
    assert.equal(isRoleDemotion(undefined, "2"), false);
  });

  it("counts a DELETE by what it takes away", () => {
    assert.deepEqual(deletionChanges({ status: "pending" }, true, "deactivate"), [{ kind: "deletion", count: 1 }]);
    assert.deepEqual(deletionChanges({ status: "pending", invitation: "cancelled" }, true, "deactivate"), []);
    assert.deepEqual(deletionChanges({ status: "active" }, false, "deactivate"), [{ kind: "deactivation", count: 1 }]);
    assert.deepEqual(deletionChanges({ status: "inactive" }, false, "deactivate"), []);
    assert.deepEqual(deletionChanges({ status: "inactive" }, false, "delete"), [{ kind: "deletion", count: 1 }]);
  });
});
