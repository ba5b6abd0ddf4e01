// sortBy and sortOrder (RFC 7644 §3.4.2.3) on /Users and /Groups, by GET and POST …/.search, against the simulator.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startHarness, type Harness, type ScimAnswer } from "../helpers/harness.js";

const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const SEARCH = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";

let h: Harness;
const resources = (answer: ScimAnswer): Record<string, unknown>[] => answer.body.Resources as Record<string, unknown>[];
const userNames = (answer: ScimAnswer): string[] => resources(answer).map((r) => String(r.userName));
const families = (answer: ScimAnswer): (string | undefined)[] =>
  resources(answer).map((r) => (r.name as { familyName?: string } | undefined)?.familyName);

before(async () => {
  h = await startHarness();
  await h.simPost("/_sim/seed", {
    users: [
      { email: "sort.carol@example.com", first_name: "Carol", last_name: "baker", status: "active", job_title: "Chef" },
      { email: "Sort.Alice@example.com", first_name: "Alice", last_name: "Young", status: "active", job_title: "architect" },
      { email: "sort.bob@example.com", first_name: "Bob", last_name: "Adams", status: "active", job_title: "Buyer" },
      { email: "sort.dave@example.com", first_name: "Dave", status: "active" },
      // More users than a sort by a detail-only attribute reads one by one.
      ...Array.from({ length: 201 }, (_, i) => ({ email: `many${i}@example.com`, status: "active" })),
    ],
  });
});
after(async () => {
  await h.close();
});

describe("sorting", () => {
  it("advertises sort.supported", async () => {
    assert.deepEqual((await h.scim("GET", "/ServiceProviderConfig")).body.sort, { supported: true });
  });

  it("sorts users by userName case-insensitively from Zoom's list alone (no Zoom get per user)", async () => {
    const filter = encodeURIComponent('userName sw "sort."');
    const mark = await h.mark();
    const answer = await h.scim("GET", `/Users?sortBy=userName&filter=${filter}`);
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(
      userNames(answer).map((n) => n.toLowerCase()),
      ["sort.alice@example.com", "sort.bob@example.com", "sort.carol@example.com", "sort.dave@example.com"],
    );
    const plain = await h.scim("GET", "/Users?sortBy=userName&sortOrder=descending&count=2");
    assert.equal(plain.status, 200, plain.text);
    assert.equal(resources(plain).length, 2);
    const names = userNames(plain).map((n) => n.toLowerCase());
    assert.deepEqual(names, [...names].sort().reverse());
    const calls = await h.callsSince(mark);
    assert.deepEqual(
      calls.filter((c) => /^\/v2\/users\/[^/]+$/.test(c.path)),
      [],
      "no user was read one by one to sort",
    );
  });

  it("puts users without the attribute last ascending, first descending, and is stable", async () => {
    const filter = encodeURIComponent('userName sw "sort."');
    const ascending = await h.scim("GET", `/Users?filter=${filter}&sortBy=name.familyName`);
    assert.deepEqual(families(ascending), ["Adams", "baker", "Young", undefined]);
    const descending = await h.scim("GET", `/Users?filter=${filter}&sortBy=name.familyName&sortOrder=descending`);
    assert.deepEqual(families(descending), [undefined, "Young", "baker", "Adams"]);
    const again = await h.scim("GET", `/Users?filter=${filter}&sortBy=active`);
    assert.deepEqual(userNames(again), userNames(await h.scim("GET", `/Users?filter=${filter}`)), "equal keys keep the list's order");
  });

  it("sorts by an attribute Zoom's list lacks (title) by reading the few users it must, and refuses many", async () => {
    const filter = encodeURIComponent('userName sw "sort."');
    const answer = await h.scim("GET", `/Users?filter=${filter}&sortBy=title&attributes=title,userName`);
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(
      resources(answer).map((r) => r.title),
      ["architect", "Buyer", "Chef", undefined],
    );
    const mark = await h.mark();
    const refused = await h.scim("GET", "/Users?sortBy=title");
    assert.equal(refused.status, 400, refused.text);
    assert.equal(refused.body.scimType, "invalidValue");
    assert.equal((await h.callsSince(mark)).filter((c) => /^\/v2\/users\/[^/]+$/.test(c.path)).length, 0, "refused before any get");
  });

  it("sorts a POST /Users/.search by its body's sortBy and sortOrder", async () => {
    const answer = await h.scim("POST", "/Users/.search", {
      schemas: [SEARCH],
      filter: 'userName sw "sort."',
      sortBy: "name.givenName",
      sortOrder: "descending",
      attributes: ["name"],
    });
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(
      resources(answer).map((r) => (r.name as { givenName: string }).givenName),
      ["Dave", "Carol", "Bob", "Alice"],
    );
  });

  it("sorts groups by displayName, and refuses an unknown sortBy or sortOrder with 400", async () => {
    for (const name of ["sort beta", "Sort Alpha", "sort gamma"]) {
      const created = await h.scim("POST", "/Groups", { schemas: [GROUP], displayName: name });
      assert.equal(created.status, 201, created.text);
    }
    const answer = await h.scim("GET", `/Groups?sortBy=displayName&filter=${encodeURIComponent('displayName sw "sort"')}`);
    assert.deepEqual(
      resources(answer).map((r) => r.displayName),
      ["Sort Alpha", "sort beta", "sort gamma"],
    );
    const down = await h.scim("POST", "/Groups/.search", { schemas: [SEARCH], sortBy: "displayName", sortOrder: "descending" });
    const names = resources(down).map((r) => String(r.displayName).toLowerCase());
    assert.deepEqual(names, [...names].sort().reverse());
    const unknown = await h.scim("GET", "/Users?sortBy=shoeSize");
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.scimType, "invalidValue");
    assert.equal((await h.scim("GET", "/Groups?sortBy=displayName&sortOrder=up")).status, 400);
  });
});
