// The drift report's rules (pure): what counts as drift of each kind, and what does not.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compareDrift, type DriftInputs } from "../../src/provisioning/guardrails/drift.js";
import type { StoredResource } from "../../src/store/types.js";

const stored = (
  id: string,
  sent: Record<string, { value: unknown; zoom: unknown }>,
  extra: Record<string, unknown> = {},
): StoredResource => ({
  tenant: "t",
  kind: "User",
  id,
  externalId: null,
  attributes: { scim: {}, sent, ...extra },
  email: `${id}@example.com`,
  emails: [],
  created: "2026-01-01T00:00:00Z",
  lastModified: "2026-01-01T00:00:00Z",
  version: 1,
});

const inputs = (over: Partial<DriftInputs>): DriftInputs => ({
  tenant: "t",
  now: new Date("2026-02-01T00:00:00Z"),
  zoomUsers: [],
  storedUsers: [],
  tombstones: new Set(),
  invited: new Set(),
  zoomGroups: [],
  storedGroups: [],
  memberships: [],
  zoomMembers: new Map(),
  ...over,
});

describe("compareDrift", () => {
  it("compares what the IdP's value became in Zoom, treating empty and absent alike", () => {
    const report = compareDrift(
      inputs({
        storedUsers: [stored("u1", { displayName: { value: "Ada", zoom: "Ada" }, "name.givenName": { value: "", zoom: null } })],
        zoomUsers: [{ id: "u1", email: "u1@example.com", type: 1, status: "active", display_name: "Ada L", first_name: "" }],
      }),
    );
    assert.deepEqual(
      report.attributes.map((d) => [d.attribute, d.expected, d.zoom]),
      [["displayName", "Ada", "Ada L"]],
    );
  });

  it("compares a field only lists lack only when the detailed user was read", () => {
    const sent = { title: { value: "Engineer", zoom: "Engineer" } };
    const listed = compareDrift(
      inputs({ storedUsers: [stored("u1", sent)], zoomUsers: [{ id: "u1", email: "u1@example.com", type: 1, status: "active" }] }),
    );
    assert.deepEqual(listed.attributes, []);
    const detailed = compareDrift(
      inputs({
        storedUsers: [stored("u1", sent)],
        zoomUsers: [{ id: "u1", email: "u1@example.com", type: 1, status: "active", job_title: "Boss" }],
      }),
    );
    assert.equal(detailed.attributes[0]?.zoom, "Boss");
  });

  it("leaves invited users and half-made creates to the lifecycle, and reports a managed user gone from Zoom", () => {
    const report = compareDrift(
      inputs({
        storedUsers: [
          stored("invited", { active: { value: true, zoom: "active" } }),
          stored("half", {}, { createIncomplete: true }),
          stored("gone", { active: { value: true, zoom: "active" } }),
        ],
        invited: new Set(["invited"]),
      }),
    );
    assert.deepEqual(
      report.status.map((d) => [d.id, d.idp, d.zoom]),
      [["gone", "active", "absent"]],
    );
  });

  it("reports members added in Zoom only for a group whose whole membership an IdP set", () => {
    const zoomUsers = ["a", "b", "c"].map((id) => ({ id, email: `${id}@example.com`, type: 1 as const, status: "active" as const }));
    const report = compareDrift(
      inputs({
        zoomUsers,
        zoomGroups: [
          { id: "g1", name: "Whole", total_members: 2 },
          { id: "g2", name: "Partial", total_members: 2 },
        ],
        memberships: [
          { groupId: "g1", complete: true, members: ["a"] },
          { groupId: "g2", complete: false, members: ["a", "b"] },
        ],
        zoomMembers: new Map([
          ["g1", ["a", "c"]],
          ["g2", ["a", "c"]],
        ]),
      }),
    );
    assert.deepEqual(
      report.memberships.map((d) => [d.groupName, d.userId, d.change]),
      [
        ["Whole", "c", "added in Zoom"],
        ["Partial", "b", "removed in Zoom"],
      ],
    );
    assert.deepEqual(report.unmanagedGroups.map((g) => g.id).sort(), ["g1", "g2"], "no store record: not managed");
  });
});
