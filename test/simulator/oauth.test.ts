import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Harness, type ZoomErrorBody } from "./helpers.js";

describe("OAuth: POST /oauth/token", () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start({ accountId: "ACC-1", clientId: "CID-1", clientSecret: "SECRET-1" });
  });
  after(() => h.close());

  it("answers Zoom's success body for Basic credentials and the form body", async () => {
    const res = await h.requestToken("grant_type=account_credentials&account_id=ACC-1");
    assert.equal(res.status, 200);
    assert.ok(res.headers.get("x-zm-trackingid"));
    const body = res.body;
    assert.equal(typeof body.access_token, "string");
    assert.ok((body.access_token as string).length >= 32);
    assert.equal(body.token_type, "bearer");
    assert.equal(body.expires_in, 3600);
    assert.equal(typeof body.scope, "string");
    assert.ok((body.scope as string).split(" ").includes("user:read:admin"));
    assert.equal(body.api_url, h.sim.baseUrl);
    assert.equal(body.refresh_token, undefined);
  });

  it("refuses a wrong client secret or id with 400 invalid_client", async () => {
    for (const auth of [h.basicAuth("CID-1", "wrong"), h.basicAuth("other", "SECRET-1")]) {
      const res = await h.requestToken(undefined, auth);
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, { reason: "Invalid client_id or client_secret", error: "invalid_client" });
    }
  });

  it("refuses a request without Basic credentials", async () => {
    const res = await fetch(h.sim.oauthUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=account_credentials&account_id=ACC-1",
    });
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), { reason: "Invalid client_id or client_secret", error: "invalid_client" });
  });

  it("refuses other grant types with 400 unsupported_grant_type", async () => {
    const res = await h.requestToken("grant_type=client_credentials&account_id=ACC-1");
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, { reason: "unsupported grant type", error: "unsupported_grant_type" });
  });

  it("ignores parameters in the query string: only the form body counts", async () => {
    const res = await fetch(`${h.sim.oauthUrl}?grant_type=account_credentials&account_id=ACC-1`, {
      method: "POST",
      headers: { authorization: h.basicAuth() },
    });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: string }).error, "unsupported_grant_type");
  });

  it("refuses a missing or wrong account_id with 400 invalid_request", async () => {
    const missing = await h.requestToken("grant_type=account_credentials");
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body, { reason: "Missing account_id", error: "invalid_request" });
    const wrong = await h.requestToken("grant_type=account_credentials&account_id=OTHER");
    assert.equal(wrong.status, 400);
    assert.deepEqual(wrong.body, { reason: "Invalid account_id", error: "invalid_request" });
  });

  it("keeps several tokens valid at once by default", async () => {
    const first = await h.newToken();
    const second = await h.newToken();
    assert.notEqual(first, second);
    for (const token of [first, second]) {
      assert.equal((await h.api("GET", "/users/summary", { token })).status, 200);
    }
  });

  it("logs token calls in the call log with category oauth", async () => {
    await h.control("DELETE", "/calls");
    await h.newToken();
    const log = await h.control<{ calls: { method: string; path: string; category: string; status: number }[] }>("GET", "/calls");
    assert.equal(log.body.calls.length, 1);
    assert.deepEqual(
      {
        method: log.body.calls[0]?.method,
        path: log.body.calls[0]?.path,
        category: log.body.calls[0]?.category,
        status: log.body.calls[0]?.status,
      },
      { method: "POST", path: "/oauth/token", category: "oauth", status: 200 },
    );
  });
});

describe("OAuth: token lifetime and the concurrent-token cap", () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start({ maxTokensPerApp: 1, tokenTtlSeconds: 120 });
  });
  after(() => h.close());

  it("with maxTokensPerApp 1, a new token revokes the previous one", async () => {
    const first = await h.newToken();
    assert.equal((await h.api("GET", "/users/summary", { token: first })).status, 200);
    const second = await h.newToken();
    const old = await h.api<ZoomErrorBody>("GET", "/users/summary", { token: first });
    assert.equal(old.status, 401);
    assert.deepEqual(old.body, { code: 124, message: "Invalid access token." });
    assert.equal((await h.api("GET", "/users/summary", { token: second })).status, 200);
  });

  it("uses the configured lifetime and answers 'expired' after it", async () => {
    const res = await h.requestToken();
    assert.equal(res.body.expires_in, 120);
    const token = res.body.access_token as string;
    assert.equal((await h.api("GET", "/users/summary", { token })).status, 200);
    await h.control("POST", "/clock", { advanceSeconds: 121 });
    const expired = await h.api<ZoomErrorBody>("GET", "/users/summary", { token });
    assert.equal(expired.status, 401);
    assert.deepEqual(expired.body, { code: 124, message: "Access token is expired." });
  });
});

describe("OAuth: a cap of two tokens", () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start({ maxTokensPerApp: 2 });
  });
  after(() => h.close());

  it("revokes only the oldest token when a third is issued", async () => {
    const [a, b, c] = [await h.newToken(), await h.newToken(), await h.newToken()];
    assert.equal((await h.api("GET", "/users/summary", { token: a })).status, 401);
    assert.equal((await h.api("GET", "/users/summary", { token: b })).status, 200);
    assert.equal((await h.api("GET", "/users/summary", { token: c })).status, 200);
  });
});
