// userName that is not an email (Microsoft's reference SCIM collection, directories whose login is a short name):
// Zoom's email comes from emails, the userName is kept as sent, unique and filterable.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startHarness, type Harness } from "../helpers/harness.js";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

let h: Harness;

async function zoomUser(idOrEmail: string): Promise<Record<string, unknown> | undefined> {
  const answer = await h.simGet(`/_sim/users/${encodeURIComponent(idOrEmail)}`);
  return answer.status === 200 ? { ...answer.body, ...(answer.body.profile as Record<string, unknown> | undefined) } : undefined;
}

const filter = (expression: string) => h.scim("GET", `/Users?filter=${encodeURIComponent(expression)}`);

before(async () => {
  h = await startHarness({ env: { ZOOM_CREATE_ACTION: "autoCreate" } });
});
after(async () => h.close());

describe("a userName that is not an email", () => {
  let id = "";

  it("creates the Zoom user with the primary email and keeps the userName as sent", async () => {
    const mark = await h.mark();
    const created = await h.scim("POST", "/Users", {
      schemas: [CORE],
      userName: "UserName123",
      active: true,
      displayName: "BobIsAmazing",
      externalId: "ext-un123",
      name: { givenName: "Bob", familyName: "Amazing" },
      emails: [
        { primary: false, type: "home", value: "bob.home@example.com" },
        { primary: true, type: "work", value: "Bob.Work@example.com" },
      ],
    });
    assert.equal(created.status, 201, created.text);
    id = String(created.body.id);
    assert.equal(created.body.userName, "UserName123");
    const zoom = await zoomUser(id);
    assert.equal(zoom?.email, "bob.work@example.com");
    const calls = await h.callsSince(mark);
    assert.deepEqual(
      calls.filter((c) => c.method === "POST").map((c) => c.path),
      ["/v2/users"],
    );
    const read = await h.scim("GET", `/Users/${id}`);
    assert.equal(read.body.userName, "UserName123");
  });

  it("finds it by userName eq, case-insensitively, from the store", async () => {
    const mark = await h.mark();
    const found = await filter('userName eq "username123"');
    assert.equal(found.status, 200, found.text);
    assert.equal(found.body.totalResults, 1);
    const resources = found.body.Resources as Record<string, unknown>[];
    assert.equal(resources[0]?.id, id);
    assert.equal(resources[0]?.userName, "UserName123");
    // One get of the user the store named; no scan of Zoom's lists.
    assert.deepEqual(
      (await h.callsSince(mark)).map((c) => `${c.method} ${c.path}`),
      [`GET /v2/users/${id}`],
    );
    assert.equal((await filter('userName eq "bob.work@example.com"')).body.totalResults, 0, "the userName is not the email");
    assert.equal((await filter('userName sw "UserName"')).body.totalResults, 1);
  });

  it("refuses a second user with the same userName in another case (409 uniqueness), before any Zoom call", async () => {
    const mark = await h.mark();
    const again = await h.scim("POST", "/Users", {
      schemas: [CORE],
      userName: "USERNAME123",
      emails: [{ primary: true, type: "work", value: "other@example.com" }],
    });
    assert.equal(again.status, 409, again.text);
    assert.equal(again.body.scimType, "uniqueness");
    assert.deepEqual(await h.callsSince(mark), []);
  });

  it("refuses a rename onto another user's userName", async () => {
    const other = await h.scim("POST", "/Users", {
      schemas: [CORE],
      userName: "Other77",
      emails: [{ type: "work", value: "other77@example.com" }],
    });
    assert.equal(other.status, 201, other.text);
    assert.equal((await zoomUser(String(other.body.id)))?.email, "other77@example.com", "the work email when none is primary");
    const renamed = await h.scim("PATCH", `/Users/${String(other.body.id)}`, {
      schemas: [PATCH],
      Operations: [{ op: "replace", path: "userName", value: "username123" }],
    });
    assert.equal(renamed.status, 409, renamed.text);
    assert.equal(renamed.body.scimType, "uniqueness");
  });

  it("changing the primary email is Zoom's email change; the userName stays", async () => {
    const mark = await h.mark();
    const changed = await h.scim("PATCH", `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: "replace", path: 'emails[type eq "work"].value', value: "bob.new@example.com" }],
    });
    assert.equal(changed.status, 200, changed.text);
    assert.equal(changed.body.userName, "UserName123");
    assert.equal((await zoomUser(id))?.email, "bob.new@example.com");
    assert.ok((await h.callsSince(mark)).some((c) => c.method === "PUT" && c.path === `/v2/users/${id}/email`));
    assert.equal((await h.scim("GET", `/Users/${id}`)).body.userName, "UserName123");
    assert.equal((await filter('userName eq "UserName123"')).body.totalResults, 1);
  });

  it("takes the only email when there is neither a primary nor a work one", async () => {
    const created = await h.scim("POST", "/Users", {
      schemas: [CORE],
      userName: "solo",
      emails: [{ type: "other", value: "solo@example.com" }],
    });
    assert.equal(created.status, 201, created.text);
    assert.equal((await zoomUser("solo@example.com"))?.id, created.body.id);
  });

  it("answers 400 invalidValue saying so when no email is usable", async () => {
    const mark = await h.mark();
    for (const body of [
      { schemas: [CORE], userName: "NoMail1" },
      {
        schemas: [CORE],
        userName: "NoMail2",
        emails: [
          { type: "home", value: "a@x.com" },
          { type: "other", value: "b@x.com" },
        ],
      },
      { schemas: [CORE], userName: "NoMail3", emails: [{ primary: true, value: "not-an-email" }] },
    ]) {
      const refused = await h.scim("POST", "/Users", body);
      assert.equal(refused.status, 400, refused.text);
      assert.equal(refused.body.scimType, "invalidValue");
      assert.match(String(refused.body.detail), /is not an email address.*emails/);
    }
    assert.deepEqual(await h.callsSince(mark), []);
  });
});

describe("a userName that is not an email, for a pending user (Zoom's create action)", () => {
  it("invites the primary email, finds the user by userName, and re-invites that email after a cancellation", async () => {
    const pending = await startHarness();
    try {
      const created = await pending.scim("POST", "/Users", {
        schemas: [CORE],
        userName: "PendingLogin7",
        emails: [{ primary: true, type: "work", value: "pending.login7@example.com" }],
      });
      assert.equal(created.status, 201, created.text);
      const id = String(created.body.id);
      const invited = await pending.simGet(`/_sim/users/${encodeURIComponent("pending.login7@example.com")}`);
      assert.equal(invited.body.status, "pending");
      const found = await pending.scim("GET", `/Users?filter=${encodeURIComponent('userName eq "pendinglogin7"')}`);
      assert.deepEqual(
        (found.body.Resources as Record<string, unknown>[]).map((r) => [r.id, r.userName]),
        [[id, "PendingLogin7"]],
      );
      const patch = (value: boolean) =>
        pending.scim("PATCH", `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: "replace", path: "active", value }] });
      assert.equal((await patch(false)).status, 200);
      const again = await patch(true);
      assert.equal(again.status, 200, again.text);
      assert.equal(again.body.userName, "PendingLogin7");
      const reinvited = await pending.simGet(`/_sim/users/${encodeURIComponent("pending.login7@example.com")}`);
      assert.equal(reinvited.body.status, "pending", "the fresh invitation goes to the email, not to the userName");
    } finally {
      await pending.close();
    }
  });
});

describe("sorting by userName", () => {
  it("orders a userName that is not an email by the userName, not by Zoom's email", async () => {
    const make = (userName: string, email: string) =>
      h.scim("POST", "/Users", {
        schemas: [CORE],
        userName,
        name: { givenName: "S", familyName: "Ort" },
        emails: [{ primary: true, type: "work", value: email }],
      });
    assert.equal((await make("aaa-first-by-name", "zzz.last.by.email@example.com")).status, 201);
    assert.equal((await make("zzz-last-by-name@example.com", "zzz-last-by-name@example.com")).status, 201);
    const listed = await h.scim("GET", "/Users?sortBy=userName&count=1000");
    assert.equal(listed.status, 200, listed.text);
    const names = (listed.body.Resources as { userName: string }[]).map((r) => r.userName);
    assert.ok(names.indexOf("aaa-first-by-name") < names.indexOf("zzz-last-by-name@example.com"), names.join(", "));
    assert.ok(names.indexOf("aaa-first-by-name") <= 1, `sorted first: ${names.join(", ")}`);
  });
});
