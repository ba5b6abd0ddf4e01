// HTTP hardening over real HTTP: the token before the body, limits on what a request may hold, and an SCIM answer
// for every request, even one Node cannot parse.
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { after, before, describe, it } from "node:test";
import { signWebhook } from "../../src/simulator/index.js";
import { startHarness, TOKEN, type Harness } from "../helpers/harness.js";
import { expectContinue, rawExchange, streamBody, type RawAnswer } from "./http-client.js";

const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";
const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const SECRET = "webhook-secret-token-1234";
const MB = 1_000_000;

let h: Harness;
before(async () => {
  h = await startHarness({ env: { ZOOM_WEBHOOK_SECRET_TOKEN: SECRET, SCIM_RECONCILE_INTERVAL_SECONDS: "0" } });
});
after(async () => h.close());

/** A SCIM error answer: the status, application/scim+json, and the Error schema with the status as a string. */
function assertScimError(
  answer: Pick<RawAnswer, "status" | "body" | "headers"> | { status: number; body: Record<string, unknown>; headers: Headers },
  status: number,
  scimType?: string,
): void {
  assert.equal(answer.status, status);
  const type = answer.headers instanceof Headers ? answer.headers.get("content-type") : answer.headers["content-type"];
  assert.match(String(type), /^application\/scim\+json/);
  assert.deepEqual(answer.body.schemas, [ERROR]);
  assert.equal(answer.body.status, String(status));
  if (scimType) assert.equal(answer.body.scimType, scimType);
  assert.equal(typeof answer.body.detail, "string");
}

const user = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  schemas: [CORE],
  userName: "limits@example.com",
  ...extra,
});

describe("authentication before the body", () => {
  it("answers an anonymous 5 MB upload with 401 before the body is sent, then drains it", async () => {
    const result = await streamBody(h.server.port, "/scim/v2/Users", { size: 5 * MB, answerFirst: true });
    assertScimError(result.answer, 401);
    assert.ok(result.sentBeforeAnswer < 5 * MB, "the answer came before the body");
    assert.equal(result.reused, true, "a body within the limit is drained, the connection kept");
  });

  it("buffers none of 50 anonymous 5 MB uploads at once", async () => {
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    let results: Awaited<ReturnType<typeof streamBody>>[];
    try {
      results = await Promise.all(
        Array.from({ length: 50 }, () => streamBody(h.server.port, "/scim/v2/Users", { size: 5 * MB, answerFirst: true })),
      );
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    // 250 MB were sent; buffering them would show. Loose: this process also runs the clients.
    assert.ok(peak - baseline < 100 * MB, `RSS grew by ${Math.round((peak - baseline) / MB)} MB`);
    for (const result of results) {
      assertScimError(result.answer, 401);
      assert.ok(result.sentBeforeAnswer < 5 * MB);
    }
  });

  it("refuses a wrong token without reading the body, chunked or declared", async () => {
    const headers = { authorization: "Bearer not-the-token-at-all" };
    const chunked = await streamBody(h.server.port, "/scim/v2/Users", { size: 2 * MB, declare: false, answerFirst: true, headers });
    assertScimError(chunked.answer, 401);
    assert.ok(chunked.sentBeforeAnswer < 2 * MB);
  });

  it("sends 100 Continue only to an authenticated request", async () => {
    const anonymous = await rawExchange(
      h.server.port,
      "POST /scim/v2/Users HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\nContent-Length: 5000000\r\n\r\n",
    );
    assertScimError(anonymous, 401);
    const body = JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], count: 1 });
    const authenticated = await expectContinue(
      `${h.base}/Users/.search`,
      { authorization: `Bearer ${TOKEN}`, "content-type": "application/scim+json" },
      body,
    );
    assert.equal(authenticated.continued, true);
    assert.equal(authenticated.answer.status, 200);
  });

  it("refuses an unsigned webhook before reading it, and a signed one over 64 KiB with 413", async () => {
    const unsigned = await streamBody(h.server.port, "/webhooks/zoom", { size: MB, answerFirst: true });
    assertScimError(unsigned.answer, 401);
    assert.ok(unsigned.sentBeforeAnswer < MB);
    const now = String(Math.floor(Date.now() / 1000));
    const signed = { "x-zm-request-timestamp": now, "x-zm-signature": signWebhook(SECRET, now, "{}"), "content-type": "application/json" };
    const declared = await streamBody(h.server.port, "/webhooks/zoom", { size: 100_000, answerFirst: true, headers: signed });
    assertScimError(declared.answer, 413);
    const chunked = await streamBody(h.server.port, "/webhooks/zoom", { size: 200_000, declare: false, headers: signed });
    assertScimError(chunked.answer, 413);
  });
});

describe("body limits", () => {
  it("refuses 10,000-deep JSON with 400 invalidSyntax, arrays or objects", async () => {
    const arrays = await h.scim("POST", "/Users", undefined, { raw: `${"[".repeat(10_000)}${"]".repeat(10_000)}` });
    assertScimError(arrays, 400, "invalidSyntax");
    const objects = await h.scim("POST", "/Users", undefined, { raw: `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}` });
    assertScimError(objects, 400, "invalidSyntax");
    assert.match(String(objects.body.detail), /64 deep/);
    // Brackets inside strings are not nesting.
    const inString = await h.scim("POST", "/Users/.search", {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
      filter: `userName eq "${"[".repeat(100)}"`,
      count: 1,
    });
    assert.equal(inString.status, 200);
  });

  it("refuses a 20 KB string, and a 4.9 MB one, with 400 invalidValue naming the attribute", async () => {
    const twenty = await h.scim("POST", "/Users", user({ nickName: "n".repeat(20_000) }));
    assertScimError(twenty, 400, "invalidValue");
    assert.match(String(twenty.body.detail), /"nickName"/);
    const huge = await h.scim("POST", "/Users", user({ nickName: "n".repeat(4_900_000) }));
    assertScimError(huge, 400, "invalidValue");
    const nested = await h.scim("POST", "/Users", user({ emails: [{ value: "a@example.com" }, { value: "é".repeat(9_000) }] }));
    assertScimError(nested, 400, "invalidValue");
    assert.match(String(nested.body.detail), /"emails\[1\]\.value"/, "multi-byte characters count as their UTF-8 bytes");
    const key = await h.scim("POST", "/Users", user({ ["k".repeat(17_000)]: 1 }));
    assertScimError(key, 400, "invalidValue");
  });

  it("refuses an authenticated body over 5 MiB with 413, declared or chunked", async () => {
    const headers = { authorization: `Bearer ${TOKEN}`, "content-type": "application/scim+json" };
    const declared = await streamBody(h.server.port, "/scim/v2/Users", { size: 6 * MB, answerFirst: true, headers });
    assertScimError(declared.answer, 413);
    assert.ok(declared.sentBeforeAnswer < 6 * MB, "a declared length over the limit is refused at once");
    const chunked = await streamBody(h.server.port, "/scim/v2/Users", { size: 12 * MB, declare: false, headers });
    assertScimError(chunked.answer, 413);
  });

  it("inflates gzip to no more than the limit", async () => {
    const headers = { authorization: `Bearer ${TOKEN}`, "content-type": "application/scim+json", "content-encoding": "gzip" };
    const bomb = await fetch(`${h.base}/Users`, { method: "POST", headers, body: gzipSync(Buffer.alloc(20 * MB, " ")) });
    assertScimError({ status: bomb.status, headers: bomb.headers, body: (await bomb.json()) as Record<string, unknown> }, 413);
    const search = await fetch(`${h.base}/Users/.search`, {
      method: "POST",
      headers,
      body: gzipSync(JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], count: 1 })),
    });
    assert.equal(search.status, 200);
    const unknown = await h.scim("POST", "/Users", user(), { headers: { "content-encoding": "zstd" } });
    assertScimError(unknown, 415);
  });

  it("answers bad JSON with 400 invalidSyntax, and an empty body as {}", async () => {
    assertScimError(await h.scim("POST", "/Users", undefined, { raw: '{"userName": ' }), 400, "invalidSyntax");
    assertScimError(await h.scim("POST", "/Users", undefined, { raw: '"a string"' }), 400, "invalidSyntax");
    const empty = await h.scim("POST", "/Users", undefined, { raw: "" });
    assert.equal(empty.status, 400, "an empty body is an empty resource, refused by the SCIM layer");
  });
});

describe("requests Node cannot parse, and URLs and headers over the limits", () => {
  it("answers a 10 KB URL with 414 (Express) and a 100 KB one with 414 (the HTTP parser)", async () => {
    assertScimError(await h.scim("GET", `/Users?filter=${"a".repeat(10_000)}`), 414);
    const huge = await rawExchange(h.server.port, `GET /scim/v2/Users?filter=${"a".repeat(100_000)} HTTP/1.1\r\nHost: localhost\r\n\r\n`);
    assertScimError(huge, 414);
  });

  it("answers headers over 16 KiB with 431", async () => {
    const answer = await rawExchange(
      h.server.port,
      `GET /scim/v2/Users HTTP/1.1\r\nHost: localhost\r\nX-Big: ${"b".repeat(20_000)}\r\n\r\n`,
    );
    assertScimError(answer, 431);
    assert.equal(answer.headers.connection, "close");
    assert.equal(answer.headers["x-zoom-calls"], "0");
    assert.ok(answer.headers["x-request-id"]);
  });

  it("answers a malformed request line, a bad header and a bad URL character with 400", async () => {
    assertScimError(await rawExchange(h.server.port, "GARBAGE\r\n\r\n"), 400);
    assertScimError(await rawExchange(h.server.port, "GET /scim/v2/Users HTTP/1.1\r\nHost: localhost\r\nno colon here\r\n\r\n"), 400);
    assertScimError(await rawExchange(h.server.port, "GET /scim/v2/\x01 HTTP/1.1\r\nHost: localhost\r\n\r\n"), 400);
  });

  it("answers an HTTP/1.1 request without Host with a SCIM 400", async () => {
    assertScimError(await rawExchange(h.server.port, `GET /scim/v2/Users HTTP/1.1\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`), 400);
  });
});
