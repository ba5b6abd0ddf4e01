// Benchmark of what GET /metrics costs a running server: a scrape with an empty outbox and with 20,000 deferred
// changes waiting (the deferred_changes gauge is one aggregate query per scrape), beside GET /healthz on the same
// server in the same run as the reference (a request that does nothing).
//   npx tsx bench/metrics.ts [--changes 20000] [--scrapes 100] [--db postgres://…]
// zoom-scim and the simulator in this process, over real HTTP. Nothing here asserts a time.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../src/config/load.js";
import { createLogger } from "../src/http/logger.js";
import { startServer } from "../src/server.js";
import { startSimulator } from "../src/simulator/index.js";

const arg = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? (process.argv[at + 1] ?? fallback) : fallback;
};
const changes = Number(arg("changes", "20000"));
const scrapes = Number(arg("scrapes", "100"));
const dir = mkdtempSync(join(tmpdir(), "zoom-scim-bench-metrics-"));
const sim = await startSimulator({ port: 0, rateLimits: false });
const config = loadConfig({
  ZOOM_ACCOUNT_ID: sim.accountId,
  ZOOM_CLIENT_ID: sim.clientId,
  ZOOM_CLIENT_SECRET: sim.clientSecret,
  ZOOM_API_URL: sim.apiUrl,
  ZOOM_OAUTH_URL: sim.oauthUrl,
  SCIM_BEARER_TOKEN: "bench-token-0123456789abcdef",
  ZOOM_SCIM_DB: arg("db", join(dir, "store.sqlite")),
  HOST: "127.0.0.1",
  PORT: "0",
  SCIM_RECONCILE_INTERVAL_SECONDS: "0",
});
const server = await startServer(config, { logger: createLogger("silent") });

async function median(label: string, path: string): Promise<number> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < scrapes; i++) {
    const started = performance.now();
    const answer = await fetch(`${server.url}${path}`);
    bytes = (await answer.text()).length;
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const p50 = times[Math.floor(times.length / 2)] ?? 0;
  const p95 = times[Math.floor(times.length * 0.95)] ?? 0;
  console.log(`${label.padEnd(48)} p50 ${p50.toFixed(2).padStart(7)} ms  p95 ${p95.toFixed(2).padStart(7)} ms  ${bytes} bytes`);
  return p50;
}

try {
  console.log(`GET /metrics, ${scrapes} requests each, one after another`);
  await median("GET /healthz (reference)", "/healthz");
  await median("GET /metrics, no deferred change", "/metrics");
  const started = performance.now();
  await server.store.transaction(async (tx) => {
    for (let i = 0; i < changes; i++) await tx.lifecycle.addDeferredChange("default", `user-${i % 2000}`, { title: `t${i}` }, new Date());
  });
  console.log(`(${changes} deferred changes for 2000 users stored in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  await median(`GET /metrics, ${changes} deferred changes`, "/metrics");
  await median("GET /healthz (reference, again)", "/healthz");
} finally {
  await server.close();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
}
