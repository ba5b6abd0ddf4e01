// Server-to-Server OAuth against the simulator: caching, single-flight, revocation, renewal, refusals.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ZoomApiError, ZoomAuthError, ZoomUnavailableError } from "../../src/zoom/index.js";
import { addFault, clearCalls, clearFaults, clientFor, control, rejection, simCalls, startSim, type Sim } from "./sim.js";

const oauthCalls = async (sim: Sim) => (await simCalls(sim)).filter((c) => c.path === "/oauth/token");

describe("token provider", () => {
  let sim: Sim;
  let ownerId: string;

  before(async () => {
    sim = await startSim();
    ownerId = (await control<{ ownerId: string }>(sim, "GET", "/")).ownerId;
  });
  after(() => sim.close());

  it("fetches one token and reuses it across calls and across clients of the same app", async () => {
    await clearCalls(sim);
    const a = clientFor(sim);
    const b = clientFor(sim);
    await a.client.getUser(ownerId);
    await a.client.getUser(ownerId);
    await b.client.listUsers({ status: "active" });
    const calls = await simCalls(sim);
    assert.equal(calls.filter((c) => c.path === "/oauth/token").length, 1);
    assert.equal(calls.filter((c) => c.path.startsWith("/v2/")).length, 3);
    assert.deepEqual(
      a.records.map((r) => r.category),
      ["oauth", "light", "light"],
    );
    assert.deepEqual(
      b.records.map((r) => r.category),
      ["medium"],
    );
    a.client.close();
    b.client.close();
  });

  it("drops a revoked token, renews it once and retries the call once", async () => {
    const { client, records } = clientFor(sim);
    await client.getUser(ownerId); // a cached token
    await control(sim, "POST", "/faults", { revokeTokens: true });
    await clearCalls(sim);
    records.length = 0;

    const user = await client.getUser(ownerId);
    assert.equal(user.id, ownerId);
    assert.deepEqual(
      records.map((r) => [r.category, r.status, r.code, r.attempt]),
      [
        ["light", 401, 124, 1],
        ["oauth", 200, undefined, 1],
        ["light", 200, undefined, 2],
      ],
    );
    assert.equal((await oauthCalls(sim)).length, 1);
    client.close();
  });

  it("gives up with the 401 when the renewed token is refused too", async () => {
    const { client } = clientFor(sim);
    await client.getUser(ownerId);
    await addFault(sim, { method: "GET", path: "/v2/users/*", status: 401, code: 124, message: "Invalid access token.", count: 2 });
    try {
      const error = await rejection(() => client.getUser(ownerId));
      assert.ok(error instanceof ZoomApiError);
      assert.equal(error.status, 401);
      assert.equal(error.code, 124);
    } finally {
      await clearFaults(sim);
      client.close();
    }
  });

  it("refuses a bad secret with ZoomAuthError that never shows the secret", async () => {
    const secret = "very-wrong-secret-7f3a9c";
    const { client } = clientFor(sim, { clientSecret: secret, maxRetries: 0 });
    const error = await rejection(() => client.getUser(ownerId));
    assert.ok(error instanceof ZoomAuthError, String(error));
    assert.equal(error.status, 400);
    assert.equal(error.error, "invalid_client");
    assert.equal(error.reason, "Invalid client_id or client_secret");
    const basic = Buffer.from(`${sim.clientId}:${secret}`).toString("base64");
    for (const text of [error.message, JSON.stringify(error), String(error.stack), JSON.stringify(Object.entries(error))]) {
      assert.ok(!text.includes(secret), text);
      assert.ok(!text.includes(basic), text);
    }
    client.close();
  });

  it("does not let a wrong secret ride on the token of the right one", async () => {
    const good = clientFor(sim);
    await good.client.getUser(ownerId);
    const bad = clientFor(sim, { clientSecret: "another-wrong-secret" });
    assert.ok((await rejection(() => bad.client.getUser(ownerId))) instanceof ZoomAuthError);
    good.client.close();
    bad.client.close();
  });

  it("retries a token request that failed with a 5xx", async () => {
    const other = await startSim();
    try {
      await addFault(other, { path: "/oauth/token", status: 503, count: 1 });
      const { client, records } = clientFor(other);
      await client.listUsers({ status: "active" });
      assert.deepEqual(
        records.map((r) => [r.category, r.status, r.attempt]),
        [
          ["oauth", 503, 1],
          ["oauth", 200, 2],
          ["medium", 200, 1],
        ],
      );
      client.close();
    } finally {
      await other.close();
    }
  });
});

describe("token request retries", () => {
  let sim: Sim;
  before(async () => {
    sim = await startSim();
  });
  after(() => sim.close());

  it("repeats a token request that timed out, although it is a POST", async () => {
    await addFault(sim, { path: "/oauth/token", timeout: true, holdMs: 2000, count: 1 });
    const { client, records } = clientFor(sim, { timeoutMs: 200 });
    await client.listUsers({ status: "active" });
    assert.deepEqual(
      records.map((r) => [r.category, r.status, r.attempt]),
      [
        ["oauth", 0, 1],
        ["oauth", 200, 2],
        ["medium", 200, 1],
      ],
    );
    client.close();
  });

  it("gives up on a token 429 whose Retry-After is past maxRetryAfterMs", async () => {
    await addFault(sim, { path: "/oauth/token", status: 429, headers: { "retry-after": "30" }, count: 1 });
    // Another app id, so that the token cached by the test above does not answer first; the fault fires before
    // the simulator looks at the credentials.
    const { client, records } = clientFor(sim, { clientId: "fresh-app", maxRetryAfterMs: 5000 });
    const error = await rejection(() => client.listUsers({ status: "active" }));
    assert.ok(error instanceof ZoomApiError, String(error));
    assert.equal(error.status, 429);
    assert.equal(error.retryAfterSeconds, 30);
    assert.deepEqual(
      records.map((r) => [r.category, r.status]),
      [["oauth", 429]],
    );
    client.close();
  });
});

describe("token provider with concurrent first calls", () => {
  let sim: Sim;
  before(async () => {
    sim = await startSim();
  });
  after(() => sim.close());

  it("asks for one token when many calls start together", async () => {
    const a = clientFor(sim);
    const b = clientFor(sim);
    await Promise.all([
      ...Array.from({ length: 8 }, () => a.client.listUsers({ status: "active" })),
      ...Array.from({ length: 4 }, () => b.client.listUsers({ status: "inactive" })),
    ]);
    assert.equal((await oauthCalls(sim)).length, 1);
    a.client.close();
    b.client.close();
  });
});

describe("token provider with short-lived tokens", () => {
  let sim: Sim;
  before(async () => {
    sim = await startSim({ tokenTtlSeconds: 2 });
  });
  after(() => sim.close());

  it("renews a token before it expires, so Zoom never refuses it", async () => {
    const { client } = clientFor(sim);
    await client.listUsers({ status: "active" });
    await client.listUsers({ status: "active" });
    await new Promise((resolve) => setTimeout(resolve, 1100)); // past the halfway renewal point, before expiry
    await client.listUsers({ status: "active" });
    const calls = await simCalls(sim);
    assert.equal(calls.filter((c) => c.path === "/oauth/token").length, 2);
    assert.equal(calls.filter((c) => c.status === 401).length, 0);
    client.close();
  });
});

describe("token provider without an OAuth endpoint", () => {
  it("gives up with ZoomUnavailableError after retrying a refused connection", async () => {
    const dead = await startSim();
    const { oauthUrl, apiUrl } = dead;
    await dead.close();
    const records: { status: number }[] = [];
    const { client } = clientFor(dead, { oauthUrl, apiUrl, maxRetries: 2, onCall: (r) => records.push(r) });
    const error = await rejection(() => client.listGroups());
    assert.ok(error instanceof ZoomUnavailableError, String(error));
    assert.equal(error.kind, "network");
    assert.equal(error.networkCode, "ECONNREFUSED");
    assert.equal(error.attempts, 3);
    assert.deepEqual(
      records.map((r) => r.status),
      [0, 0, 0],
    );
    client.close();
  });
});
