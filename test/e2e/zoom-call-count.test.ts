// What each request costs in Zoom calls, counted from the simulator's call log (OAuth excluded): a read of a user with
// a manager, a PATCH that changes nothing, a name change, and Microsoft Entra ID's provisioning cycle per user
// (lookup by userName, create, profile PATCH, manager PATCH) and its repeated PATCH that changes nothing.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startHarness, type Harness, type ScimAnswer, type SimCall } from "../helpers/harness.js";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

let h: Harness;

before(async () => {
  h = await startHarness({ env: { ZOOM_CREATE_ACTION: "autoCreate" } });
});
after(async () => h.close());

/** Runs `request` and answers it with the Zoom calls it made. */
async function cost(request: () => Promise<ScimAnswer>): Promise<{ answer: ScimAnswer; calls: SimCall[] }> {
  const since = await h.mark();
  const answer = await request();
  return { answer, calls: await h.callsSince(since) };
}

const shown = (calls: SimCall[]): string => calls.map((c) => `${c.method} ${c.path}${c.query ? `?${c.query}` : ""}`).join(", ");

async function create(userName: string, extra: Record<string, unknown> = {}): Promise<string> {
  const answer = await h.scim("POST", "/Users", {
    schemas: [CORE],
    userName,
    name: { givenName: "Count", familyName: "Person" },
    ...extra,
  });
  assert.equal(answer.status, 201, answer.text);
  return String(answer.body.id);
}

const ops = (...operations: Record<string, unknown>[]) => ({ schemas: [PATCH], Operations: operations });

describe("Zoom calls per request", () => {
  let managerId: string;

  before(async () => {
    managerId = await create("count.manager@example.com");
  });

  it("a read of a user with a manager costs 1 call", async () => {
    const id = await create("count.report@example.com", { [ENTERPRISE]: { manager: { value: managerId } } });
    const { answer, calls } = await cost(() => h.scim("GET", `/Users/${id}`));
    assert.equal(answer.status, 200, answer.text);
    assert.equal((answer.body[ENTERPRISE] as { manager?: { value?: string } }).manager?.value, managerId);
    assert.equal(calls.length, 1, shown(calls));
  });

  it("a PATCH that changes nothing costs 1 call", async () => {
    const id = await create("count.same@example.com");
    const { answer, calls } = await cost(() =>
      h.scim("PATCH", `/Users/${id}`, ops({ op: "replace", path: "name.givenName", value: "Count" })),
    );
    assert.equal(answer.status, 200, answer.text);
    assert.equal(calls.length, 1, shown(calls));
  });

  it("a name change costs 2 calls", async () => {
    const id = await create("count.rename@example.com");
    const { answer, calls } = await cost(() =>
      h.scim("PATCH", `/Users/${id}`, ops({ op: "replace", path: "name.givenName", value: "Renamed" })),
    );
    assert.equal(answer.status, 200, answer.text);
    assert.equal((answer.body.name as { givenName?: string }).givenName, "Renamed");
    assert.equal(calls.length, 2, shown(calls));
  });

  it("Entra's cycle costs at most 7 calls per user, and its repeated PATCH that changes nothing 1", async () => {
    const upn = "count.entra@contoso.example.com";
    const profile = ops(
      { op: "Replace", path: "name.givenName", value: "Alexandra" },
      { op: "Add", path: "title", value: "Buyer" },
      { op: "Replace", path: 'emails[type eq "work"].value', value: "alex.wilber@mail.example.com" },
      { op: "Replace", path: `${ENTERPRISE}:employeeNumber`, value: "1002" },
      { op: "Replace", path: "active", value: "True" },
    );
    const lookup = await cost(() => h.scim("GET", `/Users?filter=${encodeURIComponent(`userName eq "${upn}"`)}`));
    assert.equal(lookup.answer.body.totalResults, 0, lookup.answer.text);
    const created = await cost(() =>
      h.scim("POST", "/Users", {
        schemas: [CORE, ENTERPRISE],
        externalId: "alexw-count",
        userName: upn,
        active: true,
        emails: [{ primary: true, type: "work", value: "alex@mail.example.com" }],
        meta: { resourceType: "User" },
        name: { formatted: "Alex Wilber", familyName: "Wilber", givenName: "Alex" },
        roles: [],
        [ENTERPRISE]: { employeeNumber: "1001", department: "Retail" },
      }),
    );
    assert.equal(created.answer.status, 201, created.answer.text);
    const id = String(created.answer.body.id);
    const patched = await cost(() => h.scim("PATCH", `/Users/${id}`, profile));
    assert.equal(patched.answer.status, 200, patched.answer.text);
    const managed = await cost(() => h.scim("PATCH", `/Users/${id}`, ops({ op: "Add", path: `${ENTERPRISE}:manager`, value: managerId })));
    assert.equal(managed.answer.status, 200, managed.answer.text);
    assert.equal((managed.answer.body[ENTERPRISE] as { manager?: { value?: string } }).manager?.value, managerId);
    const steps = { lookup, created, patched, managed };
    const total = Object.values(steps).reduce((n, s) => n + s.calls.length, 0);
    const detail = Object.entries(steps)
      .map(([name, s]) => `${name} ${s.calls.length}: ${shown(s.calls)}`)
      .join("\n");
    assert.ok(total <= 7, `${total} calls:\n${detail}`);

    const again = await cost(() => h.scim("PATCH", `/Users/${id}`, profile));
    assert.equal(again.answer.status, 200, again.answer.text);
    assert.equal(again.calls.length, 1, shown(again.calls));
  });
});
