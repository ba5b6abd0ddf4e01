// Benchmark of zoom-scim at a large account (issue 12): the Okta import walk, a page at the end, writes with and
// without a loaded snapshot, a filter over every user (event-loop delay, RSS), a filter Zoom cannot answer from a
// list, and the GET /Users/{id} hot path. Each figure is printed beside its target and a reference measured in the
// same run (the simulator answering directly, or the same request in the easy case).
//   npx tsx bench/scale.ts [--users 100000] [--walk-seconds 30] [--get-seconds 3] [--only-get] [--tsx] [--dist DIR]
// It builds dist/ first and runs the server from it with plain node, as production does (--tsx: from the sources). For a before/after, build the previous
// code elsewhere (e.g. `git worktree add /tmp/old <rev> && cd /tmp/old && npx tsc -p tsconfig.build.json --outDir
// <this repo>/dist/.old`) and pass --dist with that folder. BENCH_CPU_PROF=dir writes the server's CPU profile there.
// The simulator and the server each run in a child process (pinned to CPUs 0 and 1 with taskset when available), the
// load generator here; the server reports its own CPU time, RSS and event-loop delay (perf_hooks) over IPC.
// Nothing here asserts a time.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { Agent, request } from "node:http";
import { fileURLToPath } from "node:url";
import type { ServerStats } from "./scim-server.js";

const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number`);
  return value;
};
const USERS = Math.min(arg("users", 100_000), 300_000);
const WALK_SECONDS = Math.min(arg("walk-seconds", 30), 120);
const GET_SECONDS = Math.min(arg("get-seconds", 3), 20);
/** --only-get: just the hot path (for profiling it with BENCH_CPU_PROF). */
const ONLY_GET = process.argv.includes("--only-get");
/** --tsx: run the server from the sources (tsx) instead of the compiled build in dist/ (built first). */
const TSX = process.argv.includes("--tsx");
/** --dist DIR: a build made elsewhere (e.g. of the previous code, for a before/after), used as is. */
const GIVEN_DIST = process.argv.includes("--dist") ? process.argv[process.argv.indexOf("--dist") + 1] : undefined;
const DIST = GIVEN_DIST ?? fileURLToPath(new URL("../dist", import.meta.url));
const TOKEN = "bench-token-0123456789abcdef";
const pinnable = spawnSync("taskset", ["-c", "0", "true"]).status === 0;

function spawnNode(script: string, args: string[], cpu: number, env: NodeJS.ProcessEnv, ipc: boolean): ChildProcess {
  const typescript = script.endsWith(".ts");
  const file = typescript ? fileURLToPath(new URL(script, import.meta.url)) : script;
  // BENCH_CPU_PROF=dir: the server child writes a V8 CPU profile there (node --cpu-prof) when it stops.
  const profile = ipc && process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const command = [...profile, "--expose-gc", ...(typescript ? ["--import", "tsx"] : []), file, ...args];
  const stdio: ("ignore" | "pipe" | "inherit" | "ipc")[] = ["ignore", "pipe", "inherit", ...(ipc ? (["ipc"] as const) : [])];
  return pinnable
    ? spawn("taskset", ["-c", String(cpu), process.execPath, ...command], { stdio, env })
    : spawn(process.execPath, command, { stdio, env });
}

/**
 * The server child as production runs it (node on the compiled build): scim-server.ts transpiled to plain JS, so that
 * tsx's module loader (a thread of its own, about 45 MiB) is neither in its RSS nor in its CPU time. With --tsx, as is.
 */
function serverScript(): string {
  if (TSX) return "./scim-server.ts";
  const source = readFileSync(fileURLToPath(new URL("./scim-server.ts", import.meta.url)), "utf8");
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  const file = join(mkdtempSync(join(tmpdir(), "zoom-scim-bench-server-")), "scim-server.mjs");
  writeFileSync(file, outputText);
  return file;
}

async function startSimulator(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawnNode(
    "./simulator-server.ts",
    ["--port", "0", "--no-rate-limits", "--call-log-limit", "200000"],
    0,
    process.env,
    false,
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`simulator exited with ${code}: ${out}`)));
  });
  return { child, url };
}

/** The zoom-scim child, and a way to ask it for its figures. */
async function startScim(simUrl: string): Promise<{ child: ChildProcess; url: string; ask(command: string): Promise<ServerStats> }> {
  const env = {
    ...process.env,
    ZOOM_ACCOUNT_ID: "sim-account-0001",
    ZOOM_CLIENT_ID: "sim-client-id",
    ZOOM_CLIENT_SECRET: "sim-client-secret",
    ZOOM_API_URL: `${simUrl}/v2`,
    ZOOM_OAUTH_URL: `${simUrl}/oauth/token`,
    SCIM_BEARER_TOKEN: TOKEN,
    ...(TSX ? {} : { BENCH_DIST: DIST }),
  };
  const child = spawnNode(serverScript(), [], 1, env, true);
  child.stdout?.resume();
  let next = 0;
  const waiting = new Map<number, (stats: ServerStats) => void>();
  const url = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => console.error(`zoom-scim exited with ${code}`));
    child.on("message", (message: { ready?: boolean; url?: string; id?: number; stats?: ServerStats }) => {
      if (message.ready && message.url) resolve(message.url);
      if (message.id !== undefined) waiting.get(message.id)?.(message.stats as ServerStats);
    });
    child.once("exit", (code) => reject(new Error(`zoom-scim exited with ${code}`)));
  });
  const ask = (command: string): Promise<ServerStats> =>
    new Promise((resolve) => {
      const id = next++;
      waiting.set(id, resolve);
      child.send({ id, command });
    });
  return { child, url, ask };
}

/** CPU time of another process in ms, from /proc (the simulator's, for the reference figures). */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

// Idle sockets are dropped before the server's keep-alive timeout (5 s) could close one under a request.
const agent = new Agent({ keepAlive: true, maxSockets: 64, timeout: 3000 });
function call(url: string, method = "GET", body?: unknown, token = TOKEN): Promise<{ status: number; text: string; ms: number }> {
  const target = new URL(url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method,
        headers: { authorization: `Bearer ${token}`, ...(payload ? { "content-type": "application/scim+json" } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString(), ms: performance.now() - t0 }));
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const pct = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
};
const rows: string[][] = [];
const row = (measure: string, figure: string, target: string, reference: string): void =>
  void rows.push([measure, figure, target, reference]);

/** Closed-loop load for `seconds`: latencies and count. */
async function load(
  seconds: number,
  concurrency: number,
  next: () => string,
  token: string,
): Promise<{ latencies: number[]; rate: number }> {
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) latencies.push((await call(next(), "GET", undefined, token)).ms);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latencies, rate: latencies.length / ((performance.now() - started) / 1000) };
}

/** An access token of the simulator's, for the reference requests made to it directly. */
function simToken(simUrl: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const basic = Buffer.from("sim-client-id:sim-client-secret").toString("base64");
    const req = request(
      `${simUrl}/oauth/token`,
      { method: "POST", headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" } },
      (res) => {
        let text = "";
        res.on("data", (c: Buffer) => (text += c.toString()));
        res.on("end", () => resolve((JSON.parse(text) as { access_token: string }).access_token));
      },
    );
    req.on("error", reject);
    req.end("grant_type=account_credentials&account_id=sim-account-0001");
  });
}

type Sim = Awaited<ReturnType<typeof startSimulator>>;
type Scim = Awaited<ReturnType<typeof startScim>>;

async function main(): Promise<void> {
  if (!TSX && !GIVEN_DIST) {
    const built = spawnSync(
      process.execPath,
      [fileURLToPath(new URL("../node_modules/typescript/bin/tsc", import.meta.url)), "-p", "tsconfig.build.json"],
      {
        cwd: fileURLToPath(new URL("..", import.meta.url)),
        stdio: "inherit",
      },
    );
    if (built.status !== 0) throw new Error("the build failed");
  }
  const sim = await startSimulator();

  const seeded = JSON.parse(
    (
      await call(`${sim.url}/_sim/seed`, "POST", {
        generate: { count: USERS, status: "active", domain: "scale.example.com", returnIds: true },
      })
    ).text,
  ) as { generated: { ids: string[] } };
  const ids = seeded.generated.ids;
  const scim = await startScim(sim.url);
  const base = `${scim.url}/scim/v2`;
  try {
    console.log(`zoom-scim at ${USERS} users; simulator and server ${pinnable ? "pinned to CPUs 0 and 1" : "not pinned"}`);

    const token = await simToken(sim.url);
    if (!ONLY_GET) await scenarios(sim, scim, base, ids, token);
    await hotPath(sim, scim, base, ids, token);
  } finally {
    await scim.ask("stop").catch(() => undefined);
    sim.child.kill("SIGTERM");
    agent.destroy();
  }
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]?.length ?? 0), 8));
  const line = (r: string[]): string => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(" | ");
  console.log(line(["measure", "zoom-scim", "target", "reference (same run)"]));
  console.log(widths.map((w) => "-".repeat(w)).join("-|-"));
  for (const r of rows) console.log(line(r));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

/** The walk, a page at the end, writes with and without a snapshot, filters. */
async function scenarios(sim: Sim, scim: Scim, base: string, ids: string[], token: string): Promise<void> {
  const simCalls = async (since: number): Promise<{ seq: number; count: number; perUser: number }> => {
    const log = JSON.parse((await call(`${sim.url}/_sim/calls?since=${since}`)).text) as {
      calls: { seq: number; category: string; path: string }[];
    };
    const api = log.calls.filter((c) => c.category !== "oauth");
    // GET /v2/users/{id}: a user read one by one (the lists are /v2/users).
    const perUser = api.filter((c) => c.path.startsWith("/v2/users/")).length;
    return { seq: log.calls.at(-1)?.seq ?? since, count: api.length, perUser };
  };
  // Writes before any list: no snapshot is loaded.
  const writes = async (label: string): Promise<Record<string, number>> => {
    const times: Record<string, number[]> = { POST: [], PATCH: [], DELETE: [] };
    for (let i = 0; i < 15; i++) {
      const email = `${label}-${i}@writes.example.com`;
      const created = await call(`${base}/Users`, "POST", {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
        userName: email,
        name: { givenName: "W", familyName: `${label}${i}` },
      });
      times.POST?.push(created.ms);
      const id = (JSON.parse(created.text) as { id: string }).id;
      const patch = {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [{ op: "replace", path: "name.familyName", value: `P${i}` }],
      };
      times.PATCH?.push((await call(`${base}/Users/${id}`, "PATCH", patch)).ms);
      times.DELETE?.push((await call(`${base}/Users/${id}`, "DELETE")).ms);
    }
    return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
  };
  await writes("warm");
  const cold = await writes("cold");

  // The Okta import: pages of 100 from startIndex 1 until totalResults, one after another.
  await scim.ask("reset");
  let mark = (await simCalls(0)).seq;
  const cpuBefore = (await scim.ask("stats")).cpuMs;
  const walkStart = performance.now();
  let total = Infinity;
  let pages = 0;
  let seen = 0;
  let start = 1;
  for (; start <= total && performance.now() - walkStart < WALK_SECONDS * 1000; start += 100) {
    const page = JSON.parse((await call(`${base}/Users?startIndex=${start}&count=100`)).text) as {
      totalResults: number;
      Resources: unknown[];
    };
    total = page.totalResults;
    seen += page.Resources.length;
    pages += 1;
  }
  const walkMs = performance.now() - walkStart;
  const walkStats = await scim.ask("stats");
  const walkCalls = (await simCalls(mark)).count;
  const complete = start > total;
  const walkServerMs = walkStats.cpuMs - cpuBefore;
  const scaled = complete
    ? ""
    : ` (cut at ${WALK_SECONDS} s: ${pages} pages, ${seen} users; whole walk ≈ ${((walkMs * total) / seen / 1000).toFixed(0)} s)`;
  // Reference: Zoom's own list of the same users at its largest page (what one snapshot scan costs).
  const simStart = performance.now();
  const simCpu0 = cpuMsOf(sim.child.pid as number);

  let nextToken = "";
  do {
    const page = JSON.parse(
      (
        await call(
          `${sim.url}/v2/users?status=active&page_size=2000${nextToken ? `&next_page_token=${nextToken}` : ""}`,
          "GET",
          undefined,
          token,
        )
      ).text,
    ) as {
      next_page_token?: string;
    };
    nextToken = page.next_page_token ?? "";
  } while (nextToken);
  const simListMs = performance.now() - simStart;
  const simListCpu = cpuMsOf(sim.child.pid as number) - simCpu0;
  row(
    "Okta walk, pages of 100: wall time",
    `${(walkMs / 1000).toFixed(2)} s${scaled}`,
    "≤ 5 s server time",
    `Zoom lists them all in ${(simListMs / 1000).toFixed(2)} s`,
  );
  row(
    "Okta walk: server CPU",
    `${(walkServerMs / 1000).toFixed(2)} s`,
    "≤ 5 s",
    `simulator CPU for its list ${(simListCpu / 1000).toFixed(2)} s`,
  );
  row(
    "Okta walk: Zoom calls",
    `${walkCalls}${complete ? "" : " so far"}`,
    `≤ ${Math.ceil(ids.length / 2000) + 4}`,
    `one scan: ${Math.ceil(ids.length / 2000)} list pages (+ pending)`,
  );
  row(
    "Okta walk: longest event-loop block",
    `${walkStats.maxDelayMs.toFixed(0)} ms`,
    "≤ 50 ms",
    `longest GC pause: ${walkStats.maxGcMs.toFixed(0)} ms`,
  );

  // One page at the end of the list beside one at the start, warm.
  const end = Math.max(1, ids.length - 99);
  const at = async (startIndex: number): Promise<number> => {
    const times: number[] = [];
    for (let i = 0; i < 15; i++) times.push((await call(`${base}/Users?startIndex=${startIndex}&count=100`)).ms);
    return median(times);
  };
  const first = await at(1);
  const last = await at(end);
  row(
    `one page at startIndex=${end}, warm (p50)`,
    `${last.toFixed(1)} ms`,
    "O(page): as the first page",
    `startIndex=1: ${first.toFixed(1)} ms`,
  );

  const warm = await writes("loaded");
  for (const verb of ["POST", "PATCH", "DELETE"])
    row(
      `${verb} p50 with a ${USERS}-user snapshot loaded`,
      `${warm[verb]?.toFixed(1)} ms`,
      "as without",
      `without a snapshot: ${cold[verb]?.toFixed(1)} ms`,
    );

  // A filter over every user, the event loop watched meanwhile (and /healthz from outside).
  await scim.ask("gc");
  await scim.ask("reset");
  let probing = true;
  const health: number[] = [];
  const probe = (async () => {
    while (probing) {
      health.push((await call(`${scim.url}/healthz`)).ms);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  const filtered = await call(`${base}/Users?filter=${encodeURIComponent('name.familyName ew "7"')}&count=100`);
  const filteredAgain = await call(`${base}/Users?filter=${encodeURIComponent('name.familyName ew "7"')}&count=100`);
  probing = false;
  await probe;
  const filterStats = await scim.ask("stats");
  const matched = (JSON.parse(filtered.text) as { totalResults?: number }).totalResults;
  row(
    `filter name.familyName ew "7" (${matched} match), warm`,
    `${filteredAgain.ms.toFixed(0)} ms`,
    "",
    `first: ${filtered.ms.toFixed(0)} ms`,
  );
  row(
    "filter: longest event-loop block",
    `${filterStats.maxDelayMs.toFixed(0)} ms`,
    "≤ 50 ms",
    `/healthz slowest ${Math.max(...health).toFixed(0)} ms meanwhile`,
  );
  const simInfo = JSON.parse((await call(`${sim.url}/_sim`)).text) as { rssBytes: number };
  row(
    "RSS, snapshot loaded and a filter served",
    `${(filterStats.rssBytes / 1048576).toFixed(0)} MiB (heap ${(filterStats.heapUsedBytes / 1048576).toFixed(0)})`,
    "≤ 256 MiB",
    `simulator holding the users: ${(simInfo.rssBytes / 1048576).toFixed(0)} MiB`,
  );

  // Filters Zoom's list cannot answer (title is only in a user's details).
  for (const filter of ["title pr", 'title eq "Rep" and userName sw "user1"']) {
    mark = (await simCalls(0)).seq;
    const answer = await call(`${base}/Users?filter=${encodeURIComponent(filter)}`);
    const { count: calls, perUser } = await simCalls(mark);
    const candidates = filter === "title pr" ? ids.length : ids.length / 9;
    row(
      `filter ${filter}`,
      `${answer.status}, ${perUser} per-user Zoom calls (${calls} in all), ${answer.ms.toFixed(0)} ms`,
      "no Zoom call per user",
      `one get per candidate: ≈ ${Math.round(candidates)} calls`,
    );
  }
}

/** GET /Users/{id} on one connection, then 50, beside the simulator's GET of the same users. */
async function hotPath(sim: Sim, scim: Scim, base: string, ids: string[], token: string): Promise<void> {
  // The hot path: GET /Users/{id} on one connection, then 50, beside the simulator's GET of the same users.
  let rnd = 12345;
  const nextId = (): string => {
    rnd = (Math.imul(rnd, 1103515245) + 12345) & 0x7fffffff;
    return ids[rnd % ids.length] as string;
  };
  await load(1, 8, () => `${base}/Users/${nextId()}`, TOKEN);
  const simOne = await load(GET_SECONDS, 1, () => `${sim.url}/v2/users/${nextId()}`, token);
  const one = await load(GET_SECONDS, 1, () => `${base}/Users/${nextId()}`, TOKEN);
  row(
    "GET /Users/{id}, 1 connection, p50",
    `${pct(one.latencies, 0.5).toFixed(2)} ms`,
    "≤ simulator + 0.5 ms",
    `simulator: ${pct(simOne.latencies, 0.5).toFixed(2)} ms`,
  );
  const simCpu1 = cpuMsOf(sim.child.pid as number);
  const simMany = await load(GET_SECONDS, 50, () => `${sim.url}/v2/users/${nextId()}`, token);
  const simCpuPer = (cpuMsOf(sim.child.pid as number) - simCpu1) / simMany.latencies.length;
  const before = await scim.ask("stats");
  const many = await load(GET_SECONDS, 50, () => `${base}/Users/${nextId()}`, TOKEN);
  const after = await scim.ask("stats");
  const cpuPer = (after.cpuMs - before.cpuMs) / many.latencies.length;
  const gcPer = (after.gcMs - before.gcMs) / many.latencies.length;
  row(
    "GET /Users/{id}, 50 connections",
    `${many.rate.toFixed(0)} /s, p50 ${pct(many.latencies, 0.5).toFixed(1)} ms`,
    "≥ 3,000 /s",
    `simulator: ${simMany.rate.toFixed(0)} /s, p50 ${pct(simMany.latencies, 0.5).toFixed(1)} ms`,
  );
  row(
    "GET /Users/{id}: server CPU per request",
    `${cpuPer.toFixed(3)} ms (GC ${gcPer.toFixed(3)})`,
    "≤ 0.4 ms",
    `simulator: ${simCpuPer.toFixed(3)} ms`,
  );
}
