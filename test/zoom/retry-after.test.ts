import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { classifyTooManyRequests, parseRetryAfter, secondsUntilUtcMidnight } from "../../src/zoom/retry-after.js";

const NOW = Date.UTC(2026, 2, 11, 23, 0, 0); // 2026-03-11T23:00:00Z

describe("parseRetryAfter", () => {
  it("reads delay-seconds", () => {
    assert.deepEqual(parseRetryAfter("2", NOW), { seconds: 2, form: "delay" });
    assert.deepEqual(parseRetryAfter(" 0 ", NOW), { seconds: 0, form: "delay" });
    assert.deepEqual(parseRetryAfter("1.5", NOW), { seconds: 1.5, form: "delay" });
    assert.deepEqual(parseRetryAfter(["3", "9"], NOW), { seconds: 3, form: "delay" });
  });

  it("reads Zoom's ISO-8601 daily reset date", () => {
    assert.deepEqual(parseRetryAfter("2026-03-12T00:00:00Z", NOW), { seconds: 3600, form: "date" });
    assert.deepEqual(parseRetryAfter("2026-03-12T00:00:00.000Z", NOW), { seconds: 3600, form: "date" });
    assert.deepEqual(parseRetryAfter("2026-03-12T01:00:00+01:00", NOW), { seconds: 3600, form: "date" });
    assert.deepEqual(parseRetryAfter("2026-03-12T01:00:00+0100", NOW), { seconds: 3600, form: "date" });
  });

  it("reads an ISO date-time without offset as UTC, and a bare date as its midnight UTC", () => {
    assert.deepEqual(parseRetryAfter("2026-03-12T00:00:00", NOW), { seconds: 3600, form: "date" });
    assert.deepEqual(parseRetryAfter("2026-03-12", NOW), { seconds: 3600, form: "date" });
  });

  it("reads an HTTP-date", () => {
    assert.deepEqual(parseRetryAfter("Thu, 12 Mar 2026 00:00:00 GMT", NOW), { seconds: 3600, form: "date" });
    assert.deepEqual(parseRetryAfter("Wed, 11 Mar 2026 23:00:30 GMT", NOW), { seconds: 30, form: "date" });
  });

  it("rounds a date up to whole seconds and never goes below zero", () => {
    assert.deepEqual(parseRetryAfter("2026-03-11T23:00:00.200Z", NOW), { seconds: 1, form: "date" });
    assert.deepEqual(parseRetryAfter("2026-03-10T00:00:00Z", NOW), { seconds: 0, form: "date" });
  });

  it("refuses garbage rather than guessing", () => {
    for (const value of [undefined, "", "  ", "soon", "-5", "5s", "1e3", "tomorrow 1", "2026-13-45T99:99:99Z", "Thu, 12 Mar 2026", "a 2"]) {
      assert.equal(parseRetryAfter(value, NOW), undefined, String(value));
    }
  });
});

describe("classifyTooManyRequests", () => {
  it("sees a daily limit in the header, the message or a far-off date", () => {
    assert.equal(classifyTooManyRequests({ rateLimitType: "Daily-limit" }), "daily");
    assert.equal(classifyTooManyRequests({ message: "You have reached the maximum daily rate limit for this API." }), "daily");
    assert.equal(classifyTooManyRequests({ retryAfter: { seconds: 7200, form: "date" } }), "daily");
  });

  it("sees a per-second limit", () => {
    assert.equal(classifyTooManyRequests({ rateLimitType: "QPS", retryAfter: { seconds: 1, form: "delay" } }), "per-second");
    assert.equal(
      classifyTooManyRequests({ message: "You have reached the maximum per-second rate limit for this API. Try again later." }),
      "per-second",
    );
    assert.equal(classifyTooManyRequests({}), "per-second");
  });

  it("sees the per-user concurrency lock, even when the category has a daily limit", () => {
    assert.equal(classifyTooManyRequests({ message: "Too many concurrent requests. Please try again later." }), "concurrent");
    assert.equal(
      classifyTooManyRequests({ rateLimitType: "Daily-limit", message: "Too many concurrent requests. Please try again later." }),
      "concurrent",
    );
  });

  it("trusts a per-second message over a Daily-limit header", () => {
    assert.equal(
      classifyTooManyRequests({
        rateLimitType: "Daily-limit",
        message: "You have reached the maximum per-second rate limit for this API.",
      }),
      "per-second",
    );
  });
});

describe("secondsUntilUtcMidnight", () => {
  it("counts to the next midnight UTC", () => {
    assert.equal(secondsUntilUtcMidnight(NOW), 3600);
    assert.equal(secondsUntilUtcMidnight(Date.UTC(2026, 2, 12, 0, 0, 0)), 86_400);
  });
});
