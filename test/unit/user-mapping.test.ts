// SCIM ⇄ Zoom user mapping: the view a client reads and the fewest Zoom changes a desired state needs.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planUserChanges, resolveRole } from "../../src/provisioning/users/change-plan.js";
import { phoneNumbersFromZoom, phoneNumbersToZoom } from "../../src/provisioning/mapping/phone-numbers.js";
import { toScimUser, type UserViewContext } from "../../src/provisioning/users/user-view.js";
import type { StoredResource } from "../../src/store/types.js";
import type { ZoomUser } from "../../src/zoom/types.js";
import { ScimError } from "../../src/scim/errors.js";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const ZOOM_EXT = "urn:ietf:params:scim:schemas:extension:zoom:1.0:User";

const context: UserViewContext = {
  baseUrl: "https://scim.example.com/scim/v2",
  roleName: (id) => ({ "1": "Admin", "2": "Member" })[id],
  groupName: (id) => (id === "g1" ? "Engineering" : undefined),
  userIdByEmail: (email) => (email === "boss@example.com" ? "boss-id" : undefined),
};

const zoomUser: ZoomUser = {
  id: "u1",
  email: "Ada@Example.com",
  first_name: "Ada",
  last_name: "Lovelace",
  display_name: "Ada L",
  type: 2,
  status: "pending",
  role_id: "1",
  role_name: "Admin",
  dept: "R&D",
  job_title: "Engineer",
  manager: "boss@example.com",
  language: "en-US",
  group_ids: ["g1"],
  phone_numbers: [{ code: "+1", country: "US", number: "4155550100", label: "Mobile" }],
  account_id: "acc",
  user_created_at: "2026-01-01T00:00:00Z",
};

describe("toScimUser", () => {
  it("maps every Zoom field and the status", () => {
    const user = toScimUser(zoomUser, undefined, context);
    assert.equal(user.userName, "Ada@Example.com");
    assert.equal(user.active, true, "pending users are active (provisioned, waiting for acceptance)");
    assert.equal((user[ZOOM_EXT] as Record<string, unknown>).status, "pending");
    assert.equal(user.userType, "Licensed");
    assert.equal(user.title, "Engineer");
    assert.equal(user.preferredLanguage, "en-US");
    assert.deepEqual(user.phoneNumbers, [{ value: "+14155550100", type: "mobile" }]);
    assert.deepEqual(user.roles, [{ value: "Admin", display: "Admin", primary: true }]);
    assert.deepEqual((user.groups as { display: string }[])[0]?.display, "Engineering");
    assert.deepEqual((user[ENTERPRISE] as Record<string, unknown>).manager, {
      value: "boss-id",
      $ref: "https://scim.example.com/scim/v2/Users/boss-id",
      displayName: "boss@example.com",
    });
    assert.deepEqual(user.emails, [{ value: "Ada@Example.com", type: "work", primary: true }]);
    assert.equal((user.meta as Record<string, unknown>).location, "https://scim.example.com/scim/v2/Users/u1");
    assert.equal(toScimUser({ ...zoomUser, status: "inactive" }, undefined, context).active, false);
  });

  it("shows store-held attributes and the client's own spelling while Zoom still holds what it became", () => {
    const stored: StoredResource = {
      tenant: "t",
      kind: "User",
      id: "u1",
      externalId: "ext",
      email: "ada@example.com",
      emails: [],
      created: "2026-02-01T00:00:00Z",
      lastModified: "2026-02-02T00:00:00Z",
      version: 3,
      attributes: {
        scim: { nickName: "Countess", name: { formatted: "Augusta Ada King" } },
        sent: { userName: { value: "ADA@example.com", zoom: "ada@example.com" } },
      },
    };
    const user = toScimUser(zoomUser, stored, context);
    assert.equal(user.userName, "ADA@example.com");
    assert.equal(user.nickName, "Countess");
    assert.equal(user.externalId, "ext");
    assert.deepEqual(user.name, { formatted: "Augusta Ada King", givenName: "Ada", familyName: "Lovelace" });
    assert.equal((user.meta as Record<string, unknown>).created, "2026-01-01T00:00:00Z", "Zoom knows when the user was created");
    const moved = toScimUser({ ...zoomUser, email: "countess@example.com" }, stored, context);
    assert.equal(moved.userName, "countess@example.com", "a change made in Zoom shows through");
  });
});

describe("planUserChanges", () => {
  const active: ZoomUser = { ...zoomUser, status: "active" };
  const view = toScimUser(active, undefined, context);

  it("plans nothing for an unchanged user", () => {
    const plan = planUserChanges({ current: active, desired: view, stored: undefined, roles: [], managerEmail: undefined });
    assert.deepEqual(
      { email: plan.email, profile: plan.profile, status: plan.status, role: plan.role },
      { email: undefined, profile: {}, status: undefined, role: undefined },
    );
  });

  it("refuses a userName that is no email, with no usable email in emails, with a short detail, whatever its length", () => {
    // Since issue 13 such a userName is kept and Zoom's email comes from emails: without one it is refused.
    const { emails: _emails, ...withoutEmails } = view;
    for (const userName of ["a@" + ".".repeat(100_000), "no-at-sign", "two@@example.com", "x@localhost", "a b@example.com"]) {
      assert.throws(
        () =>
          planUserChanges({
            current: active,
            desired: { ...withoutEmails, userName },
            stored: undefined,
            roles: [],
            managerEmail: undefined,
          }),
        (error: unknown) =>
          error instanceof ScimError && error.status === 400 && error.scimType === "invalidValue" && error.detail.length < 300,
        userName.slice(0, 20),
      );
    }
  });

  it("takes Zoom's email from the primary email when the userName is not one, keeping the userName", () => {
    const desired = {
      ...view,
      userName: "UserName123",
      emails: [
        { value: "home@example.com", type: "home" },
        { value: "Ada.Work@example.com", type: "work", primary: true },
      ],
    };
    const plan = planUserChanges({ current: active, desired, stored: undefined, roles: [], managerEmail: undefined });
    assert.equal(plan.email, "Ada.Work@example.com");
    assert.equal(plan.store.userName, "UserName123");
    assert.deepEqual(plan.store.attributes.sent.userName, { value: "UserName123", zoom: "ada.work@example.com" });
  });

  it("plans one profile update, a status change, a role change and an email change", () => {
    const desired = {
      ...view,
      title: "CTO",
      active: false,
      userName: "ada.new@example.com",
      roles: [{ value: "Member" }],
      [ENTERPRISE]: { department: "Board" },
    };
    const plan = planUserChanges({
      current: active,
      desired,
      stored: undefined,
      roles: [
        { id: "1", name: "Admin" },
        { id: "2", name: "Member" },
      ],
      managerEmail: undefined,
    });
    assert.deepEqual(plan.profile, { job_title: "CTO", dept: "Board" });
    assert.equal(plan.status, "deactivate");
    assert.equal(plan.email, "ada.new@example.com");
    assert.deepEqual(plan.role, { from: "1", to: "2", toName: "Member" });
  });

  it("refuses roles Zoom does not have, and the Owner role", () => {
    assert.throws(() => resolveRole([{ value: "Emperor" }], []), /Emperor/);
    assert.throws(
      () =>
        planUserChanges({
          current: active,
          desired: { ...view, roles: [{ value: "Owner" }] },
          stored: undefined,
          roles: [],
          managerEmail: undefined,
        }),
      /Owner/,
    );
  });
});

describe("phone numbers", () => {
  it("splits international numbers into Zoom's parts and back", () => {
    const zoom = phoneNumbersToZoom([
      { value: "+44 20 7946 0958", type: "work" },
      { value: "+1 (415) 555-0100", type: "mobile" },
    ]);
    assert.deepEqual(zoom, [
      { code: "+44", country: "GB", number: "2079460958", label: "Office" },
      { code: "+1", country: "US", number: "4155550100", label: "Mobile" },
    ]);
    assert.deepEqual(phoneNumbersFromZoom(zoom), [
      { value: "+442079460958", type: "work" },
      { value: "+14155550100", type: "mobile" },
    ]);
  });

  it("refuses numbers without a country code and more than Zoom holds", () => {
    assert.throws(() => phoneNumbersToZoom([{ value: "555-0100" }]), /E\.164/);
    assert.throws(() => phoneNumbersToZoom(Array.from({ length: 4 }, () => ({ value: "+14155550100" }))), /at most 3/);
  });
});
