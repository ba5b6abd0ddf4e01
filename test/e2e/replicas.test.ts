// Three zoom-scim replicas on one PostgreSQL database and one Zoom simulator with the Pro plan's rate limits, an
// Okta-style client spreading its requests round-robin over them: creates (pending users), profile PATCHes,
// acceptances mid-run, a group push, deactivations; one replica dies half-way. Zoom's final state is what the
// client asked for, each deferred change reached Zoom once, Zoom never answered 429 nor saw more than the plan's
// calls per second, and the replicas together asked for one OAuth token.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startSimulator, type RunningSimulator } from "../../src/simulator/index.js";
import { PLAN_RATE_LIMITS } from "../../src/zoom/rate-limiter.js";
import { TOKEN, type SimCall } from "../helpers/harness.js";
import { CORE, patch, type Json } from "../helpers/pending.js";
import { maxPerClockSecond, startReplica, type ReplicaProcess } from "../helpers/replicas.js";
import { storeBackends } from "../helpers/stores.js";

const USERS = 100;
// Who accepts when: the first half before their profile change, the next quarter after it (a deferred change).
const ACCEPT_EARLY = USERS / 2;
const ACCEPT_LATE = (USERS * 3) / 4;
// Deactivated: five accepted users and the last five (pending: their invitations are cancelled).
const DEACTIVATED = [20, 21, 22, 23, 24, ...Array.from({ length: 5 }, (_, k) => USERS - 5 + k)];
const CANCELLED_FROM = USERS - 5;
const postgres = storeBackends().find((b) => b.name === "postgres");
let sim: RunningSimulator;
const replicas: (ReplicaProcess | undefined)[] = [];
let turn = 0;

/** The client's load balancer: the next live replica; a refused connection moves on to the next (as Okta retries). */
async function scim(method: string, path: string, body?: unknown, only?: number): Promise<{ status: number; body: Json; text: string }> {
  for (let attempt = 0; attempt < replicas.length * 2; attempt++) {
    const server = replicas[only ?? turn++ % replicas.length];
    if (!server) continue;
    try {
      const response = await fetch(`${server.url}/scim/v2${path}`, {
        method,
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/scim+json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as Json) : {}, text };
    } catch {
      // The replica went away before answering: nothing was acknowledged, the request goes to the next one.
    }
  }
  throw new Error(`${method} ${path}: no replica answered`);
}

async function simJson(path: string, method = "GET"): Promise<Json> {
  const response = await fetch(`${sim.baseUrl}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: method === "POST" ? "{}" : undefined,
  });
  return (await response.json()) as Json;
}

const email = (i: number): string => `replica.user${i}@example.com`;

async function eventually(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

before(async () => {
  assert.ok(postgres, "the PostgreSQL backend");
  sim = await startSimulator({ port: 0, plan: "pro", rateLimits: true });
  const env = {
    ZOOM_ACCOUNT_ID: sim.accountId,
    ZOOM_CLIENT_ID: sim.clientId,
    ZOOM_CLIENT_SECRET: sim.clientSecret,
    ZOOM_API_URL: sim.apiUrl,
    ZOOM_OAUTH_URL: sim.oauthUrl,
    ZOOM_PLAN: "pro",
    SCIM_BEARER_TOKEN: TOKEN,
    ZOOM_SCIM_DB: await postgres.location("replicas"),
    SCIM_RECONCILE_INTERVAL_SECONDS: "1",
    // The breaker's shared count is on the path of every deactivation, with a limit this run stays under.
    SCIM_BREAKER_MAX_CHANGES: "1000",
    SCIM_BREAKER_MAX_PERCENT: "0",
  };
  // Three processes, each with its own memory: whatever they agree on went through PostgreSQL.
  replicas.push(...(await Promise.all([0, 1, 2].map(() => startReplica(env)))));
});

after(async () => {
  await Promise.all(replicas.map((replica) => replica?.stop()));
  await sim?.close();
});

describe("three replicas on one PostgreSQL", () => {
  it("provision through any of them, survive one dying, and stay within Zoom's limits", async () => {
    const ids: string[] = [];
    // The same userName through two replicas at once: one Zoom user; the other request is told it is taken.
    const race = "replica.race@example.com";
    const racing = await Promise.all([0, 1].map((only) => scim("POST", "/Users", { schemas: [CORE], userName: race }, only)));
    assert.deepEqual(racing.map((answer) => answer.status).sort(), [201, 409], racing.map((answer) => answer.text).join("\n"));
    assert.equal(racing.find((answer) => answer.status === 409)?.body.scimType, "uniqueness");
    assert.equal(((await simJson("/_sim/users")).users as Json[]).filter((u) => u.email === race).length, 1);
    // Creates: each Zoom create makes a pending user (an invitation).
    for (let batch = 0; batch < USERS; batch += 6) {
      const created = await Promise.all(
        Array.from({ length: Math.min(6, USERS - batch) }, (_, k) =>
          scim("POST", "/Users", { schemas: [CORE], userName: email(batch + k), name: { givenName: "New", familyName: `U${batch + k}` } }),
        ),
      );
      for (const answer of created) {
        assert.equal(answer.status, 201, answer.text);
        ids.push(String(answer.body.id));
      }
    }
    // Half accept before their profile change, a quarter after it (the change waits as a deferred change).
    for (let i = 0; i < ACCEPT_EARLY; i++) await simJson(`/_sim/users/${ids[i]}/accept-invitation`, "POST");
    const acknowledged = new Set<number>();
    for (let batch = 0; batch < USERS; batch += 6) {
      const answering = Promise.all(
        Array.from({ length: Math.min(6, USERS - batch) }, (_, k) =>
          scim("PATCH", `/Users/${ids[batch + k]}`, patch({ op: "replace", path: "name.givenName", value: `Given${batch + k}` })),
        ),
      );
      if (batch === 48) {
        // One replica is killed with requests under way: what it acknowledged is in PostgreSQL, what it did not
        // is sent again to another replica (as a load balancer and an IdP retry), and the others carry on.
        const dying = replicas[2];
        replicas[2] = undefined;
        await dying?.kill();
      }
      const answers = await answering;
      answers.forEach((answer, k) => {
        assert.equal(answer.status, 200, answer.text);
        acknowledged.add(batch + k);
      });
    }
    for (let i = ACCEPT_EARLY; i < ACCEPT_LATE; i++) await simJson(`/_sim/users/${ids[i]}/accept-invitation`, "POST");
    for (const i of DEACTIVATED) {
      const answer = await scim("PATCH", `/Users/${ids[i]}`, patch({ op: "replace", path: "active", value: false }));
      assert.equal(answer.status, 200, answer.text);
    }
    const group = await scim("POST", "/Groups", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      displayName: "Replicas",
      members: ids.slice(0, 10).map((value) => ({ value })),
    });
    assert.equal(group.status, 201, group.text);

    // The reconciler (one replica at a time) applies the changes of users accepted after them.
    await eventually("the deferred changes of accepted users", async () => {
      const users = (await simJson("/_sim/users")).users as Json[];
      return ids.slice(ACCEPT_EARLY, ACCEPT_LATE).every((id) => users.find((u) => u.id === id)?.first_name === `Given${ids.indexOf(id)}`);
    });

    // A write through one replica shows in a list through another at once (the user snapshot's events).
    const renamed = await scim("PATCH", `/Users/${ids[0]}`, patch({ op: "replace", path: "name.familyName", value: "Renamed" }), 0);
    assert.equal(renamed.status, 200, renamed.text);
    const listed = await scim("GET", "/Users?startIndex=1&count=100", undefined, 1);
    assert.equal(listed.status, 200, listed.text);
    const seen = (listed.body.Resources as Json[]).find((u) => u.id === ids[0]);
    assert.equal((seen?.name as Json | undefined)?.familyName, "Renamed");

    const users = new Map(((await simJson("/_sim/users")).users as Json[]).map((u) => [String(u.email), u]));
    for (let i = 0; i < USERS; i++) {
      const user = users.get(email(i));
      if (i >= CANCELLED_FROM) {
        assert.equal(user, undefined, `${email(i)}: a cancelled invitation leaves no Zoom user`);
        continue;
      }
      assert.ok(user, email(i));
      assert.ok(acknowledged.has(i));
      if (i < ACCEPT_LATE) assert.equal(user.first_name, `Given${i}`, email(i));
      assert.equal(user.status, i < ACCEPT_LATE ? (DEACTIVATED.includes(i) ? "inactive" : "active") : "pending", email(i));
    }
    const groupId = String(group.body.id);
    for (let i = 0; i < 10; i++) assert.ok((users.get(email(i))?.group_ids as string[]).includes(groupId), `${email(i)} in the group`);

    const calls = ((await simJson("/_sim/calls")).calls as (SimCall & { at: string })[]) ?? [];
    assert.equal(calls.filter((c) => c.status === 429).length, 0, "no 429");
    assert.ok(calls.filter((c) => c.category === "oauth").length <= 1, "one token for all replicas");
    // Each deferred change (and each direct PATCH) reached Zoom once: one profile update per user.
    for (let i = 0; i < ACCEPT_LATE; i++) {
      const updates = calls.filter((c) => c.method === "PATCH" && c.path.endsWith(`/users/${ids[i]}`) && c.status < 300);
      assert.equal(updates.length, i === 0 ? 2 : 1, `${email(i)}: ${updates.length} profile updates`);
    }
    // SIGTERM: a request under way is answered, then the replica exits cleanly (locks released, pools closed).
    const stopping = replicas[0];
    assert.ok(stopping);
    const underWay = fetch(`${stopping.url}/scim/v2/Users?startIndex=1&count=100`, { headers: { authorization: `Bearer ${TOKEN}` } });
    await new Promise((resolve) => setTimeout(resolve, 5));
    replicas[0] = undefined;
    const [answer, code] = await Promise.all([
      underWay.then(
        (r) => r.status,
        () => "refused",
      ),
      stopping.stop(),
    ]);
    assert.ok(answer === 200 || answer === "refused", `in flight at SIGTERM: ${answer}`);
    assert.equal(code, 0, "a clean exit on SIGTERM");
    assert.equal((await scim("GET", `/Users/${ids[1]}`)).status, 200, "the last replica carries on");

    const limits = PLAN_RATE_LIMITS.pro;
    for (const category of ["light", "medium", "heavy"] as const) {
      // Zoom counts calls per second (as the simulator does).
      const most = maxPerClockSecond(calls.filter((c) => c.category === category).map((c) => Date.parse(c.at)));
      assert.ok(most <= limits[category], `${category}: ${most} calls in a second`);
    }
  });
});
