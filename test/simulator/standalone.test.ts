import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { STANDALONE_FLAGS, StandaloneUsageError, parseStandaloneArgs, runStandalone } from "../../src/simulator/standalone.js";

describe("standalone: flags and environment", () => {
  it("uses no options (the documented defaults) without flags or env", () => {
    assert.deepEqual(parseStandaloneArgs([], {}), { options: {}, seed: undefined });
  });

  it("parses every flag", () => {
    const { options, seed } = parseStandaloneArgs(
      [
        "--port",
        "9191",
        "--host",
        "0.0.0.0",
        "--account-id",
        "ACC",
        "--client-id",
        "CID",
        "--client-secret",
        "SECRET",
        "--plan",
        "business",
        "--no-rate-limits",
        "--token-ttl",
        "600",
        "--max-tokens",
        "1",
        "--page-token-ttl",
        "60",
        "--auto-accept-ms",
        "2500",
        "--webhook-url",
        "http://127.0.0.1:4000/hook",
        "--webhook-secret",
        "whsec",
        "--scopes",
        "user:read:admin, group:read:admin",
        "--call-log-limit",
        "500",
        "--seed-demo",
        "--generate-users",
        "10",
      ],
      {},
    );
    assert.deepEqual(options, {
      port: 9191,
      host: "0.0.0.0",
      accountId: "ACC",
      clientId: "CID",
      clientSecret: "SECRET",
      plan: "business",
      rateLimits: false,
      tokenTtlSeconds: 600,
      maxTokensPerApp: 1,
      pageTokenTtlSeconds: 60,
      autoAcceptInvitationsAfterMs: 2500,
      webhook: { url: "http://127.0.0.1:4000/hook", secretToken: "whsec" },
      scopes: ["user:read:admin", "group:read:admin"],
      callLogLimit: 500,
    });
    assert.equal(seed?.users?.length, 5);
    assert.equal(seed?.generate?.count, 10);
  });

  it("reads the environment twins, and flags win over them", () => {
    const env = {
      ZOOM_SIM_PORT: "9292",
      ZOOM_SIM_HOST: "127.0.0.2",
      ZOOM_SIM_ACCOUNT_ID: "ENV-ACC",
      ZOOM_SIM_CLIENT_ID: "ENV-CID",
      ZOOM_SIM_CLIENT_SECRET: "ENV-SECRET",
      ZOOM_SIM_PLAN: "free",
      ZOOM_SIM_RATE_LIMITS: "false",
      ZOOM_SIM_TOKEN_TTL: "100",
      ZOOM_SIM_MAX_TOKENS: "3",
      ZOOM_SIM_PAGE_TOKEN_TTL: "30",
      ZOOM_SIM_AUTO_ACCEPT_MS: "0",
      ZOOM_SIM_WEBHOOK_URL: "https://hooks.example.com/zoom",
      ZOOM_SIM_WEBHOOK_SECRET: "env-secret",
      ZOOM_SIM_SCOPES: "user:read:admin",
      ZOOM_SIM_CALL_LOG_LIMIT: "7",
    };
    const fromEnv = parseStandaloneArgs([], env).options;
    assert.deepEqual(fromEnv, {
      port: 9292,
      host: "127.0.0.2",
      accountId: "ENV-ACC",
      clientId: "ENV-CID",
      clientSecret: "ENV-SECRET",
      plan: "free",
      rateLimits: false,
      tokenTtlSeconds: 100,
      maxTokensPerApp: 3,
      pageTokenTtlSeconds: 30,
      autoAcceptInvitationsAfterMs: 0,
      webhook: { url: "https://hooks.example.com/zoom", secretToken: "env-secret" },
      scopes: ["user:read:admin"],
      callLogLimit: 7,
    });
    const both = parseStandaloneArgs(["--port=9393", "--plan", "pro"], env).options;
    assert.equal(both.port, 9393);
    assert.equal(both.plan, "pro");
    assert.equal(both.accountId, "ENV-ACC");
    assert.equal(parseStandaloneArgs([], { ZOOM_SIM_RATE_LIMITS: "true" }).options.rateLimits, true);
    assert.equal(parseStandaloneArgs([], { ZOOM_SIM_SEED_DEMO: "1" }).seed?.groups?.length, 2);
  });

  it("documents a twin for every flag", () => {
    for (const flag of STANDALONE_FLAGS) assert.match(flag.env, /^ZOOM_SIM_[A-Z_]+$/);
    assert.equal(new Set(STANDALONE_FLAGS.map((f) => f.env)).size, STANDALONE_FLAGS.length);
  });

  it("refuses bad values with clear messages", () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [["--port", "abc"], {}, /Invalid --port "abc": expected an integer between 0 and 65535/],
      [["--port", "70000"], {}, /Invalid --port "70000"/],
      [[], { ZOOM_SIM_PORT: "-1" }, /Invalid ZOOM_SIM_PORT "-1"/],
      [["--plan", "gold"], {}, /Invalid --plan "gold": expected free, pro or business/],
      [["--token-ttl", "0"], {}, /Invalid --token-ttl "0": expected an integer ≥ 1/],
      [["--max-tokens", "1.5"], {}, /Invalid --max-tokens/],
      [["--auto-accept-ms", "soon"], {}, /Invalid --auto-accept-ms/],
      [["--colour", "red"], {}, /Unknown flag "--colour"/],
      [["--port"], {}, /Flag --port needs a value/],
      [["--account-id", "--plan"], {}, /Flag --account-id needs a value/],
      [["--no-rate-limits=yes"], {}, /takes no value/],
      [["--webhook-url", "http://x.example.com"], {}, /needs --webhook-secret/],
      [["--webhook-secret", "s"], {}, /no webhook URL/],
      [["--webhook-url", "ftp://x.example.com", "--webhook-secret", "s"], {}, /expected an http\(s\) URL/],
      [[], { ZOOM_SIM_RATE_LIMITS: "maybe" }, /Invalid ZOOM_SIM_RATE_LIMITS "maybe": expected true or false/],
      [["--account-id", " "], {}, /must not be empty/],
    ];
    for (const [argv, env, message] of cases) {
      assert.throws(() => parseStandaloneArgs(argv, env), message, JSON.stringify({ argv, env }));
    }
  });

  it("answers --help with the usage text listing every flag and variable", () => {
    assert.throws(
      () => parseStandaloneArgs(["--help"], {}),
      (e: unknown) => {
        assert.ok(e instanceof StandaloneUsageError);
        for (const flag of STANDALONE_FLAGS) {
          assert.ok(e.message.includes(flag.flag));
          assert.ok(e.message.includes(flag.env));
        }
        return true;
      },
    );
  });
});

describe("standalone: runStandalone", () => {
  it("starts the simulator with the given credentials and prints its URLs and credentials", async () => {
    const lines: string[] = [];
    const sim = await runStandalone(
      ["--port", "0", "--account-id", "ACC-S", "--client-id", "CID-S", "--client-secret", "SEC-S", "--seed-demo"],
      { ZOOM_SIM_PLAN: "business" },
      (line) => lines.push(line),
    );
    try {
      const out = lines.join("\n");
      for (const text of [sim.baseUrl, sim.apiUrl, sim.oauthUrl, "ACC-S", "CID-S", "SEC-S", "business", "/_sim/"]) {
        assert.ok(out.includes(text), `output mentions ${text}`);
      }
      const token = await fetch(sim.oauthUrl, {
        method: "POST",
        headers: {
          authorization: `Basic ${Buffer.from("CID-S:SEC-S").toString("base64")}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: "grant_type=account_credentials&account_id=ACC-S",
      });
      assert.equal(token.status, 200);
      const { access_token } = (await token.json()) as { access_token: string };
      const users = await fetch(`${sim.apiUrl}/users/alice@example.com`, { headers: { authorization: `Bearer ${access_token}` } });
      assert.equal(users.status, 200, "the demo seed is loaded");
    } finally {
      await sim.close();
    }
  });

  it("fails to start on a port already in use", async () => {
    const first = await runStandalone(["--port", "0"], {}, () => undefined);
    try {
      const port = new URL(first.baseUrl).port;
      await assert.rejects(
        runStandalone(["--port", port], {}, () => undefined),
        /EADDRINUSE/,
      );
    } finally {
      await first.close();
    }
  });
});
