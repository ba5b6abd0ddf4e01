// Entra's SCIM validator-style PATCHes: manager through the enterprise URN path (object, bare string, SCIM 1.1
// managerId), addresses by value filter (kept in the store, Zoom has no field), replace with null and "".
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startHarness, type Harness } from "../helpers/harness.js";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const MANAGER = `${ENTERPRISE}:manager`;
type Json = Record<string, unknown>;

let h: Harness;
before(async () => {
  h = await startHarness({ env: { ZOOM_CREATE_ACTION: "autoCreate" } });
});
after(async () => h.close());

const patch = (id: string, ...Operations: Json[]) => h.scim("PATCH", `/Users/${id}`, { schemas: [PATCH], Operations });
async function zoomUser(id: string): Promise<Json> {
  const answer = await h.simGet(`/_sim/users/${encodeURIComponent(id)}`);
  return { ...answer.body, ...(answer.body.profile as Json | undefined) };
}
async function user(userName: string, extra: Json = {}): Promise<string> {
  const created = await h.scim("POST", "/Users", { schemas: [CORE, ENTERPRISE], userName, ...extra });
  assert.equal(created.status, 201, created.text);
  return String(created.body.id);
}
const managerOf = (body: Json): unknown => (body[ENTERPRISE] as Json | undefined)?.manager;

describe("Entra validator PATCHes", () => {
  let boss = "";
  let other = "";
  let id = "";
  before(async () => {
    boss = await user("boss.v@example.com");
    other = await user("other.v@example.com");
    id = await user("worker.v@example.com", { title: "Eng", displayName: "Worker" });
  });

  it("adds, replaces and removes the manager by the enterprise URN path, the value a bare id or an object", async () => {
    const added = await patch(id, { op: "add", path: MANAGER, value: boss });
    assert.equal(added.status, 200, added.text);
    assert.equal((managerOf(added.body) as Json | undefined)?.value, boss);
    assert.equal((await zoomUser(id)).manager, "boss.v@example.com");
    const replaced = await patch(id, { op: "replace", path: MANAGER, value: { value: other } });
    assert.equal(replaced.status, 200, replaced.text);
    assert.equal((await zoomUser(id)).manager, "other.v@example.com");
    const bare = await patch(id, { op: "Replace", path: MANAGER, value: boss });
    assert.equal(bare.status, 200, bare.text);
    assert.equal((await zoomUser(id)).manager, "boss.v@example.com");
    const removed = await patch(id, { op: "remove", path: MANAGER });
    assert.equal(removed.status, 200, removed.text);
    assert.equal(managerOf(removed.body), undefined);
    assert.equal((await zoomUser(id)).manager ?? "", "");
  });

  it("takes the SCIM 1.1 managerId, in an object and as a sub-attribute path", async () => {
    const asObject = await patch(id, { op: "add", path: MANAGER, value: { managerId: other } });
    assert.equal(asObject.status, 200, asObject.text);
    assert.equal((await zoomUser(id)).manager, "other.v@example.com");
    const asPath = await patch(id, { op: "replace", path: `${MANAGER}.managerId`, value: boss });
    assert.equal(asPath.status, 200, asPath.text);
    assert.equal((await zoomUser(id)).manager, "boss.v@example.com");
    const noPath = await patch(id, { op: "replace", value: { [ENTERPRISE]: { manager: { managerId: other } } } });
    assert.equal(noPath.status, 200, noPath.text);
    assert.equal((await zoomUser(id)).manager, "other.v@example.com");
    assert.equal((managerOf((await h.scim("GET", `/Users/${id}`)).body) as Json | undefined)?.value, other);
  });

  it("refuses a manager that is no user with 400 invalidValue", async () => {
    const refused = await patch(id, { op: "replace", path: MANAGER, value: "nosuchmanager1" });
    assert.equal(refused.status, 400, refused.text);
    assert.equal(refused.body.scimType, "invalidValue");
  });

  it("adds and replaces work address parts by value filter, kept by the store, without a Zoom call", async () => {
    const mark = await h.mark();
    const answer = await patch(
      id,
      { op: "add", path: 'addresses[type eq "work"].streetAddress', value: "1 Main St" },
      { op: "add", path: 'addresses[type eq "work"].locality', value: "Oslo" },
      { op: "add", path: 'addresses[type eq "work"].region', value: "Oslo" },
      { op: "add", path: 'addresses[type eq "work"].postalCode', value: "0150" },
      { op: "add", path: 'addresses[type eq "work"].country', value: "NO" },
      { op: "replace", path: 'addresses[type eq "work"].formatted', value: "1 Main St, 0150 Oslo, NO" },
    );
    assert.equal(answer.status, 200, answer.text);
    const expected = [
      {
        type: "work",
        streetAddress: "1 Main St",
        locality: "Oslo",
        region: "Oslo",
        postalCode: "0150",
        country: "NO",
        formatted: "1 Main St, 0150 Oslo, NO",
      },
    ];
    assert.deepEqual(answer.body.addresses, expected);
    assert.deepEqual(
      (await h.callsSince(mark)).filter((c) => c.method !== "GET"),
      [],
    );
    assert.deepEqual((await h.scim("GET", `/Users/${id}`)).body.addresses, expected);
    const changed = await patch(id, { op: "replace", path: 'addresses[type eq "work"].streetAddress', value: "2 Side St" });
    assert.equal((changed.body.addresses as Json[])[0]?.streetAddress, "2 Side St");
    const removed = await patch(id, { op: "remove", path: 'addresses[type eq "work"].streetAddress' });
    assert.equal((removed.body.addresses as Json[])[0]?.streetAddress, undefined);
    assert.equal((removed.body.addresses as Json[])[0]?.locality, "Oslo");
  });

  it('replaces with null and with "" as clearing, in Zoom and in the store', async () => {
    const set = await patch(
      id,
      { op: "replace", path: "title", value: "Lead" },
      { op: "replace", path: `${ENTERPRISE}:department`, value: "R&D" },
      { op: "replace", path: "nickName", value: "Wo" },
    );
    assert.equal(set.status, 200, set.text);
    assert.equal((await zoomUser(id)).job_title, "Lead");
    const cleared = await patch(
      id,
      { op: "replace", path: "title", value: null },
      { op: "replace", path: `${ENTERPRISE}:department`, value: "" },
      { op: "replace", path: "nickName", value: "" },
    );
    assert.equal(cleared.status, 200, cleared.text);
    assert.equal(cleared.body.title, undefined);
    assert.equal((cleared.body[ENTERPRISE] as Json | undefined)?.department, undefined);
    assert.equal(cleared.body.nickName, undefined);
    const zoom = await zoomUser(id);
    assert.equal(zoom.job_title ?? "", "");
    assert.equal(zoom.dept ?? "", "");
    const manager = await patch(id, { op: "replace", path: MANAGER, value: null });
    assert.equal(manager.status, 200, manager.text);
    assert.equal((await zoomUser(id)).manager ?? "", "");
    const emptyManager = await patch(id, { op: "add", path: MANAGER, value: boss }, { op: "replace", path: MANAGER, value: "" });
    assert.equal(emptyManager.status, 200, emptyManager.text);
    assert.equal((await zoomUser(id)).manager ?? "", "");
  });
});
