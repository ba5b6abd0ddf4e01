import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  backoffDelayMs,
  mayRetry,
  withRetries,
  type AttemptFailure,
  type AttemptOutcome,
  type HttpMethod,
  type RetryPolicy,
} from "../../src/zoom/retry.js";
import { rejection } from "./sim.js";

describe("backoffDelayMs", () => {
  const options = { baseMs: 100, capMs: 1000 };

  it("stays between half and all of min(cap, base·2^(n-1))", () => {
    const ceilings = [100, 200, 400, 800, 1000, 1000];
    ceilings.forEach((ceiling, i) => {
      const retry = i + 1;
      assert.equal(
        backoffDelayMs(retry, options, () => 0),
        ceiling / 2,
        `retry ${retry} low`,
      );
      assert.equal(
        backoffDelayMs(retry, options, () => 1),
        ceiling,
        `retry ${retry} high`,
      );
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
    assert.equal(
      backoffDelayMs(0, options, () => 1),
      100,
    );
    assert.equal(
      backoffDelayMs(2, options, () => 7),
      200,
    );
    assert.equal(
      backoffDelayMs(60, options, () => 1),
      1000,
    );
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

  it("repeats any method that Zoom refused unread (429, stale token)", () => {
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"] as const) {
      assert.equal(mayRetry(method, { kind: "refused", status: 429 }), true, method);
      assert.equal(mayRetry(method, { kind: "refused", status: 401 }), true, method);
    }
  });
});

describe("withRetries", () => {
  const policy = (overrides: Partial<RetryPolicy> = {}): RetryPolicy => ({
    maxRetries: 3,
    backoff: { baseMs: 0, capMs: 0 },
    maxRetryAfterMs: 50,
    mayRepeat: (failure) => mayRetry("GET", failure),
    logger: undefined,
    logFields: () => ({}),
    logMessage: "retrying",
    ...overrides,
  });
  const gaveUp = (spent: { attempts: number; waitMs: number }) => new Error(`gave up after ${spent.attempts}, wait ${spent.waitMs}`);
  const serverError = (): AttemptOutcome<string> => ({
    retry: { failure: { kind: "server", status: 503 }, reason: "503", giveUp: gaveUp },
  });

  it("repeats until an attempt is done, numbering attempts from 1", async () => {
    const seen: number[] = [];
    const result = await withRetries(policy(), async (n) => {
      seen.push(n);
      return n < 3 ? serverError() : { done: "ok" };
    });
    assert.equal(result, "ok");
    assert.deepEqual(seen, [1, 2, 3]);
  });

  it("gives up after maxRetries, with the attempts made", async () => {
    let calls = 0;
    const error = await rejection(() => withRetries(policy({ maxRetries: 2 }), async () => (calls++, serverError())));
    assert.match(String(error), /gave up after 3/);
    assert.equal(calls, 3);
  });

  it("never repeats what the policy says may have been applied (a POST after a 5xx or a timeout)", async () => {
    for (const failure of [
      { kind: "server", status: 500 },
      { kind: "timeout", neverSent: false },
      { kind: "network", neverSent: false },
    ] as const) {
      let calls = 0;
      const post = policy({ mayRepeat: (f) => mayRetry("POST", f) });
      await rejection(() => withRetries(post, async () => (calls++, { retry: { failure, reason: failure.kind, giveUp: gaveUp } })));
      assert.equal(calls, 1, failure.kind);
    }
  });

  it("waits what the attempt asks, up to maxRetryAfterMs; past it, gives up with that wait", async () => {
    const asked: number[] = [];
    let calls = 0;
    const wait = (waitMs: number): AttemptOutcome<string> => ({
      retry: { failure: { kind: "refused", status: 429 }, reason: "429", waitMs, waitsElsewhere: (ms) => asked.push(ms), giveUp: gaveUp },
    });
    assert.equal(await withRetries(policy(), async () => (++calls === 1 ? wait(50) : { done: "ok" })), "ok");
    assert.deepEqual(asked, [50], "a wait kept elsewhere is handed over, not slept here");
    const error = await rejection(() => withRetries(policy(), async () => wait(51)));
    assert.match(String(error), /gave up after 1, wait 51/);
  });

  it("repeats a free attempt once without using a retry", async () => {
    let calls = 0;
    const free: AttemptOutcome<string> = {
      retry: { failure: { kind: "refused", status: 401 }, reason: "401", free: true, giveUp: gaveUp },
    };
    assert.equal(await withRetries(policy({ maxRetries: 0 }), async () => (++calls === 1 ? free : { done: "ok" })), "ok");
    calls = 0;
    const error = await rejection(() => withRetries(policy(), async () => (calls++, free)));
    assert.match(String(error), /gave up after 2/);
    assert.equal(calls, 2);
  });

  it("lets an attempt's own error through", async () => {
    const error = await rejection(() => withRetries(policy(), async () => Promise.reject(new TypeError("not retried"))));
    assert.ok(error instanceof TypeError);
  });
});
