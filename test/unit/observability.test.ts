// The pure parts of metrics, readiness and logs: route templates as label values, the metrics token, emails kept
// out of logged text, the start-up configuration line without secrets, SCIM_METRICS_TOKEN's validation.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeConfig, describeStore } from "../../src/config/describe.js";
import { ConfigError, loadConfig } from "../../src/config/load.js";
import { hashToken } from "../../src/config/token-hash.js";
import { metricsAuthorized } from "../../src/http/metrics/metrics-routes.js";
import { methodLabel, routeLabel, UNMATCHED_ROUTE } from "../../src/http/metrics/route-label.js";
import { textWithoutEmails } from "../../src/lib/redact.js";

describe("route label", () => {
  it("is the route template, whatever the id, tenant or trailing slash", () => {
    for (const [path, label] of <[string, string][]>[
      ["/scim/v2/Users", "/Users"],
      ["/scim/v2/Users/", "/Users"],
      ["/scim/v2/Users/8f3c2a1b-aaaa", "/Users/:id"],
      ["/acme/scim/v2/Users/ada%40example.com", "/Users/:id"],
      ["/scim/v2/users/abc", "/Users/:id"],
      ["/scim/v2/Users/.search", "/Users/.search"],
      ["/scim/v2/Groups/g1", "/Groups/:id"],
      ["/scim/v2/.search", "/.search"],
      ["/scim/v2/Bulk", "/Bulk"],
      ["/scim/v2/ResourceTypes/User", "/ResourceTypes"],
      ["/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User", "/Schemas"],
      ["/scim/v2/ServiceProviderConfig", "/ServiceProviderConfig"],
      ["/healthz", "/healthz"],
      ["/readyz", "/readyz"],
      ["/metrics", "/metrics"],
      ["/webhooks/zoom", "/webhooks/zoom"],
      ["/acme/webhooks/zoom", "/webhooks/zoom"],
      ["/admin/breaker/release", "/admin/breaker/release"],
      ["/acme/admin/pending", "/admin/pending"],
      ["/admin/drift/fix", "/admin/drift/fix"],
    ])
      assert.equal(routeLabel(path), label, path);
  });

  it("collapses every path no route serves into one value", () => {
    for (const path of [
      "/",
      "/scim/v2",
      "/scim/v2/Users/a/b",
      "/scim/v2/Nope",
      "/admin/whatever",
      "/x/y/z",
      "/healthz/extra",
      "/favicon.ico",
    ])
      assert.equal(routeLabel(path), UNMATCHED_ROUTE, path);
  });

  it("keeps the methods zoom-scim answers and folds the rest", () => {
    assert.equal(methodLabel("PATCH"), "PATCH");
    assert.equal(methodLabel("HEAD"), "HEAD");
    assert.equal(methodLabel("PROPFIND"), "other");
  });
});

describe("metrics token", () => {
  const digest = hashToken("metrics-token-0123456789abcdef");
  it("lets everyone in without a configured token, and only its holder with one", () => {
    assert.equal(metricsAuthorized(undefined, undefined), true);
    assert.equal(metricsAuthorized("Bearer anything", undefined), true);
    assert.equal(metricsAuthorized("Bearer metrics-token-0123456789abcdef", digest), true);
    assert.equal(metricsAuthorized("bearer  metrics-token-0123456789abcdef ", digest), true);
    for (const header of [undefined, "", "Bearer wrong", "Basic metrics-token-0123456789abcdef", "Bearer metrics-token-0123456789abcdef x"])
      assert.equal(metricsAuthorized(header, digest), false, String(header));
  });

  it("is validated and kept as a digest", () => {
    const env = { ZOOM_ACCOUNT_ID: "a", ZOOM_CLIENT_ID: "c", ZOOM_CLIENT_SECRET: "s", SCIM_BEARER_TOKEN: "bearer-token-0123456789" };
    assert.equal(loadConfig(env).metricsTokenHash, undefined);
    assert.equal(loadConfig({ ...env, SCIM_METRICS_TOKEN: "metrics-token-0123456789abcdef" }).metricsTokenHash, digest);
    assert.throws(
      () => loadConfig({ ...env, SCIM_METRICS_TOKEN: "short" }),
      (error: unknown) => error instanceof ConfigError && error.problems.some((p) => /SCIM_METRICS_TOKEN is shorter than 16/.test(p)),
    );
  });
});

describe("logged text", () => {
  it("replaces emails in Zoom messages and SCIM details", () => {
    assert.equal(textWithoutEmails("User ada.l+x@example.co.uk already exists."), "User {email} already exists.");
    assert.equal(textWithoutEmails('filter=userName eq "bob@corp.example"'), 'filter=userName eq "{email}"');
    assert.equal(textWithoutEmails("Invalid field: a@b.io, c@d.org"), "Invalid field: {email}, {email}");
    assert.equal(textWithoutEmails("no email @ here, nor user@localhost"), "no email @ here, nor user@localhost");
  });

  it("describes the configuration without a secret", () => {
    const config = loadConfig({
      ZOOM_ACCOUNT_ID: "acct-1",
      ZOOM_CLIENT_ID: "client-1",
      ZOOM_CLIENT_SECRET: "zoom-client-secret-value",
      SCIM_BEARER_TOKEN: "bearer-token-0123456789",
      SCIM_METRICS_TOKEN: "metrics-token-0123456789abcdef",
      ZOOM_WEBHOOK_SECRET_TOKEN: "webhook-secret-token-value",
      ZOOM_SCIM_DB: "postgres://zoom:db-password-value@db:5432/zoom_scim",
      ZOOM_PLAN: "business",
      ZOOM_CREATE_ACTION: "ssoCreate",
    });
    const described = describeConfig(config);
    const text = JSON.stringify(described);
    for (const secret of [
      "zoom-client-secret-value",
      "bearer-token-0123456789",
      "metrics-token-0123456789abcdef",
      "webhook-secret-token-value",
      "db-password-value",
      hashToken("bearer-token-0123456789"),
      hashToken("metrics-token-0123456789abcdef"),
    ])
      assert.ok(!text.includes(secret), `the configuration line holds ${secret}`);
    assert.equal(described.store, "postgres://zoom:[redacted]@db:5432/zoom_scim");
    assert.equal(described.metrics, "token required");
    const [tenant] = described.tenants as Record<string, unknown>[];
    assert.deepEqual([tenant?.plan, tenant?.createAction, tenant?.webhooks, tenant?.bearerTokens], ["business", "ssoCreate", true, 1]);
    assert.equal(describeStore("data/zoom-scim.sqlite"), "data/zoom-scim.sqlite");
  });
});
