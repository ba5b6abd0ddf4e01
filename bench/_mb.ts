import { spawn } from "node:child_process";
import { ZoomClient } from "../src/zoom/client.js";
import { createHttpTransport } from "../src/zoom/http.js";
const sim = spawn("taskset", ["-c", "0", process.execPath, "--import", "tsx", new URL("./simulator-server.ts", import.meta.url).pathname, "--port", "0", "--no-rate-limits"], { stdio: ["ignore", "pipe", "inherit"] });
const url = await new Promise<string>((r) => sim.stdout!.on("data", (c: Buffer) => { const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(c.toString()); if (m?.[1]) r(m[1]); }));
const seeded = await (await fetch(`${url}/_sim/seed`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ generate: { count: 1000, status: "active", domain: "x.example.com", returnIds: true } }) })).json() as { generated: { ids: string[] } };
const ids = seeded.generated.ids;
const client = new ZoomClient({ apiUrl: `${url}/v2`, oauthUrl: `${url}/oauth/token`, accountId: "sim-account-0001", clientId: "sim-client-id", clientSecret: "sim-client-secret", plan: "business", rateLimit: false });
await client.getUser(ids[0]!);
const transport = createHttpTransport({ timeoutMs: 15000 });
const tok = await (await fetch(`${url}/oauth/token`, { method: "POST", headers: { authorization: "Basic " + Buffer.from("sim-client-id:sim-client-secret").toString("base64"), "content-type": "application/x-www-form-urlencoded" }, body: "grant_type=account_credentials&account_id=sim-account-0001" })).json() as { access_token: string };
async function measure(name: string, fn: (i: number) => Promise<unknown>) {
  const N = 6000, C = 20;
  let i = 0;
  const run = async () => { while (i < N) await fn(i++); };
  await Promise.all(Array.from({ length: C }, run)); i = 0;
  const c0 = process.cpuUsage(); const t0 = performance.now();
  await Promise.all(Array.from({ length: C }, run));
  const c = process.cpuUsage(c0);
  console.log(name.padEnd(20), ((c.user + c.system) / 1000 / N).toFixed(3), "ms CPU/call", "user", (c.user / 1000 / N).toFixed(3), "sys", (c.system / 1000 / N).toFixed(3), (N / ((performance.now() - t0) / 1000)).toFixed(0), "/s");
}
const which = process.argv[2] ?? "all";
import { AsyncLocalStorage } from "node:async_hooks";
const als = new AsyncLocalStorage<{ n: number }>();
if (process.env.ALS) { const orig = measure; (globalThis as any).m = orig; }
const wrap = (fn: (i: number) => Promise<unknown>) => process.env.ALS ? (i: number) => als.run({ n: i }, () => fn(i)) : fn;
for (let r = 0; r < 2; r++) {
  if (which === "all" || which === "transport") await measure("transport.send", wrap((i) => transport.send({ method: "GET", url: `${url}/v2/users/${ids[i % ids.length]}`, headers: { authorization: `Bearer ${tok.access_token}`, accept: "application/json" } })));
  if (which === "all" || which === "client") await measure("client.getUser", wrap((i) => client.getUser(ids[i % ids.length]!)));
}
sim.kill(); transport.close(); process.exit(0);
