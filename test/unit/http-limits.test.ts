// The HTTP layer's pure parts: JSON depth and string limits, host[:port] validation, answers for unparsable
// requests, and the HTTP settings read from the environment.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, loadConfig } from "../../src/config/load.js";
import { DEFAULT_HTTP_LIMITS } from "../../src/config/types.js";
import { nestsDeeperThan, overlongStringPath, parseJsonBody } from "../../src/http/limits.js";
import { clientErrorAnswer } from "../../src/http/listen.js";
import { isValidHostPort } from "../../src/http/origin.js";
import { ScimError } from "../../src/scim/errors.js";

function refusal(run: () => unknown): ScimError {
  try {
    run();
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  assert.fail("expected a ScimError");
}

describe("JSON limits", () => {
  it("counts nesting without recursion, ignoring brackets in strings and escaped quotes", () => {
    assert.equal(nestsDeeperThan("[".repeat(100_000), 64), true);
    assert.equal(nestsDeeperThan(`${"[".repeat(64)}${"]".repeat(64)}`, 64), false);
    assert.equal(nestsDeeperThan(`${"[".repeat(65)}${"]".repeat(65)}`, 64), true);
    assert.equal(nestsDeeperThan(`{"a":"${"[{".repeat(100)}"}`, 2), false);
    assert.equal(nestsDeeperThan(`{"a":"\\"[[[","b":[[1]]}`, 2), true, "an escaped quote does not end the string");
    assert.equal(nestsDeeperThan(`{"a":"\\\\","b":[1]}`, 1), true, "an escaped backslash does not escape the closing quote");
  });

  it("names the path of an overlong string, counting UTF-8 bytes", () => {
    assert.equal(overlongStringPath({ a: [{ b: "x".repeat(11) }] }, 10), "a[0].b");
    assert.equal(overlongStringPath({ a: "é".repeat(6) }, 10), "a");
    assert.equal(overlongStringPath({ a: "é".repeat(5), b: ["ok"] }, 10), undefined);
    assert.equal(overlongStringPath({ a: { ["k".repeat(11)]: 1 } }, 10), "a key in a");
  });

  it("parses a body within the limits, and refuses the rest with the right scimType", () => {
    assert.deepEqual(parseJsonBody('\uFEFF{"a":1}', DEFAULT_HTTP_LIMITS), { a: 1 });
    assert.deepEqual(parseJsonBody("  ", DEFAULT_HTTP_LIMITS), {});
    assert.equal(refusal(() => parseJsonBody("[".repeat(10_000), DEFAULT_HTTP_LIMITS)).scimType, "invalidSyntax");
    assert.equal(refusal(() => parseJsonBody("42", DEFAULT_HTTP_LIMITS)).scimType, "invalidSyntax");
    assert.equal(refusal(() => parseJsonBody("{", DEFAULT_HTTP_LIMITS)).scimType, "invalidSyntax");
    const long = refusal(() => parseJsonBody(JSON.stringify({ nickName: "n".repeat(20_000) }), DEFAULT_HTTP_LIMITS));
    assert.equal(long.scimType, "invalidValue");
    assert.match(long.detail, /"nickName"/);
  });
});

describe("host[:port]", () => {
  it("takes reg-names, IPv4 and bracketed IPv6, with a port up to 65535", () => {
    for (const host of [
      "example.com",
      "example.com:443",
      "localhost:8080",
      "10.0.0.1:1",
      "[::1]",
      "[2001:db8::1]:8443",
      "a-b_c~d.example",
      "xn--bcher-kva.example",
      "%41.example",
    ]) {
      assert.equal(isValidHostPort(host), true, host);
    }
  });

  it("refuses what is not a host: paths, userinfo, spaces, bad ports or literals", () => {
    for (const host of [
      "",
      "evil.example/x",
      "user@evil.example",
      "evil example",
      "evil.example:65536",
      "evil.example:",
      "[::zz]",
      "::1",
      "[::1",
      "a:1:2",
      "evil.example#x",
      "evil.example?x",
      "%zz",
    ]) {
      assert.equal(isValidHostPort(host), false, host);
    }
  });
});

describe("answers to requests Node cannot parse", () => {
  const limits = { maxHeaderBytes: 16_384, maxUrlBytes: 8_192 };
  it("tells an overlong request line (414) from overlong headers (431)", () => {
    assert.equal(
      clientErrorAnswer(
        Object.assign(new Error("x"), { code: "HPE_HEADER_OVERFLOW", rawPacket: Buffer.from(`GET /${"a".repeat(20_000)}`) }),
        limits,
      ).status,
      414,
    );
    assert.equal(
      clientErrorAnswer(
        Object.assign(new Error("x"), {
          code: "HPE_HEADER_OVERFLOW",
          rawPacket: Buffer.from(`GET / HTTP/1.1\r\nX: ${"a".repeat(20_000)}`),
        }),
        limits,
      ).status,
      431,
    );
    assert.equal(clientErrorAnswer(Object.assign(new Error("x"), { code: "HPE_HEADER_OVERFLOW" }), limits).status, 431);
  });

  it("answers anything else as 400 without the parser's own words", () => {
    const answer = clientErrorAnswer(
      Object.assign(new Error("Parse Error: Invalid method encountered"), { code: "HPE_INVALID_METHOD" }),
      limits,
    );
    assert.equal(answer.status, 400);
    assert.doesNotMatch(answer.detail, /Parse Error|Invalid method/);
    assert.equal(clientErrorAnswer(Object.assign(new Error("x"), { code: "ERR_HTTP_REQUEST_TIMEOUT" }), limits).status, 408);
  });
});

describe("HTTP settings from the environment", () => {
  const base = { ZOOM_ACCOUNT_ID: "a", ZOOM_CLIENT_ID: "b", ZOOM_CLIENT_SECRET: "c", SCIM_BEARER_TOKEN: "x".repeat(32) };

  it("defaults: 5 MiB bodies, 64 KiB webhooks, depth 64, 16 KiB strings, 8 KiB URLs, 16 KiB headers, no proxy trusted", () => {
    const { http } = loadConfig(base);
    assert.deepEqual(http.limits, {
      maxBodyBytes: 5_242_880,
      maxWebhookBodyBytes: 65_536,
      maxJsonDepth: 64,
      maxStringBytes: 16_384,
      maxUrlBytes: 8_192,
      maxHeaderBytes: 16_384,
    });
    assert.equal(http.trustProxy, false);
  });

  it("reads each limit and SCIM_TRUST_PROXY's forms", () => {
    const { http } = loadConfig({
      ...base,
      SCIM_MAX_BODY_BYTES: "1048576",
      SCIM_MAX_JSON_DEPTH: "16",
      SCIM_MAX_HEADER_BYTES: "32768",
      SCIM_TRUST_PROXY: "loopback, 10.0.0.0/8",
    });
    assert.equal(http.limits.maxBodyBytes, 1_048_576);
    assert.equal(http.limits.maxJsonDepth, 16);
    assert.equal(http.limits.maxHeaderBytes, 32_768);
    assert.equal(http.trustProxy, "loopback,10.0.0.0/8");
    assert.equal(loadConfig({ ...base, SCIM_TRUST_PROXY: "true" }).http.trustProxy, true);
    assert.equal(loadConfig({ ...base, SCIM_TRUST_PROXY: "off" }).http.trustProxy, false);
    assert.equal(loadConfig({ ...base, SCIM_TRUST_PROXY: "2" }).http.trustProxy, 2);
    assert.equal(loadConfig({ ...base, SCIM_TRUST_PROXY: "192.168.0.0/255.255.0.0" }).http.trustProxy, "192.168.0.0/255.255.0.0");
  });

  it("says what to fix for bad values", () => {
    assert.throws(
      () => loadConfig({ ...base, SCIM_MAX_BODY_BYTES: "5mb", SCIM_MAX_URL_BYTES: "0", SCIM_TRUST_PROXY: "my-proxy" }),
      (error: unknown) => {
        const problems = (error as ConfigError).problems.join("\n");
        assert.match(problems, /SCIM_MAX_BODY_BYTES is "5mb"; use a positive whole number/);
        assert.match(problems, /SCIM_MAX_URL_BYTES is "0"/);
        assert.match(problems, /SCIM_TRUST_PROXY is "my-proxy"/);
        return true;
      },
    );
  });
});
