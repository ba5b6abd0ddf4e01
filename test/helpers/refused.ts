// Asserting that SCIM input is refused the way the protocol says: a 400 of the right scimType, whose detail says
// what to fix.
import assert from "node:assert/strict";
import { ScimError, type ScimType } from "../../src/scim/errors.js";

/** Asserts `run` throws a ScimError 400 of `scimType` whose detail matches every pattern. */
export function refused(run: () => unknown, scimType: ScimType, ...details: RegExp[]): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof ScimError, `expected a ScimError, got ${String(error)}`);
    assert.equal(error.status, 400);
    assert.equal(error.scimType, scimType);
    for (const detail of details) assert.match(error.detail, detail);
    return true;
  });
}
