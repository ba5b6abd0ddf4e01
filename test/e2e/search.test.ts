// POST /.search at the root (RFC 7644 §3.4.3) and SearchRequest validation of every …/.search, against the simulator.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Writable } from "node:stream";
import { createLogger } from "../../src/http/logger.js";
import { startHarness, type Harness, type ScimAnswer } from "../helpers/harness.js";

const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const SEARCH = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
const LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

let h: Harness;
/** Everything zoom-scim logs, at debug level. */
let logged = "";
const logSink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    logged += chunk.toString();
    done();
  },
});
type Resource = { id: string; userName?: string; displayName?: string; meta: { resourceType: string } };
const resources = (answer: ScimAnswer): Resource[] => answer.body.Resources as Resource[];
const search = (body: Record<string, unknown>, path = "/.search"): Promise<ScimAnswer> =>
  h.scim("POST", path, { schemas: [SEARCH], ...body });

before(async () => {
  h = await startHarness({ logger: createLogger("debug", logSink) });
  await h.simPost("/_sim/seed", {
    users: [
      { email: "find.anna@example.com", first_name: "Anna", last_name: "Find", status: "active" },
      { email: "find.ben@example.com", first_name: "Ben", last_name: "Find", status: "active" },
      { email: "other.cy@example.com", first_name: "Cy", last_name: "Other", status: "active" },
    ],
  });
  for (const name of ["find team", "Other team"]) {
    const created = await h.scim("POST", "/Groups", { schemas: [GROUP], displayName: name });
    assert.equal(created.status, 201, created.text);
  }
});
after(async () => {
  await h.close();
});

describe("POST /.search", () => {
  it("answers Users and Groups matching one filter in one ListResponse, users first", async () => {
    const answer = await search({ filter: 'displayName co "find"' });
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(answer.body.schemas, [LIST]);
    assert.equal(answer.body.totalResults, 3);
    const shown = resources(answer).map((r) => `${r.meta.resourceType} ${r.userName ?? r.displayName}`);
    // Users in the /Users list's order (creation, then id: seeded together, either may come first), then groups.
    assert.deepEqual(shown.slice(0, 2).sort(), ["User find.anna@example.com", "User find.ben@example.com"]);
    assert.equal(shown[2], "Group find team");
  });

  it("matches no resource of a type whose schema lacks the filtered attribute", async () => {
    const answer = await search({ filter: 'userName sw "find."', attributes: ["userName"] });
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(
      resources(answer).map((r) => r.meta?.resourceType ?? "User"),
      ["User", "User"],
    );
    assert.equal((await search({ filter: 'shoeSize eq "9"' })).status, 400, "an attribute no type has is the client's error");
  });

  it("pages across both types, and sorts across them", async () => {
    const filter = 'displayName co "find"';
    const second = await search({ filter, startIndex: 2, count: 2 });
    assert.equal(second.body.totalResults, 3);
    assert.equal(second.body.startIndex, 2);
    const whole = (await search({ filter })).body.Resources as Resource[];
    assert.deepEqual(
      resources(second).map((r) => r.id),
      whole.slice(1, 3).map((r) => r.id),
      "the second user, then the group",
    );
    const sorted = await search({ filter, sortBy: "displayName", sortOrder: "descending", attributes: ["displayName"] });
    assert.equal(sorted.status, 200, sorted.text);
    assert.deepEqual(
      resources(sorted).map((r) => r.displayName),
      ["find team", "Ben Find", "Anna Find"],
    );
    assert.equal(resources(sorted)[0]?.userName, undefined, "the projection applies");
  });

  it("refuses bodies that are not SearchRequests with 400 invalidSyntax, on every .search", async () => {
    for (const path of ["/.search", "/Users/.search", "/Groups/.search"]) {
      const unnamed = await h.scim("POST", path, { filter: 'userName sw "find."' });
      assert.equal(unnamed.status, 400, `${path}: ${unnamed.text}`);
      assert.equal(unnamed.body.scimType, "invalidSyntax");
      const wrong = await h.scim("POST", path, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"] });
      assert.equal(wrong.status, 400, `${path}: ${wrong.text}`);
      const array = await h.scim("POST", path, [{ schemas: [SEARCH] }]);
      assert.equal(array.status, 400, `${path}: ${array.text}`);
    }
    assert.equal((await search({}, "/Groups/.search")).status, 200);
  });

  it("keeps the body's filter out of the logs, which do log the request", async () => {
    logged = "";
    const answer = await search({ filter: 'userName eq "secret.person@example.com"' }, "/Users/.search");
    assert.equal(answer.status, 200, answer.text);
    assert.match(logged, /\/scim\/v2\/Users\/\.search/, "the request is logged");
    assert.doesNotMatch(logged, /secret\.person/, "not even in the debug log of the Zoom lookup it made");
    assert.match(logged, /\/users\/\{email\}/);
  });
});
