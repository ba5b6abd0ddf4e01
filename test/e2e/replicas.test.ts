// Three zoom-scim replicas on one PostgreSQL database and one Zoom simulator with the Pro plan's rate limits, an
// Okta-style client spreading its requests round-robin over them: creates (pending users), profile PATCHes,
// acceptances mid-run, a group push, deactivations; one replica dies half-way. Zoom's final state is what the
// client asked for, each deferred change reached Zoom once, Zoom never answered 429 nor saw more than the plan's
// calls per second, and the replicas together asked for one OAuth token.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { loadConfig } from "../../src/config/load.js";
import { createLogger } from "../../src/http/logger.js";
import { startServer, type RunningServer } from "../../src/server.js";
import { startSimulator, type RunningSimulator } from "../../src/simulator/index.js";
import { PLAN_RATE_LIMITS } from "../../src/zoom/rate-limiter.js";
import { TOKEN, type SimCall } from "../helpers/harness.js";
import { CORE, patch, type Json } from "../helpers/pending.js";
import { storeBackends } from "../helpers/stores.js";

const USERS = 60;
const postgres = storeBackends().find((b) => b.name === "postgres");
let sim: RunningSimulator;
const replicas: (RunningServer | undefined)[] = [];
let turn = 0;

/** The client's load balancer: the next live replica; a refused connection moves on to the next (as Okta retries). */
async function scim(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json; text: string }> {
  for (let attempt = 0; attempt < replicas.length * 2; attempt++) {
    const server = replicas[turn++ % replicas.length];
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

/** The most calls of one category within any 1000 ms, from the simulator's log times. */
function maxPerSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while ((sorted[j] ?? 0) - (sorted[i] ?? 0) >= 1000) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

before(async () => {
  assert.ok(postgres, "the PostgreSQL backend");
  sim = await startSimulator({ port: 0, plan: "pro", rateLimits: true });
  const url = await postgres.location("replicas");
  const config = loadConfig({
    ZOOM_ACCOUNT_ID: sim.accountId,
    ZOOM_CLIENT_ID: sim.clientId,
    ZOOM_CLIENT_SECRET: sim.clientSecret,
    ZOOM_API_URL: sim.apiUrl,
    ZOOM_OAUTH_URL: sim.oauthUrl,
    ZOOM_PLAN: "pro",
    SCIM_BEARER_TOKEN: TOKEN,
    ZOOM_SCIM_DB: url,
    SCIM_RECONCILE_INTERVAL_SECONDS: "1",
    HOST: "127.0.0.1",
    PORT: "0",
    LOG_LEVEL: "silent",
  });
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? "silent");
  for (let i = 0; i < 3; i++) replicas.push(await startServer(config, { logger, zoomRateLimit: true, shutdownGraceMs: 2000 }));
});

after(async () => {
  for (const server of replicas) await server?.close(0);
  await sim?.close();
});

describe("three replicas on one PostgreSQL", () => {
  it("provision through any of them, survive one dying, and stay within Zoom's limits", async () => {
    const ids: string[] = [];
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
    for (let i = 0; i < 30; i++) await simJson(`/_sim/users/${ids[i]}/accept-invitation`, "POST");
    const acknowledged = new Set<number>();
    for (let batch = 0; batch < USERS; batch += 6) {
      if (batch === 30) {
        // One replica dies mid-run: what it acknowledged is in PostgreSQL, the others carry on.
        const dying = replicas[2];
        replicas[2] = undefined;
        await dying?.close(0);
      }
      const answers = await Promise.all(
        Array.from({ length: 6 }, (_, k) =>
          scim("PATCH", `/Users/${ids[batch + k]}`, patch({ op: "replace", path: "name.givenName", value: `Given${batch + k}` })),
        ),
      );
      answers.forEach((answer, k) => {
        assert.equal(answer.status, 200, answer.text);
        acknowledged.add(batch + k);
      });
    }
    for (let i = 30; i < 45; i++) await simJson(`/_sim/users/${ids[i]}/accept-invitation`, "POST");
    // Deactivations: accepted users 20..24, and pending users 55..59 (their invitations are cancelled).
    for (const i of [20, 21, 22, 23, 24, 55, 56, 57, 58, 59]) {
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
      return ids.slice(30, 45).every((id) => users.find((u) => u.id === id)?.first_name === `Given${ids.indexOf(id)}`);
    });

    const users = new Map(((await simJson("/_sim/users")).users as Json[]).map((u) => [String(u.email), u]));
    for (let i = 0; i < USERS; i++) {
      const user = users.get(email(i));
      if (i >= 55) {
        assert.equal(user, undefined, `${email(i)}: a cancelled invitation leaves no Zoom user`);
        continue;
      }
      assert.ok(user, email(i));
      assert.ok(acknowledged.has(i));
      if (i < 45) assert.equal(user.first_name, `Given${i}`, email(i));
      assert.equal(user.status, i < 45 ? (i >= 20 && i < 25 ? "inactive" : "active") : "pending", email(i));
    }
    const groupId = String(group.body.id);
    for (let i = 0; i < 10; i++) assert.ok((users.get(email(i))?.group_ids as string[]).includes(groupId), `${email(i)} in the group`);

    const calls = ((await simJson("/_sim/calls")).calls as (SimCall & { at: string })[]) ?? [];
    assert.equal(calls.filter((c) => c.status === 429).length, 0, "no 429");
    assert.ok(calls.filter((c) => c.category === "oauth").length <= 1, "one token for all replicas");
    // Each deferred change (and each direct PATCH) reached Zoom once: one profile update per user.
    for (let i = 0; i < 45; i++) {
      const updates = calls.filter((c) => c.method === "PATCH" && c.path.endsWith(`/users/${ids[i]}`) && c.status < 300);
      assert.equal(updates.length, 1, `${email(i)}: ${updates.length} profile updates`);
    }
    const limits = PLAN_RATE_LIMITS.pro;
    for (const category of ["light", "medium", "heavy"] as const) {
      const times = calls.filter((c) => c.category === category).map((c) => Date.parse(c.at));
      assert.ok(maxPerSecond(times) <= limits[category], `${category}: ${maxPerSecond(times)} calls in a second`);
    }
  });
});
