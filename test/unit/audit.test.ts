// The audit trail's pure parts: before → after of two SCIM views (passwords never kept), Zoom path templates,
// `since` and cursors of reads, and the client kind a request is recorded with.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Request } from "express";
import { clientKindOf } from "../../src/http/client-kind.js";
import { cursorAfter, parseCursor, parseSince } from "../../src/provisioning/audit/audit-query.js";
import { attributeChanges, redactSecrets } from "../../src/provisioning/audit/diff.js";
import { zoomPathTemplate } from "../../src/provisioning/audit/zoom-calls.js";
import type { AuditEntry } from "../../src/store/types.js";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

describe("audit: attribute changes", () => {
  it("lists each changed attribute, one level into complex ones, and leaves out server-assigned ones", () => {
    const before = {
      id: "u1",
      meta: { version: "a" },
      userName: "ada@example.com",
      name: { givenName: "Ada", familyName: "Byron" },
      title: "Engineer",
      emails: [{ value: "ada@example.com" }],
      [ENTERPRISE]: { department: "R&D" },
      groups: [{ value: "g1" }],
    };
    const after = {
      ...before,
      meta: { version: "b" },
      name: { givenName: "Ada", familyName: "Lovelace" },
      title: null,
      emails: [{ value: "ada@example.com" }, { value: "ada@work.example.com" }],
      [ENTERPRISE]: { department: "Research" },
      groups: [],
      active: false,
    };
    assert.deepEqual(attributeChanges(before, after), [
      { attribute: "name.familyName", before: "Byron", after: "Lovelace" },
      { attribute: "title", before: "Engineer", after: null },
      {
        attribute: "emails",
        before: [{ value: "ada@example.com" }],
        after: [{ value: "ada@example.com" }, { value: "ada@work.example.com" }],
      },
      { attribute: `${ENTERPRISE}:department`, before: "R&D", after: "Research" },
      { attribute: "active", before: null, after: false },
    ]);
    assert.deepEqual(attributeChanges(before, before), []);
    assert.deepEqual(attributeChanges(null, { userName: "x@example.com" }), [
      { attribute: "userName", before: null, after: "x@example.com" },
    ]);
  });

  it("never keeps a password, at any depth", () => {
    assert.deepEqual(attributeChanges({}, { password: "s3cret-value", userName: "x" }), [
      { attribute: "password", before: null, after: "[redacted]" },
      { attribute: "userName", before: null, after: "x" },
    ]);
    assert.deepEqual(redactSecrets({ a: [{ Password: "s3cret-value", b: 1 }] }), { a: [{ Password: "[redacted]", b: 1 }] });
    assert.ok(!JSON.stringify(attributeChanges({ x: { password: "old-s3cret" } }, { x: { password: "new-s3cret" } })).includes("s3cret"));
  });
});

describe("audit: Zoom path templates", () => {
  it("replaces ids and emails with placeholders and keeps Zoom's own words", () => {
    assert.equal(zoomPathTemplate("/users/abc123/status"), "/users/{userId}/status");
    assert.equal(zoomPathTemplate("/users/ada%40example.com"), "/users/{userId}");
    assert.equal(zoomPathTemplate("/groups/g1/members/u2"), "/groups/{groupId}/members/{memberId}");
    assert.equal(zoomPathTemplate("/roles/2/members"), "/roles/{roleId}/members");
    assert.equal(zoomPathTemplate("/users/summary"), "/users/summary");
    assert.equal(zoomPathTemplate("/users"), "/users");
    assert.equal(zoomPathTemplate("/users/email?email=ada@example.com"), "/users/email");
  });
});

describe("audit: reading", () => {
  it("reads since as a duration back from now or an ISO date-time, and nothing else", () => {
    const now = Date.parse("2026-06-02T00:00:00Z");
    assert.equal(parseSince("24h", now), "2026-06-01T00:00:00.000Z");
    assert.equal(parseSince("30m", now), "2026-06-01T23:30:00.000Z");
    assert.equal(parseSince("7d", now), "2026-05-26T00:00:00.000Z");
    assert.equal(parseSince("2026-05-01T12:00:00+02:00", now), "2026-05-01T10:00:00.000Z");
    for (const bad of ["yesterday", "2026", "24", "-1h", ""]) assert.equal(parseSince(bad, now), undefined, bad);
  });

  it("gives cursors only it can read back", () => {
    const cursor = cursorAfter({ seq: 42 } as AuditEntry);
    assert.equal(parseCursor(cursor), 42);
    for (const bad of [
      "",
      "bm90LW91cnM",
      Buffer.from('{"after":-1}').toString("base64url"),
      Buffer.from('{"after":"1"}').toString("base64url"),
    ])
      assert.equal(parseCursor(bad), undefined, bad);
  });
});

describe("audit: client kinds", () => {
  const request = (headers: Record<string, string>, url = "/scim/v2/Users"): Request =>
    ({ originalUrl: url, get: (name: string) => headers[name.toLowerCase()] }) as unknown as Request;

  it("tells Okta, Entra ID and AWS-ILM-style clients from their User-Agent or dialect", () => {
    assert.equal(clientKindOf(request({ "user-agent": "Okta SCIM Client 1.0.0" })), "okta");
    assert.equal(clientKindOf(request({ "user-agent": "Azure Active Directory SCIM Client" })), "entra");
    assert.equal(clientKindOf(request({}, "/scim/v2/Users?aadOptscim062020")), "entra");
    assert.equal(clientKindOf(request({ "user-agent": "Cortex XSOAR" })), "aws-ilm");
    assert.equal(clientKindOf(request({ "content-type": "application/json" }, "/acme/scim/v2/Users/")), "aws-ilm");
    assert.equal(clientKindOf(request({ "user-agent": "curl/8.5.0" })), "other");
  });
});
