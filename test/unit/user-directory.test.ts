import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DIRECTORY_TTL_MS, UserDirectory } from "../../src/provisioning/gateway/user-directory.js";

describe("UserDirectory (the account's id ⇄ email pairs)", () => {
  it("answers both ways, emails case-insensitively, and keeps the email as Zoom spells it", () => {
    const directory = new UserDirectory();
    directory.note({ id: "u1", email: "Ann.Lee@Example.com" });
    assert.equal(directory.idOf("ann.lee@example.com"), "u1");
    assert.equal(directory.emailOf("u1"), "Ann.Lee@Example.com");
    assert.equal(directory.idOf("nobody@example.com"), undefined);
  });

  it("follows an email change, and an email that passed to another user", () => {
    const directory = new UserDirectory();
    directory.note({ id: "u1", email: "a@example.com" });
    directory.note({ id: "u1", email: "b@example.com" });
    assert.equal(directory.idOf("a@example.com"), undefined, "the old email names nobody");
    assert.equal(directory.idOf("b@example.com"), "u1");
    directory.note({ id: "u2", email: "b@example.com" });
    assert.equal(directory.idOf("b@example.com"), "u2");
    assert.equal(directory.emailOf("u1"), undefined, "u1's email is someone else's now");
  });

  it("forgets a removed user, and a user whose email Zoom no longer knows", () => {
    const directory = new UserDirectory();
    directory.note({ id: "u1", email: "a@example.com" });
    directory.note({ id: "u2", email: "b@example.com" });
    directory.forget("u1");
    assert.deepEqual([directory.idOf("a@example.com"), directory.emailOf("u1")], [undefined, undefined]);
    directory.forgetEmail("B@example.com");
    assert.deepEqual([directory.idOf("b@example.com"), directory.emailOf("u2")], [undefined, undefined]);
  });

  it("ignores users without an id or an email (a listed user Zoom gave none)", () => {
    const directory = new UserDirectory();
    directory.note({ email: "a@example.com" });
    directory.note({ id: "u1" });
    assert.deepEqual([directory.idOf("a@example.com"), directory.emailOf("u1")], [undefined, undefined]);
  });

  it("believes a pair for the TTL from its last note, no longer", () => {
    let now = 1_000_000;
    const directory = new UserDirectory({ now: () => now });
    directory.note({ id: "u1", email: "a@example.com" });
    now += DIRECTORY_TTL_MS - 1000;
    assert.equal(directory.idOf("a@example.com"), "u1");
    directory.note({ id: "u1", email: "a@example.com" });
    now += DIRECTORY_TTL_MS - 1000;
    assert.equal(directory.emailOf("u1"), "a@example.com", "renewed by the second note");
    now += 2000;
    assert.deepEqual([directory.idOf("a@example.com"), directory.emailOf("u1")], [undefined, undefined]);
  });
});
