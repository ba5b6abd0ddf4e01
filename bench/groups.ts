// Benchmark of SCIM /Groups membership at scale: a 10,000-member group gains and then loses 1,000 members through
// SCIM PATCH (one request each, as Entra and Okta batch them).
//   npx tsx bench/groups.ts [--members 10000] [--change 1000] [--zoom-rate-limit]
// The Zoom simulator runs in this process; zoom-scim runs in a child process (forked from this same file with
// --serve) so that its peak memory (resourceUsage().maxRSS) and CPU time are its own. Loopback only, bounded.
// Without --zoom-rate-limit the client-side limiter is off and the wall time is zoom-scim's own cost; with it, the
// client paces calls to a Business account's limits as it would in production.
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const TOKEN = "bench-token-0123456789abcdef";
const REQUEST_TIMEOUT_MS = 300_000;
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

interface ServerStats {
  rssBytes: number;
  heapUsedBytes: number;
  maxRssBytes: number;
  cpuMs: number;
}
type ChildMessage = ({ type: "ready"; url: string } | { type: "stats" }) & Partial<ServerStats>;

// ---- the child: zoom-scim, configured from the environment the parent passes ----

async function serve(): Promise<void> {
  const { loadConfig } = await import("../src/config/load.js");
  const { createLogger } = await import("../src/http/logger.js");
  const { startServer } = await import("../src/server.js");
  const config = loadConfig(process.env);
  const server = await startServer(config, { logger: createLogger("silent"), zoomRateLimit: process.env.BENCH_ZOOM_RATE_LIMIT === "1" });
  const stats = (): ServerStats => {
    const cpu = process.cpuUsage();
    return {
      rssBytes: process.memoryUsage().rss,
      heapUsedBytes: process.memoryUsage().heapUsed,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      cpuMs: (cpu.user + cpu.system) / 1000,
    };
  };
  process.on("message", (message: { type: string }) => {
    if (message.type === "stats") process.send?.({ type: "stats", ...stats() });
    if (message.type === "stop") void server.close().then(() => process.exit(0));
  });
  process.send?.({ type: "ready", url: server.url });
}

// ---- the parent: simulator, load, report ----

function parseArgs(argv: string[]): { members: number; change: number; rateLimit: boolean } {
  const args = { members: 10_000, change: 1_000, rateLimit: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === "--zoom-rate-limit") args.rateLimit = true;
    else if (flag === "--members" || flag === "--change") {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} needs a positive integer`);
      args[flag === "--members" ? "members" : "change"] = value;
    } else throw new Error(`unknown argument ${flag}`);
  }
  args.members = Math.min(args.members, 50_000);
  args.change = Math.min(args.change, 5_000);
  return args;
}

function next(child: ChildProcess, type: string): Promise<ChildMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`zoom-scim child sent no ${type} message`)), 30_000);
    const onMessage = (message: ChildMessage): void => {
      if (message.type !== type) return;
      clearTimeout(timer);
      child.off("message", onMessage);
      resolve(message);
    };
    child.on("message", onMessage);
  });
}

async function stats(child: ChildProcess): Promise<ServerStats> {
  const answer = next(child, "stats");
  child.send({ type: "stats" });
  return (await answer) as ServerStats & ChildMessage;
}

interface Call {
  seq: number;
  category: string;
  operation?: string;
  method: string;
}

async function callsSince(simBase: string, seq: number): Promise<Call[]> {
  const log = (await (await fetch(`${simBase}/_sim/calls?since=${seq}`)).json()) as { calls: Call[] };
  return log.calls.filter((c) => c.category !== "oauth");
}

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function byOperation(calls: Call[]): string {
  const counts = new Map<string, number>();
  for (const call of calls) counts.set(call.operation ?? call.method, (counts.get(call.operation ?? call.method) ?? 0) + 1);
  return [...counts].map(([op, n]) => `${n} × ${op}`).join(", ");
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const { startSimulator } = await import("../src/simulator/index.js");
  const sim = await startSimulator({ port: 0, host: "127.0.0.1", rateLimits: false, plan: "business", callLogLimit: 50_000 });
  const storeDir = mkdtempSync(join(tmpdir(), "zoom-scim-bench-"));
  let child: ChildProcess | undefined;
  try {
    const generated = sim.seed({
      generate: { count: args.members + args.change, prefix: "member", domain: "bench.example.com", returnIds: true },
    }).generated;
    const ids = generated?.ids ?? [];
    const group = sim.seed({ groups: [{ name: "Bench Group", members: ids.slice(0, args.members) }] }).groups[0]!.id;
    const newcomers = ids.slice(args.members);

    child = fork(fileURLToPath(import.meta.url), ["--serve"], {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      env: {
        ...process.env,
        ZOOM_ACCOUNT_ID: sim.accountId,
        ZOOM_CLIENT_ID: sim.clientId,
        ZOOM_CLIENT_SECRET: sim.clientSecret,
        ZOOM_API_URL: sim.apiUrl,
        ZOOM_OAUTH_URL: sim.oauthUrl,
        ZOOM_PLAN: "business",
        SCIM_BEARER_TOKEN: TOKEN,
        ZOOM_SCIM_DB: join(storeDir, "store.sqlite"),
        HOST: "127.0.0.1",
        PORT: "0",
        LOG_LEVEL: "silent",
        BENCH_ZOOM_RATE_LIMIT: args.rateLimit ? "1" : "0",
      },
    });
    const { url } = (await next(child, "ready")) as { url: string };
    const started = await stats(child);

    const patch = async (name: string, operations: unknown[]): Promise<string> => {
      const before = await stats(child!);
      const mark = (await callsSince(sim.baseUrl, 0)).at(-1)?.seq ?? 0;
      const t0 = performance.now();
      const response = await fetch(`${url}/scim/v2/Groups/${group}`, {
        method: "PATCH",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/scim+json" },
        body: JSON.stringify({ schemas: [PATCH_OP], Operations: operations }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const wallMs = performance.now() - t0;
      if (response.status !== 204) throw new Error(`${name}: ${response.status} ${await response.text()}`);
      const after = await stats(child!);
      const calls = await callsSince(sim.baseUrl, mark);
      return `${name.padEnd(34)} ${String(calls.length).padStart(5)} Zoom calls  ${(wallMs / 1000).toFixed(2).padStart(6)} s wall  ${(after.cpuMs - before.cpuMs).toFixed(0).padStart(5)} ms server CPU\n    ${byOperation(calls)}`;
    };

    const members = async (): Promise<number> => {
      const state = (await (await fetch(`${sim.baseUrl}/_sim/groups/${group}`)).json()) as { member_ids: string[] };
      return state.member_ids.length;
    };

    const lines: string[] = [];
    const value = newcomers.map((id) => ({ value: id }));
    lines.push(await patch(`add ${args.change} (one PATCH, cold caches)`, [{ op: "add", path: "members", value }]));
    if ((await members()) !== args.members + args.change) throw new Error("the add did not reach Zoom");
    lines.push(await patch(`remove ${args.change} (one PATCH)`, [{ op: "remove", path: "members", value }]));
    if ((await members()) !== args.members) throw new Error("the remove did not reach Zoom");
    lines.push(await patch(`add ${args.change} again (warm snapshot)`, [{ op: "add", path: "members", value }]));
    lines.push(await patch(`re-add the same ${args.change} (no-op)`, [{ op: "add", path: "members", value }]));
    const end = await stats(child);

    console.log(`zoom-scim /Groups benchmark: a ${args.members}-member group, ${args.change} members added and removed`);
    console.log(
      `Zoom client rate limiter: ${args.rateLimit ? "on (Business plan limits)" : "off (zoom-scim's own cost)"}; simulator in-process, zoom-scim in a child process\n`,
    );
    for (const line of lines) console.log(line);
    console.log(
      `\nzoom-scim memory: RSS ${mib(started.rssBytes)} after start, ${mib(end.rssBytes)} at the end; peak RSS ${mib(end.maxRssBytes)}; heap used ${mib(end.heapUsedBytes)}`,
    );
  } finally {
    if (child?.connected) {
      const exited = new Promise((resolve) => child?.once("exit", resolve));
      child.send({ type: "stop" });
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    }
    child?.kill();
    await sim.close();
    rmSync(storeDir, { recursive: true, force: true });
  }
}

if (process.argv.includes("--serve")) await serve();
else await main();
