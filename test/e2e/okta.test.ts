// Okta's SCIM 2.0 client end to end, request for request as Okta sends them (per Okta's SCIM 2.0 developer guide):
// assign, import paging, profile PUT, deactivate/reactivate, group push, and the SPEC test Okta runs before listing
// an app. Each flow ends by reading the simulator: Zoom must hold exactly what Okta intended.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startHarness, type Harness, type ScimAnswer } from "../helpers/harness.js";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
const OKTA = { "user-agent": "Okta SCIM Client 1.0.0" };

let h: Harness;

/** Okta's requests: its user agent, and (as its SPEC test does) no Content-Type on bodies. */
async function okta(method: string, path: string, body?: unknown): Promise<ScimAnswer> {
  return h.scim(method, path, undefined, { headers: OKTA, ...(body === undefined ? {} : { raw: JSON.stringify(body) }) });
}

async function zoomUser(idOrEmail: string): Promise<Record<string, unknown> | undefined> {
  const answer = await h.simGet(`/_sim/users/${encodeURIComponent(idOrEmail)}`);
  return answer.status === 200 ? { ...answer.body, ...(answer.body.profile as Record<string, unknown> | undefined) } : undefined;
}

async function zoomGroup(id: string): Promise<{ name: string; member_ids: string[] } | undefined> {
  const answer = await h.simGet(`/_sim/groups/${encodeURIComponent(id)}`);
  return answer.status === 200 ? (answer.body as unknown as { name: string; member_ids: string[] }) : undefined;
}

const filter = (expression: string): string => encodeURIComponent(expression);

/** Okta's create body for an assigned user. */
function oktaUser(login: string, given: string, family: string, externalId: string): Record<string, unknown> {
  return {
    schemas: [CORE],
    userName: login,
    name: { givenName: given, familyName: family },
    emails: [{ primary: true, value: login, type: "work" }],
    displayName: `${given} ${family}`,
    locale: "en-US",
    externalId,
    groups: [],
    password: "Okta-Generated-1!",
    active: true,
  };
}

/** Okta's assignment: look the user up by userName, create it when absent, link by id. */
async function assign(body: Record<string, unknown>): Promise<string> {
  const lookup = await okta("GET", `/Users?filter=${filter(`userName eq "${String(body.userName)}"`)}&startIndex=1&count=100`);
  assert.equal(lookup.status, 200, lookup.text);
  if ((lookup.body.totalResults as number) > 0) return String((lookup.body.Resources as { id: string }[])[0]?.id);
  const created = await okta("POST", "/Users", body);
  assert.equal(created.status, 201, created.text);
  return String(created.body.id);
}

before(async () => {
  h = await startHarness({ env: { ZOOM_CREATE_ACTION: "autoCreate" } });
});
after(async () => h.close());

describe("Okta user lifecycle", () => {
  let id: string;

  it("assigns: filter lookup finds nothing, then POST creates; an existing user is linked, a duplicate POST is 409", async () => {
    id = await assign(oktaUser("ann.okta@example.com", "Ann", "Okta", "00u1ann"));
    const zoom = await zoomUser(id);
    assert.deepEqual(
      [zoom?.email, zoom?.first_name, zoom?.last_name, zoom?.display_name, zoom?.status],
      ["ann.okta@example.com", "Ann", "Okta", "Ann Okta", "active"],
    );
    assert.equal(zoom?.language, "en-US");
    // Reassigning finds the user and links it by id, without a second create.
    const mark = await h.mark();
    assert.equal(await assign(oktaUser("ANN.okta@example.com", "Ann", "Okta", "00u1ann")), id);
    assert.equal((await h.callsSince(mark)).filter((c) => c.method === "POST").length, 0);
    const duplicate = await okta("POST", "/Users", oktaUser("ann.okta@example.com", "Ann", "Okta", "00u1ann"));
    assert.equal(duplicate.status, 409);
    assert.equal(duplicate.body.scimType, "uniqueness");
    assert.match(String(duplicate.body.detail), /filter=userName eq/, "the detail tells the Okta admin what to do");
  });

  it("updates the profile with GET then a full PUT carrying id, groups:[] and meta", async () => {
    const current = await okta("GET", `/Users/${id}`);
    assert.equal(current.status, 200);
    const put = {
      ...current.body,
      name: { givenName: "Annie", familyName: "Okta" },
      displayName: "Annie Okta",
      title: "Buyer",
      groups: [],
      password: "Okta-Rotated-2!",
    };
    const answer = await okta("PUT", `/Users/${id}`, put);
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.displayName, "Annie Okta");
    assert.equal(answer.body.title, "Buyer");
    assert.equal(answer.body.externalId, "00u1ann");
    const zoom = await zoomUser(id);
    assert.deepEqual(
      [zoom?.first_name, zoom?.display_name, zoom?.job_title, zoom?.email],
      ["Annie", "Annie Okta", "Buyer", "ann.okta@example.com"],
    );
  });

  it("deactivates with a no-path PATCH (the user stays readable), then reactivates", async () => {
    const off = await okta("PATCH", `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: "replace", value: { active: false } }] });
    assert.equal(off.status, 200, off.text);
    assert.equal(off.body.active, false);
    assert.equal((await zoomUser(id))?.status, "inactive");
    const read = await okta("GET", `/Users/${id}`);
    assert.equal(read.status, 200);
    assert.equal(read.body.active, false);
    const found = await okta("GET", `/Users?filter=${filter('userName eq "ann.okta@example.com"')}&startIndex=1&count=100`);
    assert.equal(found.body.totalResults, 1, "an inactive user is still found, so Okta does not create it again");

    const on = await okta("PATCH", `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: "replace", value: { active: true } }] });
    assert.equal(on.status, 200, on.text);
    assert.equal(on.body.active, true);
    const zoom = await zoomUser(id);
    assert.deepEqual([zoom?.status, zoom?.first_name, zoom?.job_title], ["active", "Annie", "Buyer"]);
  });
});

describe("Okta import", () => {
  it("pages users and groups with startIndex=1,101,… and count=100 until totalResults, each item once", async () => {
    await h.simPost("/_sim/seed", {
      users: Array.from({ length: 230 }, (_, i) => ({
        email: `import${String(i).padStart(3, "0")}@okta.example.com`,
        first_name: "Imported",
        last_name: `N${i}`,
        status: i % 7 === 0 ? "inactive" : "active",
      })),
    });
    for (let g = 0; g < 3; g += 1)
      assert.equal(
        (
          await okta("POST", "/Groups", {
            schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            displayName: `Import ${g}`,
            members: [],
          })
        ).status,
        201,
      );
    for (const resource of ["Users", "Groups"]) {
      const seen: string[] = [];
      let total = Infinity;
      for (let start = 1; start <= total; start += 100) {
        const page = await okta("GET", `/${resource}?startIndex=${start}&count=100`);
        assert.equal(page.status, 200, page.text);
        total = page.body.totalResults as number;
        const items = page.body.Resources as { id: string }[];
        assert.equal(page.body.startIndex, start);
        assert.equal(page.body.itemsPerPage, items.length);
        assert.equal(items.length, Math.min(100, total - start + 1), `${resource} page at ${start}`);
        seen.push(...items.map((r) => r.id));
      }
      assert.equal(seen.length, total, resource);
      assert.equal(new Set(seen).size, total, `${resource}: no item twice`);
    }
    const users = await okta("GET", "/Users?startIndex=1&count=0");
    assert.ok((users.body.totalResults as number) >= 231);
  });
});

describe("Okta group push", () => {
  it("creates the group, renames on every push, removes by filter, adds, pushes in full, and unlinks with DELETE", async () => {
    const [a, b, c] = (await Promise.all(
      ["ga", "gb", "gc"].map((n) => assign(oktaUser(`${n}.push@example.com`, n.toUpperCase(), "Push", `00u${n}`))),
    )) as [string, string, string];
    const created = await okta("POST", "/Groups", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      displayName: "Okta Push",
      members: [],
    });
    assert.equal(created.status, 201, created.text);
    const gid = String(created.body.id);
    assert.ok(created.headers.get("location")?.endsWith(`/Groups/${gid}`));

    const push = async (name: string, ...operations: Record<string, unknown>[]): Promise<void> => {
      const rename = await okta("PATCH", `/Groups/${gid}`, {
        schemas: [PATCH],
        Operations: [{ op: "replace", value: { id: gid, displayName: name } }],
      });
      assert.ok([200, 204].includes(rename.status), rename.text);
      if (operations.length === 0) return;
      const members = await okta("PATCH", `/Groups/${gid}`, { schemas: [PATCH], Operations: operations });
      assert.ok([200, 204].includes(members.status), members.text);
    };

    await push("Okta Push", {
      op: "add",
      path: "members",
      value: [
        { value: a, display: "ga.push@example.com" },
        { value: b, display: "gb.push@example.com" },
      ],
    });
    assert.deepEqual((await zoomGroup(gid))?.member_ids.sort(), [a, b].sort());
    // A rename to the same name costs nothing.
    const mark = await h.mark();
    await push("Okta Push");
    assert.equal((await h.callsSince(mark)).filter((call) => call.method !== "GET").length, 0);

    await push(
      "Okta Pushed",
      { op: "remove", path: `members[value eq "${a}"]` },
      { op: "add", path: "members", value: [{ value: c, display: "gc.push@example.com" }] },
    );
    let zoom = await zoomGroup(gid);
    assert.equal(zoom?.name, "Okta Pushed");
    assert.deepEqual(zoom?.member_ids.sort(), [b, c].sort());

    await push("Okta Pushed", {
      op: "replace",
      path: "members",
      value: [
        { value: a, display: "ga.push@example.com" },
        { value: c, display: "gc.push@example.com" },
      ],
    });
    zoom = await zoomGroup(gid);
    assert.deepEqual(zoom?.member_ids.sort(), [a, c].sort());
    const read = await okta("GET", `/Groups/${gid}`);
    assert.deepEqual((read.body.members as { value: string }[]).map((m) => m.value).sort(), [a, c].sort());
    const user = await okta("GET", `/Users/${a}`);
    assert.deepEqual(
      (user.body.groups as { value: string }[]).map((g) => g.value),
      [gid],
    );

    assert.equal((await okta("DELETE", `/Groups/${gid}`)).status, 204);
    assert.equal((await okta("GET", `/Groups/${gid}`)).status, 404);
    assert.equal(await zoomGroup(gid), undefined);
    // Unlinking the group leaves its users alone.
    assert.equal((await zoomUser(a))?.status, "active");
  });
});

describe("Okta's SCIM 2.0 SPEC test", () => {
  it("advertises filter.maxResults, bulk.maxOperations and authenticationSchemes[0].type", async () => {
    const spc = await okta("GET", "/ServiceProviderConfig");
    assert.equal(spc.status, 200);
    assert.equal(typeof (spc.body.filter as { maxResults: unknown }).maxResults, "number");
    assert.equal(typeof (spc.body.bulk as { maxOperations: unknown }).maxOperations, "number");
    assert.equal(typeof (spc.body.authenticationSchemes as { type: unknown }[])[0]?.type, "string");
  });

  it("lists one complete user with count=1&startIndex=1, and gets it by id", async () => {
    const list = await okta("GET", "/Users?count=1&startIndex=1");
    assert.equal(list.status, 200);
    assert.equal(list.body.itemsPerPage, 1);
    const [first] = list.body.Resources as Record<string, unknown>[];
    for (const key of ["schemas", "id", "userName", "name", "emails", "active", "meta"])
      assert.ok(first?.[key] !== undefined, `listed user has ${key}`);
    const byId = await okta("GET", `/Users/${String(first?.id)}`);
    assert.equal(byId.status, 200);
    assert.equal(byId.body.userName, first?.userName);
  });

  it("answers an unknown userName with totalResults 0, and an unknown id with a SCIM 404 with detail", async () => {
    const none = await okta("GET", `/Users?filter=${filter('userName eq "nobody-1a2b3c@example.com"')}`);
    assert.equal(none.status, 200);
    assert.equal(none.body.totalResults, 0);
    const unknown = await okta("GET", "/Users/010101010101010101010101");
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.body.schemas, [ERROR]);
    assert.equal(unknown.body.status, "404");
    assert.ok(String(unknown.body.detail).length > 0);
  });

  it("creates with a POST carrying no Content-Type (201 echoing what was sent), and refuses the duplicate", async () => {
    const body = {
      schemas: [CORE],
      userName: "spec.test@example.com",
      name: { givenName: "Spec", familyName: "Test" },
      emails: [{ primary: true, value: "spec.test@example.com", type: "work" }],
      active: true,
      password: "Spec-Test-1!",
    };
    const created = await okta("POST", "/Users", body);
    assert.equal(created.status, 201, created.text);
    assert.ok((created.body.schemas as string[]).includes(CORE));
    assert.equal(created.body.userName, body.userName);
    assert.equal(created.body.active, true);
    assert.deepEqual(
      {
        givenName: (created.body.name as Record<string, unknown>).givenName,
        familyName: (created.body.name as Record<string, unknown>).familyName,
      },
      body.name,
    );
    assert.equal(created.body.password, undefined, "a password is never returned");
    const duplicate = await okta("POST", "/Users", body);
    assert.equal(duplicate.status, 409);
    assert.deepEqual(duplicate.body.schemas, [ERROR]);
    const zoom = await zoomUser("spec.test@example.com");
    assert.deepEqual([zoom?.first_name, zoom?.last_name, zoom?.status], ["Spec", "Test", "active"]);
  });

  it("refuses a bare upper-cased username as filter with 400", async () => {
    const answer = await okta("GET", `/Users?filter=${filter("SPEC.TEST@EXAMPLE.COM")}`);
    assert.equal(answer.status, 400);
    assert.equal(answer.body.scimType, "invalidFilter");
  });
});
