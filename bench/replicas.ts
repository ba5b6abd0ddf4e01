// Benchmark of provisioning through several replicas: 1,000 users created (as Okta pushes them, 30 requests in
// flight, round-robin) through 1 and through 3 zoom-scim replicas on one PostgreSQL database, against the
// simulator with the Pro plan's rate limits. Zoom's limits are per account: three replicas must share one budget,
// so both runs should reach the same share of the plan's ceiling, and neither may exceed it.
//   npx tsx bench/replicas.ts [--users 1000] [--replicas 1,3]
// PostgreSQL: BENCH_PG_URL, else ZOOM_SCIM_TEST_PG_URL, else postgres://postgres@127.0.0.1:5432/postgres (a scratch
// database is made and dropped there). Replicas are child processes (test/helpers/replicas.ts).
import { startSimulator } from "../src/simulator/index.js";
import { PLAN_RATE_LIMITS } from "../src/zoom/rate-limiter.js";
import { maxPerClockSecond, maxPerSecond, scratchDatabase, startReplica, type ReplicaProcess } from "../test/helpers/replicas.js";

const TOKEN = "bench-token-0123456789abcdef";
const IN_FLIGHT = 30;
const CATEGORIES = ["light", "medium", "heavy"] as const;

function parseArgs(argv: string[]): { users: number; replicas: number[] } {
  const args = { users: 1000, replicas: [1, 3] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--users") args.users = Number(argv[++i]);
    else if (argv[i] === "--replicas") args.replicas = String(argv[++i]).split(",").map(Number);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!Number.isInteger(args.users) || args.users < 1) throw new Error("--users needs a positive integer");
  return args;
}

interface Result {
  replicas: number;
  seconds: number;
  created: number;
  failed: number;
  tokens: number;
  tooMany: number;
  perCategory: Record<string, { calls: number; maxPerSecond: number; maxPerClockSecond: number; sustained: number }>;
}

async function run(replicaCount: number, users: number, adminUrl: string): Promise<Result> {
  const sim = await startSimulator({ port: 0, plan: "pro", rateLimits: true, callLogLimit: users * 4 + 1000 });
  const db = await scratchDatabase(adminUrl, "bench");
  const replicas: ReplicaProcess[] = [];
  try {
    const env = {
      ZOOM_ACCOUNT_ID: sim.accountId,
      ZOOM_CLIENT_ID: sim.clientId,
      ZOOM_CLIENT_SECRET: sim.clientSecret,
      ZOOM_API_URL: sim.apiUrl,
      ZOOM_OAUTH_URL: sim.oauthUrl,
      ZOOM_PLAN: "pro",
      ZOOM_CREATE_ACTION: "autoCreate",
      SCIM_BEARER_TOKEN: TOKEN,
      ZOOM_SCIM_DB: db.url,
      LOG_LEVEL: "warn",
    };
    // The first replica migrates; the others start together.
    replicas.push(await startReplica({ ...env, LOG_LEVEL: "info" }));
    replicas.push(...(await Promise.all(Array.from({ length: replicaCount - 1 }, () => startReplica({ ...env, LOG_LEVEL: "info" })))));
    let next = 0;
    let turn = 0;
    let created = 0;
    let failed = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        for (let i = next++; i < users; i = next++) {
          const replica = replicas[turn++ % replicas.length] as ReplicaProcess;
          const response = await fetch(`${replica.url}/scim/v2/Users`, {
            method: "POST",
            headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/scim+json" },
            body: JSON.stringify({
              schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
              userName: `bench.user${i}@example.com`,
              name: { givenName: "Bench", familyName: `User${i}` },
            }),
          });
          await response.text();
          if (response.status === 201) created += 1;
          else failed += 1;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const log = (await (await fetch(`${sim.baseUrl}/_sim/calls?since=0`)).json()) as {
      calls: { category: string; status: number; at: string }[];
    };
    const perCategory: Result["perCategory"] = {};
    for (const category of CATEGORIES) {
      const times = log.calls.filter((c) => c.category === category).map((c) => Date.parse(c.at));
      const span = times.length > 1 ? (Math.max(...times) - Math.min(...times)) / 1000 : 1;
      perCategory[category] = {
        calls: times.length,
        maxPerSecond: maxPerSecond(times),
        maxPerClockSecond: maxPerClockSecond(times),
        sustained: times.length / Math.max(span, 1),
      };
    }
    return {
      replicas: replicaCount,
      seconds,
      created,
      failed,
      tokens: log.calls.filter((c) => c.category === "oauth").length,
      tooMany: log.calls.filter((c) => c.status === 429).length,
      perCategory,
    };
  } finally {
    await Promise.all(replicas.map((r) => r.stop()));
    await sim.close();
    await db.drop();
  }
}

const args = parseArgs(process.argv.slice(2));
const adminUrl = process.env.BENCH_PG_URL ?? process.env.ZOOM_SCIM_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const results: Result[] = [];
for (const count of args.replicas) results.push(await run(count, args.users, adminUrl));

const limits = PLAN_RATE_LIMITS.pro;
const pct = (value: number, limit: number): string => `${((value / limit) * 100).toFixed(0)} %`;
console.log(
  `\n${args.users} users created, ${IN_FLIGHT} requests in flight, Pro plan (light ${limits.light}/s, medium ${limits.medium}/s, heavy ${limits.heavy}/s)\n`,
);
const header = ["", ...results.map((r) => `${r.replicas} replica${r.replicas === 1 ? "" : "s"}`)];
const rows: string[][] = [
  ["wall time", ...results.map((r) => `${r.seconds.toFixed(1)} s`)],
  ["created / failed", ...results.map((r) => `${r.created} / ${r.failed}`)],
  ["OAuth tokens issued", ...results.map((r) => String(r.tokens))],
  ["Zoom 429 answers", ...results.map((r) => String(r.tooMany))],
];
for (const category of CATEGORIES) {
  if (results.every((r) => (r.perCategory[category]?.calls ?? 0) === 0)) continue;
  const of = (r: Result) => r.perCategory[category] ?? { calls: 0, maxPerSecond: 0, maxPerClockSecond: 0, sustained: 0 };
  rows.push([`${category}: calls`, ...results.map((r) => String(of(r).calls))]);
  rows.push([
    `${category}: max calls in a clock second`,
    ...results.map((r) => `${of(r).maxPerClockSecond} (${pct(of(r).maxPerClockSecond, limits[category])} of ceiling)`),
  ]);
  rows.push([
    `${category}: max calls in any 1000 ms`,
    ...results.map((r) => `${of(r).maxPerSecond} (${pct(of(r).maxPerSecond, limits[category])} of ceiling)`),
  ]);
  rows.push([
    `${category}: sustained calls/s`,
    ...results.map((r) => `${of(r).sustained.toFixed(1)} (${pct(of(r).sustained, limits[category])})`),
  ]);
}
const widths = header.map((_, col) => Math.max(...[header, ...rows].map((row) => (row[col] ?? "").length)));
for (const row of [header, ...rows]) console.log(row.map((cell, col) => cell.padEnd(widths[col] ?? 0)).join("   "));
// Zoom counts per second: a clock second over the ceiling is what would be refused.
const over = results.some((r) => CATEGORIES.some((c) => (r.perCategory[c]?.maxPerClockSecond ?? 0) > limits[c]));
if (over || results.some((r) => r.tooMany > 0 || r.failed > 0)) process.exitCode = 1;
