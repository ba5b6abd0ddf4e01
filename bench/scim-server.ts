// Child process of bench/scale.ts: one zoom-scim server in front of the simulator named by ZOOM_API_URL, with its
// own event-loop delay monitor. The parent asks over IPC for this process's CPU time, RSS and the longest event-loop
// delay since the last reset, so that every figure is the server's alone (the load generator runs elsewhere).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import type * as Load from "../src/config/load.js";
import type * as Server from "../src/server.js";

// BENCH_DIST: the compiled build (what production runs); else the sources through tsx.
const root = process.env.BENCH_DIST ? new URL(`file://${process.env.BENCH_DIST}/`) : new URL("../src/", import.meta.url);
const { loadConfig } = (await import(new URL("config/load.js", root).href)) as typeof Load;
const { startServer } = (await import(new URL("server.js", root).href)) as typeof Server;

const storeDir = mkdtempSync(join(tmpdir(), "zoom-scim-bench-"));
const config = loadConfig({
  ...process.env,
  ZOOM_SCIM_DB: join(storeDir, "store.sqlite"),
  HOST: "127.0.0.1",
  PORT: "0",
  LOG_LEVEL: process.env.LOG_LEVEL ?? "info",
  SCIM_BREAKER_MAX_CHANGES: "0",
});
// The simulator runs without limits: the server's own pacing would measure Zoom's ceiling, not the server.
const server = await startServer(config, { zoomRateLimit: false });
const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();
// The longest garbage-collection pause since the last reset: it blocks the event loop like any other work.
let maxGcMs = 0;
let gcMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    maxGcMs = Math.max(maxGcMs, entry.duration);
    gcMs += entry.duration;
  }
}).observe({ entryTypes: ["gc"] });

export interface ServerStats {
  cpuMs: number;
  rssBytes: number;
  heapUsedBytes: number;
  /** Longest event-loop delay since the last reset, ms. */
  maxDelayMs: number;
  /** Longest garbage-collection pause since the last reset, ms. */
  maxGcMs: number;
  /** Garbage collection's time on the main thread since the server started, ms. */
  gcMs: number;
}

process.on("message", (message: { id: number; command: "stats" | "reset" | "gc" | "stop" }) => {
  if (message.command === "reset") {
    delay.reset();
    maxGcMs = 0;
  }
  if (message.command === "gc") (globalThis as { gc?: () => void }).gc?.();
  if (message.command === "stop") {
    void server.close(0).then(() => {
      rmSync(storeDir, { recursive: true, force: true });
      process.send?.({ id: message.id }, () => process.exit(0));
    });
    return;
  }
  const usage = process.cpuUsage();
  const stats: ServerStats = {
    cpuMs: (usage.user + usage.system) / 1000,
    rssBytes: process.memoryUsage.rss(),
    heapUsedBytes: process.memoryUsage().heapUsed,
    maxDelayMs: delay.max / 1e6,
    maxGcMs,
    gcMs,
  };
  process.send?.({ id: message.id, stats, url: server.url });
});
process.send?.({ ready: true, url: server.url });
