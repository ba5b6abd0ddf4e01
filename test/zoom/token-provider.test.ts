import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { appKey, renewalSchedule } from "../../src/zoom/token-provider.js";

describe("renewalSchedule", () => {
  it("renews an hour-long token a minute before it expires", () => {
    assert.deepEqual(renewalSchedule(0, 3600), { expiresAt: 3_600_000, renewAt: 3_540_000 });
  });

  it("renews a short-lived token halfway through its life", () => {
    assert.deepEqual(renewalSchedule(1000, 4), { expiresAt: 5000, renewAt: 3000 });
    assert.deepEqual(renewalSchedule(1000, 0), { expiresAt: 1000, renewAt: 1000 });
  });
});

describe("appKey", () => {
  const app = { oauthUrl: "https://zoom.us/oauth/token", accountId: "acc", clientId: "cid", clientSecret: "s3cr3t-value" };

  it("separates apps, accounts, endpoints and secrets, without holding the secret", () => {
    const key = appKey(app);
    assert.ok(!key.includes(app.clientSecret));
    assert.equal(appKey({ ...app }), key);
    assert.notEqual(appKey({ ...app, clientId: "other" }), key);
    assert.notEqual(appKey({ ...app, accountId: "other" }), key);
    assert.notEqual(appKey({ ...app, oauthUrl: "https://zoomgov.com/oauth/token" }), key);
    assert.notEqual(appKey({ ...app, clientSecret: "rotated" }), key);
  });
});
