// Tenants and their options end to end: token isolation, Zoom's create action (pending users), delete modes,
// adopting duplicates, and secrets that never reach an answer or a log line.
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { createLogger } from "../../src/http/logger.js";
import { startHarness, namedTenant, simTenantBase, TOKEN, type Harness } from "../helpers/harness.js";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const ZOOM_EXT = "urn:ietf:params:scim:schemas:extension:zoom:1.0:User";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const ACME_TOKEN = "acme-token-0123456789";
const SHRED_TOKEN = "shred-token-0123456789";

let h: Harness;

async function zoomUser(idOrEmail: string): Promise<Record<string, unknown> | undefined> {
  const answer = await h.simGet(`/_sim/users/${encodeURIComponent(idOrEmail)}`);
  return answer.status === 200 ? { ...answer.body, ...(answer.body.profile as Record<string, unknown> | undefined) } : undefined;
}

before(async () => {
  h = await startHarness({
    tenants: (sim) => {
      const base = simTenantBase(sim);
      return [
        namedTenant(base, "acme", ACME_TOKEN, { onDuplicate: "adopt", signOutOnDeactivate: true }),
        namedTenant(base, "shred", SHRED_TOKEN, { deleteMode: "delete" }),
      ];
    },
  });
});
after(async () => h.close());

describe("tenants", () => {
  it("opens each tenant with its own token only", async () => {
    assert.equal((await h.scim("GET", "/acme/scim/v2/Users", undefined, { token: ACME_TOKEN })).status, 200);
    assert.equal((await h.scim("GET", "/acme/scim/v2/Users", undefined, { token: TOKEN })).status, 401);
    assert.equal((await h.scim("GET", "/scim/v2/Users", undefined, { token: ACME_TOKEN })).status, 401);
    assert.equal((await h.scim("GET", "/shred/scim/v2/Users", undefined, { token: ACME_TOKEN })).status, 401);
    // An unknown tenant answers exactly as a wrong token does: which tenant names exist stays unknown (issue 13).
    const unknown = await h.scim("GET", "/nobody/scim/v2/Users", undefined, { token: ACME_TOKEN });
    const wrongToken = await h.scim("GET", "/acme/scim/v2/Users", undefined, { token: TOKEN });
    assert.equal(unknown.status, 401);
    assert.deepEqual(unknown.body, wrongToken.body);
    assert.equal(unknown.headers.get("www-authenticate"), wrongToken.headers.get("www-authenticate"));
    const anonymous = await h.scim("GET", "/nobody/scim/v2/Users", undefined, { token: null });
    assert.deepEqual(anonymous.body, (await h.scim("GET", "/acme/scim/v2/Users", undefined, { token: null })).body);
    assert.equal((await h.scim("GET", `${h.server.url}/nobody/admin/pending`, undefined, { token: ACME_TOKEN })).status, 401);
  });

  it("serves meta.location and Location under the tenant's own base URL", async () => {
    const created = await h.scim(
      "POST",
      "/acme/scim/v2/Users",
      { schemas: [CORE], userName: "located@example.com" },
      { token: ACME_TOKEN },
    );
    assert.equal(created.status, 201, created.text);
    assert.match(String(created.headers.get("location")), /\/acme\/scim\/v2\/Users\//);
  });

  it("adopts an existing Zoom user on duplicate when the tenant says so", async () => {
    await h.simPost("/_sim/seed", {
      users: [{ email: "existing@example.com", first_name: "Old", last_name: "Name", type: 1, status: "inactive" }],
    });
    const adopted = await h.scim(
      "POST",
      "/acme/scim/v2/Users",
      { schemas: [CORE], userName: "existing@example.com", name: { givenName: "New", familyName: "Name" }, externalId: "idp-7" },
      { token: ACME_TOKEN },
    );
    assert.equal(adopted.status, 201, adopted.text);
    assert.equal(adopted.body.externalId, "idp-7");
    const zoom = await zoomUser("existing@example.com");
    assert.equal(zoom?.first_name, "New");
    assert.equal(zoom?.status, "active");
    assert.equal(
      (await h.scim("POST", "/scim/v2/Users", { schemas: [CORE], userName: "existing@example.com" })).status,
      409,
      "the default tenant refuses duplicates",
    );
  });

  it("signs out before deactivating when the tenant asks for it", async () => {
    const created = await h.scim(
      "POST",
      "/acme/scim/v2/Users",
      { schemas: [CORE], userName: "signout@example.com" },
      { token: ACME_TOKEN },
    );
    const mark = await h.mark();
    const off = await h.scim(
      "PATCH",
      `/acme/scim/v2/Users/${String(created.body.id)}`,
      { schemas: [PATCH], Operations: [{ op: "replace", path: "active", value: false }] },
      { token: ACME_TOKEN },
    );
    assert.equal(off.status, 200, off.text);
    const writes = (await h.callsSince(mark)).filter((c) => c.method !== "GET").map((c) => `${c.method} ${c.path}`);
    assert.deepEqual(writes, [`DELETE /v2/users/${String(created.body.id)}/token`, `PUT /v2/users/${String(created.body.id)}/status`]);
  });

  it("deletes from Zoom in delete mode", async () => {
    const created = await h.scim(
      "POST",
      "/shred/scim/v2/Users",
      { schemas: [CORE], userName: "shred.me@example.com" },
      { token: SHRED_TOKEN },
    );
    const id = String(created.body.id);
    assert.equal((await h.scim("DELETE", `/shred/scim/v2/Users/${id}`, undefined, { token: SHRED_TOKEN })).status, 204);
    assert.equal(await zoomUser(id), undefined);
    assert.equal((await h.scim("GET", `/shred/scim/v2/Users/${id}`, undefined, { token: SHRED_TOKEN })).status, 404);
  });
});

describe("pending users (Zoom's create action)", () => {
  it("creates a pending user that reads active, and keeps Zoom changes for after acceptance (test/e2e/pending.test.ts)", async () => {
    const created = await h.scim("POST", "/Users", {
      schemas: [CORE],
      userName: "invitee@example.com",
      name: { givenName: "In", familyName: "Vitee" },
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.active, true);
    assert.equal((created.body[ZOOM_EXT] as { status: string }).status, "pending");
    const id = String(created.body.id);
    assert.equal((await zoomUser(id))?.status, "pending");

    const listed = await h.scim("GET", `/Users?filter=${encodeURIComponent(`${ZOOM_EXT}:status eq "pending"`)}`);
    assert.ok(
      (listed.body.Resources as { id: string }[]).some((r) => r.id === id),
      "pending users are listed with their id",
    );

    const noop = await h.scim("PATCH", `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: "replace", value: { active: true } }] });
    assert.equal(noop.status, 200, "active:true already matches a pending user");
    const deferred = await h.scim("PATCH", `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: "replace", path: "title", value: "CEO" }],
    });
    assert.equal(deferred.status, 200, deferred.text);
    assert.equal(deferred.body.title, "CEO", "answered with the desired state");
    assert.equal((deferred.body[ZOOM_EXT] as { status: string }).status, "pending");
    assert.equal((await zoomUser(id))?.job_title, undefined, "Zoom gets it after acceptance");
    const storeOnly = await h.scim("PATCH", `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: "add", path: "externalId", value: "ext-pending" }],
    });
    assert.equal(storeOnly.status, 200, storeOnly.text);
    assert.equal(storeOnly.body.externalId, "ext-pending");

    assert.equal((await h.scim("DELETE", `/Users/${id}`)).status, 204);
    assert.equal(await zoomUser(id), undefined, "the invitation is cancelled");
  });

  it("refuses an inactive create with the create action before calling Zoom", async () => {
    const mark = await h.mark();
    const refused = await h.scim("POST", "/Users", { schemas: [CORE], userName: "never@example.com", active: false });
    assert.equal(refused.status, 409);
    assert.match(String(refused.body.detail), /autoCreate/);
    assert.equal((await h.callsSince(mark)).length, 0);
  });
});

describe("secrets", () => {
  it("never shows the Zoom secret, OAuth tokens or bearer tokens in answers or logs", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const { startServer } = await import("../../src/server.js");
    const { loadConfig } = await import("../../src/config/load.js");
    const config = loadConfig({
      ZOOM_ACCOUNT_ID: h.sim.accountId,
      ZOOM_CLIENT_ID: h.sim.clientId,
      ZOOM_CLIENT_SECRET: "wrong-secret-that-must-not-leak",
      ZOOM_API_URL: h.sim.apiUrl,
      ZOOM_OAUTH_URL: h.sim.oauthUrl,
      SCIM_BEARER_TOKEN: TOKEN,
      ZOOM_SCIM_DB: ":memory:",
      HOST: "127.0.0.1",
      PORT: "0",
    });
    const server = await startServer(config, { logger: createLogger("debug", sink), zoomRateLimit: false });
    try {
      const answer = await fetch(`${server.url}/scim/v2/Users/someone1234567890123456`, { headers: { authorization: `Bearer ${TOKEN}` } });
      const text = await answer.text();
      assert.equal(answer.status, 503, text);
      assert.match(text, /credentials/);
      const everything = text + lines.join("");
      assert.ok(lines.length > 0);
      for (const secret of [
        "wrong-secret-that-must-not-leak",
        TOKEN,
        Buffer.from(`${h.sim.clientId}:wrong-secret-that-must-not-leak`).toString("base64"),
      ]) {
        assert.ok(!everything.includes(secret), `leaked: ${secret.slice(0, 6)}…`);
      }
      const requestLine = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === "request");
      assert.equal(requestLine?.status, 503);
      assert.equal(typeof requestLine?.requestId, "string");
      assert.equal(requestLine?.tenant, "default");
      assert.equal(requestLine?.path, "/scim/v2/Users/someone1234567890123456");
      assert.equal(requestLine?.zoomCalls, 0, "only token requests were made, and those are not API calls");
    } finally {
      await server.close();
    }
  });
});
