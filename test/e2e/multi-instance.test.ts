// Two zoom-scim servers on one SQLite file (two processes as far as zoom-scim knows: each has its own connection and
// its own per-resource locks): the store's version guard keeps either from overwriting the other's write.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, afterEach, before, describe, it } from "node:test";
import { loadConfig } from "../../src/config/load.js";
import { createLogger } from "../../src/http/logger.js";
import { startServer, type RunningServer } from "../../src/server.js";
import { simEnv, startHarness, TOKEN, type Harness } from "../helpers/harness.js";
import { CORE, patch, type Json } from "../helpers/pending.js";

let h: Harness;
let second: RunningServer;

/** A SCIM request to the second server. */
async function scim2(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json; text: string }> {
  const response = await fetch(`${second.url}/scim/v2${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/scim+json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Json) : {}, text };
}

before(async () => {
  h = await startHarness({ env: { ZOOM_CREATE_ACTION: "autoCreate" } });
  const config = loadConfig({ ...simEnv(h.sim), ZOOM_SCIM_DB: join(h.storeDir, "store.sqlite"), ZOOM_CREATE_ACTION: "autoCreate" });
  second = await startServer(config, { logger: createLogger("silent"), zoomRateLimit: false });
});
afterEach(() => h.simDelete("/_sim/faults"));
after(async () => {
  await second.close();
  await h.close();
});

async function newUser(email: string): Promise<string> {
  const created = await h.scim("POST", "/Users", { schemas: [CORE], userName: email, name: { givenName: "Two", familyName: "Servers" } });
  assert.equal(created.status, 201, created.text);
  return String(created.body.id);
}

describe("two servers sharing one store", () => {
  it("a write that lost the race on the other server is re-read and re-applied: both changes survive", async () => {
    const id = await newUser("two.servers.1@example.com");
    // The first server's Zoom update is slow: the second server's store write lands between its read and its write.
    await h.simPost("/_sim/faults", { rules: [{ method: "PATCH", path: `/v2/users/${id}`, latencyMs: 400, count: 1 }] });
    const since = await h.mark();
    const slow = h.scim("PATCH", `/Users/${id}`, patch({ op: "replace", path: "title", value: "Slow title" }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const fast = await scim2("PATCH", `/Users/${id}`, patch({ op: "replace", path: "nickName", value: "Fast nick" }));
    assert.equal(fast.status, 200, fast.text);
    const answer = await slow;
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.nickName, "Fast nick", "the re-run answer includes the other server's change");
    const got = await scim2("GET", `/Users/${id}`);
    assert.equal(got.body.title, "Slow title");
    assert.equal(got.body.nickName, "Fast nick");
    const calls = await h.callsSince(since);
    const reads = calls.filter((c) => c.method === "GET" && c.path === `/v2/users/${id}`).length;
    assert.ok(reads >= 3, `the slow PATCH read the user again after its conflict (${reads} reads)`);
    assert.equal(calls.filter((c) => c.method === "PATCH").length, 1, "the re-run found Zoom done already: one Zoom update");
  });

  it("20 PATCHes adding emails, spread over both servers: every email survives", async () => {
    const id = await newUser("two.servers.2@example.com");
    const values = Array.from({ length: 20 }, (_, i) => `both.${i}@other.example.org`);
    let conflicts = 0;
    await Promise.all(
      values.map(async (value, i) => {
        const body = patch({ op: "add", path: "emails", value: [{ value, type: "other" }] });
        // An IdP repeats a request answered 409; zoom-scim's own re-runs absorb most races before that.
        for (let attempt = 0; attempt < 10; attempt++) {
          const answer = i % 2 === 0 ? await h.scim("PATCH", `/Users/${id}`, body) : await scim2("PATCH", `/Users/${id}`, body);
          if (answer.status === 200) return;
          assert.equal(answer.status, 409, answer.text);
          assert.match(String(answer.body.detail), /concurrent/);
          conflicts += 1;
        }
        assert.fail(`${value} never applied`);
      }),
    );
    const got = await h.scim("GET", `/Users/${id}`);
    const emails = (got.body.emails as Json[]).map((e) => String(e.value).toLowerCase());
    for (const value of values) assert.ok(emails.includes(value), `${value} kept (${conflicts} 409s on the way)`);
  });
});
