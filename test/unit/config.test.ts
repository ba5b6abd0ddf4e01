// Configuration: sandbox detection, validation messages that say what to fix, tenants files.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { ConfigError, loadConfig } from "../../src/config/load.js";
import { hashToken, tokenMatches, verifyToken } from "../../src/config/token-hash.js";

const dir = mkdtempSync(join(tmpdir(), "zoom-scim-config-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("loadConfig", () => {
  it("runs in sandbox mode without Zoom credentials, generating a bearer token", () => {
    const config = loadConfig({});
    assert.equal(config.sandbox, true);
    assert.match(config.sandboxToken ?? "", /^sandbox-/);
    assert.equal(config.tenants[0]?.name, "default");
    assert.ok(
      tokenMatches(
        config.sandboxToken ?? "",
        (config.tenants[0]?.bearerTokens ?? []).map((t) => t.sha256),
      ),
    );
  });

  it("trusts no proxy unless SCIM_TRUST_PROXY (or its alias TRUST_PROXY) names them", () => {
    assert.equal(loadConfig({}).http.trustProxy, false);
    assert.equal(loadConfig({ TRUST_PROXY: "loopback, 10.0.0.0/8" }).http.trustProxy, "loopback,10.0.0.0/8");
    assert.equal(loadConfig({ TRUST_PROXY: "true", SCIM_TRUST_PROXY: "false" }).http.trustProxy, false, "SCIM_TRUST_PROXY wins");
  });

  it("needs all three Zoom credentials and a bearer token outside sandbox mode", () => {
    assert.match(problems({ ZOOM_ACCOUNT_ID: "a" }).join("\n"), /ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET missing/);
    assert.match(
      problems({ ZOOM_ACCOUNT_ID: "a", ZOOM_CLIENT_ID: "b", ZOOM_CLIENT_SECRET: "c" }).join("\n"),
      /SCIM_BEARER_TOKEN is not set/,
    );
  });

  it("names every bad value and what to use instead", () => {
    const found = problems({
      ZOOM_ACCOUNT_ID: "a",
      ZOOM_CLIENT_ID: "b",
      ZOOM_CLIENT_SECRET: "c",
      SCIM_BEARER_TOKEN: "x".repeat(32),
      ZOOM_PLAN: "gold",
      SCIM_DELETE_MODE: "shred",
      PORT: "-1",
      ZOOM_API_URL: "ftp://x",
    });
    assert.equal(found.length, 4);
    assert.match(found.join("\n"), /ZOOM_PLAN is "gold"; use one of: free, pro, business/);
    assert.match(found.join("\n"), /deleteMode is "shred"/);
  });

  it("reads the Zoom Phone and licence options, refusing an unknown deprovisioning policy", () => {
    const options = loadConfig({ SCIM_ZOOM_PHONE: "true", SCIM_PHONE_DEPROVISION: "keep" }).tenants[0]?.options;
    assert.deepEqual([options?.zoomPhone, options?.licenceAddOns, options?.phoneDeprovision], [true, false, "keep"]);
    assert.equal(loadConfig({}).tenants[0]?.options.phoneDeprovision, "release");
    assert.match(problems({ SCIM_PHONE_DEPROVISION: "shred" }).join("\n"), /phoneDeprovision is "shred"; use one of: release, keep/);
  });

  it("takes the queue bound toward Zoom in seconds, leaves it to the client's default when unset, and refuses a bad one", () => {
    const env = { ZOOM_ACCOUNT_ID: "a", ZOOM_CLIENT_ID: "b", ZOOM_CLIENT_SECRET: "c", SCIM_BEARER_TOKEN: "x".repeat(32) };
    assert.equal(loadConfig({ ...env, ZOOM_MAX_QUEUE_WAIT_SECONDS: "2.5" }).tenants[0]?.zoom.maxQueueWaitMs, 2500);
    assert.equal(loadConfig(env).tenants[0]?.zoom.maxQueueWaitMs, undefined);
    for (const bad of ["0", "-1", "soon"])
      assert.match(
        problems({ ...env, ZOOM_MAX_QUEUE_WAIT_SECONDS: bad }).join("\n"),
        new RegExp(`ZOOM_MAX_QUEUE_WAIT_SECONDS is "${bad}"; use a positive number`),
      );
  });

  it("reads named tenants from a file, with secrets from the environment and tokens as digests", () => {
    const path = join(dir, "tenants.json");
    writeFileSync(
      path,
      JSON.stringify({
        tenants: {
          acme: {
            zoom: { accountId: "A", clientId: "C", clientSecretEnv: "ACME_SECRET", plan: "business", maxQueueWaitSeconds: 3 },
            bearerTokenSha256: [hashToken("acme-token-123456")],
            deleteMode: "delete",
            createAction: "ssoCreate",
          },
        },
      }),
    );
    const config = loadConfig({ ZOOM_SCIM_CONFIG: path, ACME_SECRET: "s3cret" });
    assert.equal(config.sandbox, false);
    const acme = config.tenants.find((t) => t.name === "acme");
    assert.equal(acme?.zoom.clientSecret, "s3cret");
    assert.equal(acme?.zoom.plan, "business");
    assert.equal(acme?.zoom.maxQueueWaitMs, 3000);
    assert.equal(acme?.options.deleteMode, "delete");
    assert.equal(acme?.options.createAction, "ssoCreate");
    assert.ok(
      tokenMatches(
        "acme-token-123456",
        (acme?.bearerTokens ?? []).map((t) => t.sha256),
      ),
    );
    assert.ok(
      !tokenMatches(
        "acme-token-1234567",
        (acme?.bearerTokens ?? []).map((t) => t.sha256),
      ),
    );
    assert.match(problems({ ZOOM_SCIM_CONFIG: path }).join("\n"), /ACME_SECRET is empty/);
  });

  it("takes a webhook secret token and a reconciler interval, and says what is wrong with them", () => {
    const base = { ZOOM_ACCOUNT_ID: "a", ZOOM_CLIENT_ID: "b", ZOOM_CLIENT_SECRET: "c", SCIM_BEARER_TOKEN: "x".repeat(32) };
    const config = loadConfig({ ...base, ZOOM_WEBHOOK_SECRET_TOKEN: "zoom-secret-token-22ch", SCIM_RECONCILE_INTERVAL_SECONDS: "0.5" });
    assert.equal(config.tenants[0]?.webhookSecretToken, "zoom-secret-token-22ch");
    assert.equal(config.tenants[0]?.options.reconcileIntervalMs, 500);
    assert.equal(loadConfig(base).tenants[0]?.options.reconcileIntervalMs, 60_000, "every minute by default");
    assert.equal(
      loadConfig({ ...base, SCIM_RECONCILE_INTERVAL_SECONDS: "0" }).tenants[0]?.options.reconcileIntervalMs,
      0,
      "0 turns it off",
    );
    const found = problems({ ...base, ZOOM_WEBHOOK_SECRET_TOKEN: "short", SCIM_RECONCILE_INTERVAL_SECONDS: "often" });
    assert.equal(found.length, 2);
    assert.match(found.join("\n"), /ZOOM_WEBHOOK_SECRET_TOKEN must be the Secret Token/);
    assert.match(found.join("\n"), /reconcileIntervalSeconds is "often"; use a non-negative number/);
  });

  it("reads a tenant's webhook secret from the file or from the variable it names", () => {
    const path = join(dir, "webhooks.json");
    const tenant = (extra: Record<string, unknown>) => ({
      zoom: { accountId: "A", clientId: "C", clientSecret: "S" },
      bearerTokenSha256: [hashToken("token-0123456789abc")],
      ...extra,
    });
    writeFileSync(
      path,
      JSON.stringify({
        tenants: {
          one: tenant({ webhookSecretToken: "one-secret-token" }),
          two: tenant({ webhookSecretTokenEnv: "TWO_HOOK", reconcileIntervalSeconds: 5 }),
        },
      }),
    );
    const config = loadConfig({ ZOOM_SCIM_CONFIG: path, TWO_HOOK: "two-secret-token" });
    assert.equal(config.tenants.find((t) => t.name === "one")?.webhookSecretToken, "one-secret-token");
    assert.equal(config.tenants.find((t) => t.name === "two")?.webhookSecretToken, "two-secret-token");
    assert.equal(config.tenants.find((t) => t.name === "two")?.options.reconcileIntervalMs, 5000);
    assert.match(problems({ ZOOM_SCIM_CONFIG: path }).join("\n"), /webhookSecretTokenEnv names TWO_HOOK, which is empty/);
  });
});

describe("named bearer tokens", () => {
  const tenantFile = (tokens: Record<string, unknown>): Record<string, string> => {
    const path = join(dir, `tokens-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(path, JSON.stringify({ tenants: { acme: { zoom: { accountId: "A", clientId: "C", clientSecret: "s" }, ...tokens } } }));
    return { ZOOM_SCIM_CONFIG: path };
  };

  it("reads {name, sha256, notAfter} entries and bare digests, named by position", () => {
    const env = tenantFile({
      bearerTokens: [{ name: "okta-2026", sha256: hashToken("new-token-0123456789"), notAfter: "2027-01-31T00:00:00Z" }],
      bearerTokenSha256: [hashToken("old-token-0123456789")],
    });
    const tokens = loadConfig(env).tenants.find((t) => t.name === "acme")?.bearerTokens ?? [];
    assert.deepEqual(tokens, [
      { name: "okta-2026", sha256: hashToken("new-token-0123456789"), notAfterMs: Date.parse("2027-01-31T00:00:00Z") },
      { name: "token-2", sha256: hashToken("old-token-0123456789") },
    ]);
    const bare = loadConfig(tenantFile({ bearerTokenSha256: [hashToken("a-token-0123456789"), hashToken("b-token-0123456789")] }));
    assert.deepEqual(
      bare.tenants.find((t) => t.name === "acme")?.bearerTokens.map((t) => t.name),
      ["token-1", "token-2"],
    );
  });

  it("verifies a token by name and refuses an expired one as expired", () => {
    const tokens = [
      { name: "current", sha256: hashToken("current-token-0123") },
      { name: "old", sha256: hashToken("old-token-01234567"), notAfterMs: 1_000 },
    ];
    assert.deepEqual(verifyToken("current-token-0123", tokens, 5_000), { valid: true, name: "current" });
    assert.deepEqual(verifyToken("old-token-01234567", tokens, 999), { valid: true, name: "old" });
    assert.deepEqual(verifyToken("old-token-01234567", tokens, 1_001), { valid: false, expired: true });
    assert.deepEqual(verifyToken("unknown-token-0123", tokens, 5_000), { valid: false, expired: false });
  });

  it("says what is wrong with a token entry", () => {
    const found = problems(
      tenantFile({
        bearerTokens: [
          { name: "a", sha256: "not-hex" },
          { name: "has space", sha256: hashToken("x-token-0123456789") },
          { name: "dup", sha256: hashToken("y-token-0123456789") },
          { name: "dup", sha256: hashToken("z-token-0123456789"), notAfter: "tomorrow" },
        ],
      }),
    ).join("\n");
    assert.match(found, /entry 1 is not/);
    assert.match(found, /entry 2 needs a "name"/);
    assert.match(found, /two bearer tokens are named "dup"/);
    assert.match(found, /notAfter must be an ISO 8601 date-time/);
    assert.match(problems(tenantFile({})).join("\n"), /bearerTokens must be a list/);
  });
});

describe("audit settings", () => {
  it("keep the audit on for 90 days by default, take SCIM_AUDIT and SCIM_AUDIT_RETENTION_DAYS, and say what is wrong", () => {
    assert.deepEqual(loadConfig({}).audit, { enabled: true, retentionDays: 90 });
    assert.deepEqual(loadConfig({ SCIM_AUDIT: "off", SCIM_AUDIT_RETENTION_DAYS: "30" }).audit, { enabled: false, retentionDays: 30 });
    const found = problems({ SCIM_AUDIT: "sometimes", SCIM_AUDIT_RETENTION_DAYS: "0" }).join("\n");
    assert.match(found, /SCIM_AUDIT is "sometimes"; use true or false/);
    assert.match(found, /SCIM_AUDIT_RETENTION_DAYS is "0"; use a positive number/);
  });
});
