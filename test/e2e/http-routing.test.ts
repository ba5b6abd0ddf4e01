// Routing and origins over real HTTP: a route table answers 404, 405 (with Allow) and OPTIONS before anything else;
// discovery endpoints never leak internal errors; Location and meta.location come from trusted origins only.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DEFAULT_HTTP_CONFIG } from "../../src/config/types.js";
import { startHarness, TOKEN, type Harness } from "../helpers/harness.js";
import { httpRequest, type RawAnswer } from "./http-client.js";

const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const AUTH = { authorization: `Bearer ${TOKEN}` };

let h: Harness;
before(async () => {
  h = await startHarness({ env: { ZOOM_CREATE_ACTION: "autoCreate" } });
});
after(async () => h.close());

const call = (method: string, path: string, headers: Record<string, string> = AUTH, body?: unknown): Promise<RawAnswer> =>
  httpRequest(`${h.server.url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { "content-type": "application/scim+json" }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

function assertScimError(answer: RawAnswer, status: number, scimType?: string): void {
  assert.equal(answer.status, status, answer.text);
  assert.match(answer.headers["content-type"] ?? "", /^application\/scim\+json/);
  assert.deepEqual(answer.body.schemas, [ERROR]);
  assert.equal(answer.body.status, String(status));
  if (scimType) assert.equal(answer.body.scimType, scimType);
}

describe("route table", () => {
  it("answers a method a path does not take with 405 and Allow, before authentication", async () => {
    const cases: [string, string, string][] = [
      ["PROPFIND", "/scim/v2/Users", "GET, HEAD, POST, OPTIONS"],
      ["PUT", "/scim/v2/Users", "GET, HEAD, POST, OPTIONS"],
      ["POST", "/scim/v2/Users/abc", "GET, HEAD, PUT, PATCH, DELETE, OPTIONS"],
      ["GET", "/scim/v2/Users/.search", "POST, OPTIONS"],
      ["DELETE", "/scim/v2/Groups", "GET, HEAD, POST, OPTIONS"],
      ["DELETE", "/scim/v2/ServiceProviderConfig", "GET, HEAD, OPTIONS"],
      ["PUT", "/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User", "GET, HEAD, OPTIONS"],
      ["POST", "/healthz", "GET, HEAD, OPTIONS"],
      ["GET", "/webhooks/zoom", "POST, OPTIONS"],
      ["PUT", "/admin/pending", "GET, HEAD, OPTIONS"],
    ];
    for (const [method, path, allow] of cases) {
      const answer = await call(method, path);
      assertScimError(answer, 405);
      assert.equal(answer.headers.allow, allow, `${method} ${path}`);
      assert.match(String(answer.body.detail), new RegExp(`does not take ${method}`));
    }
    const anonymous = await call("PUT", "/scim/v2/Users", {});
    assertScimError(anonymous, 405);
  });

  it("answers OPTIONS with 204 and Allow, and no body", async () => {
    for (const [path, allow] of [
      ["/scim/v2/Users", "GET, HEAD, POST, OPTIONS"],
      ["/scim/v2/Users/abc", "GET, HEAD, PUT, PATCH, DELETE, OPTIONS"],
      ["/scim/v2/Groups/.search", "POST, OPTIONS"],
      ["/scim/v2/ResourceTypes", "GET, HEAD, OPTIONS"],
      ["/healthz", "GET, HEAD, OPTIONS"],
    ] as const) {
      const answer = await call("OPTIONS", path, {});
      assert.equal(answer.status, 204, path);
      assert.equal(answer.headers.allow, allow, path);
      assert.equal(answer.text, "");
      assert.equal(answer.headers["content-type"], undefined, "no text/plain method list");
    }
  });

  it("answers unknown paths with a SCIM 404, with or without a token", async () => {
    for (const path of ["/scim/v2/Nope", "/scim/v2", "/scim/v2/Users/a/b", "/nowhere", "/nosuch/scim/v2/Nope"]) {
      assertScimError(await call("GET", path), 404);
      assertScimError(await call("GET", path, {}), 404);
    }
    // A SCIM path of a tenant that does not exist is refused as a wrong token is (issue 13), not with 404.
    assertScimError(await call("GET", "/nosuch/scim/v2/Users"), 401);
  });

  it("still serves what it lists: HEAD answers as GET without a body", async () => {
    const head = await call("HEAD", "/scim/v2/Users?count=1");
    assert.equal(head.status, 200);
    assert.equal(head.text, "");
    const listed = await call("GET", "/scim/v2/Users?count=1");
    const id = String((listed.body.Resources as { id: string }[])[0]?.id);
    const one = await call("HEAD", `/scim/v2/Users/${id}`);
    assert.deepEqual([one.status, one.text, one.headers.etag !== undefined], [200, "", true]);
    // Case and a trailing slash as Express matched them, the id decoded as Express decoded it.
    assert.equal((await call("GET", `/scim/v2/users/${encodeURIComponent(id)}/`)).body.id, id);
  });

  it("refuses an id that is not valid percent-encoding with a 400 that says so", async () => {
    for (const method of ["GET", "DELETE"]) {
      const answer = await call(method, "/scim/v2/Users/%E0%A4%A");
      assertScimError(answer, 400);
      assert.match(String(answer.body.detail), /id in the path \(%E0%A4%A\) is not valid percent-encoding/);
    }
  });
});

describe("discovery query parameters", () => {
  it("never answers 500 or internal text for odd attributes or a filter", async () => {
    const cases: [string, number, string?][] = [
      ["/ResourceTypes?attributes=__proto__", 400, "invalidValue"],
      ["/Schemas?attributes=__proto__", 400, "invalidValue"],
      ["/ServiceProviderConfig?attributes=__proto__", 400, "invalidValue"],
      ["/ResourceTypes/User?excludedAttributes=__proto__", 400, "invalidValue"],
      ["/ServiceProviderConfig?attributes=constructor", 200],
      ["/Schemas?excludedAttributes=constructor", 200],
      ["/ServiceProviderConfig?filter=x", 403],
      ["/Schemas?filter=id%20eq%20%22x%22", 403],
      ["/Schemas/urn:nope", 404],
      ["/ResourceTypes/Nope", 404],
    ];
    for (const [path, status, scimType] of cases) {
      const answer = await call("GET", `/scim/v2${path}`);
      assert.equal(answer.status, status, `${path}: ${answer.text}`);
      assert.match(answer.headers["content-type"] ?? "", /^application\/scim\+json/);
      assert.doesNotMatch(answer.text, /Cannot read|TypeError|undefined|null \(reading/, path);
      if (status >= 400) assertScimError(answer, status, scimType);
    }
  });

  it("advertises the body limit as bulk.maxPayloadSize, and one authentication scheme", async () => {
    const spc = await call("GET", "/scim/v2/ServiceProviderConfig");
    // Issue 13: bulk is supported, up to 1,000 operations.
    assert.deepEqual(spc.body.bulk, { supported: true, maxOperations: 1000, maxPayloadSize: 5 * 1024 * 1024 });
    assert.equal((spc.body.authenticationSchemes as unknown[]).length, 1);
  });
});

/** Every location in the answer (Location header, meta.location of the resource or its list). */
function locations(answer: RawAnswer): string[] {
  const found = answer.headers.location ? [answer.headers.location] : [];
  const resources = (answer.body.Resources as { meta?: { location?: string } }[] | undefined) ?? [
    answer.body as { meta?: { location?: string } },
  ];
  for (const resource of resources) if (resource.meta?.location) found.push(resource.meta.location);
  return found;
}

const HOSTILE = { ...AUTH, host: "evil.example", "x-forwarded-proto": "javascript", "x-forwarded-host": "attacker.example" };

describe("trusted origins", () => {
  it("uses the request's Host but ignores X-Forwarded-* by default: never javascript://", async () => {
    const list = await call("GET", "/scim/v2/Users?count=2", HOSTILE);
    const created = await call("POST", "/scim/v2/Users", HOSTILE, {
      schemas: [CORE],
      userName: "origin-1@example.com",
      name: { givenName: "O", familyName: "One" },
    });
    const spc = await call("GET", "/scim/v2/ServiceProviderConfig", HOSTILE);
    assert.equal(created.status, 201, created.text);
    for (const answer of [list, created, spc]) {
      const found = locations(answer);
      assert.ok(found.length > 0);
      for (const location of found) assert.match(location, /^http:\/\/evil\.example\/scim\/v2\//);
      assert.doesNotMatch(answer.text, /javascript|attacker/);
    }
  });

  it("refuses a Host that is not host[:port] rather than reflect it, and takes IP literals", async () => {
    for (const host of ["evil.example/x", "user@evil.example", "evil example", "evil.example:99999", "[::zz]", "evil.example:8080:1"]) {
      const answer = await call("GET", "/scim/v2/Users?count=1", { ...AUTH, host });
      assertScimError(answer, 400);
      assert.doesNotMatch(answer.text, /evil/);
    }
    for (const [host, origin] of [
      ["[::1]:8080", "http://[::1]:8080"],
      ["10.0.0.1", "http://10.0.0.1"],
      ["scim.example.com:8443", "http://scim.example.com:8443"],
    ] as const) {
      const answer = await call("GET", "/scim/v2/Users?count=1", { ...AUTH, host });
      assert.equal(answer.status, 200, host);
      for (const location of locations(answer)) assert.ok(location.startsWith(`${origin}/scim/v2/Users/`), location);
    }
  });

  it("honours X-Forwarded-Proto/-Host only from trusted proxies, and only http(s) and valid hosts", async () => {
    await h.restartServer({ http: { ...DEFAULT_HTTP_CONFIG, trustProxy: "loopback" } });
    try {
      const forwarded = await call("GET", "/scim/v2/Users?count=1", {
        ...AUTH,
        "x-forwarded-proto": "https",
        "x-forwarded-host": "scim.example.com:8443",
      });
      assert.equal(forwarded.status, 200);
      for (const location of locations(forwarded)) assert.ok(location.startsWith("https://scim.example.com:8443/scim/v2/Users/"), location);
      const javascript = await call("GET", "/scim/v2/Users?count=1", HOSTILE);
      assertScimError(javascript, 400);
      assert.doesNotMatch(javascript.text, /javascript:|attacker/);
      const badHost = await call("GET", "/scim/v2/ServiceProviderConfig", {
        ...AUTH,
        "x-forwarded-proto": "https",
        "x-forwarded-host": "evil.example/x",
      });
      assertScimError(badHost, 400);
    } finally {
      await h.restartServer({ http: DEFAULT_HTTP_CONFIG });
    }
  });

  it("uses PUBLIC_URL whatever the request says", async () => {
    await h.restartServer({ publicUrl: "https://scim.example.org" });
    try {
      const created = await call("POST", "/scim/v2/Users", HOSTILE, {
        schemas: [CORE],
        userName: "origin-2@example.com",
        name: { givenName: "O", familyName: "Two" },
      });
      const list = await call("GET", "/scim/v2/Users?count=2", { ...AUTH, host: "evil.example/x" });
      for (const answer of [created, list]) {
        assert.ok(answer.status < 300, answer.text);
        for (const location of locations(answer)) assert.ok(location.startsWith("https://scim.example.org/scim/v2/Users/"), location);
      }
    } finally {
      await h.restartServer({ publicUrl: undefined });
    }
  });
});
