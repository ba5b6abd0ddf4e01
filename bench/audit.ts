// Benchmark of what the audit trail costs: the same SCIM writes (PATCH of a user's title, as an IdP pushes profile
// updates, 8 requests in flight) through two zoom-scim processes, one with the audit trail on (the default) and
// one with SCIM_AUDIT=off, in rounds of one run (the order swapped each round), printed side by side: latency percentiles and
// throughput. Each process has its own store (an SQLite file, or a scratch PostgreSQL database with --postgres);
// the simulator runs in this process with Zoom's rate limits off, so zoom-scim's own cost is what is measured.
//   npx tsx bench/audit.ts [--requests 100] [--rounds 6] [--postgres]
// PostgreSQL: BENCH_PG_URL, else ZOOM_SCIM_TEST_PG_URL, else postgres://postgres@127.0.0.1:5432/postgres.
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startSimulator } from "../src/simulator/index.js";
import { scratchDatabase } from "../test/helpers/replicas.js";

const TOKEN = "bench-token-0123456789abcdef";
const IN_FLIGHT = 8;
const USERS = 50;
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

interface ServerProcess {
  url: string;
  stop(): Promise<void>;
}

/** The child: zoom-scim configured from the environment, its client-side Zoom limiter off, its logs silent. */
async function serve(): Promise<void> {
  const { loadConfig } = await import("../src/config/load.js");
  const { createLogger } = await import("../src/http/logger.js");
  const { startServer } = await import("../src/server.js");
  const server = await startServer(loadConfig(process.env), { logger: createLogger("silent"), zoomRateLimit: false });
  process.on("message", (message: { type: string }) => {
    if (message.type === "stop") void server.close().then(() => process.exit(0));
  });
  process.send?.({ type: "ready", url: server.url });
}

function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = fork(fileURLToPath(import.meta.url), ["--serve"], {
    env: { PATH: process.env.PATH ?? "", HOST: "127.0.0.1", PORT: "0", ...env },
    execArgv: ["--import", "tsx"],
  });
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`zoom-scim exited (${code}) before listening`)));
    child.once("message", (message: { type: string; url: string }) => {
      resolve({
        url: message.url,
        stop: () =>
          new Promise((done) => {
            child.removeAllListeners("exit");
            child.once("exit", () => done());
            child.send({ type: "stop" });
          }),
      });
    });
  });
}

function parseArgs(argv: string[]): { requests: number; rounds: number; postgres: boolean } {
  const args = { requests: 100, rounds: 6, postgres: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === "--postgres") args.postgres = true;
    else if (flag === "--requests" || flag === "--rounds") {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} needs a positive integer`);
      args[flag === "--requests" ? "requests" : "rounds"] = value;
    } else throw new Error(`unknown argument ${flag}`);
  }
  return args;
}

interface Round {
  latenciesMs: number[];
  seconds: number;
  failed: number;
}

async function round(server: ServerProcess, ids: readonly string[], requests: number, label: string): Promise<Round> {
  const latenciesMs: number[] = [];
  let failed = 0;
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < requests) {
      const n = next++;
      const id = ids[n % ids.length] ?? "";
      const sent = performance.now();
      const answer = await fetch(`${server.url}/scim/v2/Users/${id}`, {
        method: "PATCH",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/scim+json", "user-agent": "Okta SCIM Client 1.0.0" },
        body: JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: "replace", path: "title", value: `${label} ${n}` }] }),
      });
      await answer.arrayBuffer();
      latenciesMs.push(performance.now() - sent);
      if (answer.status !== 200) failed += 1;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return { latenciesMs, seconds: (performance.now() - started) / 1000, failed };
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const sim = await startSimulator({ port: 0, rateLimits: false, callLogLimit: 1000 });
  const dir = mkdtempSync(join(tmpdir(), "zoom-scim-bench-audit-"));
  const adminUrl = process.env.BENCH_PG_URL ?? process.env.ZOOM_SCIM_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const databases: { drop(): Promise<void> }[] = [];
  const servers = new Map<string, ServerProcess>();
  try {
    const seeded = sim.seed({
      users: Array.from({ length: USERS }, (_, i) => ({ email: `bench${i}@audit.example.com`, status: "active" })),
    });
    const ids = seeded.users.map((u) => u.id);
    for (const [label, audit] of [
      ["audit on", "on"],
      ["audit off", "off"],
    ] as const) {
      let store = join(dir, `${audit}.sqlite`);
      if (args.postgres) {
        const db = await scratchDatabase(adminUrl, `bench_audit_${audit}`);
        databases.push(db);
        store = db.url;
      }
      servers.set(
        label,
        await startServerProcess({
          ZOOM_ACCOUNT_ID: sim.accountId,
          ZOOM_CLIENT_ID: sim.clientId,
          ZOOM_CLIENT_SECRET: sim.clientSecret,
          ZOOM_API_URL: sim.apiUrl,
          ZOOM_OAUTH_URL: sim.oauthUrl,
          SCIM_BEARER_TOKEN: TOKEN,
          ZOOM_SCIM_DB: store,
          SCIM_AUDIT: audit,
          SCIM_BREAKER_MAX_CHANGES: "0",
          SCIM_RECONCILE_INTERVAL_SECONDS: "0",
        }),
      );
    }
    // Warm-up (JIT, token, connections), not counted.
    for (const [label, server] of servers) await round(server, ids, 50, `warm ${label}`);
    const results = new Map<string, Round[]>([...servers.keys()].map((label) => [label, []]));
    // Alternating rounds: whatever else the machine does is shared by both configurations.
    // The order swaps every round, so neither configuration always runs second.
    for (let r = 0; r < args.rounds; r++) {
      const order = r % 2 === 0 ? [...servers] : [...servers].reverse();
      for (const [label, server] of order) results.get(label)?.push(await round(server, ids, args.requests, `${label} ${r}`));
    }
    console.log(
      `${args.requests * args.rounds} PATCH /Users/{id} per configuration, ${IN_FLIGHT} in flight, store ${args.postgres ? "PostgreSQL" : "SQLite"}`,
    );
    console.log(
      `${"".padEnd(10)} ${"req/s".padStart(8)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"failed".padStart(7)}`,
    );
    const summary = new Map<string, { rate: number; p50: number }>();
    for (const [label, rounds] of results) {
      const sorted = rounds.flatMap((r) => r.latenciesMs).sort((a, b) => a - b);
      const seconds = rounds.reduce((sum, r) => sum + r.seconds, 0);
      const rate = sorted.length / seconds;
      const failed = rounds.reduce((sum, r) => sum + r.failed, 0);
      summary.set(label, { rate, p50: percentile(sorted, 50) });
      console.log(
        `${label.padEnd(10)} ${rate.toFixed(0).padStart(8)} ${percentile(sorted, 50).toFixed(2).padStart(8)} ${percentile(sorted, 95).toFixed(2).padStart(8)} ${percentile(sorted, 99).toFixed(2).padStart(8)} ${String(failed).padStart(7)}`,
      );
    }
    const on = summary.get("audit on");
    const off = summary.get("audit off");
    if (on && off)
      console.log(
        `the audit trail costs ${(on.p50 - off.p50).toFixed(2)} ms at the median and ${((1 - on.rate / off.rate) * 100).toFixed(1)} % of throughput`,
      );
    await storeCost(join(dir, "direct.sqlite"));
  } finally {
    for (const server of servers.values()) await server.stop();
    for (const db of databases) await db.drop();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The audit's own cost in the store, without HTTP or a loaded machine's noise around it: one entry appended, beside
 * the resource write every SCIM write makes anyway (the same SQLite file, the same number of each, interleaved).
 */
async function storeCost(path: string): Promise<void> {
  const { openStore } = await import("../src/store/open-store.js");
  const store = await openStore(path);
  const n = 2_000;
  const timings = { append: 0, put: 0 };
  try {
    for (let i = 0; i < n; i++) {
      let started = performance.now();
      await store.audit.append({
        at: new Date().toISOString(),
        tenant: "default",
        kind: "scim",
        actor: "token-1",
        client: "okta",
        requestId: `bench-${i}`,
        originRequestId: null,
        method: "PATCH",
        route: "/Users/:id",
        resourceType: "User",
        resourceId: `u${i % USERS}`,
        userName: `bench${i % USERS}@audit.example.com`,
        changes: [{ attribute: "title", before: `t${i - 1}`, after: `t${i}` }],
        zoomCalls: [
          { method: "GET", path: "/users/{userId}", status: 200, trackingId: "v=2.0;clid=bench;rid=1" },
          { method: "PATCH", path: "/users/{userId}", status: 204, trackingId: "v=2.0;clid=bench;rid=2" },
        ],
        outcome: "applied",
        error: null,
      });
      timings.append += performance.now() - started;
      started = performance.now();
      await store.put(
        { tenant: "default", kind: "User", id: `u${i % USERS}`, externalId: null, attributes: { title: `t${i}` }, email: null, emails: [] },
        new Date(),
      );
      timings.put += performance.now() - started;
    }
  } finally {
    await store.close();
  }
  console.log(
    `in the store (SQLite, ${n} of each): an audit entry appended ${((timings.append / n) * 1000).toFixed(0)} µs, ` +
      `the resource write every SCIM write makes ${((timings.put / n) * 1000).toFixed(0)} µs`,
  );
}

if (process.argv.includes("--serve")) await serve();
else await main();
