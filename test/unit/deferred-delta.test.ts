// The pending lifecycle's pure parts: what a change defers, how deferred changes lay over a view, backoff.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { nextAttemptAt } from "../../src/provisioning/gateway/deferred-drain.js";
import { applyDelta, deltaPaths, zoomHeldDelta } from "../../src/provisioning/users/deferred-delta.js";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const ZOOM_EXT = "urn:ietf:params:scim:schemas:extension:zoom:1.0:User";

const view = {
  userName: "ann@example.com",
  name: { givenName: "Ann", familyName: "Lee", formatted: "Ann Lee" },
  title: "Engineer",
  userType: "Basic",
  roles: [{ value: "Member", display: "Member", primary: true }],
  emails: [{ value: "ann@example.com", type: "work", primary: true }],
  nickName: "annie",
  [ENTERPRISE]: { department: "R&D", employeeNumber: "7" },
  [ZOOM_EXT]: { status: "pending", type: 1 },
};

describe("zoomHeldDelta", () => {
  it("keeps only the Zoom-held attributes that change, path by path", () => {
    const desired = {
      ...view,
      title: "Lead",
      nickName: "ann",
      name: { ...view.name, givenName: "Anna" },
      [ENTERPRISE]: { department: "Ops", employeeNumber: "8" },
    };
    assert.deepEqual(zoomHeldDelta(view, desired), { title: "Lead", name: { givenName: "Anna" }, [ENTERPRISE]: { department: "Ops" } });
  });

  it("says null for a value removed, so that applying it clears Zoom's", () => {
    const { title: _title, ...desired } = view;
    assert.deepEqual(zoomHeldDelta(view, desired), { title: null });
  });

  it("sees no change in spelling alone: userName case, userType case, a role's display, a role by id", () => {
    const desired = { ...view, userName: "Ann@Example.com", userType: "basic", roles: [{ value: "2" }] };
    assert.equal(zoomHeldDelta(view, desired, [{ id: "2", name: "Member" }]), undefined);
    assert.equal(zoomHeldDelta(view, { ...view, roles: [{ value: "Member" }] }), undefined);
  });

  it("treats an absent licence, role or language as no assertion, as the plan does", () => {
    const { userType: _t, roles: _r, ...desired } = view;
    assert.equal(zoomHeldDelta(view, desired), undefined);
    assert.deepEqual(zoomHeldDelta(view, { ...view, roles: [{ value: "Admin" }] }), { roles: [{ value: "Admin" }] });
  });

  it("clears a manager only when asked with null", () => {
    const withManager = { ...view, [ENTERPRISE]: { ...view[ENTERPRISE], manager: { value: "m1", displayName: "boss@example.com" } } };
    assert.equal(
      zoomHeldDelta(withManager, { ...withManager, [ENTERPRISE]: { ...withManager[ENTERPRISE], manager: { value: "m1" } } }),
      undefined,
    );
    assert.deepEqual(zoomHeldDelta(withManager, { ...withManager, [ENTERPRISE]: { ...view[ENTERPRISE], manager: null } }), {
      [ENTERPRISE]: { manager: null },
    });
  });
});

describe("applyDelta", () => {
  it("sets and clears path by path, leaving store-held neighbours alone", () => {
    const resource = structuredClone(view) as Record<string, unknown>;
    applyDelta(resource, { title: null, name: { givenName: "Anna" }, [ENTERPRISE]: { department: "Ops" } });
    assert.equal(resource.title, undefined);
    assert.deepEqual(resource.name, { givenName: "Anna", familyName: "Lee", formatted: "Ann Lee" });
    assert.deepEqual(resource[ENTERPRISE], { department: "Ops", employeeNumber: "7" });
  });

  it("reads version 1's kept POST attributes (whole extension objects) by their Zoom-held paths only", () => {
    const resource = structuredClone(view) as Record<string, unknown>;
    applyDelta(resource, { title: "CTO", [ZOOM_EXT]: { status: "active", type: 2, location: "Paris" } });
    assert.deepEqual(resource[ZOOM_EXT], { status: "pending", type: 2, location: "Paris" }, "status is never a change");
    assert.deepEqual(deltaPaths({ title: "CTO", [ZOOM_EXT]: { status: "active", type: 2 } }), ["title", `${ZOOM_EXT}:type`]);
  });

  it("applied in order, leaves what the last change asked", () => {
    const resource = structuredClone(view) as Record<string, unknown>;
    for (const change of [{ title: "A" }, { title: "B", roles: [{ value: "Admin" }] }, { title: null }]) applyDelta(resource, change);
    assert.equal(resource.title, undefined);
    assert.deepEqual(resource.roles, [{ value: "Admin" }]);
  });
});

describe("nextAttemptAt", () => {
  const now = new Date("2026-01-01T00:00:00Z");
  const wait = (attempts: number, retryAfter?: number) => nextAttemptAt(now, attempts, retryAfter).getTime() - now.getTime();

  it("backs off from 5 s, doubling, up to an hour", () => {
    assert.deepEqual(
      [1, 2, 3, 4].map((n) => wait(n)),
      [5_000, 10_000, 20_000, 40_000],
    );
    assert.equal(wait(30), 3_600_000);
  });

  it("never retries before Zoom's Retry-After", () => {
    assert.equal(wait(1, 60), 60_000);
  });
});
