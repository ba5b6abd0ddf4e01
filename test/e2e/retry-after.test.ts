// Retry-After to clients is whole seconds (RFC 9110 §10.2.3 delay-seconds), whatever form Zoom's took: a fraction,
// an ISO date-time (Zoom's daily limit) or an HTTP-date. Okta waits exactly that long, and 5 minutes for anything else.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startHarness, type Harness } from "../helpers/harness.js";

let h: Harness;

before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
});

async function retryAfterFor(zoomRetryAfter: string, message: string): Promise<{ status: number; header: string | null }> {
  await h.simPost("/_sim/faults", {
    rules: [{ method: "GET", path: "/v2/users/*", status: 429, code: 429, message, count: 50, headers: { "Retry-After": zoomRetryAfter } }],
  });
  try {
    const answer = await h.scim("GET", "/Users/retryafter123456789012");
    return { status: answer.status, header: answer.headers.get("retry-after") };
  } finally {
    await h.simDelete("/_sim/faults");
  }
}

describe("Retry-After", () => {
  it("is whole seconds when Zoom's daily limit names an ISO date-time", async () => {
    const tomorrow = new Date(Date.now() + 36 * 3600_000).toISOString().replace(/\.\d+Z$/, "Z");
    const { status, header } = await retryAfterFor(tomorrow, "You have reached the maximum daily rate limit for this API.");
    assert.equal(status, 429);
    assert.match(String(header), /^\d+$/);
    assert.ok(Number(header) > 3600, `about 36 hours, got ${header}`);
  });

  it("is whole seconds when Zoom sends an HTTP-date", async () => {
    const later = new Date(Date.now() + 20 * 60_000).toUTCString();
    const { status, header } = await retryAfterFor(later, "Too many requests.");
    assert.equal(status, 429);
    assert.match(String(header), /^\d+$/);
    assert.ok(Number(header) > 60 && Number(header) <= 20 * 60, `about 20 minutes, got ${header}`);
  });

  it("is at least one whole second for a date already past", async () => {
    const past = new Date(Date.now() - 3600_000).toUTCString();
    const { header } = await retryAfterFor(past, "You have reached the maximum daily rate limit for this API.");
    assert.match(String(header), /^[1-9]\d*$/);
  });
});
