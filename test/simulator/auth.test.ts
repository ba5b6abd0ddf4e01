import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Harness, type ZoomErrorBody } from "./helpers.js";

const INVALID = { code: 124, message: "Invalid access token." };

describe("API auth: 401 with code 124", () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start();
  });
  after(() => h.close());

  it("refuses a call without Authorization", async () => {
    const res = await h.api<ZoomErrorBody>("GET", "/users", { token: null });
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, INVALID);
    assert.ok(res.headers.get("x-zm-trackingid"));
  });

  it("refuses an unknown token and a non-Bearer scheme", async () => {
    assert.deepEqual((await h.api("GET", "/users", { token: "not-a-token" })).body, INVALID);
    const basic = await h.api("GET", "/users", { token: null, headers: { authorization: h.basicAuth() } });
    assert.equal(basic.status, 401);
    assert.deepEqual(basic.body, INVALID);
  });

  it("accepts the scheme name in any case", async () => {
    const res = await h.api("GET", "/users/summary", { token: null, headers: { authorization: `bearer ${h.token}` } });
    assert.equal(res.status, 200);
  });

  it("answers 'Access token is expired.' for an expired token", async () => {
    const token = await h.newToken();
    await h.control("POST", "/clock", { advanceSeconds: 3601 });
    const res = await h.api<ZoomErrorBody>("GET", "/users", { token });
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, { code: 124, message: "Access token is expired." });
    h.token = await h.newToken();
  });

  it("refuses tokens revoked through the control plane, and a new token works", async () => {
    const token = await h.newToken();
    const revoked = await h.control<{ revoked: number }>("POST", "/tokens/revoke");
    assert.ok(revoked.body.revoked >= 1);
    assert.deepEqual((await h.api("GET", "/users", { token })).body, INVALID);
    h.token = await h.newToken();
    assert.equal((await h.api("GET", "/users")).status, 200);
  });

  it("refuses tokens revoked by a fault", async () => {
    const token = await h.newToken();
    const res = await h.control<{ revoked: number }>("POST", "/faults", { revokeTokens: true });
    assert.equal(res.status, 201);
    assert.equal((await h.api("GET", "/users", { token })).status, 401);
    h.token = await h.newToken();
  });

  it("checks the token before the body: a malformed body without a token is a 401", async () => {
    const res = await h.api("POST", "/users", { token: null, rawBody: "{}" });
    assert.equal(res.status, 401);
  });
});

describe("API auth: missing scopes → 400 with code 4711", () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start({ scopes: ["user:read:user:admin", "group:read:admin"] });
  });
  after(() => h.close());

  it("grants the calls a scope covers", async () => {
    const info = await h.control<{ ownerId: string }>("GET", "");
    assert.equal((await h.api("GET", `/users/${info.body.ownerId}`)).status, 200);
    assert.equal((await h.api("GET", "/groups")).status, 200);
  });

  it("refuses a call the app has no scope for, naming the granular scope", async () => {
    const list = await h.api<ZoomErrorBody>("GET", "/users");
    assert.equal(list.status, 400);
    assert.deepEqual(list.body, { code: 4711, message: "Invalid access token, does not contain scopes:[user:read:list_users:admin]." });
    const create = await h.api<ZoomErrorBody>("POST", "/groups", { body: { name: "x" } });
    assert.equal(create.status, 400);
    assert.equal(create.body.code, 4711);
    assert.match(create.body.message, /group:write:group:admin/);
  });

  it("binds scopes to the token: a scope granted later needs a new token", async () => {
    await h.control("PATCH", "/config", { scopes: ["user:read:admin"] });
    assert.equal((await h.api("GET", "/users")).status, 400);
    h.token = await h.newToken();
    assert.equal((await h.api("GET", "/users")).status, 200);
  });
});
