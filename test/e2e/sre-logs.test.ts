// The log an SRE reads, captured from a running server (in this process, and from `zoom-scim serve`'s stdout):
// start-up names the configuration (no secret) and each tenant's plan and create action; a 4xx line carries scimType
// and detail; a Zoom error line carries Zoom's code, message and x-zm-trackingid, joined to its request by
// requestId; no email and no secret anywhere.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { createLogger } from "../../src/http/logger.js";
import { TOKEN, startHarness, type Harness } from "../helpers/harness.js";
import { CORE, patch } from "../helpers/pending.js";

const METRICS_TOKEN = "metrics-token-0123456789abcdef";
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

async function eventuallyTrue(probe: () => boolean): Promise<void> {
  for (let tries = 0; !probe(); tries++) {
    if (tries > 200) throw new Error("timed out waiting for the log line");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
let h: Harness;
let logged = "";
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    logged += chunk.toString();
    done();
  },
});
type Line = Record<string, unknown> & { msg?: string };
const lines = (): Line[] =>
  logged
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Line);
const requestLine = (requestId: string | null): Line | undefined => lines().find((l) => l.msg === "request" && l.requestId === requestId);

before(async () => {
  h = await startHarness({
    logger: createLogger("info", sink),
    env: { SCIM_METRICS_TOKEN: METRICS_TOKEN, ZOOM_CREATE_ACTION: "autoCreate", ZOOM_PLAN: "business" },
  });
});
after(async () => h?.close());

describe("logs an SRE can use", () => {
  it("start-up logs the configuration without secrets, and each tenant's plan and create action", () => {
    const config = lines().find((l) => l.msg === "configuration")?.config as Record<string, unknown> | undefined;
    assert.ok(config, logged);
    assert.equal(config.metrics, "token required");
    const [tenant] = config.tenants as Record<string, unknown>[];
    assert.equal(tenant?.name, "default");
    assert.equal(tenant?.plan, "business");
    assert.equal(tenant?.createAction, "autoCreate");
    assert.equal(tenant?.bearerTokens, 1);
    const serving = lines().find((l) => l.msg === "serving tenant");
    assert.deepEqual([serving?.tenant, serving?.plan, serving?.createAction], ["default", "business", "autoCreate"]);
  });

  it("a 4xx line carries scimType and detail, emails replaced", async () => {
    const bad = await h.scim("GET", "/Users?filter=userName%20eq");
    assert.equal(bad.status, 400, bad.text);
    const line = requestLine(bad.headers.get("x-request-id"));
    assert.equal(line?.status, 400);
    assert.equal(line?.scimType, "invalidFilter");
    assert.equal(line?.detail, bad.body.detail);

    const user = { schemas: [CORE], userName: "sre.log@example.com", name: { givenName: "Sre", familyName: "Log" } };
    assert.equal((await h.scim("POST", "/Users", user)).status, 201);
    const duplicate = await h.scim("POST", "/Users", user);
    assert.equal(duplicate.status, 409, duplicate.text);
    assert.match(String(duplicate.body.detail), /sre\.log@example\.com/, "the client is told the email");
    const conflict = requestLine(duplicate.headers.get("x-request-id"));
    assert.equal(conflict?.scimType, "uniqueness");
    assert.match(String(conflict?.detail), /A Zoom user with email \{email\} already exists/);
  });

  it("a Zoom error line carries Zoom's code, message and tracking id, and names the request", async () => {
    const created = await h.scim("POST", "/Users", {
      schemas: [CORE],
      userName: "sre.zoom@example.com",
      name: { givenName: "Sre", familyName: "Zoom" },
    });
    const id = String(created.body.id);
    await h.simPost("/_sim/faults", {
      method: "PATCH",
      path: "/v2/users/*",
      status: 400,
      code: 300,
      message: "Invalid field: sre.zoom@example.com cannot take this value",
      count: 1,
    });
    const refused = await h.scim("PATCH", `/Users/${id}`, patch({ op: "replace", path: "title", value: "Refused" }));
    assert.equal(refused.status, 400, refused.text);
    const requestId = refused.headers.get("x-request-id");
    const zoomLine = lines().find((l) => l.msg === "zoom answered an error" && l.requestId === requestId);
    assert.ok(zoomLine, logged);
    const call = zoomLine.zoomCall as Record<string, unknown>;
    assert.equal(call.status, 400);
    assert.equal(call.code, 300);
    assert.equal(call.method, "PATCH");
    assert.equal(call.message, "Invalid field: {email} cannot take this value");
    assert.match(String(call.trackingId), /\S+/);
    assert.equal(zoomLine.tenant, "default");
    assert.equal(zoomLine.level, 30, "a 4xx zoom-scim handles is logged at info");
    assert.equal(requestLine(requestId)?.status, 400);

    // A 5xx Zoom keeps answering is a warning, with the same fields on every attempt's line.
    await h.simPost("/_sim/faults", { method: "GET", path: "/v2/users/*", status: 503, code: 9999, message: "Service down", count: 1 });
    assert.equal((await h.scim("GET", `/Users/${id}`)).status, 200);
    const unavailable = lines().find((l) => l.msg === "zoom answered an error" && (l.zoomCall as Record<string, unknown>).status === 503);
    assert.equal(unavailable?.level, 40);
    assert.equal((unavailable?.zoomCall as Record<string, unknown>).message, "Service down");
    const retrying = lines().find((l) => l.msg === "zoom call failed, retrying");
    assert.equal((retrying?.zoomCall as Record<string, unknown>).code, 9999);
    assert.match(String((retrying?.zoomCall as Record<string, unknown>).trackingId), /\S+/);
  });

  it("`zoom-scim serve` writes the same lines to stdout", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "src/cli/main.ts"), "serve"], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        HOST: "127.0.0.1",
        PORT: "0",
        LOG_LEVEL: "info",
        ZOOM_ACCOUNT_ID: h.sim.accountId,
        ZOOM_CLIENT_ID: h.sim.clientId,
        ZOOM_CLIENT_SECRET: h.sim.clientSecret,
        ZOOM_API_URL: h.sim.apiUrl,
        ZOOM_OAUTH_URL: h.sim.oauthUrl,
        ZOOM_PLAN: "free",
        ZOOM_CREATE_ACTION: "custCreate",
        SCIM_BEARER_TOKEN: TOKEN,
        SCIM_METRICS_TOKEN: METRICS_TOKEN,
        ZOOM_SCIM_DB: join(h.storeDir, "serve.sqlite"),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => void (stdout += chunk.toString()));
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on("data", () => {
          const listening = stdout.split("\n").find((l) => l.includes("zoom-scim listening"));
          if (listening) resolve((JSON.parse(listening) as { url: string }).url);
        });
        child.once("exit", (code) => reject(new Error(`zoom-scim serve exited (${code}): ${stdout}`)));
      });
      const bad = await fetch(`${url}/scim/v2/Users?filter=userName%20eq`, { headers: { authorization: `Bearer ${TOKEN}` } });
      assert.equal(bad.status, 400);
      const requestId = bad.headers.get("x-request-id");
      await eventuallyTrue(() => stdout.includes(`"requestId":"${requestId}"`));
    } finally {
      child.kill("SIGTERM");
      await exited;
    }
    const out = stdout
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Line);
    const config = out.find((l) => l.msg === "configuration")?.config as { tenants: Record<string, unknown>[] } | undefined;
    assert.deepEqual([config?.tenants[0]?.plan, config?.tenants[0]?.createAction], ["free", "custCreate"]);
    const serving = out.find((l) => l.msg === "serving tenant");
    assert.deepEqual([serving?.plan, serving?.createAction], ["free", "custCreate"]);
    const request = out.find((l) => l.msg === "request" && l.status === 400);
    assert.equal(request?.scimType, "invalidFilter");
    assert.match(String(request?.detail), /\S/);
    for (const secret of [h.sim.clientSecret, TOKEN, METRICS_TOKEN]) assert.ok(!stdout.includes(secret), `stdout holds ${secret}`);
  });

  it("no line holds an email, the Zoom secret or a token", () => {
    for (const secret of [h.sim.clientSecret, TOKEN, METRICS_TOKEN, "@example.com"])
      assert.ok(!logged.includes(secret), `the log holds ${secret}`);
  });
});
