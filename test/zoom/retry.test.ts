import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { backoffDelayMs, mayRetry, type AttemptFailure, type HttpMethod } from "../../src/zoom/retry.js";

describe("backoffDelayMs", () => {
  const options = { baseMs: 100, capMs: 1000 };

  it("stays between half and all of min(cap, base·2^(n-1))", () => {
    const ceilings = [100, 200, 400, 800, 1000, 1000];
    ceilings.forEach((ceiling, i) => {
      const retry = i + 1;
      assert.equal(backoffDelayMs(retry, options, () => 0), ceiling / 2, `retry ${retry} low`);
      assert.equal(backoffDelayMs(retry, options, () => 1), ceiling, `retry ${retry} high`);
      for (let k = 0; k < 50; k++) {
        const delay = backoffDelayMs(retry, options);
        assert.ok(delay >= ceiling / 2 && delay <= ceiling, `retry ${retry}: ${delay}`);
      }
    });
  });

  it("is jittered", () => {
    const delays = new Set(Array.from({ length: 20 }, () => backoffDelayMs(3, options)));
    assert.ok(delays.size > 1);
  });

  it("tolerates out-of-range input", () => {
    assert.equal(backoffDelayMs(0, options, () => 1), 100);
    assert.equal(backoffDelayMs(2, options, () => 7), 200);
    assert.equal(backoffDelayMs(60, options, () => 1), 1000);
  });
});

describe("mayRetry", () => {
  const timeout: AttemptFailure = { kind: "timeout", neverSent: false };
  const reset: AttemptFailure = { kind: "network", neverSent: false };
  const refused: AttemptFailure = { kind: "network", neverSent: true };
  const connectTimeout: AttemptFailure = { kind: "timeout", neverSent: true };
  const server: AttemptFailure = { kind: "server", status: 503 };

  it("repeats GET, PUT, PATCH and DELETE after any failure", () => {
    const failures: AttemptFailure[] = [timeout, reset, refused, connectTimeout, server];
    const methods: HttpMethod[] = ["GET", "PUT", "PATCH", "DELETE"];
    for (const method of methods) {
      for (const failure of failures) assert.equal(mayRetry(method, failure), true, `${method} ${failure.kind}`);
    }
  });

  it("repeats a POST only when it never left", () => {
    assert.equal(mayRetry("POST", refused), true);
    assert.equal(mayRetry("POST", connectTimeout), true);
    assert.equal(mayRetry("POST", timeout), false);
    assert.equal(mayRetry("POST", reset), false);
    assert.equal(mayRetry("POST", server), false);
  });

  it("repeats a POST marked repeatable", () => {
    assert.equal(mayRetry("POST", timeout, true), true);
    assert.equal(mayRetry("POST", server, true), true);
  });
});
