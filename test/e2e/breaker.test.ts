// The circuit breaker for destructive changes end to end: with a threshold of 5, the 6th deactivation of a burst is
// refused (503, Retry-After, nothing sent to Zoom) while profile changes go on; it stays open until released through
// the API or the CLI, after which the IdP's retry succeeds; and two servers on one PostgreSQL share the count.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runBreakerCommand } from "../../src/cli/breaker.js";
import { loadConfig } from "../../src/config/load.js";
import { createLogger } from "../../src/http/logger.js";
import { startServer, type RunningServer } from "../../src/server.js";
import { simEnv, startHarness, TOKEN, type Harness } from "../helpers/harness.js";
import { storeBackends } from "../helpers/stores.js";

const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
type Json = Record<string, unknown>;

const deactivate = { schemas: [PATCH], Operations: [{ op: "replace", value: { active: false } }] };
const retitle = (title: string) => ({ schemas: [PATCH], Operations: [{ op: "replace", path: "title", value: title }] });

async function seed(h: Harness, prefix: string, n: number): Promise<string[]> {
  const users = Array.from({ length: n }, (_, i) => ({ email: `${prefix}${i}@breaker.example.com`, status: "active" }));
  return ((await h.simPost("/_sim/seed", { users })).users as { id: string }[]).map((u) => u.id);
}

async function zoomStatus(h: Harness, id: string): Promise<string> {
  return String((await h.simGet(`/_sim/users/${id}`)).body.status);
}

describe("the circuit breaker", () => {
  let h: Harness;
  let ids: string[];
  before(async () => {
    h = await startHarness({ env: { ZOOM_CREATE_ACTION: "autoCreate", SCIM_BREAKER_MAX_CHANGES: "5" } });
    ids = await seed(h, "burst", 12);
  });
  after(async () => h.close());

  it("refuses the 6th deactivation of a burst with 503 and Retry-After, and changes nothing in Zoom", async () => {
    for (const id of ids.slice(0, 5)) {
      const answer = await h.scim("PATCH", `/Users/${id}`, deactivate);
      assert.equal(answer.status, 200, answer.text);
    }
    const mark = await h.mark();
    const refused = await h.scim("PATCH", `/Users/${ids[5]}`, deactivate);
    assert.equal(refused.status, 503, refused.text);
    assert.equal(refused.headers.get("retry-after"), "300");
    assert.match(String(refused.body.detail), /circuit breaker .* is open/);
    assert.match(String(refused.body.detail), /5 destructive changes in the last 15 minutes/);
    assert.match(String(refused.body.detail), /zoom-scim breaker release --tenant default/);
    assert.match(String(refused.body.detail), /nothing was changed in Zoom/);
    assert.deepEqual(
      (await h.callsSince(mark)).filter((c) => c.method !== "GET"),
      [],
      "no Zoom write",
    );
    const statuses = await Promise.all(ids.map((id) => zoomStatus(h, id)));
    assert.equal(statuses.filter((s) => s === "inactive").length, 5, "Zoom holds exactly 5 inactive users");
  });

  it("lets profile changes through while open, and refuses deletions and group removals", async () => {
    const profile = await h.scim("PATCH", `/Users/${ids[6]}`, retitle("Still works"));
    assert.equal(profile.status, 200, profile.text);
    assert.equal(((await h.simGet(`/_sim/users/${ids[6]}`)).body.profile as Json).job_title, "Still works");
    const deleted = await h.scim("DELETE", `/Users/${ids[7]}`);
    assert.equal(deleted.status, 503, deleted.text);
    assert.equal(await zoomStatus(h, ids[7]!), "active");
    // Creating a group with members is not destructive; removing one of them is.
    const group = await h.scim("POST", "/Groups", { schemas: [GROUP], displayName: "Breaker", members: [{ value: ids[8] }] });
    assert.equal(group.status, 201, group.text);
    const removal = await h.scim("PATCH", `/Groups/${String(group.body.id)}`, {
      schemas: [PATCH],
      Operations: [{ op: "remove", path: `members[value eq "${ids[8]}"]` }],
    });
    assert.equal(removal.status, 503, removal.text);
    assert.deepEqual((await h.simGet(`/_sim/groups/${String(group.body.id)}`)).body.member_ids, [ids[8]]);
  });

  it("shows its state through GET /admin/breaker and the CLI, and opens to neither an anonymous caller nor a wrong token", async () => {
    const state = await h.scim("GET", `${h.server.url}/admin/breaker`);
    assert.equal(state.status, 200, state.text);
    assert.equal(state.body.open, true);
    assert.equal(state.body.threshold, 5);
    assert.equal(state.body.changesInWindow, 5);
    assert.match(String(state.body.reason), /would make 6: past the limit of 5/);
    assert.equal((await h.scim("GET", `${h.server.url}/admin/breaker`, undefined, { token: null })).status, 401);
    assert.equal(
      (await h.scim("POST", `${h.server.url}/admin/breaker/release`, undefined, { token: "wrong-token-0123456789" })).status,
      401,
    );
    const printed: string[] = [];
    const code = await runBreakerCommand(["status"], { ZOOM_SCIM_DB: join(h.storeDir, "store.sqlite") }, (text) => printed.push(text));
    assert.equal(code, 0, printed.join(""));
    assert.match(printed.join(""), /tenant default: OPEN since/);
    assert.match(printed.join(""), /release it: zoom-scim breaker release --tenant default/);
  });

  it("after a release through the API, the IdP's retry succeeds, and a new window starts", async () => {
    const released = await h.scim("POST", `${h.server.url}/admin/breaker/release`);
    assert.equal(released.status, 200, released.text);
    assert.equal(released.body.open, false);
    assert.equal(released.body.changesInWindow, 0);
    assert.match(String(released.body.releasedBy), /^api:/);
    const retried = await h.scim("PATCH", `/Users/${ids[5]}`, deactivate);
    assert.equal(retried.status, 200, retried.text);
    assert.equal(await zoomStatus(h, ids[5]!), "inactive");
  });

  it("opens again past the threshold, and a release through the CLI closes it for the server", async () => {
    for (const id of ids.slice(6, 10)) assert.equal((await h.scim("PATCH", `/Users/${id}`, deactivate)).status, 200);
    assert.equal((await h.scim("PATCH", `/Users/${ids[10]}`, deactivate)).status, 503, "the 6th since the release");
    const printed: string[] = [];
    const code = await runBreakerCommand(["release", "--json"], { ZOOM_SCIM_DB: join(h.storeDir, "store.sqlite") }, (text) =>
      printed.push(text),
    );
    assert.equal(code, 0, printed.join(""));
    const status = JSON.parse(printed.join("")) as Json;
    assert.equal(status.open, false);
    assert.match(String(status.releasedBy), /^cli:/);
    assert.equal((await h.scim("PATCH", `/Users/${ids[10]}`, deactivate)).status, 200);
  });

  it("refuses unknown CLI arguments with usage", async () => {
    const errors: string[] = [];
    assert.equal(
      await runBreakerCommand(
        ["open"],
        { ZOOM_SCIM_DB: join(h.storeDir, "store.sqlite") },
        () => undefined,
        (t) => errors.push(t),
      ),
      2,
    );
    assert.match(errors.join(""), /Usage: zoom-scim breaker status\|release/);
  });
});

describe("what the circuit breaker counts: what Zoom did", () => {
  let h: Harness;
  let ids: string[];
  const changes = async (): Promise<number> => Number((await h.scim("GET", `${h.server.url}/admin/breaker`)).body.changesInWindow);
  before(async () => {
    h = await startHarness({ env: { ZOOM_CREATE_ACTION: "autoCreate", SCIM_BREAKER_MAX_CHANGES: "2" } });
    ids = await seed(h, "counted", 10);
  });
  after(async () => h.close());

  it("counts nothing for a deactivation Zoom refused, a group that is not there, non-members removed, or a create", async () => {
    await h.simPost("/_sim/faults", { rules: [{ method: "PUT", path: "/v2/users/*/status", status: 400, code: 200, count: 3 }] });
    for (let i = 0; i < 3; i += 1) assert.equal((await h.scim("PATCH", `/Users/${ids[0]}`, deactivate)).status, 400);
    await h.simDelete("/_sim/faults");
    for (let i = 0; i < 3; i += 1) assert.equal((await h.scim("DELETE", "/Groups/nosuchgroup")).status, 404);
    const group = await h.scim("POST", "/Groups", { schemas: [GROUP], displayName: "Counted", members: [{ value: ids[1] }] });
    assert.equal(group.status, 201, group.text);
    const nonMembers = await h.scim("PATCH", `/Groups/${String(group.body.id)}`, {
      schemas: [PATCH],
      Operations: [
        { op: "remove", path: `members[value eq "${ids[2]}"]` },
        { op: "remove", path: `members[value eq "${ids[3]}"]` },
      ],
    });
    assert.equal(nonMembers.status, 204, nonMembers.text);
    const inactive = await h.scim("POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: "born.inactive@breaker.example.com",
      active: false,
    });
    assert.equal(inactive.status, 201, inactive.text);
    assert.equal(await changes(), 0);
    assert.equal((await h.scim("PATCH", `/Users/${ids[0]}`, deactivate)).status, 200, "Zoom takes it now: counted once");
    assert.equal(await changes(), 1);
  });

  it("lets the first request after a release through whatever its size", async () => {
    const group = await h.scim("POST", "/Groups", {
      schemas: [GROUP],
      displayName: "Large",
      members: ids.slice(4, 9).map((value) => ({ value })),
    });
    assert.equal(group.status, 201, group.text);
    const empty = { schemas: [GROUP], displayName: "Large", members: [] };
    const refused = await h.scim("PUT", `/Groups/${String(group.body.id)}`, empty);
    assert.equal(refused.status, 503, "5 removals are past the limit of 2");
    assert.equal((await h.scim("POST", `${h.server.url}/admin/breaker/release`)).status, 200);
    const passed = await h.scim("PUT", `/Groups/${String(group.body.id)}`, empty);
    assert.equal(passed.status, 200, passed.text);
    assert.deepEqual((await h.simGet(`/_sim/groups/${String(group.body.id)}`)).body.member_ids, []);
    assert.equal((await h.scim("PATCH", `/Users/${ids[9]}`, deactivate)).status, 503, "and what follows counts from there");
  });

  it("refuses to release a tenant that is not configured", async () => {
    const errors: string[] = [];
    const code = await runBreakerCommand(
      ["release", "--tenant", "Default"],
      { ZOOM_SCIM_DB: join(h.storeDir, "store.sqlite") },
      () => undefined,
      (t) => errors.push(t),
    );
    assert.equal(code, 2);
    assert.match(errors.join(""), /No tenant "Default" in the configuration; tenants: default/);
  });
});

describe("the circuit breaker across two servers on one PostgreSQL", () => {
  const postgres = storeBackends().find((b) => b.name === "postgres");
  let h: Harness;
  let second: RunningServer;
  before(async () => {
    assert.ok(postgres, "the PostgreSQL backend");
    const db = await postgres.location("breaker");
    const env = { ZOOM_CREATE_ACTION: "autoCreate", SCIM_BREAKER_MAX_CHANGES: "5", ZOOM_SCIM_DB: db };
    h = await startHarness({ env });
    const config = loadConfig({ ...simEnv(h.sim), ...env });
    second = await startServer(config, { logger: createLogger("silent"), zoomRateLimit: false });
  });
  after(async () => {
    await second?.close();
    await h?.close();
  });

  it("counts the deactivations of both: the 6th is refused whichever server gets it, concurrent ones included", async () => {
    const ids = await seed(h, "shared", 10);
    const through = (server: string, id: string) =>
      fetch(`${server}/scim/v2/Users/${id}`, {
        method: "PATCH",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/scim+json" },
        body: JSON.stringify(deactivate),
      }).then((r) => r.status);
    // Eight at once, alternating servers: the shared count admits exactly five.
    const statuses = await Promise.all(ids.slice(0, 8).map((id, i) => through(i % 2 === 0 ? h.server.url : second.url, id)));
    assert.deepEqual([...statuses].sort(), [200, 200, 200, 200, 200, 503, 503, 503]);
    const inactive = (await Promise.all(ids.map((id) => zoomStatus(h, id)))).filter((s) => s === "inactive");
    assert.equal(inactive.length, 5);
    // Released through one server, closed for the other.
    assert.equal((await h.scim("POST", `${h.server.url}/admin/breaker/release`)).status, 200);
    assert.equal(await through(second.url, ids[8]!), 200);
  });
});
