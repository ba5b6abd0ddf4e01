// Preview mode end to end: the same Okta-style first push (creates, a profile change of a user Zoom already has, a
// group push, deactivations) against a live tenant and a preview tenant, each on its own simulator seeded alike.
// The preview leaves Zoom untouched (its call log holds reads only), answers the IdP's reads as it answered its
// writes, plans exactly the write calls the live run made, and `apply` makes its Zoom equal to the live one's; the
// IdP's ids keep working after the apply, and a live tenant refuses writes while a plan waits.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { loadConfig } from "../../src/config/load.js";
import type { PlanReport } from "../../src/provisioning/preview/plan-report.js";
import type { ApplyOutcome } from "../../src/provisioning/preview/plan-apply.js";
import { runPlanCommand } from "../../src/cli/plan.js";
import { createLogger } from "../../src/http/logger.js";
import { startServer, type RunningServer } from "../../src/server.js";
import { simEnv, startHarness, type Harness, type SimCall } from "../helpers/harness.js";
import { storeBackends } from "../helpers/stores.js";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const DOMAIN = "push.example.com";
const NEW_USERS = ["ann", "ben", "cat", "dan", "eve"];
type Json = Record<string, unknown>;

const ENV: Record<string, string> = { ZOOM_CREATE_ACTION: "autoCreate" };
const SEED = {
  users: [
    { email: `old1@${DOMAIN}`, first_name: "Old", last_name: "One", status: "active", type: 1 },
    { email: `old2@${DOMAIN}`, first_name: "Old", last_name: "Two", status: "active", type: 1 },
  ],
};

interface Pushed {
  users: Record<string, string>;
  groupId: string;
  answers: Record<string, Json>;
}

const filterOf = (email: string): string => `/Users?filter=${encodeURIComponent(`userName eq "${email}"`)}`;

/** What Okta sends on a first push: lookups, creates, a profile update, a group push, deactivations. */
async function push(h: Harness): Promise<Pushed> {
  const users: Record<string, string> = {};
  const answers: Record<string, Json> = {};
  for (const name of NEW_USERS) {
    const email = `${name}@${DOMAIN}`;
    const lookup = await h.scim("GET", filterOf(email));
    assert.equal(lookup.body.totalResults, 0, lookup.text);
    const created = await h.scim("POST", "/Users", {
      schemas: [USER],
      userName: email,
      name: { givenName: name, familyName: "Push" },
      emails: [{ value: email, primary: true, type: "work" }],
      title: name === "ann" ? "Lead" : undefined,
      active: true,
    });
    assert.equal(created.status, 201, created.text);
    users[name] = String(created.body.id);
    answers[name] = created.body;
  }
  for (const old of ["old1", "old2"]) {
    const found = await h.scim("GET", filterOf(`${old}@${DOMAIN}`));
    assert.equal(found.body.totalResults, 1, found.text);
    users[old] = String((found.body.Resources as Json[])[0]?.id);
  }
  const renamed = await h.scim("PATCH", `/Users/${users.old1}`, {
    schemas: [PATCH],
    Operations: [{ op: "replace", value: { "name.givenName": "Olde", title: "Veteran" } }],
  });
  assert.equal(renamed.status, 200, renamed.text);
  answers.old1 = renamed.body;
  const group = await h.scim("POST", "/Groups", { schemas: [GROUP], displayName: "Engineering", members: [] });
  assert.equal(group.status, 201, group.text);
  const groupId = String(group.body.id);
  const added = await h.scim("PATCH", `/Groups/${groupId}`, {
    schemas: [PATCH],
    Operations: [{ op: "add", path: "members", value: ["ann", "ben", "cat", "old1"].map((n) => ({ value: users[n] })) }],
  });
  assert.ok(added.status === 200 || added.status === 204, added.text);
  const removed = await h.scim("PATCH", `/Groups/${groupId}`, {
    schemas: [PATCH],
    Operations: [{ op: "remove", path: `members[value eq "${users.ben}"]` }],
  });
  assert.ok(removed.status === 200 || removed.status === 204, removed.text);
  for (const name of ["dan", "old2"]) {
    const off = await h.scim("PATCH", `/Users/${users[name]}`, {
      schemas: [PATCH],
      Operations: [{ op: "replace", path: "active", value: false }],
    });
    assert.equal(off.status, 200, off.text);
    answers[name] = off.body;
  }
  return { users, groupId, answers };
}

/** A Zoom path with its ids as {id}: the live run's ids and the plan's differ, the calls must not. */
const template = (path: string): string =>
  path
    .replace(/^\/v2/, "")
    .split("?")[0]!
    .split("/")
    .map((segment) => (/^[A-Za-z0-9_-]{16,}$/.test(segment) ? "{id}" : segment))
    .join("/");

const writes = (calls: SimCall[]): string[] => calls.filter((c) => c.method !== "GET").map((c) => `${c.method} ${template(c.path)}`);

/** What SCIM shows of the pushed users and group, with ids named and meta left out: two servers compare equal. */
async function scimView(h: Harness, pushed: Pushed): Promise<Json> {
  const names = new Map(Object.entries(pushed.users).map(([name, id]) => [id, name]));
  names.set(pushed.groupId, "group");
  const named = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(named);
    if (value && typeof value === "object") {
      const out: Json = {};
      for (const [key, inner] of Object.entries(value as Json)) {
        if (key === "meta" || key === "$ref") continue;
        out[key] = named(inner);
      }
      return out;
    }
    return typeof value === "string" ? (names.get(value) ?? value) : value;
  };
  const view: Json = {};
  for (const [name, id] of Object.entries(pushed.users)) view[name] = named((await h.scim("GET", `/Users/${id}`)).body);
  const group = (await h.scim("GET", `/Groups/${pushed.groupId}`)).body;
  const members = named(group.members ?? []) as Json[];
  view.group = { ...(named(group) as Json), members: members.sort((a, b) => String(a.value).localeCompare(String(b.value))) };
  return view;
}

/** The account's pushed users and groups, by email and name, in a form two accounts can be compared in. */
async function zoomState(h: Harness): Promise<Json> {
  const { body } = await h.simGet("/_sim/users?limit=100");
  const users: Json = {};
  for (const user of body.users as Json[]) {
    const email = String(user.email);
    if (!email.endsWith(DOMAIN)) continue;
    users[email] = {
      status: user.status,
      first_name: user.first_name,
      last_name: user.last_name,
      display_name: user.display_name,
      type: user.type,
      role_id: user.role_id,
      job_title: (user.profile as Json).job_title,
    };
  }
  const groups: Json = {};
  for (const group of (await h.simGet("/_sim/groups")).body.groups as Json[]) {
    groups[String(group.name)] = (group.members as Json[]).map((m) => String(m.email)).sort();
  }
  return { users, groups };
}

for (const createAction of ["autoCreate", "create"] as const) {
  describe(`preview mode (createAction ${createAction})`, () => {
    const env = { ZOOM_CREATE_ACTION: createAction };
    let live: Harness;
    let preview: Harness;
    let previewPush: Pushed;
    let livePush: Pushed;
    let liveWrites: string[] = [];
    let previewCalls: SimCall[] = [];

    before(async () => {
      [live, preview] = await Promise.all([startHarness({ env }), startHarness({ env: { ...env, SCIM_MODE: "preview" } })]);
      await Promise.all([live.simPost("/_sim/seed", SEED), preview.simPost("/_sim/seed", SEED)]);
      const [liveMark, previewMark] = await Promise.all([live.mark(), preview.mark()]);
      livePush = await push(live);
      previewPush = await push(preview);
      liveWrites = writes(await live.callsSince(liveMark));
      previewCalls = await preview.callsSince(previewMark);
    });
    after(async () => Promise.all([live?.close(), preview?.close()]));

    it("leaves Zoom untouched: the preview's calls are reads only", () => {
      assert.ok(previewCalls.length > 0, "the preview read Zoom");
      assert.deepEqual(
        previewCalls.filter((c) => c.method !== "GET"),
        [],
      );
      assert.ok(liveWrites.length >= 10, `the live run wrote: ${liveWrites.join(", ")}`);
    });

    it("answers the IdP's reads as it answered its writes", async () => {
      const { users, groupId, answers } = previewPush;
      for (const name of NEW_USERS) {
        const read = await preview.scim("GET", `/Users/${users[name]}`);
        assert.equal(read.status, 200, read.text);
        assert.equal(read.body.userName, `${name}@${DOMAIN}`);
        assert.deepEqual(read.body.name, answers[name]?.name);
        assert.equal(read.body.active, name !== "dan");
        assert.equal(read.body.title, answers[name]?.title);
        const found = await preview.scim("GET", filterOf(`${name}@${DOMAIN}`));
        assert.equal(found.body.totalResults, 1, found.text);
        assert.equal((found.body.Resources as Json[])[0]?.id, users[name]);
      }
      const old1 = await preview.scim("GET", `/Users/${users.old1}`);
      assert.equal((old1.body.name as Json).givenName, "Olde");
      assert.equal(old1.body.title, "Veteran");
      assert.equal((await preview.scim("GET", `/Users/${users.old2}`)).body.active, false);
      const group = await preview.scim("GET", `/Groups/${groupId}`);
      assert.equal(group.status, 200, group.text);
      assert.equal(group.body.displayName, "Engineering");
      // Every resource as the live server shows it after the same push (ids and meta aside).
      assert.deepEqual(await scimView(preview, previewPush), await scimView(live, livePush));
      const listed = await preview.scim("GET", `/Groups?filter=${encodeURIComponent('displayName eq "Engineering"')}`);
      assert.equal(listed.body.totalResults, 1, listed.text);
    });

    it("plans exactly the Zoom calls the live run made", async () => {
      const answer = await preview.scim("GET", `${preview.server.url}/admin/plan`);
      assert.equal(answer.status, 200, answer.text);
      const plan = answer.body as unknown as PlanReport;
      assert.equal(plan.mode, "preview");
      const planned = plan.resources.flatMap((r) => r.calls).map((c) => `${c.method} ${template(c.path)}`);
      assert.deepEqual([...planned].sort(), [...liveWrites].sort());
      assert.equal(plan.steps.planned, planned.length);
      assert.equal(plan.summary["user creates"], NEW_USERS.length);
      const statusCalls = liveWrites.filter((w) => w === "PUT /users/{id}/status").length;
      assert.equal(plan.summary.deactivations, statusCalls || undefined);
      assert.equal(plan.summary["group creates"], 1);
      assert.equal(plan.summary["member removals"], 1);
      // A pending user's deactivation cancels its invitation (a deletion in Zoom's terms).
      const expected =
        createAction === "create" ? { deletion: 1, deactivation: 1, "group-removal": 1 } : { deactivation: 2, "group-removal": 1 };
      for (const [kind, count] of Object.entries(expected)) assert.equal(plan.destructive[kind] ?? 0, count, kind);
      const ann = plan.resources.find((r) => r.resourceType === "User" && r.id === previewPush.users.ann);
      assert.equal(ann?.name, `ann@${DOMAIN}`);
      assert.equal(ann?.calls[0]?.method, "POST");
      assert.equal(ann?.calls[0]?.path, "/users");
      // The command line shows the same plan from the store alone.
      let out = "";
      const cliEnv = { ...simEnv(preview.sim), ...env, SCIM_MODE: "preview", ZOOM_SCIM_DB: join(preview.storeDir, "store.sqlite") };
      assert.equal(await runPlanCommand([], cliEnv, { out: (t) => (out += t), err: (t) => (out += t) }), 0);
      assert.match(out, new RegExp(`${planned.length} Zoom calls planned`));
      assert.match(out, /5 user creates/);
      assert.match(out, /POST \/users /);
    });

    it("applies the plan: Zoom then holds what the live run made, and the IdP's ids keep working", async () => {
      const before = await zoomState(preview);
      const mark = await preview.mark();
      const answer = await preview.scim("POST", `${preview.server.url}/admin/plan/apply?wait=true`);
      assert.equal(answer.status, 200, answer.text);
      const outcome = answer.body as unknown as ApplyOutcome;
      assert.equal(outcome.applied, liveWrites.length);
      assert.equal(outcome.remaining, 0);
      assert.equal(outcome.stopped, undefined);
      assert.deepEqual(writes(await preview.callsSince(mark)).sort(), [...liveWrites].sort());
      assert.notDeepEqual(before, await zoomState(live), "nothing was applied before");
      assert.deepEqual(await zoomState(preview), await zoomState(live));

      const { users, groupId } = previewPush;
      const ann = await preview.scim("GET", `/Users/${users.ann}`);
      assert.equal(ann.status, 200, ann.text);
      assert.equal(ann.body.id, users.ann);
      assert.equal(ann.body.userName, `ann@${DOMAIN}`);
      const group = await preview.scim("GET", `/Groups/${groupId}`);
      assert.equal(group.status, 200, group.text);
      assert.deepEqual(
        ((group.body.members ?? []) as Json[]).map((m) => String(m.value)).sort(),
        [users.ann, users.cat, users.old1].sort(),
      );
      const plan = (await preview.scim("GET", `${preview.server.url}/admin/plan`)).body as unknown as PlanReport;
      assert.equal(plan.steps.planned + plan.steps.sending + plan.steps.failed, 0);
      assert.equal(plan.steps.done, liveWrites.length);
      const audit = await preview.scim("GET", `${preview.server.url}/admin/audit?count=500`);
      const entries = (audit.body.entries as Json[]).filter((e) => e.kind === "plan-apply");
      assert.equal(entries.length, liveWrites.length);
      assert.ok(entries.every((e) => e.outcome === "applied" && (e.zoomCalls as unknown[]).length >= 1));
      const planned = (audit.body.entries as Json[]).filter((e) => e.outcome === "planned");
      assert.ok(planned.length >= NEW_USERS.length, "the preview's writes are audited as planned");

      if (createAction === "create") return;
      // Switched to live, the IdP's next change goes to Zoom under the id it knows.
      await preview.restartServer({ tenants: liveTenants(preview, env) });
      const mark2 = await preview.mark();
      const patched = await preview.scim("PATCH", `/Users/${users.cat}`, {
        schemas: [PATCH],
        Operations: [{ op: "replace", path: "title", value: "Designer" }],
      });
      assert.equal(patched.status, 200, patched.text);
      assert.deepEqual(writes(await preview.callsSince(mark2)), ["PATCH /users/{id}"]);
      const removed = await preview.scim("PATCH", `/Groups/${groupId}`, {
        schemas: [PATCH],
        Operations: [{ op: "remove", path: `members[value eq "${users.cat}"]` }],
      });
      assert.ok(removed.status === 200 || removed.status === 204, removed.text);
      const zoomGroup = ((await preview.simGet("/_sim/groups")).body.groups as Json[]).find((g) => g.name === "Engineering");
      assert.deepEqual((zoomGroup?.members as Json[]).map((m) => m.email).sort(), [`ann@${DOMAIN}`, `old1@${DOMAIN}`]);
    });
  });
}

function liveTenants(h: Harness, env: Record<string, string> = ENV) {
  return loadConfig({
    ...simEnv(h.sim),
    ...env,
    SCIM_MODE: "live",
    SCIM_BREAKER_MAX_CHANGES: "0",
    ZOOM_SCIM_DB: join(h.storeDir, "store.sqlite"),
  }).tenants;
}

describe("a live tenant with a plan not yet applied", () => {
  let h: Harness;
  let id = "";

  before(async () => {
    h = await startHarness({ env: { ...ENV, SCIM_MODE: "preview" } });
    const created = await h.scim("POST", "/Users", {
      schemas: [USER],
      userName: `wait@${DOMAIN}`,
      name: { givenName: "Wai", familyName: "T" },
    });
    assert.equal(created.status, 201, created.text);
    id = String(created.body.id);
    await h.restartServer({ tenants: liveTenants(h) });
  });
  after(async () => h?.close());

  it("still reads what the plan holds and refuses writes until it is applied", async () => {
    const read = await h.scim("GET", `/Users/${id}`);
    assert.equal(read.status, 200, read.text);
    assert.equal(read.body.userName, `wait@${DOMAIN}`);
    const mark = await h.mark();
    const refused = await h.scim("PATCH", `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: "replace", path: "title", value: "X" }] });
    assert.equal(refused.status, 503, refused.text);
    assert.equal(refused.headers.get("retry-after"), "60");
    assert.match(String(refused.body.detail), /not applied/);
    assert.match(String(refused.body.detail), /zoom-scim apply/);
    assert.deepEqual(writes(await h.callsSince(mark)), []);

    const started = await h.scim("POST", `${h.server.url}/admin/plan/apply`);
    assert.equal(started.status, 202, started.text);
    let plan: PlanReport & { apply?: { running: boolean } } = { steps: { planned: 1 } } as PlanReport;
    for (let i = 0; i < 100 && (plan.apply?.running !== false || plan.steps.planned > 0); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      plan = (await h.scim("GET", `${h.server.url}/admin/plan`)).body as unknown as typeof plan;
    }
    assert.equal(plan.steps.done, 1);
    const accepted = await h.scim("PATCH", `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: "replace", path: "title", value: "X" }],
    });
    assert.equal(accepted.status, 200, accepted.text);
    assert.equal(accepted.body.title, "X");
  });
});

describe("preview on two servers sharing PostgreSQL, applied under the breaker", () => {
  const postgres = storeBackends().find((b) => b.name === "postgres");
  let h: Harness;
  let second: RunningServer;
  let env: Record<string, string>;
  before(async () => {
    assert.ok(postgres, "the PostgreSQL backend");
    const db = await postgres.location("preview");
    env = { ...ENV, SCIM_MODE: "preview", SCIM_BREAKER_MAX_CHANGES: "2", SCIM_BREAKER_MAX_PERCENT: "0", ZOOM_SCIM_DB: db };
    h = await startHarness({ env });
    second = await startServer(loadConfig({ ...simEnv(h.sim), ...env }), { logger: createLogger("silent"), zoomRateLimit: false });
  });
  after(async () => {
    await second?.close();
    await h?.close();
  });

  const on = (server: string, method: string, path: string, body?: unknown) => h.scim(method, `${server}/scim/v2${path}`, body);

  it("shares the plan between the servers; apply stops at the breaker's limit and goes on after a release", async () => {
    const ids: string[] = [];
    for (const [i, name] of ["pg1", "pg2", "pg3", "pg4"].entries()) {
      const server = i % 2 === 0 ? h.server.url : second.url;
      const created = await on(server, "POST", "/Users", {
        schemas: [USER],
        userName: `${name}@${DOMAIN}`,
        name: { givenName: name, familyName: "Pg" },
      });
      assert.equal(created.status, 201, created.text);
      ids.push(String(created.body.id));
    }
    // Written through one server, read through the other.
    const read = await on(second.url, "GET", `/Users/${ids[0]}`);
    assert.equal(read.status, 200, read.text);
    assert.equal(read.body.userName, `pg1@${DOMAIN}`);
    const group = await on(second.url, "POST", "/Groups", {
      schemas: [GROUP],
      displayName: "Shared",
      members: ids.map((value) => ({ value })),
    });
    assert.equal(group.status, 201, group.text);
    const groupId = String(group.body.id);
    const members = await on(h.server.url, "GET", `/Groups/${groupId}`);
    assert.equal((members.body.members as Json[]).length, 4, members.text);
    // Three deactivations: more than the breaker's 2, but a preview changes nothing, so none is refused.
    for (const id of ids.slice(0, 3)) {
      const off = await on(h.server.url, "PATCH", `/Users/${id}`, {
        schemas: [PATCH],
        Operations: [{ op: "replace", path: "active", value: false }],
      });
      assert.equal(off.status, 200, off.text);
    }

    const first = await h.scim("POST", `${second.url}/admin/plan/apply?wait=true`);
    assert.equal(first.status, 200, first.text);
    const stopped = first.body as unknown as ApplyOutcome;
    assert.equal(stopped.stopped?.status, 503, first.text);
    assert.match(stopped.stopped?.detail ?? "", /circuit breaker/);
    assert.equal(stopped.remaining, 1);
    const inactive = async () =>
      ((await h.simGet("/_sim/users?status=inactive")).body.users as Json[]).filter((u) => String(u.email).endsWith(DOMAIN)).length;
    assert.equal(await inactive(), 2);
    const plan = (await h.scim("GET", `${h.server.url}/admin/plan`)).body as unknown as PlanReport;
    assert.equal(plan.steps.planned, 1, "the refused step waits");

    assert.equal((await h.scim("POST", `${h.server.url}/admin/breaker/release`)).status, 200);
    const second2 = await h.scim("POST", `${h.server.url}/admin/plan/apply?wait=true`);
    assert.equal(second2.status, 200, second2.text);
    assert.deepEqual(second2.body, { tenant: "default", applied: 1, confirmed: 0, remaining: 0 });
    assert.equal(await inactive(), 3);
    // The IdP's ids, through either server.
    for (const server of [h.server.url, second.url]) {
      const user = await on(server, "GET", `/Users/${ids[3]}`);
      assert.equal(user.status, 200, user.text);
      assert.equal(user.body.active, true);
      const shared = await on(server, "GET", `/Groups/${groupId}`);
      assert.equal(shared.status, 200, shared.text);
      assert.deepEqual(((shared.body.members ?? []) as Json[]).map((m) => String(m.value)).sort(), [...ids].sort());
    }
  });
});
