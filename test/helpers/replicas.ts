// zoom-scim replicas as child processes (`node --import tsx src/cli/main.ts serve`), each with its own memory,
// configured from the environment as in production; for the multi-replica e2e test and bench/replicas.ts.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface ReplicaProcess {
  url: string;
  child: ChildProcess;
  /** SIGTERM, and the exit code once it has exited. */
  stop(): Promise<number | null>;
  /** SIGKILL: no shutdown at all. */
  kill(): Promise<void>;
}

const exited = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((resolve) => child.once("exit", (code) => resolve(code)));

/** Starts one replica; resolves once it listens (its "zoom-scim listening" log line names the URL). */
export function startReplica(env: Record<string, string>): Promise<ReplicaProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "src/cli/main.ts"), "serve"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => void (stderr = (stderr + chunk.toString()).slice(-4000)));
  return new Promise((resolve, reject) => {
    let buffered = "";
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString();
      for (const line of buffered.split("\n")) {
        if (!line.includes("zoom-scim listening")) continue;
        const url = (JSON.parse(line) as { url: string }).url;
        child.stdout?.off("data", onData);
        // Keep draining its logs, or a chatty replica blocks on a full pipe.
        child.stdout?.resume();
        resolve({
          url,
          child,
          stop: async () => {
            child.kill("SIGTERM");
            return exited(child);
          },
          kill: async () => {
            child.kill("SIGKILL");
            await exited(child);
          },
        });
        return;
      }
    };
    child.stdout?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`replica exited (${code}) before listening: ${stderr}`)));
  });
}

/** A fresh PostgreSQL database on the server at `adminUrl`, and how to drop it. */
export async function scratchDatabase(adminUrl: string, label: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `zoom_scim_${label}_${randomBytes(5).toString("hex")}`;
  const admin = async (sql: string): Promise<void> => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** The most of `times` (ms) within any 1000 ms. */
export function maxPerSecond(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while ((sorted[j] ?? 0) - (sorted[i] ?? 0) >= 1000) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

/** The most of `times` (ms) within one clock second (how Zoom's per-second limit, and the simulator's, count). */
export function maxPerClockSecond(times: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const t of times) counts.set(Math.floor(t / 1000), (counts.get(Math.floor(t / 1000)) ?? 0) + 1);
  return Math.max(0, ...counts.values());
}
