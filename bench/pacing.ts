// Benchmark of the rate limiter's pacing against the simulator (a child process, Business plan, rate limits on):
// Zoom GET /users/{id} calls (light: 80 a second on Business) arriving at random (Poisson), sent through
//   - burst 150 ms   this code: GCRA with a 150 ms burst over the process's own budget, a start log, the queue bound
//   - burst of one   the same limiter over an injected budget (the pacing every replica sharing a store gets)
//   - window 1100 ms the limiter before GCRA (at most 80 starts in any 1.1 s; reproduced here as the reference)
//   - direct         no limiter at all: what the simulator answers when called as fast as calls come
// Each load runs twice: in virtual time (the pacing logic alone, deterministic, no event loop in the way) and live
// against the simulator (on a busy machine the event loop's lateness adds to every gate's wait but "direct").
// Two loads: 70 % of the ceiling (the added wait: target p99 ≤ 50 ms) and 2.5 times it from four clients, one
// of them sending half the calls (nobody waits past the bound, each client gets the same share of what it asked and
// the same waits, the queue is first come first served, Zoom never answers 429).
//   npx tsx bench/pacing.ts [--seconds 4]
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createZoomClient, type ZoomClient } from "../src/zoom/index.js";
import { ZoomApiError } from "../src/zoom/errors.js";
import {
  LocalRateBudget,
  PLAN_RATE_LIMITS,
  RateLimiter,
  RateQueueFullError,
  DEFAULT_MAX_QUEUE_WAIT_MS,
  type Clock,
} from "../src/zoom/rate-limiter.js";
import { sleep } from "../src/zoom/retry.js";
import { maxPerClockSecond, maxPerSecond } from "../test/helpers/replicas.js";

const CEILING = PLAN_RATE_LIMITS.business.light;
const CLIENTS = 4;

function parseSeconds(argv: string[]): number {
  const at = argv.indexOf("--seconds");
  const seconds = at === -1 ? 4 : Number(argv[at + 1]);
  if (!(seconds > 0 && seconds <= 30)) throw new Error("--seconds takes 1 to 30");
  return seconds;
}

/** The limiter before GCRA: at most `limit` starts in any 1100 ms, each granted the earliest time that keeps it. */
class WindowLimiter {
  private readonly starts: number[] = [];
  constructor(
    private readonly limit: number,
    private readonly clock: Clock,
    private readonly windowMs = 1100,
  ) {}
  async acquire(): Promise<number> {
    const started = this.clock.now();
    let at = started;
    if (this.starts.length >= this.limit) at = Math.max(at, (this.starts[this.starts.length - this.limit] ?? 0) + this.windowMs);
    const last = this.starts.at(-1);
    if (last !== undefined && at < last) at = last;
    this.starts.push(at);
    if (this.starts.length > this.limit) this.starts.splice(0, this.starts.length - this.limit);
    if (at > this.clock.now()) await this.clock.sleep(at - this.clock.now());
    return this.clock.now() - started;
  }
}

interface Gate {
  name: string;
  /** Waits for a slot; answers the wait (ms), or throws RateQueueFullError. */
  acquire(): Promise<number>;
}

/** Virtual time: sleeps are timers; run() moves the clock from one to the next once nothing else can happen. */
class VirtualClock implements Clock {
  private current = 0;
  private seq = 0;
  private readonly timers: { at: number; seq: number; wake: () => void }[] = [];
  now(): number {
    return this.current;
  }
  sleep(ms: number): Promise<void> {
    return new Promise((wake) => this.timers.push({ at: this.current + Math.max(0, ms), seq: this.seq++, wake }));
  }
  async run(): Promise<void> {
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift();
      if (!next) return;
      this.current = Math.max(this.current, next.at);
      next.wake();
    }
  }
}

const wallClock: Clock = { now: () => Date.now(), sleep };

function gates(clock: Clock): Gate[] {
  const own = new RateLimiter("business", { clock });
  const shared = new RateLimiter("business", { clock, budget: new LocalRateBudget() });
  const window = new WindowLimiter(CEILING, clock);
  return [
    { name: "burst 150 ms", acquire: () => own.acquire("light") },
    { name: "burst of one", acquire: () => shared.acquire("light") },
    { name: "window 1100 ms", acquire: () => window.acquire() },
    { name: "direct", acquire: () => Promise.resolve(0) },
  ];
}

function startSimulator(): Promise<{ child: ChildProcess; baseUrl: string }> {
  const server = fileURLToPath(new URL("./simulator-server.ts", import.meta.url));
  const args = ["--import", "tsx", server, "--port", "0", "--plan", "business", "--generate-users", "1", "--call-log-limit", "20000"];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`simulator did not start: ${out}`)), 20_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ child, baseUrl: match[1] });
      }
    });
    child.once("exit", (code) => reject(new Error(`simulator exited with ${code}: ${out}`)));
  });
}

/** Poisson arrival times (ms from the start) at `perSecond` for `seconds`, from a fixed seed: every gate gets the same. */
function arrivals(perSecond: number, seconds: number, seed: number): number[] {
  let state = seed;
  const random = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const times: number[] = [];
  for (let t = 0; ;) {
    t += (-Math.log(1 - random()) * 1000) / perSecond;
    if (t >= seconds * 1000) return times;
    times.push(t);
  }
}

interface Outcome {
  waits: number[];
  /** Per client: calls served, calls asked, waits. */
  served: number[];
  asked: number[];
  clientWaits: number[][];
  refusedHere: number;
  zoom429: number;
  /** Pairs served out of arrival order (a later arrival started before an earlier one). */
  inversions: number;
  maxPerSecond: number;
  maxPerClockSecond: number;
}

/** The calls through one gate, live (each sent to the simulator) or in virtual time (none sent). */
async function run(gate: Gate, times: number[], live: { zoom: ZoomClient; baseUrl: string } | { clock: VirtualClock }): Promise<Outcome> {
  const clock: Clock = "clock" in live ? live.clock : wallClock;
  const since = "baseUrl" in live ? await lastSeq(live.baseUrl) : 0;
  const startTimes: number[] = [];
  const waits: number[] = [];
  const served = Array<number>(CLIENTS).fill(0);
  const asked = Array<number>(CLIENTS).fill(0);
  const clientWaits: number[][] = Array.from({ length: CLIENTS }, () => []);
  // Client 0 sends every other call; clients 1 to 3 share the rest.
  const clientOf = (i: number): number => (i % 2 === 0 ? 0 : 1 + (((i - 1) / 2) % (CLIENTS - 1)));
  const startOrder: number[] = [];
  let refusedHere = 0;
  let zoom429 = 0;
  const begin = clock.now();
  const calls = Promise.all(
    times.map(async (at, i) => {
      await clock.sleep(begin + at - clock.now());
      const client = clientOf(i);
      asked[client] = (asked[client] ?? 0) + 1;
      try {
        const wait = await gate.acquire();
        waits.push(wait);
        clientWaits[client]?.push(wait);
      } catch (error) {
        if (!(error instanceof RateQueueFullError)) throw error;
        refusedHere += 1;
        return;
      }
      startOrder.push(i);
      startTimes.push(clock.now());
      if (!("zoom" in live)) {
        served[client] = (served[client] ?? 0) + 1;
        return;
      }
      try {
        await live.zoom.getUser("user1@example.com");
        served[client] = (served[client] ?? 0) + 1;
      } catch (error) {
        if (!(error instanceof ZoomApiError && error.status === 429)) throw error;
        zoom429 += 1;
      }
    }),
  );
  if ("clock" in live) await live.clock.run();
  await calls;
  let inversions = 0;
  for (let k = 1, highest = -1; k < startOrder.length; k++) {
    highest = Math.max(highest, startOrder[k - 1] ?? -1);
    if ((startOrder[k] ?? 0) < highest) inversions += 1;
  }
  let at = startTimes;
  if ("baseUrl" in live) {
    const log = (await (await fetch(`${live.baseUrl}/_sim/calls?since=${since}`)).json()) as { calls: { category: string; at: string }[] };
    at = log.calls.filter((c) => c.category === "light").map((c) => Date.parse(c.at));
    // Let the next run start with an empty window.
    await sleep(1500);
  }
  return {
    waits,
    served,
    asked,
    clientWaits,
    refusedHere,
    zoom429,
    inversions,
    maxPerSecond: maxPerSecond(at),
    maxPerClockSecond: maxPerClockSecond(at),
  };
}

async function lastSeq(baseUrl: string): Promise<number> {
  const log = (await (await fetch(`${baseUrl}/_sim/calls`)).json()) as { calls: { seq: number }[] };
  return log.calls.at(-1)?.seq ?? 0;
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/** Jain's index of the clients' throughput: 1 when they got the same, 1/n when one got everything. */
function jain(values: number[]): number {
  const sum = values.reduce((a, b) => a + b, 0);
  const squares = values.reduce((a, b) => a + b * b, 0);
  return squares === 0 ? 1 : (sum * sum) / (values.length * squares);
}

const seconds = parseSeconds(process.argv.slice(2));
const { child, baseUrl } = await startSimulator();
try {
  const zoom = createZoomClient({
    apiUrl: `${baseUrl}/v2`,
    oauthUrl: `${baseUrl}/oauth/token`,
    accountId: "sim-account-0001",
    clientId: "sim-client-id",
    clientSecret: "sim-client-secret",
    plan: "business",
    rateLimit: false,
    maxRetries: 0,
  });
  await zoom.getUser("user1@example.com");
  await sleep(1500);
  const loads = [
    { name: "70 % of the ceiling", perSecond: 0.7 * CEILING, seed: 7 },
    { name: "2.5 times the ceiling, 4 clients (one sends half)", perSecond: 2.5 * CEILING, seed: 11 },
  ];
  console.log(
    `Business light calls (ceiling ${CEILING}/s), Poisson arrivals for ${seconds} s; queue bound ${DEFAULT_MAX_QUEUE_WAIT_MS} ms (burst 150 ms only)\n`,
  );
  const header =
    "gate            | calls | p50 wait | p99 wait | max wait | refused here | Zoom 429 | max/s sliding | max/s clock | FIFO inversions | fairness | client p50 waits";
  for (const load of loads) {
    const times = arrivals(load.perSecond, seconds, load.seed);
    for (const mode of ["virtual time", "live"] as const) {
      console.log(`${load.name}, ${mode}: ${times.length} calls (${load.perSecond.toFixed(0)}/s)\n${header}`);
      const clock = new VirtualClock();
      for (const gate of gates(mode === "live" ? wallClock : clock)) {
        if (mode === "virtual time" && gate.name === "direct") continue;
        const o = await run(gate, times, mode === "live" ? { zoom, baseUrl } : { clock });
        console.log(
          [
            gate.name.padEnd(15),
            String(times.length).padStart(5),
            `${quantile(o.waits, 0.5).toFixed(0).padStart(5)} ms`,
            `${quantile(o.waits, 0.99).toFixed(0).padStart(5)} ms`,
            `${Math.max(0, ...o.waits)
              .toFixed(0)
              .padStart(5)} ms`,
            String(o.refusedHere).padStart(12),
            mode === "live" ? String(o.zoom429).padStart(8) : "       –",
            String(o.maxPerSecond).padStart(13),
            String(o.maxPerClockSecond).padStart(11),
            String(o.inversions).padStart(15),
            jain(o.served.map((n, c) => n / Math.max(1, o.asked[c] ?? 0)))
              .toFixed(3)
              .padStart(8),
            o.clientWaits.map((w) => quantile(w, 0.5).toFixed(0)).join("/") + " ms",
          ].join(" | "),
        );
      }
      console.log("");
    }
  }
  console.log(
    "targets: at 70 %, p99 wait ≤ 50 ms with no Zoom 429; above the ceiling, no wait past the bound, no Zoom 429, " +
      "few inversions (a caller woken late takes a later slot), fairness 1.000 (Jain's index of each client's served/asked); " +
      "never more than the ceiling in a second.",
  );
  zoom.close();
} finally {
  child.kill("SIGTERM");
}
