// No secret reaches the audit trail or a log line: a rich run (a password in a POST and a PATCH, a /Bulk create
// with one, wrong, expired and Basic tokens, forged and genuine webhooks, a pending user's acceptance, the debug log
// of every Zoom call) is driven, then every audit entry of every tenant and every captured log line is searched
// for every secret value used: bearer tokens, passwords, the webhook secret, Zoom's client secret and its Basic
// credentials, and the Zoom access tokens the server was issued (caught by a relay in front of the OAuth endpoint).
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { hashToken } from "../../src/config/token-hash.js";
import { signWebhook } from "../../src/simulator/index.js";
import { capturedLogger } from "../helpers/captured-logger.js";
import { namedTenant, simTenantBase, startHarness, TOKEN, type Harness } from "../helpers/harness.js";
import { createPending, eventually, patch, SECRET, webhooksTo } from "../helpers/pending.js";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const ACME_TOKEN = "acme-secret-bearer-token-0123456789";
const EXPIRED_TOKEN = "acme-expired-bearer-token-0123456789";
const WRONG_TOKEN = "wrong-bearer-token-0123456789abcdef";
const PASSWORD = "Initial-Pa55word-9f3c1";
const NEW_PASSWORD = "Changed-Pa55word-7a2e4";
const BULK_PASSWORD = "Bulk-Pa55word-5d8b0";
const FORGED_SECRET = "forged-webhook-secret-0123456789";

/** A relay in front of the simulator's OAuth endpoint that keeps each access token it hands to zoom-scim. */
async function oauthRelay(target: () => string, issued: string[]): Promise<Server> {
  const relay = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      void (async () => {
        const answer = await fetch(`${target()}${req.url?.includes("?") ? req.url.slice(req.url.indexOf("?")) : ""}`, {
          method: req.method ?? "POST",
          headers: { authorization: req.headers.authorization ?? "", "content-type": req.headers["content-type"] ?? "" },
          body: Buffer.concat(chunks),
        });
        const text = await answer.text();
        const token = (JSON.parse(text) as { access_token?: unknown }).access_token;
        if (typeof token === "string") issued.push(token);
        res.writeHead(answer.status, { "content-type": "application/json" }).end(text);
      })();
    });
  });
  await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
  return relay;
}

describe("secrets in the audit trail and the logs", () => {
  let h: Harness;
  let relay: Server;
  let lines: string[] = [];
  const issued: string[] = [];
  before(async () => {
    let oauthUrl = "";
    relay = await oauthRelay(() => oauthUrl, issued);
    const relayUrl = `http://127.0.0.1:${(relay.address() as AddressInfo).port}/oauth/token`;
    const captured = capturedLogger("debug");
    lines = captured.lines;
    const logger = captured.logger;
    h = await startHarness({
      logger,
      env: { ZOOM_WEBHOOK_SECRET_TOKEN: SECRET, SCIM_RECONCILE_INTERVAL_SECONDS: "0", ZOOM_OAUTH_URL: relayUrl },
      tenants: (sim) => {
        oauthUrl = sim.oauthUrl;
        const base = simTenantBase(sim);
        return [
          {
            ...namedTenant({ ...base, zoom: { ...base.zoom, oauthUrl: relayUrl } }, "acme", ACME_TOKEN),
            bearerTokens: [
              { name: "acme-okta", sha256: hashToken(ACME_TOKEN) },
              { name: "acme-retired", sha256: hashToken(EXPIRED_TOKEN), notAfterMs: Date.now() - 1 },
            ],
          },
        ];
      },
    });
  });
  after(async () => {
    await h.close();
    await new Promise((resolve) => relay.close(resolve));
  });

  it("leaves no secret in any audit entry or log line after a run that used them all", async () => {
    const acme = (path: string) => `${h.server.url}/acme/scim/v2${path}`;
    const created = await h.scim(
      "POST",
      acme("/Users"),
      { schemas: [CORE], userName: "sec@audit.example.com", name: { givenName: "Sec", familyName: "Ret" }, password: PASSWORD },
      { token: ACME_TOKEN },
    );
    assert.equal(created.status, 201, created.text);
    const id = String(created.body.id);
    const changed = await h.scim("PATCH", acme(`/Users/${id}`), patch({ op: "replace", path: "password", value: NEW_PASSWORD }), {
      token: ACME_TOKEN,
    });
    assert.ok(changed.status < 500, changed.text);
    const bulk = await h.scim(
      "POST",
      acme("/Bulk"),
      {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
        Operations: [
          {
            method: "POST",
            path: "/Users",
            bulkId: "b1",
            data: { schemas: [CORE], userName: "bulk@audit.example.com", password: BULK_PASSWORD },
          },
        ],
      },
      { token: ACME_TOKEN },
    );
    assert.equal(bulk.status, 200, bulk.text);
    for (const token of [WRONG_TOKEN, EXPIRED_TOKEN, TOKEN]) {
      const refused = await h.scim("PATCH", acme(`/Users/${id}`), patch({ op: "replace", path: "title", value: "X" }), { token });
      assert.equal(refused.status, 401, `${token.slice(0, 5)}…`);
    }
    const basic = await h.scim("GET", acme("/Users"), undefined, {
      token: null,
      headers: { authorization: `Basic ${Buffer.from(`admin:${ACME_TOKEN}`).toString("base64")}` },
    });
    assert.equal(basic.status, 401);

    // A forged webhook, then a genuine acceptance of a pending user with a deferred change.
    const body = JSON.stringify({ event: "user.activated", payload: { object: { id } } });
    const timestamp = String(Date.now());
    const forged = await fetch(`${h.server.url}/webhooks/zoom`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-zm-request-timestamp": timestamp,
        "x-zm-signature": signWebhook(FORGED_SECRET, timestamp, body),
      },
      body,
    });
    assert.equal(forged.status, 401);
    await webhooksTo(h, true);
    const pending = await createPending(h, "pend@audit.example.com", { password: PASSWORD });
    assert.equal((await h.scim("PATCH", `/Users/${pending}`, patch({ op: "replace", path: "title", value: "Later" }))).status, 200);
    await h.simPost(`/_sim/users/${pending}/accept-invitation`);
    const entries = await eventually("the deferred change applied", async () => {
      const all = await h.server.store.audit.list({ limit: 10_000 });
      return all.some((e) => e.kind === "deferred" && e.resourceId === pending) ? all : undefined;
    });
    await webhooksTo(h, false);

    assert.ok(issued.length > 0, "the relay saw the Zoom access tokens zoom-scim was issued");
    assert.ok(entries.length >= 6, `a rich trail: ${entries.length} entries`);
    assert.ok(
      lines.some((l) => l.includes('"zoom call"')),
      "the debug log of every Zoom call was captured",
    );
    const secrets = [
      TOKEN,
      ACME_TOKEN,
      EXPIRED_TOKEN,
      WRONG_TOKEN,
      PASSWORD,
      NEW_PASSWORD,
      BULK_PASSWORD,
      SECRET,
      FORGED_SECRET,
      h.sim.clientSecret,
      Buffer.from(`${h.sim.clientId}:${h.sim.clientSecret}`).toString("base64"),
      Buffer.from(`admin:${ACME_TOKEN}`).toString("base64"),
      ...issued,
    ];
    const trail = JSON.stringify(entries);
    const log = lines.join("");
    for (const secret of secrets) {
      assert.ok(!trail.includes(secret), `the audit trail holds a secret: ${secret.slice(0, 4)}…`);
      assert.ok(!log.includes(secret), `a log line holds a secret: ${secret.slice(0, 4)}…`);
    }
    // What the trail does say: the name of the token that authenticated.
    assert.ok(entries.some((e) => e.actor === "acme-okta"));
  });
});
