// scim/bulk alone (RFC 7644 §3.7): reading a BulkRequest, the bulkId graph (order, cycles, dangling references),
// substitution, and the engine's failOnErrors and per-operation answers, with a dispatcher written here.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseBulkRequest, planBulk, runBulk, substituteBulkIds, type ResolvedOperation } from "../../src/scim/bulk/index.js";
import { ScimError } from "../../src/scim/errors.js";

const URN = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
const limits = { maxOperations: 1000, resourceTypes: ["Users", "Groups"] };
const parse = (Operations: unknown[], extra: Record<string, unknown> = {}) =>
  parseBulkRequest({ schemas: [URN], Operations, ...extra }, limits);
const user = (bulkId: string, extra: Record<string, unknown> = {}) => ({
  method: "POST",
  path: "/Users",
  bulkId,
  data: { userName: `${bulkId}@x.com`, ...extra },
});
const group = (bulkId: string, members: string[]) => ({
  method: "POST",
  path: "/Groups",
  bulkId,
  data: { displayName: bulkId, members: members.map((m) => ({ value: `bulkId:${m}` })) },
});

function refused(run: () => unknown, status: number, pattern: RegExp): void {
  assert.throws(run, (error: unknown) => error instanceof ScimError && error.status === status && pattern.test(error.detail));
}

describe("parseBulkRequest", () => {
  it("reads methods in any case, paths with ids, failOnErrors", () => {
    const request = parse(
      [user("a"), { method: "patch", path: "/groups/g1/", data: { Operations: [] } }, { method: "DELETE", path: "/Users/bulkId:a" }],
      { failOnErrors: 2 },
    );
    assert.equal(request.failOnErrors, 2);
    assert.deepEqual(
      request.operations.map((o) => [o.index, o.method, o.resourceType, o.id, o.bulkId]),
      [
        [0, "POST", "Users", undefined, "a"],
        [1, "PATCH", "Groups", "g1", undefined],
        [2, "DELETE", "Users", "bulkId:a", undefined],
      ],
    );
  });

  it("refuses malformed requests whole, saying what to fix", () => {
    refused(() => parseBulkRequest([], limits), 400, /BulkRequest object/);
    refused(() => parseBulkRequest({ schemas: ["urn:x"], Operations: [user("a")] }, limits), 400, /must list/);
    refused(() => parse([]), 400, /non-empty/);
    refused(() => parse([{ method: "POST", path: "/Users", data: {} }]), 400, /needs a bulkId/);
    refused(() => parse([user("a"), user("a")]), 400, /bulkId "a" names Operations\[0\] and Operations\[1\]/);
    refused(() => parse([{ method: "GET", path: "/Users/x" }]), 400, /method must be one of/);
    refused(() => parse([{ method: "PUT", path: "/Users", data: {} }]), 400, /needs the resource's id/);
    refused(() => parse([{ method: "POST", path: "/Users/x", bulkId: "b", data: {} }]), 400, /without an id/);
    refused(() => parse([{ method: "POST", path: "/Me", bulkId: "b", data: {} }]), 400, /names no resource/);
    refused(() => parse([{ method: "PATCH", path: "/Users/x" }]), 400, /needs "data"/);
    refused(() => parse([user("a")], { failOnErrors: 0 }), 400, /failOnErrors/);
  });

  it("answers 413 past maxOperations", () => {
    refused(
      () => parseBulkRequest({ Operations: Array.from({ length: 3 }, (_, i) => user(`u${i}`)) }, { ...limits, maxOperations: 2 }),
      413,
      /3 operations; at most 2/,
    );
  });
});

describe("planBulk", () => {
  it("runs each operation after the POSTs it references, else in request order", () => {
    const request = parse([group("g", ["a", "b"]), user("a"), { method: "PATCH", path: "/Users/bulkId:b", data: {} }, user("b")]);
    const plan = planBulk(request.operations);
    assert.deepEqual(plan.order, [1, 3, 0, 2]);
    assert.deepEqual(plan.dependsOn.get(0), [1, 3]);
    assert.equal(plan.refused.size, 0);
  });

  it("refuses circular references, a self-reference, and references to no POST; the rest still runs", () => {
    const request = parse([
      user("a", { manager: { value: "bulkId:b" } }),
      user("b", { manager: { value: "bulkId:a" } }),
      user("self", { manager: { value: "bulkId:self" } }),
      user("c", { manager: { value: "bulkId:nobody" } }),
      { method: "PATCH", path: "/Users/u1", bulkId: "p", data: {} },
      user("d", { manager: { value: "bulkId:p" } }),
      user("e", { manager: { value: "bulkId:a" } }),
      user("f"),
    ]);
    const plan = planBulk(request.operations);
    assert.deepEqual(plan.refused.get(0), { reason: "circular", cycle: [0, 1] });
    assert.deepEqual(plan.refused.get(1), { reason: "circular", cycle: [0, 1] });
    assert.deepEqual(plan.refused.get(2), { reason: "circular", cycle: [2] });
    assert.deepEqual(plan.refused.get(3), { reason: "unknownBulkId", bulkId: "nobody" });
    assert.deepEqual(plan.refused.get(5), { reason: "notACreate", bulkId: "p" });
    assert.deepEqual(plan.order, [4, 6, 7], "e waits for a refused a: it fails at its turn");
  });

  it("orders a chain of 1,000 references without exhausting the stack", () => {
    const ops = Array.from({ length: 1000 }, (_, i) => user(`u${i}`, i < 999 ? { manager: { value: `bulkId:u${i + 1}` } } : {}));
    const plan = planBulk(parse(ops).operations);
    assert.equal(plan.order[0], 999);
    assert.equal(plan.order.at(-1), 0);
    const ring = planBulk(parse(ops.map((op, i) => (i === 999 ? user("u999", { manager: { value: "bulkId:u0" } }) : op))).operations);
    assert.equal(ring.refused.size, 1000);
  });
});

describe("substituteBulkIds", () => {
  it('replaces whole "bulkId:" values at any depth, and leaves other strings and prototype keys alone', () => {
    const ids = new Map([["a", "id-a"]]);
    const value = JSON.parse('{"members":[{"value":"bulkId:a"},{"value":"bulkId:zz"}],"note":"see bulkId:a","__proto__":{"x":"bulkId:a"}}');
    const out = substituteBulkIds(value, ids) as Record<string, unknown>;
    assert.deepEqual(out.members, [{ value: "id-a" }, { value: "bulkId:zz" }]);
    assert.equal(out.note, "see bulkId:a");
    assert.deepEqual(Object.getOwnPropertyDescriptor(out, "__proto__")?.value, { x: "id-a" });
    assert.equal(Object.getPrototypeOf(out), Object.prototype);
  });
});

describe("runBulk", () => {
  const dispatcher = (log: ResolvedOperation[], failing: (op: ResolvedOperation) => boolean = () => false) => {
    let n = 0;
    return async (op: ResolvedOperation) => {
      log.push(op);
      if (failing(op)) throw new ScimError(409, "uniqueness", "taken");
      n += 1;
      const id = op.id ?? `id${n}`;
      return { status: op.method === "POST" ? 201 : op.method === "DELETE" ? 204 : 200, id, location: `/x/${id}`, version: 'W/"1"' };
    };
  };

  it("creates in dependency order, resolves bulkIds, and answers per operation in request order", async () => {
    const log: ResolvedOperation[] = [];
    const result = await runBulk(parse([group("g", ["a"]), user("a"), { method: "DELETE", path: "/Groups/bulkId:g" }]), dispatcher(log));
    assert.deepEqual(
      log.map((op) => [op.method, op.id, op.data && (op.data as { members?: unknown }).members]),
      [
        ["POST", undefined, undefined],
        ["POST", undefined, [{ value: "id1" }]],
        ["DELETE", "id2", undefined],
      ],
    );
    assert.deepEqual(result.response.Operations, [
      { method: "POST", bulkId: "g", location: "/x/id2", version: 'W/"1"', status: "201" },
      { method: "POST", bulkId: "a", location: "/x/id1", version: 'W/"1"', status: "201" },
      { method: "DELETE", location: "/x/id2", version: 'W/"1"', status: "204" },
    ]);
    assert.equal(result.errors, 0);
  });

  it("fails an operation whose referenced POST failed, and stops after failOnErrors errors", async () => {
    const log: ResolvedOperation[] = [];
    const failA = (op: ResolvedOperation) => (op.data as { userName?: string } | undefined)?.userName === "a@x.com";
    const all = await runBulk(parse([user("a"), group("g", ["a"]), user("b")]), dispatcher(log, failA));
    const ops = all.response.Operations as { status: string; response?: { detail: string; scimType?: string } }[];
    assert.deepEqual(
      ops.map((o) => o.status),
      ["409", "409", "201"],
    );
    assert.equal(ops[0]?.response?.scimType, "uniqueness");
    assert.match(String(ops[1]?.response?.detail), /bulkId:a", whose operation \(Operations\[0\]\) failed/);

    const stopped = await runBulk(parse([user("a"), user("b"), user("c")], { failOnErrors: 1 }), dispatcher([], failA));
    assert.equal((stopped.response.Operations as unknown[]).length, 1, "nothing after the first error");
    assert.equal(stopped.skipped, 2);
  });

  it("answers a circular reference with 409 and runs nothing of it", async () => {
    const log: ResolvedOperation[] = [];
    const result = await runBulk(
      parse([user("a", { manager: { value: "bulkId:b" } }), user("b", { manager: { value: "bulkId:a" } }), user("c")]),
      dispatcher(log),
    );
    const ops = result.response.Operations as { status: string; response?: { detail: string } }[];
    assert.deepEqual(
      ops.map((o) => o.status),
      ["409", "409", "201"],
    );
    assert.match(String(ops[0]?.response?.detail), /in a circle/);
    assert.equal(log.length, 1);
  });
});
