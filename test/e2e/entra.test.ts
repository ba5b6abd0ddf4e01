// Microsoft Entra ID's provisioning job end to end, request for request (per Microsoft's Entra SCIM provisioning docs), run twice:
// with the default dialect (PascalCase ops, booleans as strings, value-array member removals) and with
// `?aadOptscim062020` on the tenant URL (lower-case ops, real booleans, filtered removals, no-path replace with
// dotted/URN keys). Each run ends by reading the simulator: Zoom must hold exactly what Entra intended.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startHarness, type Harness, type ScimAnswer } from "../helpers/harness.js";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const ENTRA_GROUP = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

let h: Harness;

before(async () => {
  h = await startHarness({ env: { ZOOM_CREATE_ACTION: "autoCreate" } });
});
after(async () => h.close());

async function zoomUser(idOrEmail: string): Promise<Record<string, unknown> | undefined> {
  const answer = await h.simGet(`/_sim/users/${encodeURIComponent(idOrEmail)}`);
  return answer.status === 200 ? { ...answer.body, ...(answer.body.profile as Record<string, unknown> | undefined) } : undefined;
}

async function zoomMembers(id: string): Promise<string[]> {
  const answer = await h.simGet(`/_sim/groups/${encodeURIComponent(id)}`);
  return [...((answer.body.member_ids as string[] | undefined) ?? [])].sort();
}

interface Dialect {
  name: string;
  /** Query flags on the tenant URL, carried by every request. */
  flag: string;
  op(name: "add" | "replace" | "remove"): string;
  bool(value: boolean): boolean | string;
  /** The profile update for `patchProfile`: Entra's operations for the same change in this dialect. */
  profile(change: { givenName: string; title: string; workEmail: string; employeeNumber: string }): Record<string, unknown>[];
  removeMember(user: string): Record<string, unknown>;
}

const legacy: Dialect = {
  name: "default (no flag)",
  flag: "",
  op: (name) => name[0]!.toUpperCase() + name.slice(1),
  bool: (value) => (value ? "True" : "False"),
  profile: (c) => [
    { op: "Replace", path: "name.givenName", value: c.givenName },
    { op: "Add", path: "title", value: c.title },
    { op: "Replace", path: 'emails[type eq "work"].value', value: c.workEmail },
    { op: "Replace", path: `${ENTERPRISE}:employeeNumber`, value: c.employeeNumber },
    { op: "Replace", path: "active", value: "True" },
  ],
  removeMember: (user) => ({ op: "Remove", path: "members", value: [{ $ref: null, value: user }] }),
};

const compliant: Dialect = {
  name: "?aadOptscim062020",
  flag: "aadOptscim062020",
  op: (name) => name,
  bool: (value) => value,
  profile: (c) => [
    {
      op: "replace",
      value: {
        "name.givenName": c.givenName,
        title: c.title,
        'emails[type eq "work"].value': c.workEmail,
        [`${ENTERPRISE}:employeeNumber`]: c.employeeNumber,
        active: true,
      },
    },
  ],
  removeMember: (user) => ({ op: "remove", path: `members[value eq "${user}"]` }),
};

for (const dialect of [legacy, compliant]) {
  describe(`Entra ID, ${dialect.name}`, () => {
    const tag = dialect.flag ? "opt" : "def";
    const upn = `alex.${tag}@contoso.example.com`;
    const mail = `alex.wilber.${tag}@mail.example.com`;
    const nickname = `alexw-${tag}`;
    let id: string;
    let noMailId: string;
    let gid: string;

    /** An Entra request: the tenant URL's flag rides on every query string. */
    const entra = (method: string, path: string, body?: unknown, query = ""): Promise<ScimAnswer> => {
      const params = [dialect.flag, query].filter(Boolean).join("&");
      return h.scim(method, `${path}${params ? `?${params}` : ""}`, body);
    };
    const find = async (resource: string, filter: string, extra = ""): Promise<ScimAnswer> => {
      const answer = await entra("GET", `/${resource}`, undefined, `filter=${encodeURIComponent(filter)}${extra}`);
      assert.equal(answer.status, 200, `${filter}: ${answer.text}`);
      return answer;
    };
    const ops = (...operations: Record<string, unknown>[]) => ({ schemas: [PATCH], Operations: operations });

    it("looks the user up by userName, externalId and work email, then creates it with externalId and the enterprise extension", async () => {
      for (const filter of [`userName eq "${upn}"`, `externalId eq "${nickname}"`, `emails[type eq "work"].value eq "${mail}"`]) {
        assert.equal((await find("Users", filter)).body.totalResults, 0, filter);
      }
      const created = await entra("POST", "/Users", {
        schemas: [CORE, ENTERPRISE],
        externalId: nickname,
        userName: upn,
        active: true,
        emails: [{ primary: true, type: "work", value: mail }],
        meta: { resourceType: "User" },
        name: { formatted: "Alex Wilber", familyName: "Wilber", givenName: "Alex" },
        roles: [],
        [ENTERPRISE]: { employeeNumber: "1001", department: "Retail" },
      });
      assert.equal(created.status, 201, created.text);
      assert.ok(created.headers.get("content-type")?.startsWith("application/scim+json"));
      id = String(created.body.id);
      for (const filter of [`userName eq "${upn}"`, `externalId eq "${nickname}"`, `emails[type eq "work"].value eq "${mail}"`]) {
        const found = await find("Users", filter);
        assert.deepEqual(
          (found.body.Resources as { id: string }[]).map((r) => r.id),
          [id],
          filter,
        );
      }
      // userName drives Zoom's email; the work email is kept exactly as Entra sent it.
      const zoom = await zoomUser(id);
      assert.deepEqual(
        [zoom?.email, zoom?.first_name, zoom?.last_name, zoom?.dept, zoom?.status],
        [upn, "Alex", "Wilber", "Retail", "active"],
      );
    });

    it("applies a multi-operation PATCH with filtered and URN paths", async () => {
      const answer = await entra(
        "PATCH",
        `/Users/${id}`,
        ops(...dialect.profile({ givenName: "Alexandra", title: "Buyer", workEmail: `new.${mail}`, employeeNumber: "1002" })),
      );
      assert.equal(answer.status, 200, answer.text);
      assert.equal(answer.body.userName, upn);
      assert.deepEqual(answer.body.emails, [{ primary: true, type: "work", value: `new.${mail}` }]);
      assert.equal((answer.body[ENTERPRISE] as Record<string, unknown>).employeeNumber, "1002");
      assert.equal((await find("Users", `emails[type eq "work"].value eq "new.${mail}"`)).body.totalResults, 1);
      const zoom = await zoomUser(id);
      assert.deepEqual([zoom?.email, zoom?.first_name, zoom?.job_title, zoom?.dept], [upn, "Alexandra", "Buyer", "Retail"]);
    });

    it("sets the work email of a user that has none through the filtered path (an add)", async () => {
      const created = await entra("POST", "/Users", {
        schemas: [CORE],
        externalId: `nomail-${tag}`,
        userName: `nomail.${tag}@contoso.example.com`,
        active: true,
      });
      assert.equal(created.status, 201, created.text);
      noMailId = String(created.body.id);
      const op = dialect.flag
        ? { op: "replace", value: { 'emails[type eq "work"].value': `nomail.${tag}@mail.example.com` } }
        : { op: "Add", path: 'emails[type eq "work"].value', value: `nomail.${tag}@mail.example.com` };
      const answer = await entra("PATCH", `/Users/${noMailId}`, ops(op));
      assert.equal(answer.status, 200, answer.text);
      assert.ok(
        (answer.body.emails as { type?: string; value: string }[]).some(
          (e) => e.type === "work" && e.value === `nomail.${tag}@mail.example.com`,
        ),
        answer.text,
      );
      assert.equal((await zoomUser(noMailId))?.email, `nomail.${tag}@contoso.example.com`, "Zoom's email stays the userName");
    });

    it("creates a group, finds it without members, adds and removes members, and checks membership", async () => {
      const name = `Entra Sales ${tag}`;
      const lookup = await find("Groups", `displayName eq "${name}"`, "&excludedAttributes=members");
      assert.equal(lookup.body.totalResults, 0);
      const created = await entra("POST", "/Groups", {
        schemas: [GROUP, ENTRA_GROUP],
        externalId: `grp-${tag}`,
        displayName: name,
        meta: { resourceType: "Group" },
      });
      assert.equal(created.status, 201, created.text);
      gid = String(created.body.id);
      const found = await find("Groups", `displayName eq "${name}"`, "&excludedAttributes=members");
      assert.deepEqual(
        (found.body.Resources as Record<string, unknown>[]).map((g) => [g.id, g.members]),
        [[gid, undefined]],
      );
      const byId = await entra("GET", `/Groups/${gid}`, undefined, "excludedAttributes=members");
      assert.equal(byId.status, 200);
      assert.equal(byId.body.members, undefined);

      const isMember = async (user: string): Promise<boolean> =>
        (await find("Groups", `id eq "${gid}" and members[value eq "${user}"]`, "&excludedAttributes=members")).body.totalResults === 1;
      const add = await entra(
        "PATCH",
        `/Groups/${gid}`,
        ops({
          op: dialect.op("add"),
          path: "members",
          value: [
            { $ref: null, value: id },
            { $ref: null, value: noMailId },
          ],
        }),
      );
      assert.equal(add.status, 204, add.text);
      assert.deepEqual([await isMember(id), await isMember(noMailId)], [true, true]);
      const remove = await entra("PATCH", `/Groups/${gid}`, ops(dialect.removeMember(noMailId)));
      assert.equal(remove.status, 204, remove.text);
      assert.deepEqual([await isMember(id), await isMember(noMailId)], [true, false]);
      assert.deepEqual(await zoomMembers(gid), [id]);
    });

    it("soft-deletes with active false (still readable), then hard-deletes (404 after)", async () => {
      const soft = await entra(
        "PATCH",
        `/Users/${noMailId}`,
        ops({ op: dialect.op("replace"), path: "active", value: dialect.bool(false) }),
      );
      assert.equal(soft.status, 200, soft.text);
      assert.equal(soft.body.active, false);
      const read = await entra("GET", `/Users/${noMailId}`);
      assert.equal(read.status, 200);
      assert.equal(read.body.active, false);
      assert.equal((await find("Users", `externalId eq "nomail-${tag}"`)).body.totalResults, 1);
      assert.equal((await zoomUser(noMailId))?.status, "inactive");

      assert.equal((await entra("DELETE", `/Users/${noMailId}`)).status, 204);
      assert.equal((await entra("GET", `/Users/${noMailId}`)).status, 404);
      assert.equal((await find("Users", `userName eq "nomail.${tag}@contoso.example.com"`)).body.totalResults, 0);
    });

    it("leaves Zoom holding exactly what Entra intended", async () => {
      const zoom = await zoomUser(id);
      assert.deepEqual(
        [zoom?.email, zoom?.first_name, zoom?.last_name, zoom?.job_title, zoom?.dept, zoom?.status, zoom?.group_ids],
        [upn, "Alexandra", "Wilber", "Buyer", "Retail", "active", [gid]],
      );
      const user = await entra("GET", `/Users/${id}`);
      assert.equal(user.body.externalId, nickname);
      assert.equal((user.body[ENTERPRISE] as Record<string, unknown>).employeeNumber, "1002");
      // The deleted user is deactivated in Zoom (the default delete mode) and out of the group.
      const gone = await zoomUser(noMailId);
      assert.equal(gone?.status, "inactive");
      assert.deepEqual(await zoomMembers(gid), [id]);
      // Entra's validator: an empty Operations list is a no-op.
      assert.equal((await entra("PATCH", `/Users/${id}`, ops())).status, 200);
      assert.equal((await entra("PATCH", `/Groups/${gid}`, ops())).status, 204);
    });
  });
}
