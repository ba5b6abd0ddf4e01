// The token replicas share through the store is sealed: only a holder of the app's secret can open it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { openToken, sealToken } from "../../src/zoom/token-provider.js";

describe("sealed tokens", () => {
  it("open with the secret they were sealed with, and only with it", () => {
    const sealed = sealToken("secret-one", "eyJ.access.token");
    assert.ok(!sealed.includes("eyJ.access.token"));
    assert.equal(openToken("secret-one", sealed), "eyJ.access.token");
    assert.equal(openToken("rotated-secret", sealed), undefined);
    assert.notEqual(sealToken("secret-one", "eyJ.access.token"), sealed, "a fresh IV each time");
  });

  it("refuse what is not a sealed token, or was tampered with", () => {
    const sealed = sealToken("s", "token");
    const [iv, tag, body] = sealed.split(".");
    assert.equal(openToken("s", "garbage"), undefined);
    assert.equal(openToken("s", `${iv}.${tag}.${body?.startsWith("A") ? "B" : "A"}${body?.slice(1)}`), undefined);
  });
});
