import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../src/config/load.js";
import { openStore } from "../src/store/open-store.js";
import { buildTenant } from "../src/server.js";
import { createLogger } from "../src/http/logger.js";
import { Metrics } from "../src/http/metrics/metrics.js";
import { getUser } from "../src/provisioning/users/user-reads.js";
import { createHttpTransport } from "../src/zoom/http.js";
import { ZoomClient } from "../src/zoom/client.js";
const sim = spawn("taskset", ["-c", "0", process.execPath, "--import", "tsx", new URL("./simulator-server.ts", import.meta.url).pathname, "--port", "0", "--no-rate-limits"], { stdio: ["ignore", "pipe", "inherit"] });
const url = await new Promise<string>((r) => sim.stdout!.on("data", (c: Buffer) => { const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(c.toString()); if (m?.[1]) r(m[1]); }));
const seeded = await (await fetch(`${url}/_sim/seed`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ generate: { count: Number(process.env.U ?? 1000), status: "active", domain: "x.example.com", returnIds: true } }) })).json() as { generated: { ids: string[] } };
const ids = seeded.generated.ids;
const dir = mkdtempSync(join(tmpdir(), "mb-"));
const config = loadConfig({ ZOOM_ACCOUNT_ID: "sim-account-0001", ZOOM_CLIENT_ID: "sim-client-id", ZOOM_CLIENT_SECRET: "sim-client-secret", ZOOM_API_URL: `${url}/v2`, ZOOM_OAUTH_URL: `${url}/oauth/token`, SCIM_BEARER_TOKEN: "bench-token-0123456789abcdef", ZOOM_SCIM_DB: join(dir, "s.sqlite") });
const store = await openStore(config.storePath);
const logger = createLogger("info");
const metrics = new Metrics({ tenants: () => [] });
const tenant = buildTenant(config.tenants[0]!, store, logger, false, metrics);
const bare = new ZoomClient({ apiUrl: `${url}/v2`, oauthUrl: `${url}/oauth/token`, accountId: "sim-account-0001", clientId: "sim-client-id", clientSecret: "sim-client-secret", plan: "business", rateLimit: false });
const transport = createHttpTransport({ timeoutMs: 15000 });
const tok = await (await fetch(`${url}/oauth/token`, { method: "POST", headers: { authorization: "Basic " + Buffer.from("sim-client-id:sim-client-secret").toString("base64"), "content-type": "application/x-www-form-urlencoded" }, body: "grant_type=account_credentials&account_id=sim-account-0001" })).json() as { access_token: string };
async function measure(name: string, fn: (i: number) => Promise<unknown>) {
  const N = 6000, C = Number(process.env.C ?? 20);
  let i = 0;
  const run = async () => { while (i < N) await fn(i++); };
  await Promise.all(Array.from({ length: C }, run)); i = 0;
  const c0 = process.cpuUsage(); const t0 = performance.now();
  await Promise.all(Array.from({ length: C }, run));
  const c = process.cpuUsage(c0);
  console.log(name.padEnd(24), ((c.user + c.system) / 1000 / N).toFixed(3), "ms CPU/call", (N / ((performance.now() - t0) / 1000)).toFixed(0), "/s");
}
const id = (i: number) => ids[i % ids.length]!;
import { requestContext } from "../src/http/request-context.js";
import { AuditScope, runInAuditScope } from "../src/provisioning/audit/scope.js";
const inCtx = (fn: () => Promise<unknown>) => {
  if (!process.env.CTX) return fn();
  const context = { requestId: "r", tenant: "default", zoomCalls: 0, zoomCallLog: [] };
  const scope = new AuditScope({ tenant: "default", kind: "scim", actor: "a", client: "other", requestId: "r", originRequestId: null, method: "GET", route: null, resourceType: null, resourceId: null, userName: null, records: false } as any);
  return requestContext.run(context as any, () => runInAuditScope(scope, fn));
};
if (process.env.ONLY_RENDER) { for (let r = 0; r < 3; r++) await measure("getUser (render)", (i) => getUser(tenant, id(i), {}, "http://x/scim/v2")); sim.kill(); process.exit(0); }
for (let r = 0; r < 2; r++) {
  await measure("transport.send", (i) => transport.send({ method: "GET", url: `${url}/v2/users/${id(i)}`, headers: { authorization: `Bearer ${tok.access_token}`, accept: "application/json" } }));
  await measure("bare client.getUser", (i) => bare.getUser(id(i)));
  await measure("tenant.liveZoom.getUser", (i) => tenant.liveZoom.getUser(id(i)));
  await measure("tenant.zoom.getUser", (i) => tenant.zoom.getUser(id(i)));
  await measure("tenant.users.load", (i) => tenant.users.load(id(i)));
  await measure("getUser (render)", (i) => inCtx(() => getUser(tenant, id(i), {}, "http://x/scim/v2")));
}
sim.kill(); transport.close(); process.exit(0);
