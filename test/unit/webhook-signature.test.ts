// Zoom webhook verification: signature over the raw body, timestamp window, replays, the URL validation answer.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, it } from "node:test";
import { urlValidationAnswer, verifyZoomSignature, WEBHOOK_TOLERANCE_MS } from "../../src/http/webhook-signature.js";
import { signWebhook } from "../../src/simulator/index.js";

const SECRET = "secret-token-abcdef";
const body = '{"event":"user.invitation_accepted","payload":{"object":{"id":"u1"}}}';
const now = Date.UTC(2026, 0, 1);
const ts = String(now / 1000);

describe("verifyZoomSignature", () => {
  it("accepts exactly what Zoom signs", () => {
    assert.equal(
      verifyZoomSignature(SECRET, { timestamp: ts, signature: signWebhook(SECRET, ts, body), rawBody: Buffer.from(body) }, now),
      "ok",
    );
  });

  it("refuses another secret, another body, another timestamp, or nothing at all", () => {
    const signature = signWebhook(SECRET, ts, body);
    assert.equal(
      verifyZoomSignature(SECRET, { timestamp: ts, signature: signWebhook("other-secret", ts, body), rawBody: Buffer.from(body) }, now),
      "forged",
    );
    assert.equal(verifyZoomSignature(SECRET, { timestamp: ts, signature, rawBody: Buffer.from(`${body} `) }, now), "forged");
    assert.equal(verifyZoomSignature(SECRET, { timestamp: String(now / 1000 + 1), signature, rawBody: Buffer.from(body) }, now), "forged");
    assert.equal(verifyZoomSignature(SECRET, { timestamp: ts, signature: "v0=short", rawBody: Buffer.from(body) }, now), "forged");
    assert.equal(verifyZoomSignature(SECRET, { timestamp: undefined, signature, rawBody: Buffer.from(body) }, now), "missing");
  });

  it("refuses timestamps outside five minutes either way, and non-numbers", () => {
    const old = String((now - WEBHOOK_TOLERANCE_MS - 1000) / 1000);
    const ahead = String((now + WEBHOOK_TOLERANCE_MS + 1000) / 1000);
    for (const t of [old, ahead, "soon"]) {
      assert.equal(
        verifyZoomSignature(SECRET, { timestamp: t, signature: signWebhook(SECRET, t, body), rawBody: Buffer.from(body) }, now),
        "stale",
        t,
      );
    }
  });
});

describe("urlValidationAnswer", () => {
  it("is the plain token with its HMAC", () => {
    assert.deepEqual(urlValidationAnswer(SECRET, "abc"), {
      plainToken: "abc",
      encryptedToken: createHmac("sha256", SECRET).update("abc").digest("hex"),
    });
  });
});
