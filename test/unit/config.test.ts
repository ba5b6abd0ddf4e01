// Configuration: sandbox detection, validation messages that say what to fix, tenants files.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { ConfigError, loadConfig } from "../../src/config/load.js";
import { hashToken, tokenMatches } from "../../src/config/token-hash.js";

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
    assert.ok(tokenMatches(config.sandboxToken ?? "", config.tenants[0]?.bearerTokenHashes ?? []));
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
    assert.ok(tokenMatches("acme-token-123456", acme?.bearerTokenHashes ?? []));
    assert.ok(!tokenMatches("acme-token-1234567", acme?.bearerTokenHashes ?? []));
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
