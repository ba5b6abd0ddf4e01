// POST /Bulk (RFC 7644 §3.7) over HTTP against the simulator: POST, PUT, PATCH and DELETE of Users and Groups,
// bulkId references resolved in dependency order, failOnErrors, circular references refused, maxOperations and the
// body limit (413), and each operation costing the Zoom calls it would cost alone.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startHarness, type Harness, type SimCall } from "../helpers/harness.js";

const BULK = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

type Json = Record<string, unknown>;
interface OpAnswer {
  method: string;
  bulkId?: string;
  status: string;
  location?: string;
  version?: string;
  response?: Json;
}

let h: Harness;
before(async () => {
  h = await startHarness({ env: { ZOOM_CREATE_ACTION: "autoCreate" } });
});
after(async () => h.close());

const bulk = (Operations: unknown[], extra: Json = {}) => h.scim("POST", "/Bulk", { schemas: [BULK], Operations, ...extra });
const answers = (body: Json): OpAnswer[] => body.Operations as OpAnswer[];
const idOf = (answer: OpAnswer | undefined): string => String(answer?.location?.split("/").at(-1));
const tally = (calls: SimCall[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const c of calls) {
    const key = `${c.method} ${c.path.replace(/\/v2\/users\/[^/]+/, "/v2/users/{id}").replace(/\/v2\/groups\/[^/]+/, "/v2/groups/{id}")}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
};

describe("POST /Bulk", () => {
  it("is advertised: supported, 1,000 operations, the body limit", async () => {
    const spc = await h.scim("GET", "/ServiceProviderConfig");
    assert.deepEqual(spc.body.bulk, { supported: true, maxOperations: 1000, maxPayloadSize: 5 * 1024 * 1024 });
  });

  it("creates 100 users and a group holding all of them in one request, at the cost of single requests", async () => {
    const users = Array.from({ length: 100 }, (_, i) => ({
      method: "POST",
      path: "/Users",
      bulkId: `u${i}`,
      data: { schemas: [CORE], userName: `bulk${i}@example.com`, name: { givenName: "Bulk", familyName: `No${i}` } },
    }));
    // The group comes first in the request: its members' bulkIds make it run last.
    const groupOp = {
      method: "POST",
      path: "/Groups",
      bulkId: "everyone",
      data: { schemas: [GROUP], displayName: "Bulk Everyone", members: users.map((u) => ({ value: `bulkId:${u.bulkId}` })) },
    };
    const mark = await h.mark();
    const answer = await bulk([groupOp, ...users]);
    assert.equal(answer.status, 200, answer.text);
    const ops = answers(answer.body);
    assert.equal(ops.length, 101);
    assert.deepEqual(new Set(ops.map((o) => o.status)), new Set(["201"]), answer.text.slice(0, 500));
    assert.equal(ops[0]?.bulkId, "everyone");
    assert.match(String(ops[0]?.location), /\/scim\/v2\/Groups\/[^/]+$/);
    assert.match(String(ops[1]?.location), /\/scim\/v2\/Users\/[^/]+$/);
    // A user's create answer has no version (Zoom's create answer does not show the whole user); a group's has.
    assert.equal(ops[1]?.version, undefined);
    assert.ok(ops[0]?.version?.startsWith('W/"'));

    const groupId = idOf(ops[0]);
    const userIds = ops.slice(1).map(idOf);
    const zoomGroup = await h.simGet(`/_sim/groups/${groupId}`);
    assert.equal(zoomGroup.status, 200);
    assert.deepEqual([...(zoomGroup.body.member_ids as string[])].sort(), [...userIds].sort(), "Zoom holds the group with all 100");
    const zoomUser = await h.simGet(`/_sim/users/${userIds[42]}`);
    assert.equal(zoomUser.body.email, "bulk42@example.com");

    // Each create is Zoom's one create call (names go with it); the group is one create, one scan of the three
    // user lists to judge 100 member ids, and ceil(100/30) = 4 member adds: 108 calls, as 101 requests would cost.
    assert.deepEqual(tally(await h.callsSince(mark)), {
      "POST /v2/users": 100,
      "POST /v2/groups": 1,
      "GET /v2/users": 3,
      "POST /v2/groups/{id}/members": 4,
    });
    const read = await h.scim("GET", `/Groups/${groupId}`);
    assert.equal((read.body.members as unknown[]).length, 100);
  });

  it("costs exactly what the same operations cost as single requests, on a server in the same state", async () => {
    // A second server and simulator, fresh as the first was: 100 POST /Users and one POST /Groups, one by one.
    const single = await startHarness({ env: { ZOOM_CREATE_ACTION: "autoCreate" } });
    try {
      const mark = await single.mark();
      const ids: string[] = [];
      for (let i = 0; i < 100; i++) {
        const created = await single.scim("POST", "/Users", {
          schemas: [CORE],
          userName: `bulk${i}@example.com`,
          name: { givenName: "Bulk", familyName: `No${i}` },
        });
        assert.equal(created.status, 201, created.text);
        ids.push(String(created.body.id));
      }
      const group = await single.scim("POST", "/Groups", {
        schemas: [GROUP],
        displayName: "Bulk Everyone",
        members: ids.map((value) => ({ value })),
      });
      assert.equal(group.status, 201, group.text);
      assert.deepEqual(tally(await single.callsSince(mark)), {
        "POST /v2/users": 100,
        "POST /v2/groups": 1,
        "GET /v2/users": 3,
        "POST /v2/groups/{id}/members": 4,
      });
    } finally {
      await single.close();
    }
  });

  it("runs PUT, PATCH and DELETE of Users and Groups, and answers each", async () => {
    const created = await bulk([
      { method: "POST", path: "/Users", bulkId: "ann", data: { schemas: [CORE], userName: "ann.bulk@example.com" } },
      { method: "POST", path: "/Groups", bulkId: "team", data: { schemas: [GROUP], displayName: "Bulk Team" } },
    ]);
    const [ann, team] = answers(created.body).map(idOf);
    const mark = await h.mark();
    const answer = await bulk([
      { method: "PUT", path: `/Users/${ann}`, data: { schemas: [CORE], userName: "ann.bulk@example.com", title: "Lead" } },
      {
        method: "PATCH",
        path: `/Groups/${team}`,
        data: { schemas: [PATCH], Operations: [{ op: "add", path: "members", value: [{ value: ann }] }] },
      },
      {
        method: "PATCH",
        path: `/Users/${ann}`,
        data: { schemas: [PATCH], Operations: [{ op: "replace", path: "name.givenName", value: "Ann" }] },
      },
      { method: "PUT", path: `/Groups/${team}`, data: { schemas: [GROUP], displayName: "Bulk Team Renamed" } },
      { method: "DELETE", path: `/Groups/${team}` },
      { method: "DELETE", path: `/Users/${ann}` },
    ]);
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(
      answers(answer.body).map((o) => [o.method, o.status]),
      [
        ["PUT", "200"],
        ["PATCH", "204"],
        ["PATCH", "200"],
        ["PUT", "200"],
        ["DELETE", "204"],
        ["DELETE", "204"],
      ],
    );
    assert.equal(answers(answer.body)[4]?.location?.endsWith(`/Groups/${team}`), true);
    const writes = (await h.callsSince(mark)).filter((c) => c.method !== "GET").map((c) => `${c.method} ${c.path}`);
    assert.deepEqual(writes, [
      `PATCH /v2/users/${ann}`,
      `POST /v2/groups/${team}/members`,
      `PATCH /v2/users/${ann}`,
      `PATCH /v2/groups/${team}`,
      `DELETE /v2/groups/${team}`,
      // SCIM_DELETE_MODE's default: deactivate.
      `PUT /v2/users/${ann}/status`,
    ]);
    assert.equal((await h.simGet(`/_sim/groups/${team}`)).status, 404);
    assert.equal((await h.scim("GET", `/Users/${ann}`)).status, 404);
  });

  it("answers a failed operation with its SCIM error, goes on, and fails what references it", async () => {
    await h.scim("POST", "/Users", { schemas: [CORE], userName: "taken.bulk@example.com" });
    const answer = await bulk([
      { method: "POST", path: "/Users", bulkId: "dup", data: { schemas: [CORE], userName: "taken.bulk@example.com" } },
      {
        method: "POST",
        path: "/Groups",
        bulkId: "g",
        data: { schemas: [GROUP], displayName: "Dup Group", members: [{ value: "bulkId:dup" }] },
      },
      {
        method: "PATCH",
        path: "/Users/nosuchuser",
        data: { schemas: [PATCH], Operations: [{ op: "replace", path: "title", value: "x" }] },
      },
      { method: "POST", path: "/Users", bulkId: "ok", data: { schemas: [CORE], userName: "fine.bulk@example.com" } },
    ]);
    assert.equal(answer.status, 200);
    const ops = answers(answer.body);
    assert.deepEqual(
      ops.map((o) => o.status),
      ["409", "409", "404", "201"],
    );
    assert.equal(ops[0]?.response?.scimType, "uniqueness");
    assert.equal(ops[0]?.response?.status, "409");
    assert.match(String(ops[1]?.response?.detail), /bulkId:dup/);
    assert.equal((await h.simGet("/_sim/users/fine.bulk@example.com")).status, 200);
  });

  it("stops after failOnErrors errors, leaving the rest unprocessed", async () => {
    const mark = await h.mark();
    const answer = await bulk(
      [
        { method: "DELETE", path: "/Users/nosuchuser1" },
        { method: "DELETE", path: "/Groups/nosuchgroup" },
        { method: "POST", path: "/Users", bulkId: "late", data: { schemas: [CORE], userName: "late.bulk@example.com" } },
      ],
      { failOnErrors: 2 },
    );
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(
      answers(answer.body).map((o) => o.status),
      ["404", "404"],
    );
    assert.equal((await h.simGet("/_sim/users/late.bulk@example.com")).status, 404);
    assert.ok(!(await h.callsSince(mark)).some((c) => c.method === "POST"));
  });

  it("refuses circular references with 409 and creates none of them", async () => {
    const mark = await h.mark();
    const answer = await bulk([
      {
        method: "POST",
        path: "/Groups",
        bulkId: "a",
        data: { schemas: [GROUP], displayName: "Circle A", members: [{ value: "bulkId:b" }] },
      },
      {
        method: "POST",
        path: "/Groups",
        bulkId: "b",
        data: { schemas: [GROUP], displayName: "Circle B", members: [{ value: "bulkId:a" }] },
      },
    ]);
    assert.equal(answer.status, 200, answer.text);
    const ops = answers(answer.body);
    assert.deepEqual(
      ops.map((o) => o.status),
      ["409", "409"],
    );
    assert.match(String(ops[0]?.response?.detail), /circle/);
    assert.deepEqual(await h.callsSince(mark), []);
  });

  it("takes each operation's version as its If-Match: a stale one fails that operation with 412 and changes nothing", async () => {
    const created = await bulk([
      { method: "POST", path: "/Users", bulkId: "v", data: { schemas: [CORE], userName: "versioned.bulk@example.com", title: "First" } },
    ]);
    const id = idOf(answers(created.body)[0]);
    const current = String(((await h.scim("GET", `/Users/${id}`)).body.meta as Json).version);
    const rename = (title: string) => ({ schemas: [PATCH], Operations: [{ op: "replace", path: "title", value: title }] });
    const mark = await h.mark();
    const answer = await bulk([
      { method: "PATCH", path: `/Users/${id}`, version: 'W/"stale"', data: rename("Stale") },
      { method: "PATCH", path: `/Users/${id}`, version: current, data: rename("Second") },
      { method: "DELETE", path: `/Users/${id}`, version: current },
    ]);
    assert.equal(answer.status, 200, answer.text);
    const ops = answers(answer.body);
    assert.deepEqual(
      ops.map((o) => o.status),
      ["412", "200", "412"],
    );
    assert.equal(ops[0]?.response?.status, "412");
    assert.match(String(ops[0]?.response?.detail), /has changed since the version If-Match names/);
    assert.notEqual(ops[1]?.version, current, "the PATCH gave the user a new version");
    const read = await h.scim("GET", `/Users/${id}`);
    assert.equal(read.body.title, "Second");
    assert.equal(ops[1]?.version, (read.body.meta as Json).version, "the version a bulk answer gives is the one a GET shows");
    // One Zoom write: the matching PATCH; the stale ones cost no write.
    assert.equal((await h.callsSince(mark)).filter((c) => c.method !== "GET").length, 1);
    const post = await bulk([
      { method: "POST", path: "/Users", bulkId: "w", version: current, data: { schemas: [CORE], userName: "w@example.com" } },
    ]);
    assert.equal(post.status, 400);
    assert.match(String(post.body.detail), /no version to match/);
  });

  it("answers 413 past maxOperations and past the body limit, and 400 for a malformed request, before any Zoom call", async () => {
    const mark = await h.mark();
    const many = Array.from({ length: 1001 }, (_, i) => ({ method: "DELETE", path: `/Users/u${i}` }));
    const tooMany = await bulk(many);
    assert.equal(tooMany.status, 413, tooMany.text);
    assert.match(String(tooMany.body.detail), /1001 operations; at most 1000/);
    const huge = await bulk([
      { method: "POST", path: "/Users", bulkId: "x", data: { userName: "x@example.com", nickName: "n".repeat(6 * 1024 * 1024) } },
    ]);
    assert.equal(huge.status, 413);
    const malformed = await bulk([{ method: "POST", path: "/Users", data: { userName: "x@example.com" } }]);
    assert.equal(malformed.status, 400);
    assert.match(String(malformed.body.detail), /needs a bulkId/);
    assert.deepEqual(await h.callsSince(mark), []);
  });
});
