// Benchmark of the Zoom simulator: it must not be the bottleneck of our own benchmarks.
//   npx tsx bench/simulator.ts [--users 100000] [--seconds 3] [--concurrency 32]
// Starts the standalone simulator in a child process (pinned to one CPU with taskset when
// available), seeds N users, then measures get-user and list-users (page_size 2000) with
// concurrent keep-alive requests over loopback, for a bounded time and count each.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { Agent, request } from "node:http";
import { fileURLToPath } from "node:url";

interface Args {
  users: number;
  seconds: number;
  concurrency: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { users: 100_000, seconds: 3, concurrency: 32 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]?.replace(/^--/, "") as keyof Args;
    const value = Number(argv[i + 1]);
    if (!(key in args) || !Number.isFinite(value) || value <= 0) throw new Error(`bad argument ${argv[i]} ${argv[i + 1]}`);
    args[key] = value;
  }
  args.seconds = Math.min(args.seconds, 30);
  args.users = Math.min(args.users, 1_000_000);
  args.concurrency = Math.min(args.concurrency, 256);
  return args;
}

const MAX_REQUESTS_PER_SCENARIO = 2_000_000;

function startChild(): Promise<{ child: ChildProcess; baseUrl: string; pinned: boolean }> {
  const server = fileURLToPath(new URL("./simulator-server.ts", import.meta.url));
  const nodeArgs = ["--import", "tsx", server, "--port", "0", "--no-rate-limits", "--call-log-limit", "1000"];
  const pinned = spawnSync("taskset", ["-c", "0", "true"]).status === 0;
  const child = pinned
    ? spawn("taskset", ["-c", "0", process.execPath, ...nodeArgs], { stdio: ["ignore", "pipe", "inherit"] })
    : spawn(process.execPath, nodeArgs, { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`simulator did not start: ${out}`)), 20_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ child, baseUrl: match[1], pinned });
      }
    });
    child.once("exit", (code) => reject(new Error(`simulator exited with ${code}: ${out}`)));
  });
}

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`${init?.method ?? "GET"} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

interface Result {
  name: string;
  requests: number;
  errors: number;
  seconds: number;
  p50: number;
  p99: number;
  bytes: number;
}

/** Closed-loop load: `concurrency` workers, each sending its next request when the last one answers. */
async function load(
  name: string,
  args: Args,
  agent: Agent,
  base: URL,
  token: string,
  nextPath: (worker: number, last: string) => string,
): Promise<Result> {
  const latencies = new Float64Array(MAX_REQUESTS_PER_SCENARIO);
  let count = 0;
  let errors = 0;
  let bytes = 0;
  const started = performance.now();
  const deadline = started + args.seconds * 1000;
  const one = (path: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const t0 = performance.now();
      const req = request({ agent, host: base.hostname, port: base.port, path, headers: { authorization: `Bearer ${token}` } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          if (count < MAX_REQUESTS_PER_SCENARIO) latencies[count] = performance.now() - t0;
          count += 1;
          if (res.statusCode !== 200) errors += 1;
          const body = Buffer.concat(chunks);
          bytes += body.length;
          resolve(body.toString());
        });
      });
      req.on("error", reject);
      req.end();
    });
  const worker = async (w: number): Promise<void> => {
    let last = "";
    while (performance.now() < deadline && count < MAX_REQUESTS_PER_SCENARIO) last = await one(nextPath(w, last));
  };
  await Promise.all(Array.from({ length: args.concurrency }, (_, w) => worker(w)));
  const seconds = (performance.now() - started) / 1000;
  const sorted = latencies.slice(0, Math.min(count, MAX_REQUESTS_PER_SCENARIO)).sort();
  const pct = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
  return { name, requests: count, errors, seconds, p50: pct(0.5), p99: pct(0.99), bytes };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const { child, baseUrl, pinned } = await startChild();
  try {
    const seedStart = performance.now();
    const seeded = await json<{ generated: { ids: string[] } }>(`${baseUrl}/_sim/seed`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ generate: { count: args.users, returnIds: true } }),
    });
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const ids = seeded.generated.ids;
    const tokenBody = await json<{ access_token: string }>(`${baseUrl}/oauth/token`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from("sim-client-id:sim-client-secret").toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "grant_type=account_credentials&account_id=sim-account-0001",
    });
    const token = tokenBody.access_token;
    const agent = new Agent({ keepAlive: true, maxSockets: args.concurrency });
    const base = new URL(baseUrl);
    let rnd = 12345;
    const nextIndex = (): number => {
      rnd = (Math.imul(rnd, 1103515245) + 12345) & 0x7fffffff;
      return rnd % ids.length;
    };
    const nextId = (): string => ids[nextIndex()] as string;
    // Warm-up (JIT) before measuring.
    await load("warm-up", { ...args, seconds: 0.5 }, agent, base, token, () => `/v2/users/${nextId()}`);
    const results: Result[] = [];
    results.push(await load("get user by id", args, agent, base, token, () => `/v2/users/${nextId()}`));
    results.push(await load("get user by email", args, agent, base, token, () => `/v2/users/user${nextIndex() + 1}@example.com`));
    const listConcurrency = Math.min(args.concurrency, 8);
    results.push(
      await load(
        "list users, page_size 2000 (walking pages)",
        { ...args, concurrency: listConcurrency },
        agent,
        base,
        token,
        (_w, last) => {
          const next = last ? (JSON.parse(last) as { next_page_token?: string }).next_page_token : "";
          return `/v2/users?status=active&page_size=2000${next ? `&next_page_token=${next}` : ""}`;
        },
      ),
    );
    const info = await json<{ rssBytes: number; heapUsedBytes: number; users: number }>(`${baseUrl}/_sim`);
    agent.destroy();

    console.log(
      `Zoom simulator benchmark: ${info.users} users in memory, simulator ${pinned ? "pinned to CPU 0 (taskset)" : "not pinned"}, load generator in this process`,
    );
    console.log(
      `seeded ${args.users} users in ${seedSeconds.toFixed(2)} s; simulator RSS ${(info.rssBytes / 1048576).toFixed(0)} MiB, heap used ${(info.heapUsedBytes / 1048576).toFixed(0)} MiB`,
    );
    console.log("scenario                                       | conc | requests |  req/s  | p50 ms | p99 ms | errors | MB/s");
    for (const r of results) {
      const conc = r.name.startsWith("list") ? listConcurrency : args.concurrency;
      console.log(
        `${r.name.padEnd(46)} | ${String(conc).padStart(4)} | ${String(r.requests).padStart(8)} | ${(r.requests / r.seconds).toFixed(0).padStart(7)} | ${r.p50.toFixed(2).padStart(6)} | ${r.p99.toFixed(2).padStart(6)} | ${String(r.errors).padStart(6)} | ${(r.bytes / r.seconds / 1048576).toFixed(1)}`,
      );
    }
  } finally {
    child.kill("SIGTERM");
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
