// Concurrent writes of one resource over real HTTP: none is lost. Concurrent changes of different attributes all
// survive; of one single-valued attribute, one of them ends up; group member adds all land.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startHarness, type Harness } from "../helpers/harness.js";
import { CORE, patch, type Json } from "../helpers/pending.js";

const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
let h: Harness;
let serial = 0;

async function newUser(): Promise<string> {
  serial += 1;
  const email = `race.${serial}.${Date.now()}@example.com`;
  const created = await h.scim("POST", "/Users", {
    schemas: [CORE],
    userName: email,
    name: { givenName: "Race", familyName: `N${serial}` },
  });
  assert.equal(created.status, 201, created.text);
  return String(created.body.id);
}

before(async () => {
  h = await startHarness({ env: { ZOOM_CREATE_ACTION: "autoCreate" } });
});
after(async () => h.close());

describe("concurrent writes of one user", () => {
  it("20 PATCHes each adding an email and replacing title: all 20 emails stay, title is one of them", async () => {
    const id = await newUser();
    const before = ((await h.scim("GET", `/Users/${id}`)).body.meta as Json).version;
    const values = Array.from({ length: 20 }, (_, i) => `extra.${i}@other.example.org`);
    const answers = await Promise.all(
      values.map((value, i) =>
        h.scim(
          "PATCH",
          `/Users/${id}`,
          patch({ op: "add", path: "emails", value: [{ value, type: "other" }] }, { op: "replace", path: "title", value: `Title ${i}` }),
        ),
      ),
    );
    for (const answer of answers) assert.equal(answer.status, 200, answer.text);
    const got = await h.scim("GET", `/Users/${id}`);
    const emails = (got.body.emails as Json[]).map((e) => String(e.value).toLowerCase());
    for (const value of values) assert.ok(emails.includes(value), `${value} kept (have ${emails.join(", ")})`);
    assert.ok(
      values.some((_, i) => got.body.title === `Title ${i}`),
      `title ${String(got.body.title)}`,
    );
    // What Zoom holds agrees with the answer.
    const zoom = await h.simGet(`/_sim/users/${id}`);
    const profile = zoom.body.profile as Json | undefined;
    assert.equal(profile?.job_title ?? zoom.body.job_title, got.body.title);
    // meta.version is derived from the resource: it changed, and the 20 answers are 20 distinct states.
    assert.notEqual((got.body.meta as Json).version, before);
    assert.equal(new Set(answers.map((a) => (a.body.meta as Json).version)).size, 20, "each PATCH saw the ones before it");
  });

  it("4 PATCHes of different attributes (externalId, nickName, title, displayName) all survive, every trial", async () => {
    for (let trial = 0; trial < 5; trial++) {
      const id = await newUser();
      const answers = await Promise.all([
        h.scim("PATCH", `/Users/${id}`, patch({ op: "replace", path: "externalId", value: `ext-${trial}` })),
        h.scim("PATCH", `/Users/${id}`, patch({ op: "replace", path: "nickName", value: `nick-${trial}` })),
        h.scim("PATCH", `/Users/${id}`, patch({ op: "replace", path: "title", value: `title-${trial}` })),
        h.scim("PATCH", `/Users/${id}`, patch({ op: "replace", path: "displayName", value: `Display ${trial}` })),
      ]);
      for (const answer of answers) assert.equal(answer.status, 200, answer.text);
      const got = await h.scim("GET", `/Users/${id}`);
      assert.equal(got.body.externalId, `ext-${trial}`, `trial ${trial}`);
      assert.equal(got.body.nickName, `nick-${trial}`, `trial ${trial}`);
      assert.equal(got.body.title, `title-${trial}`, `trial ${trial}`);
      assert.equal(got.body.displayName, `Display ${trial}`, `trial ${trial}`);
    }
  });

  it("a PUT racing PATCHes: every request answers 200 and the user ends as the last write left it", async () => {
    const id = await newUser();
    const current = await h.scim("GET", `/Users/${id}`);
    const answers = await Promise.all([
      h.scim("PATCH", `/Users/${id}`, patch({ op: "replace", path: "nickName", value: "racer" })),
      h.scim("PUT", `/Users/${id}`, { ...current.body, title: "Put title" }),
      h.scim("PATCH", `/Users/${id}`, patch({ op: "replace", path: "externalId", value: "ext-put-race" })),
    ]);
    for (const answer of answers) assert.equal(answer.status, 200, answer.text);
    const got = await h.scim("GET", `/Users/${id}`);
    // The PUT omits nickName and externalId (the user had none when read): omitted is not asserted, so all survive.
    assert.equal(got.body.title, "Put title");
    assert.equal(got.body.nickName, "racer");
    assert.equal(got.body.externalId, "ext-put-race");
  });
});

describe("concurrent writes of one group", () => {
  it("member adds sent at once all land, and an externalId change racing them survives", async () => {
    const ids = await Promise.all(Array.from({ length: 8 }, () => newUser()));
    const created = await h.scim("POST", "/Groups", { schemas: [GROUP], displayName: `Racers ${Date.now()}` });
    assert.equal(created.status, 201, created.text);
    const groupId = String(created.body.id);
    const answers = await Promise.all([
      ...ids.map((id) => h.scim("PATCH", `/Groups/${groupId}`, patch({ op: "add", path: "members", value: [{ value: id }] }))),
      h.scim("PATCH", `/Groups/${groupId}`, patch({ op: "replace", path: "externalId", value: "racers-ext" })),
    ]);
    for (const answer of answers) assert.ok(answer.status === 200 || answer.status === 204, answer.text);
    const got = await h.scim("GET", `/Groups/${groupId}`);
    const members = ((got.body.members as Json[] | undefined) ?? []).map((m) => String(m.value)).sort();
    assert.deepEqual(members, [...ids].sort());
    assert.equal(got.body.externalId, "racers-ext");
  });

  it("a replace of all members racing adds: each applies whole, in some order", async () => {
    const ids = await Promise.all(Array.from({ length: 4 }, () => newUser()));
    const created = await h.scim("POST", "/Groups", {
      schemas: [GROUP],
      displayName: `Replacers ${Date.now()}`,
      members: [{ value: ids[0] }],
    });
    assert.equal(created.status, 201, created.text);
    const groupId = String(created.body.id);
    const answers = await Promise.all([
      h.scim("PATCH", `/Groups/${groupId}`, patch({ op: "replace", path: "members", value: [{ value: ids[1] }] })),
      h.scim("PATCH", `/Groups/${groupId}`, patch({ op: "add", path: "members", value: [{ value: ids[2] }] })),
      h.scim("PATCH", `/Groups/${groupId}`, patch({ op: "add", path: "members", value: [{ value: ids[3] }] })),
    ]);
    for (const answer of answers) assert.ok(answer.status === 200 || answer.status === 204, answer.text);
    const got = await h.scim("GET", `/Groups/${groupId}`);
    const members = ((got.body.members as Json[] | undefined) ?? []).map((m) => String(m.value)).sort();
    // Some order of the three, each applied whole: the replace's member, plus whichever adds came after it.
    assert.ok(members.includes(String(ids[1])), members.join(", "));
    assert.ok(!members.includes(String(ids[0])), members.join(", "));
    for (const member of members) assert.ok(ids.slice(1).includes(member), member);
  });
});

describe("concurrent creates and deletes", () => {
  it("5 POSTs of one userName at once make one Zoom user: one 201, the others 409", async () => {
    const email = `twin.${Date.now()}@example.com`;
    const since = await h.mark();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        h.scim("POST", "/Users", { schemas: [CORE], userName: email, name: { givenName: "Twin", familyName: "T" } }),
      ),
    );
    assert.deepEqual(answers.map((a) => a.status).sort(), [201, 409, 409, 409, 409], answers.map((a) => a.text).join("\n"));
    const creates = (await h.callsSince(since)).filter((c) => c.method === "POST" && c.path.endsWith("/users") && c.status < 300);
    assert.equal(creates.length, 1, "one Zoom create");
    const listed = await h.scim("GET", `/Users?filter=${encodeURIComponent(`userName eq "${email}"`)}`);
    assert.equal(listed.body.totalResults, 1, listed.text);
  });

  it("a PATCH racing a DELETE ends consistent: the user is gone for every read, and the PATCH did not revive it", async () => {
    for (let trial = 0; trial < 5; trial++) {
      const id = await newUser();
      const [patched, deleted] = await Promise.all([
        h.scim("PATCH", `/Users/${id}`, patch({ op: "replace", path: "title", value: `t${trial}` })),
        h.scim("DELETE", `/Users/${id}`),
      ]);
      assert.equal(deleted.status, 204, deleted.text);
      assert.ok(patched.status === 200 || patched.status === 404, `${patched.status} ${patched.text}`);
      assert.equal((await h.scim("GET", `/Users/${id}`)).status, 404);
      assert.equal((await h.scim("PATCH", `/Users/${id}`, patch({ op: "replace", path: "title", value: "late" }))).status, 404);
      const listed = await h.scim("GET", "/Users?startIndex=1&count=500");
      assert.ok(!(listed.body.Resources as Json[]).some((u) => u.id === id), `trial ${trial}: listed after DELETE`);
    }
  });
});
