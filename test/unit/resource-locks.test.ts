// Per-resource write serialisation and the re-run on a lost race: one write of a resource at a time, nested writes
// join instead of deadlocking, conflicts re-run a bounded number of times and then answer 409.
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, it } from "node:test";
import { CONFLICT_RETRIES, isStoreConflict, ResourceLocks, retryOnConflict } from "../../src/provisioning/gateway/resource-locks.js";
import { ScimError } from "../../src/scim/errors.js";
import { StoreConflictError } from "../../src/store/errors.js";

const conflictError = () => new StoreConflictError("t", "User", "u1", 1, 2);

describe("ResourceLocks", () => {
  it("runs writes of one resource one at a time, of different resources side by side", async () => {
    const locks = new ResourceLocks("t");
    const trace: string[] = [];
    const write = (kind: "User" | "Group", id: string, name: string) =>
      locks.write(kind, id, async () => {
        trace.push(`${name}+`);
        await sleep(10);
        trace.push(`${name}-`);
      });
    await Promise.all([write("User", "u1", "a"), write("User", "u1", "b"), write("Group", "u1", "g")]);
    const at = (step: string) => trace.indexOf(step);
    assert.ok(at("a-") < at("b+"), trace.join(" "));
    assert.ok(at("g+") < at("a-"), `another resource does not wait: ${trace.join(" ")}`);
    assert.equal(locks.size, 0, "idle keys are dropped");
  });

  it("a nested write of a held resource joins it; the outermost write re-runs on conflict", async () => {
    const locks = new ResourceLocks("t");
    let runs = 0;
    const answer = await locks.write("User", "u1", () =>
      locks.write("User", "u1", async () => {
        runs += 1;
        assert.ok(locks.holds("User", "u1"));
        if (runs < 3) throw conflictError();
        return "done";
      }),
    );
    assert.equal(answer, "done");
    assert.equal(runs, 3);
    assert.equal(locks.holds("User", "u1"), false);
  });

  it("locks userNames case-insensitively", async () => {
    const locks = new ResourceLocks("t");
    const trace: string[] = [];
    const run = (name: string) =>
      locks.run("UserName", name, async () => {
        trace.push(`${name}+`);
        await sleep(5);
        trace.push(`${name}-`);
      });
    await Promise.all([run("Ann@Example.com"), run("ann@example.COM")]);
    assert.deepEqual(trace, ["Ann@Example.com+", "Ann@Example.com-", "ann@example.COM+", "ann@example.COM-"]);
  });
});

describe("retryOnConflict", () => {
  it("answers 409 saying a concurrent change won, after a bounded number of re-runs", async () => {
    let runs = 0;
    await assert.rejects(
      retryOnConflict("User u1", async () => {
        runs += 1;
        throw conflictError();
      }),
      (error: unknown) => {
        assert.ok(error instanceof ScimError);
        assert.equal(error.status, 409);
        assert.match(error.detail, /^User u1 was changed by a concurrent request/);
        assert.match(error.detail, /retry the request/);
        return true;
      },
    );
    assert.equal(runs, CONFLICT_RETRIES + 1);
  });

  it("lets every other failure through at once, and sees a conflict wrapped as a cause", async () => {
    let runs = 0;
    await assert.rejects(
      retryOnConflict("User u1", async () => {
        runs += 1;
        throw new ScimError(400, "invalidValue", "no");
      }),
      /no/,
    );
    assert.equal(runs, 1);
    assert.ok(isStoreConflict(new ScimError(500, undefined, "wrapped", { cause: conflictError() })));
    assert.equal(isStoreConflict(new Error("other")), false);
  });
});
