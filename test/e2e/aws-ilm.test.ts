// An AWS-ILM-style client (Cortex XSOAR's SCIM user-lifecycle integration) end to end, request for request (as its
// vendor documents it): trailing-slash paths, `Content-Type: application/json`, bodies without `schemas`, the
// SCIM 1.x enterprise URN, booleans as strings, and exact status codes. Run under /{tenant}/scim/v2/ and /scim/v2/;
// each flow ends by reading the simulator: Zoom must hold exactly what the client intended.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { namedTenant, simTenantBase, startHarness, TOKEN, type Harness, type ScimAnswer } from "../helpers/harness.js";

const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const LEGACY_ENTERPRISE = "urn:scim:schemas:extension:enterprise:1.0";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const ILM_TOKEN = "ilm-token-0123456789abcdef";

let h: Harness;

before(async () => {
  h = await startHarness({
    env: { ZOOM_CREATE_ACTION: "autoCreate" },
    tenants: (sim) => [namedTenant(simTenantBase(sim), "ilm", ILM_TOKEN)],
  });
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

const patchBody = (...operations: Record<string, unknown>[]) => ({ schemas: [PATCH], Operations: operations });

for (const mount of [
  { base: "/ilm/scim/v2", token: ILM_TOKEN },
  { base: "/scim/v2", token: TOKEN },
]) {
  describe(`AWS-ILM-style client under ${mount.base}/`, () => {
    const tag = mount.base === "/scim/v2" ? "def" : "ilm";
    const email = (name: string): string => `${name}.${tag}@ilm.example.com`;

    /** The client's request: `{base}/Users/` and friends, application/json, a static bearer token. */
    const ilm = (method: string, path: string, body?: unknown): Promise<ScimAnswer> =>
      h.scim(method, `${mount.base}/${path}`, undefined, {
        token: mount.token,
        headers: { "content-type": "application/json", accept: "application/json" },
        ...(body === undefined ? {} : { raw: JSON.stringify(body) }),
      });

    const getUser = async (userName: string): Promise<Record<string, unknown> | undefined> => {
      const answer = await ilm("GET", `Users/?filter=${encodeURIComponent(`userName eq "${userName}"`)}`);
      assert.equal(answer.status, 200, answer.text);
      return (answer.body.totalResults as number) > 0 ? (answer.body.Resources as Record<string, unknown>[])[0] : undefined;
    };

    /** The integration's update: GET, then one operation per attribute (replace when present, else add). */
    const updateUser = async (id: string, data: Record<string, unknown>): Promise<ScimAnswer> => {
      const old = await ilm("GET", `Users/${id}`);
      assert.equal(old.status, 200, old.text);
      const operations = Object.entries(data).map(([key, value]) => ({
        op: key in old.body ? "replace" : "add",
        path: key,
        value: ["emails", "phoneNumbers", "address"].includes(key) ? [value] : value,
      }));
      return ilm("PATCH", `Users/${id}`, patchBody(...operations));
    };

    /** The integration's create: look up first; update when found, else POST (no schemas, forced active). */
    const createUser = async (data: Record<string, unknown>): Promise<ScimAnswer> => {
      const existing = await getUser(String(data.userName));
      if (existing) return updateUser(String(existing.id), data);
      return ilm("POST", "Users/", { ...data, emails: [data.emails ?? null], active: true });
    };

    const profile = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
      userName: email(name),
      name: { givenName: name, familyName: "Ilm" },
      emails: { value: email(name), type: "work", primary: true },
      title: "",
      phoneNumbers: null,
      [LEGACY_ENTERPRISE]: { department: "Finance", division: "EMEA", countryCode: "FR" },
      ...extra,
    });

    let id: string;

    it("connects with GET /Users/", async () => {
      const answer = await ilm("GET", "Users/");
      assert.equal(answer.status, 200, answer.text);
      assert.ok(answer.headers.get("content-type")?.startsWith("application/scim+json"));
    });

    it("creates a new user: POST without schemas, with [null], empty strings and the SCIM 1.x URN", async () => {
      const created = await createUser({ ...profile("dana"), phoneNumbers: null });
      assert.equal(created.status, 201, created.text);
      id = String(created.body.id);
      assert.match(String(created.headers.get("location")), new RegExp(`${mount.base}/Users/${id}$`));
      assert.equal(created.body.active, true);
      assert.deepEqual(created.body[ENTERPRISE], { department: "Finance", division: "EMEA" });
      const zoom = await zoomUser(id);
      assert.deepEqual(
        [zoom?.email, zoom?.first_name, zoom?.last_name, zoom?.dept, zoom?.job_title ?? "", zoom?.status],
        [email("dana"), "dana", "Ilm", "Finance", "", "active"],
      );
    });

    it("creates a user that exists by updating it: PATCH answers 200 with the user", async () => {
      const answer = await createUser(
        profile("dana", {
          name: { givenName: "Dana", familyName: "Ilm-Smith" },
          title: "Controller",
          nickName: null,
          phoneNumbers: { value: "+14155550100", type: "work" },
        }),
      );
      assert.equal(answer.status, 200, answer.text);
      assert.equal(answer.body.id, id);
      assert.equal(answer.body.title, "Controller");
      const zoom = await zoomUser(id);
      assert.deepEqual([zoom?.first_name, zoom?.last_name, zoom?.job_title, zoom?.dept], ["Dana", "Ilm-Smith", "Controller", "Finance"]);
      assert.deepEqual(
        (zoom?.phone_numbers as { number: string }[] | undefined)?.map((p) => p.number),
        ["4155550100"],
      );
    });

    it("updates a missing user by creating it", async () => {
      const missing = await getUser(email("erin"));
      assert.equal(missing, undefined);
      const created = await createUser(profile("erin", { [LEGACY_ENTERPRISE]: { department: "", countryCode: "" } }));
      assert.equal(created.status, 201, created.text);
      const zoom = await zoomUser(String(created.body.id));
      assert.deepEqual([zoom?.email, zoom?.first_name, zoom?.dept ?? "", zoom?.status], [email("erin"), "erin", "", "active"]);
    });

    it("disables and enables with string booleans; an already-disabled user answers 200 unchanged", async () => {
      const active = (value: string) => patchBody({ op: "replace", path: "active", value });
      const off = await ilm("PATCH", `Users/${id}`, active("false"));
      assert.equal(off.status, 200, off.text);
      assert.equal(off.body.active, false);
      assert.equal((await zoomUser(id))?.status, "inactive");
      const mark = await h.mark();
      const again = await ilm("PATCH", `Users/${id}`, active("false"));
      assert.equal(again.status, 200, again.text);
      assert.equal(again.body.active, false);
      assert.equal((await h.callsSince(mark)).filter((c) => c.method !== "GET").length, 0, "nothing sent to Zoom");
      const on = await ilm("PATCH", `Users/${id}`, active("true"));
      assert.equal(on.body.active, true, on.text);
      assert.equal((await zoomUser(id))?.status, "active");
      const unknown = await ilm("PATCH", "Users/0123456789abcdefghijkl", active("false"));
      assert.equal(unknown.status, 404, "an unknown user is reported (and skipped by the client)");
      assert.ok(unknown.body.detail);
    });

    it("creates a group (201), changes membership one PATCH per member (204 each), deletes it (204), 404s an unknown one", async () => {
      const erin = String((await getUser(email("erin")))?.id);
      const created = await ilm("POST", "Groups/", { displayName: `ILM Finance ${tag}` });
      assert.equal(created.status, 201, created.text);
      const gid = String(created.body.id);
      for (const member of [id, erin]) {
        const add = await ilm("PATCH", `Groups/${gid}`, patchBody({ op: "add", path: "members", value: [{ value: member }] }));
        assert.equal(add.status, 204, add.text);
        assert.equal(add.text, "");
      }
      assert.deepEqual(await zoomMembers(gid), [id, erin].sort());
      const remove = await ilm("PATCH", `Groups/${gid}`, patchBody({ op: "remove", path: "members", value: [{ value: erin }] }));
      assert.equal(remove.status, 204, remove.text);
      assert.deepEqual(await zoomMembers(gid), [id]);
      const found = await ilm("GET", `Groups/?filter=${encodeURIComponent(`displayName eq "ILM Finance ${tag}"`)}`);
      assert.deepEqual(
        (found.body.Resources as { id: string }[]).map((g) => g.id),
        [gid],
      );

      assert.equal((await ilm("DELETE", `Groups/${gid}`)).status, 204);
      const unknown = await ilm("DELETE", `Groups/${gid}`);
      assert.equal(unknown.status, 404);
      assert.ok(unknown.body.detail);
      assert.equal((await ilm("GET", `Groups/${gid}`)).status, 404);
      assert.equal((await h.simGet(`/_sim/groups/${gid}`)).status, 404);
    });

    it("leaves Zoom holding exactly what the client intended", async () => {
      const zoom = await zoomUser(id);
      assert.deepEqual(
        [zoom?.email, zoom?.first_name, zoom?.last_name, zoom?.job_title, zoom?.dept, zoom?.status, zoom?.group_ids],
        [email("dana"), "Dana", "Ilm-Smith", "Controller", "Finance", "active", []],
      );
      const user = await ilm("GET", `Users/${id}`);
      assert.deepEqual(user.body[ENTERPRISE], { department: "Finance", division: "EMEA" });
      assert.equal(user.body[LEGACY_ENTERPRISE], undefined);
    });
  });
}
