// Preview mode's pure parts: how the plan's held objects lay over Zoom's answers (users by status, group members,
// groups, role members; the user a create or PATCH leaves; what of a PATCH the breaker counts), and how a planned
// call is shown (method, path, body), rewritten with Zoom's ids on apply, and summarised. No Zoom, no store.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  createdUser,
  listedForm,
  membershipChanges,
  overlayGroups,
  overlayMembers,
  overlayRoleMembers,
  overlayUserList,
  updateDestructiveness,
  updatedFeatures,
  updatedUser,
  type HeldUser,
  withMemberships,
} from "../../src/provisioning/preview/overlay.js";
import {
  categoryOf,
  describeCall,
  usersTouched,
  withZoomIds,
  type AppliedIds,
  type CallDescription,
  type PlannedCall,
  type PlannedOp,
  type StepCategory,
} from "../../src/provisioning/preview/planned-call.js";
import type { Held } from "../../src/provisioning/preview/preview-ledger.js";
import { ZoomInvalidIdentifierError } from "../../src/zoom/errors.js";
import type { ZoomGroup, ZoomGroupMember, ZoomListedUser, ZoomRoleMember, ZoomUser } from "../../src/zoom/types.js";

const user = (over: Partial<ZoomUser> & Pick<ZoomUser, "id" | "email">): ZoomUser => ({
  type: 1,
  status: "active",
  role_id: "2",
  ...over,
});

/** A user as the plan holds it: `undefined` body means the plan removed it; the email is kept lower-case. */
const held = (key: string, body: ZoomUser | undefined, options: { email?: string; planned?: boolean } = {}): HeldUser => ({
  key,
  parent: "",
  body,
  email: (options.email ?? body?.email ?? null)?.toLowerCase() ?? null,
  planned: options.planned ?? false,
});

const heldRow = <T>(key: string, body: T | undefined, parent = "", planned = false): Held<T> => ({
  key,
  parent,
  body,
  email: null,
  planned,
});

const ANN = user({ id: "ann1", email: "ann@example.com", first_name: "Ann", last_name: "Lee", display_name: "Ann Lee" });
const BOB = user({ id: "bob1", email: "bob@example.com", first_name: "Bob", last_name: "Roe", display_name: "Bob Roe", type: 2 });
const CAT = user({ id: "cat1", email: "cat@example.com", status: "inactive" });
const DAVE = user({ id: "dave1", email: "dave@example.com", status: "pending" });

const emails = (list: readonly { email: string }[]): string[] => list.map((entry) => entry.email);

describe("listedForm", () => {
  it("keeps the list's fields only, and none that are undefined", () => {
    const full = user({
      id: "ann1",
      email: "ann@example.com",
      first_name: "Ann",
      display_name: "Ann Lee",
      role_name: "Member",
      job_title: "Engineer",
      custom_attributes: [{ key: "k", value: "v" }],
      zoom_one_type: 2n ** 59n,
      plan_united_type: "1",
      dept: "R&D",
      group_ids: ["g1"],
      pmi: 123,
      verified: 1,
      last_name: undefined,
    });
    assert.deepEqual(listedForm(full), {
      id: "ann1",
      email: "ann@example.com",
      first_name: "Ann",
      display_name: "Ann Lee",
      type: 1,
      status: "active",
      role_id: "2",
      dept: "R&D",
      group_ids: ["g1"],
      pmi: 123,
      verified: 1,
    });
    assert.equal("last_name" in listedForm(full), false);
  });

  it("lists a pending user without its id, as Zoom does, and leaves the user itself alone", () => {
    const form = listedForm(DAVE);
    assert.equal("id" in form, false);
    assert.equal(form.email, "dave@example.com");
    assert.equal(DAVE.id, "dave1");
    assert.equal(listedForm(CAT).id, "cat1");
    assert.equal(listedForm(ANN).id, "ann1");
  });
});

describe("overlayUserList", () => {
  const activeList: ZoomListedUser[] = [listedForm(ANN), listedForm(BOB)];

  it("answers Zoom's list unchanged when the plan holds none of its users", () => {
    const out = overlayUserList(activeList, [held("other1", user({ id: "other1", email: "o@example.com", status: "inactive" }))], "active");
    assert.deepEqual(out, activeList);
    assert.equal(out[0], activeList[0], "an untouched user is Zoom's own row");
  });

  it("moves a user the plan deactivated from the active list to the inactive one", () => {
    const plan = [held("bob1", { ...BOB, status: "inactive" })];
    assert.deepEqual(emails(overlayUserList(activeList, plan, "active")), ["ann@example.com"]);
    const inactive = overlayUserList([listedForm(CAT)], plan, "inactive");
    assert.deepEqual(emails(inactive), ["cat@example.com", "bob@example.com"]);
    assert.deepEqual(inactive[1], listedForm({ ...BOB, status: "inactive" }));
  });

  it("moves a user the plan activated back to the active list", () => {
    const plan = [held("cat1", { ...CAT, status: "active" })];
    assert.deepEqual(overlayUserList([listedForm(CAT)], plan, "inactive"), []);
    assert.deepEqual(emails(overlayUserList(activeList, plan, "active")), ["ann@example.com", "bob@example.com", "cat@example.com"]);
  });

  it("lists a planned create in its own status only: an invitation pending without id, an autoCreate active", () => {
    const now = new Date("2026-03-01T10:00:00.000Z");
    const invited = createdUser("new1", { action: "create", user_info: { email: "eve@example.com", type: 1 } }, now);
    const auto = createdUser("new2", { action: "autoCreate", user_info: { email: "fay@example.com", type: 2 } }, now);
    const plan = [held("new1", invited, { planned: true }), held("new2", auto, { planned: true })];

    const pending = overlayUserList([listedForm(DAVE)], plan, "pending");
    assert.deepEqual(emails(pending), ["dave@example.com", "eve@example.com"]);
    assert.equal("id" in pending[1]!, false, "a pending create is listed without id");

    const active = overlayUserList(activeList, plan, "active");
    assert.deepEqual(emails(active), ["ann@example.com", "bob@example.com", "fay@example.com"]);
    assert.equal(active[2]!.id, "new2");

    assert.deepEqual(overlayUserList([], plan, "inactive"), []);
  });

  it("drops a user the plan removed, and a removed pending user found by its email alone (any case)", () => {
    assert.deepEqual(emails(overlayUserList(activeList, [held("ann1", undefined, { email: "ann@example.com" })], "active")), [
      "bob@example.com",
    ]);
    const zoomPending: ZoomListedUser[] = [{ ...listedForm(DAVE), email: "Dave@Example.com" }];
    assert.deepEqual(overlayUserList(zoomPending, [held("dave1", undefined, { email: "dave@example.com" })], "pending"), []);
  });

  it("lists a pending user the plan changed once, in its planned state, still without id", () => {
    const out = overlayUserList([listedForm(DAVE)], [held("dave1", { ...DAVE, group_ids: ["g1"] })], "pending");
    assert.equal(out.length, 1);
    assert.deepEqual(out[0], { email: "dave@example.com", type: 1, status: "pending", role_id: "2", group_ids: ["g1"] });
  });

  it("shows a user under the email the plan gave it, in Zoom's place in the list", () => {
    const out = overlayUserList(activeList, [held("ann1", { ...ANN, email: "ann.lee@example.com" })], "active");
    assert.deepEqual(emails(out), ["ann.lee@example.com", "bob@example.com"]);
    assert.equal(out[0]!.id, "ann1");
  });

  it("takes a held user without a status as active", () => {
    const { status: _status, ...noStatus } = CAT;
    const plan = [held("cat1", noStatus as ZoomUser)];
    assert.deepEqual(overlayUserList([listedForm(CAT)], plan, "inactive"), []);
    assert.deepEqual(emails(overlayUserList([], plan, "active")), ["cat@example.com"]);
  });

  it("lists one pending user when the plan cancelled an invitation and invited the same email again, whatever the order", () => {
    const again = createdUser("new3", { action: "create", user_info: { email: "dave@example.com", type: 2 } }, new Date());
    const removed = held("dave1", undefined, { email: "dave@example.com" });
    const invited = held("new3", again, { planned: true });
    for (const plan of [
      [removed, invited],
      [invited, removed],
    ]) {
      const out = overlayUserList([listedForm(DAVE)], plan, "pending");
      assert.equal(out.length, 1);
      assert.equal(out[0]!.email, "dave@example.com");
      assert.equal(out[0]!.type, 2, "the new invitation, not Zoom's old one");
    }
  });
});

describe("createdUser", () => {
  const now = new Date("2026-03-01T12:34:56.789Z");

  it("leaves an invitation pending, unverified, a Member in no group, created now to the second", () => {
    const created = createdUser("new1", { action: "create", user_info: { email: "eve@example.com", type: 2, first_name: "Eve" } }, now);
    assert.deepEqual(created, {
      id: "new1",
      email: "eve@example.com",
      type: 2,
      status: "pending",
      role_id: "2",
      role_name: "Member",
      created_at: "2026-03-01T12:34:56Z",
      user_created_at: "2026-03-01T12:34:56Z",
      language: "en-US",
      group_ids: [],
      verified: 0,
      first_name: "Eve",
      display_name: "Eve",
    });
    assert.equal("last_name" in created, false);
  });

  it("leaves autoCreate, custCreate and ssoCreate users active and verified", () => {
    for (const action of ["autoCreate", "custCreate", "ssoCreate"] as const) {
      const created = createdUser("new1", { action, user_info: { email: "eve@example.com", type: 1 } }, now);
      assert.equal(created.status, "active", action);
      assert.equal(created.verified, 1, action);
    }
  });

  it("takes the display name given, else joins first and last names", () => {
    const info = { email: "eve@example.com", type: 1 as const, first_name: "Eve", last_name: "Ng" };
    assert.equal(createdUser("n", { action: "create", user_info: info }, now).display_name, "Eve Ng");
    assert.equal(createdUser("n", { action: "create", user_info: { ...info, display_name: "E. Ng" } }, now).display_name, "E. Ng");
    assert.equal(createdUser("n", { action: "create", user_info: { ...info, first_name: "" } }, now).display_name, "Ng");
    assert.equal(createdUser("n", { action: "create", user_info: { email: "eve@example.com", type: 1 } }, now).display_name, "");
  });
});

describe("updatedUser", () => {
  it("replaces the fields given and nothing else, without touching the user it was given", () => {
    const before = structuredClone(BOB);
    const after = updatedUser(BOB, { dept: "Ops", job_title: "Lead", type: 1, zoom_one_type: 2n ** 59n, plan_united_type: "none" });
    assert.deepEqual(after, { ...BOB, dept: "Ops", job_title: "Lead", type: 1, zoom_one_type: 2n ** 59n, plan_united_type: "none" });
    assert.equal(after.zoom_one_type, 2n ** 59n, "a plan code past 2^53 stays exact");
    assert.deepEqual(BOB, before);
    assert.deepEqual(updatedUser(BOB, {}), BOB);
  });

  it("recomputes the display name when a name changes and no display name is given", () => {
    assert.equal(updatedUser(ANN, { first_name: "Anna" }).display_name, "Anna Lee");
    assert.equal(updatedUser(ANN, { last_name: "Kim" }).display_name, "Ann Kim");
    assert.equal(updatedUser(ANN, { last_name: "" }).display_name, "Ann");
    assert.equal(updatedUser(ANN, { first_name: "Anna", display_name: "Annie" }).display_name, "Annie");
    assert.equal(updatedUser({ ...ANN, display_name: "Custom" }, { dept: "Ops" }).display_name, "Custom", "no name changed");
  });

  it("merges custom attributes by key (by name without one): replaced, added, the rest kept", () => {
    const withAttributes = {
      ...ANN,
      custom_attributes: [
        { key: "k1", name: "Cost", value: "1" },
        { key: "k2", name: "Site", value: "Berlin" },
        { name: "Badge", value: "7" },
      ],
    };
    const after = updatedUser(withAttributes, {
      custom_attributes: [
        { key: "k2", name: "Site", value: "Paris" },
        { key: "k3", name: "Floor", value: "2" },
        { name: "Badge", value: "8" },
      ],
    });
    assert.deepEqual(after.custom_attributes, [
      { key: "k1", name: "Cost", value: "1" },
      { key: "k2", name: "Site", value: "Paris" },
      { name: "Badge", value: "8" },
      { key: "k3", name: "Floor", value: "2" },
    ]);
    assert.deepEqual(updatedUser(ANN, { custom_attributes: [{ key: "k1", value: "x" }] }).custom_attributes, [{ key: "k1", value: "x" }]);
    assert.deepEqual(updatedUser(withAttributes, { dept: "Ops" }).custom_attributes, withAttributes.custom_attributes);
  });

  it("adds the group of a group_id to the user's groups, once", () => {
    assert.deepEqual(updatedUser(DAVE, { group_id: "g1" }).group_ids, ["g1"]);
    assert.deepEqual(updatedUser({ ...DAVE, group_ids: ["g0", "g1"] }, { group_id: "g1" }).group_ids, ["g0", "g1"]);
    assert.deepEqual(updatedUser({ ...DAVE, group_ids: ["g0"] }, { group_id: "g1" }).group_ids, ["g0", "g1"]);
  });
});

describe("updateDestructiveness", () => {
  it("counts a licence type taken down, not one raised or kept", () => {
    assert.equal(updateDestructiveness(BOB, { type: 1 }), "licence-downgrade");
    assert.equal(updateDestructiveness(ANN, { type: 4 }), "licence-downgrade");
    assert.equal(updateDestructiveness(ANN, { type: 2 }), null);
    assert.equal(updateDestructiveness(BOB, { type: 2 }), null);
    assert.equal(updateDestructiveness(ANN, { dept: "Ops", first_name: "Anna" }), null);
  });

  it("counts a Zoom One plan turned off, whether the codes are numbers or bigints past 2^53", () => {
    assert.equal(updateDestructiveness({ ...ANN, zoom_one_type: 2n ** 59n }, { zoom_one_type: 0 }), "licence-downgrade");
    assert.equal(updateDestructiveness({ ...ANN, zoom_one_type: 2n ** 59n }, { zoom_one_type: 0n }), "licence-downgrade");
    assert.equal(updateDestructiveness({ ...ANN, zoom_one_type: 16 }, { zoom_one_type: 0n }), "licence-downgrade");
    assert.equal(updateDestructiveness({ ...ANN, zoom_one_type: 16 }, { zoom_one_type: 2n ** 59n }), null, "one plan for another");
    assert.equal(updateDestructiveness({ ...ANN, zoom_one_type: 0 }, { zoom_one_type: 0n }), null, "had none");
    assert.equal(updateDestructiveness(ANN, { zoom_one_type: 0 }), null, "had none");
    assert.equal(updateDestructiveness(ANN, { zoom_one_type: 2n ** 59n }), null);
  });

  it("counts a Zoom United plan set to none only when the user had one", () => {
    assert.equal(updateDestructiveness({ ...ANN, plan_united_type: "1" }, { plan_united_type: "none" }), "licence-downgrade");
    assert.equal(updateDestructiveness({ ...ANN, plan_united_type: "none" }, { plan_united_type: "none" }), null);
    assert.equal(updateDestructiveness(ANN, { plan_united_type: "none" }), null);
    assert.equal(updateDestructiveness({ ...ANN, plan_united_type: "1" }, { plan_united_type: "2" }), null);
  });

  it("counts Zoom Phone turned off as a phone removal, and a licence downgrade first when both", () => {
    assert.equal(updateDestructiveness(ANN, { feature: { zoom_phone: false } }), "phone-removal");
    assert.equal(updateDestructiveness(ANN, { feature: { zoom_phone: true } }), null);
    assert.equal(updateDestructiveness(BOB, { type: 1, feature: { zoom_phone: false } }), "licence-downgrade");
  });
});

describe("updatedFeatures", () => {
  it("merges the PATCH into the current settings without touching them", () => {
    const current = { zoom_phone: false, webinar: true, webinar_capacity: 500 };
    const { features, destructive } = updatedFeatures(current, { zoom_phone: true, webinar_capacity: 1000 });
    assert.deepEqual(features, { zoom_phone: true, webinar: true, webinar_capacity: 1000 });
    assert.equal(destructive, null);
    assert.deepEqual(current, { zoom_phone: false, webinar: true, webinar_capacity: 500 });
  });

  it("counts Zoom Phone taken away as a phone removal, before any add-on", () => {
    assert.equal(updatedFeatures({ zoom_phone: true }, { zoom_phone: false }).destructive, "phone-removal");
    assert.equal(updatedFeatures({ zoom_phone: true, webinar: true }, { zoom_phone: false, webinar: false }).destructive, "phone-removal");
  });

  it("counts a webinar, large meeting or events add-on taken away as a licence downgrade", () => {
    for (const key of ["webinar", "large_meeting", "zoom_events"] as const) {
      assert.equal(updatedFeatures({ [key]: true }, { [key]: false }).destructive, "licence-downgrade", key);
      assert.equal(updatedFeatures({ [key]: false }, { [key]: false }).destructive, null, key);
      assert.equal(updatedFeatures({}, { [key]: false }).destructive, null, key);
      assert.equal(updatedFeatures({ [key]: false }, { [key]: true }).destructive, null, key);
    }
    assert.equal(updatedFeatures({ zoom_phone: false }, { zoom_phone: false }).destructive, null);
    assert.equal(updatedFeatures({ webinar: true, webinar_capacity: 1000 }, { webinar_capacity: 500 }).destructive, null);
  });
});

describe("overlayMembers", () => {
  const member = (u: ZoomUser): ZoomGroupMember => ({
    id: u.id,
    email: u.email,
    type: u.type,
    ...(u.first_name !== undefined ? { first_name: u.first_name } : {}),
    ...(u.last_name !== undefined ? { last_name: u.last_name } : {}),
  });
  const real = [member(ANN), member(BOB)];
  const noUsers = new Map<string, HeldUser>();

  it("answers Zoom's members unchanged when the plan touched neither the group nor its users", () => {
    const out = overlayMembers(real, [], noUsers);
    assert.deepEqual(out, real);
    assert.equal(out[0], real[0], "an untouched member is Zoom's own row");
  });

  it("hides a real member whose row the plan removed", () => {
    assert.deepEqual(emails(overlayMembers(real, [heldRow<ZoomGroupMember>("ann1", undefined, "g1")], noUsers)), ["bob@example.com"]);
  });

  it("adds the plan's members after Zoom's, and a member already there only once", () => {
    const rows = [heldRow("cat1", member(CAT), "g1"), heldRow("bob1", member(BOB), "g1")];
    assert.deepEqual(emails(overlayMembers(real, rows, noUsers)), ["ann@example.com", "bob@example.com", "cat@example.com"]);
  });

  it("drops a member whose user the plan removed, whether Zoom's or the plan's", () => {
    const users = new Map([
      ["bob1", held("bob1", undefined, { email: "bob@example.com" })],
      ["cat1", held("cat1", undefined, { email: "cat@example.com" })],
    ]);
    assert.deepEqual(emails(overlayMembers(real, [heldRow("cat1", member(CAT), "g1")], users)), ["ann@example.com"]);
  });

  it("shows a member as the plan leaves the user: its new email, names and type", () => {
    const changed = { ...ANN, email: "ann.kim@example.com", last_name: "Kim", type: 2 as const, dept: "Ops" };
    const out = overlayMembers(real, [], new Map([["ann1", held("ann1", changed)]]));
    assert.deepEqual(out[0], { id: "ann1", email: "ann.kim@example.com", type: 2, first_name: "Ann", last_name: "Kim" });
    assert.deepEqual(out[1], member(BOB));
  });

  it("does not make a held user a member of a group it is not in", () => {
    assert.deepEqual(overlayMembers(real, [], new Map([["cat1", held("cat1", CAT)]])), real);
  });
});

describe("overlayGroups", () => {
  const sales: ZoomGroup = { id: "g1", name: "Sales", total_members: 3 };
  const ops: ZoomGroup = { id: "g2", name: "Ops", total_members: 1 };

  it("answers Zoom's groups unchanged without held rows", () => {
    assert.deepEqual(overlayGroups([sales, ops], []), [sales, ops]);
  });

  it("renames in place, drops deletions and appends the plan's creates", () => {
    const created: ZoomGroup = { id: "pg1", name: "New", total_members: 0 };
    const out = overlayGroups(
      [sales, ops],
      [heldRow("pg1", created, "", true), heldRow("g1", { ...sales, name: "Sales EMEA" }), heldRow<ZoomGroup>("g2", undefined)],
    );
    assert.deepEqual(out, [{ ...sales, name: "Sales EMEA" }, created]);
  });

  it("shows a planned create under the name the plan gave it, and not once the plan deleted it", () => {
    assert.deepEqual(overlayGroups([], [heldRow("pg1", { id: "pg1", name: "Renamed", total_members: 0 }, "", true)]), [
      { id: "pg1", name: "Renamed", total_members: 0 },
    ]);
    assert.deepEqual(overlayGroups([sales], [heldRow<ZoomGroup>("pg1", undefined, "", true)]), [sales]);
  });

  it("does not bring back a real group Zoom no longer lists", () => {
    assert.deepEqual(overlayGroups([sales], [heldRow("g2", { ...ops, name: "Ops 2" }, "", false)]), [sales]);
  });
});

describe("overlayRoleMembers", () => {
  const roleMember = (u: ZoomUser): ZoomRoleMember => ({ id: u.id, email: u.email, first_name: u.first_name, type: u.type });
  const admins: ZoomRoleMember[] = [roleMember({ ...ANN, role_id: "1" }), roleMember({ ...BOB, role_id: "1" })];

  it("answers Zoom's members unchanged when the plan holds none of them", () => {
    const out = overlayRoleMembers(admins, [held("cat1", CAT)], "1");
    assert.deepEqual(out, admins);
    assert.equal(out[0], admins[0]);
  });

  it("follows role_id: a user moved to another role leaves, a user moved in joins after Zoom's", () => {
    const plan = [held("ann1", { ...ANN, role_id: "2" }), held("cat1", { ...CAT, role_id: "1" })];
    assert.deepEqual(emails(overlayRoleMembers(admins, plan, "1")), ["bob@example.com", "cat@example.com"]);
    assert.deepEqual(emails(overlayRoleMembers([], plan, "2")), ["ann@example.com"]);
  });

  it("drops a removed user, and shows a kept one as the plan leaves it", () => {
    const plan = [
      held("ann1", undefined, { email: "ann@example.com" }),
      held("bob1", { ...BOB, role_id: "1", email: "robert@example.com" }),
    ];
    assert.deepEqual(overlayRoleMembers(admins, plan, "1"), [
      { id: "bob1", email: "robert@example.com", type: 2, first_name: "Bob", last_name: "Roe" },
    ]);
  });

  it("lists a planned (active) create among the Members", () => {
    const created = createdUser("new2", { action: "autoCreate", user_info: { email: "fay@example.com", type: 1 } }, new Date());
    assert.deepEqual(emails(overlayRoleMembers([], [held("new2", created, { planned: true })], "2")), ["fay@example.com"]);
    assert.deepEqual(overlayRoleMembers([], [held("new2", created, { planned: true })], "1"), []);
  });

  it("leaves pending users out, as Zoom's role member lists do", () => {
    const invited = createdUser("new3", { action: "create", user_info: { email: "gus@example.com", type: 1 } }, new Date());
    assert.deepEqual(overlayRoleMembers([], [held("new3", invited, { planned: true })], "2"), []);
    assert.deepEqual(overlayRoleMembers([roleMember(DAVE)], [held("dave1", { ...DAVE, role_id: "1" })], "1"), []);
  });
});

/** One call of every kind, with ids a plan could hold (u1, g1 and r1 are valid Zoom ids). */
const CALLS: { [K in PlannedOp]: Extract<PlannedCall, { op: K }> } = {
  createUser: { op: "createUser", id: "pu1", request: { action: "create", user_info: { email: "eve@example.com", type: 1 } } },
  updateUser: { op: "updateUser", user: "u1", update: { dept: "Ops", group_id: "g1" } },
  setUserStatus: { op: "setUserStatus", user: "u1", action: "deactivate" },
  deleteUser: { op: "deleteUser", user: "u1", action: "disassociate" },
  changeUserEmail: { op: "changeUserEmail", user: "u1", email: "new@example.com" },
  signOutUser: { op: "signOutUser", user: "u1" },
  createGroup: { op: "createGroup", id: "pg1", name: "New" },
  renameGroup: { op: "renameGroup", group: "g1", name: "Renamed" },
  deleteGroup: { op: "deleteGroup", group: "g1" },
  addGroupMembers: { op: "addGroupMembers", group: "g1", users: ["u1", "u2"] },
  removeGroupMember: { op: "removeGroupMember", group: "g1", user: "u1" },
  assignRole: { op: "assignRole", role: "r1", users: ["u1", "u2", "u3"] },
  unassignRole: { op: "unassignRole", role: "r1", user: "u1" },
  updatePhoneUser: { op: "updatePhoneUser", user: "u1", update: { extension_number: "1001", site_id: "s1" } },
  assignCallingPlans: { op: "assignCallingPlans", user: "u1", types: [200, 3000] },
  switchCallingPlan: { op: "switchCallingPlan", user: "u1", source: 200, target: 3000 },
  unassignCallingPlan: { op: "unassignCallingPlan", user: "u1", type: 200 },
  assignPhoneNumbers: { op: "assignPhoneNumbers", user: "u1", numbers: ["+493055501", "+493055502"] },
  unassignPhoneNumber: { op: "unassignPhoneNumber", user: "u1", number: "+493055501" },
  updateUserFeatures: { op: "updateUserFeatures", user: "u1", feature: { zoom_phone: false } },
};

describe("describeCall", () => {
  it("shows each call as the method, path and body Zoom would get", () => {
    const expected: Record<PlannedOp, CallDescription> = {
      createUser: { method: "POST", path: "/users", body: CALLS.createUser.request },
      updateUser: { method: "PATCH", path: "/users/u1", body: { dept: "Ops", group_id: "g1" } },
      setUserStatus: { method: "PUT", path: "/users/u1/status", body: { action: "deactivate" } },
      deleteUser: { method: "DELETE", path: "/users/u1?action=disassociate" },
      changeUserEmail: { method: "PUT", path: "/users/u1/email", body: { email: "new@example.com" } },
      signOutUser: { method: "DELETE", path: "/users/u1/token" },
      createGroup: { method: "POST", path: "/groups", body: { name: "New" } },
      renameGroup: { method: "PATCH", path: "/groups/g1", body: { name: "Renamed" } },
      deleteGroup: { method: "DELETE", path: "/groups/g1" },
      addGroupMembers: { method: "POST", path: "/groups/g1/members", body: { members: [{ id: "u1" }, { id: "u2" }] } },
      removeGroupMember: { method: "DELETE", path: "/groups/g1/members/u1" },
      assignRole: { method: "POST", path: "/roles/r1/members", body: { members: [{ id: "u1" }, { id: "u2" }, { id: "u3" }] } },
      unassignRole: { method: "DELETE", path: "/roles/r1/members/u1" },
      updatePhoneUser: { method: "PATCH", path: "/phone/users/u1", body: { extension_number: "1001", site_id: "s1" } },
      assignCallingPlans: {
        method: "POST",
        path: "/phone/users/u1/calling_plans",
        body: { calling_plans: [{ type: 200 }, { type: 3000 }] },
      },
      switchCallingPlan: { method: "PUT", path: "/phone/users/u1/calling_plans", body: { source_type: 200, target_type: 3000 } },
      unassignCallingPlan: { method: "DELETE", path: "/phone/users/u1/calling_plans/200" },
      assignPhoneNumbers: {
        method: "POST",
        path: "/phone/users/u1/phone_numbers",
        body: { phone_numbers: [{ number: "+493055501" }, { number: "+493055502" }] },
      },
      unassignPhoneNumber: { method: "DELETE", path: "/phone/users/u1/phone_numbers/%2B493055501" },
      updateUserFeatures: { method: "PATCH", path: "/users/u1/settings", body: { feature: { zoom_phone: false } } },
    };
    for (const op of Object.keys(CALLS) as PlannedOp[]) assert.deepEqual(describeCall(CALLS[op]), expected[op], op);
  });

  it("percent-encodes an email where Zoom takes one", () => {
    const email = "ann+x@example.com";
    assert.equal(describeCall({ op: "updateUser", user: email, update: {} }).path, "/users/ann%2Bx%40example.com");
    assert.equal(describeCall({ op: "deleteUser", user: email, action: "delete" }).path, "/users/ann%2Bx%40example.com?action=delete");
    assert.equal(describeCall({ op: "removeGroupMember", group: "g1", user: email }).path, "/groups/g1/members/ann%2Bx%40example.com");
    assert.equal(describeCall({ op: "unassignRole", role: "r1", user: email }).path, "/roles/r1/members/ann%2Bx%40example.com");
  });

  it("refuses an id that is no Zoom id (a dot segment, me) rather than show a path to another endpoint", () => {
    assert.throws(() => describeCall({ op: "removeGroupMember", group: "g1", user: ".." }), ZoomInvalidIdentifierError);
    assert.throws(() => describeCall({ op: "deleteGroup", group: "../users" }), ZoomInvalidIdentifierError);
    assert.throws(() => describeCall({ op: "signOutUser", user: "me" }), ZoomInvalidIdentifierError);
  });
});

describe("withZoomIds", () => {
  /** Marks every id it is asked for, so a field left out, or mapped as the wrong kind, shows. */
  const ids: AppliedIds = { user: (id) => `zu-${id}`, group: (id) => `zg-${id}` };
  const refusing: AppliedIds = {
    user: () => assert.fail("no user id to map"),
    group: () => assert.fail("no group id to map"),
  };

  it("sends creates as planned, without asking for any id", () => {
    assert.equal(withZoomIds(CALLS.createUser, refusing), CALLS.createUser);
    assert.equal(withZoomIds(CALLS.createGroup, refusing), CALLS.createGroup);
  });

  it("replaces every planned user and group id, and nothing else (roles, emails, numbers, plan types)", () => {
    const expected: Record<PlannedOp, PlannedCall> = {
      createUser: CALLS.createUser,
      updateUser: { op: "updateUser", user: "zu-u1", update: { dept: "Ops", group_id: "zg-g1" } },
      setUserStatus: { op: "setUserStatus", user: "zu-u1", action: "deactivate" },
      deleteUser: { op: "deleteUser", user: "zu-u1", action: "disassociate" },
      changeUserEmail: { op: "changeUserEmail", user: "zu-u1", email: "new@example.com" },
      signOutUser: { op: "signOutUser", user: "zu-u1" },
      createGroup: CALLS.createGroup,
      renameGroup: { op: "renameGroup", group: "zg-g1", name: "Renamed" },
      deleteGroup: { op: "deleteGroup", group: "zg-g1" },
      addGroupMembers: { op: "addGroupMembers", group: "zg-g1", users: ["zu-u1", "zu-u2"] },
      removeGroupMember: { op: "removeGroupMember", group: "zg-g1", user: "zu-u1" },
      assignRole: { op: "assignRole", role: "r1", users: ["zu-u1", "zu-u2", "zu-u3"] },
      unassignRole: { op: "unassignRole", role: "r1", user: "zu-u1" },
      updatePhoneUser: { op: "updatePhoneUser", user: "zu-u1", update: { extension_number: "1001", site_id: "s1" } },
      assignCallingPlans: { op: "assignCallingPlans", user: "zu-u1", types: [200, 3000] },
      switchCallingPlan: { op: "switchCallingPlan", user: "zu-u1", source: 200, target: 3000 },
      unassignCallingPlan: { op: "unassignCallingPlan", user: "zu-u1", type: 200 },
      assignPhoneNumbers: { op: "assignPhoneNumbers", user: "zu-u1", numbers: ["+493055501", "+493055502"] },
      unassignPhoneNumber: { op: "unassignPhoneNumber", user: "zu-u1", number: "+493055501" },
      updateUserFeatures: { op: "updateUserFeatures", user: "zu-u1", feature: { zoom_phone: false } },
    };
    for (const op of Object.keys(CALLS) as PlannedOp[]) assert.deepEqual(withZoomIds(CALLS[op], ids), expected[op], op);
  });

  it("leaves the planned call as it was, and adds no group_id to an update without one", () => {
    const before = structuredClone(CALLS);
    for (const call of Object.values(CALLS)) withZoomIds(call, ids);
    assert.deepEqual(CALLS, before);
    const update = withZoomIds({ op: "updateUser", user: "u1", update: { dept: "Ops" } }, ids);
    assert.deepEqual(update, { op: "updateUser", user: "zu-u1", update: { dept: "Ops" } });
  });
});

describe("categoryOf and usersTouched", () => {
  it("puts each call in its summary category", () => {
    const expected: Record<PlannedOp, StepCategory> = {
      createUser: "user creates",
      updateUser: "profile updates",
      setUserStatus: "deactivations",
      deleteUser: "user deletions",
      changeUserEmail: "email changes",
      signOutUser: "sign-outs",
      createGroup: "group creates",
      renameGroup: "group renames",
      deleteGroup: "group deletions",
      addGroupMembers: "member additions",
      removeGroupMember: "member removals",
      assignRole: "role assignments",
      unassignRole: "role removals",
      updatePhoneUser: "phone and licence changes",
      assignCallingPlans: "phone and licence changes",
      switchCallingPlan: "phone and licence changes",
      unassignCallingPlan: "phone and licence changes",
      assignPhoneNumbers: "phone and licence changes",
      unassignPhoneNumber: "phone and licence changes",
      updateUserFeatures: "phone and licence changes",
    };
    for (const op of Object.keys(CALLS) as PlannedOp[]) assert.equal(categoryOf(CALLS[op]), expected[op], op);
    assert.equal(categoryOf({ op: "setUserStatus", user: "u1", action: "activate" }), "activations");
  });

  it("counts each user of a batch of members or role assignments, one otherwise", () => {
    assert.equal(usersTouched(CALLS.addGroupMembers), 2);
    assert.equal(usersTouched(CALLS.assignRole), 3);
    assert.equal(usersTouched({ op: "addGroupMembers", group: "g1", users: [] }), 0);
    for (const op of Object.keys(CALLS) as PlannedOp[]) {
      if (op !== "addGroupMembers" && op !== "assignRole") assert.equal(usersTouched(CALLS[op]), 1, op);
    }
  });
});

describe("membershipChanges and withMemberships", () => {
  const member = (user: ZoomUser): ZoomGroupMember => ({ id: user.id, email: user.email, type: user.type });
  const changes = membershipChanges(
    [heldRow("ann1", member(ANN), "g2"), heldRow<ZoomGroupMember>("ann1", undefined, "g1"), heldRow("bob1", member(BOB), "g9")],
    [heldRow<ZoomGroup>("g3", undefined), heldRow<ZoomGroup>("g9", { id: "g9", name: "New", total_members: 0 }, "", true)],
  );

  it("adds the groups the plan joins, drops those it leaves and those it deletes", () => {
    assert.deepEqual(withMemberships({ ...ANN, group_ids: ["g1", "g3", "g4"] }, changes).group_ids, ["g4", "g2"]);
    assert.deepEqual(withMemberships({ ...BOB }, changes).group_ids, ["g9"]);
  });

  it("leaves a user the plan does not touch as it is (the same object)", () => {
    const cat = { ...CAT, group_ids: ["g4"] };
    assert.equal(withMemberships(cat, changes), cat);
    const listed: ZoomListedUser = { email: "x@example.com", type: 1, status: "pending", group_ids: ["g4"] };
    assert.equal(withMemberships(listed, changes), listed, "a user listed without an id");
  });

  it("drops a deleted group from any user", () => {
    assert.deepEqual(withMemberships({ ...CAT, group_ids: ["g3"] }, changes).group_ids, []);
  });
});
