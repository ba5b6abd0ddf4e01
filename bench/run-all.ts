// `npm run bench`: runs every benchmark in this folder one after another (each in its own process, so that one's
// memory and JIT state do not colour the next), prints their output as it comes and a summary at the end.
//   npm run bench [-- name …]     e.g. npm run bench -- groups patch-engine
// Each benchmark prints its own figures beside a reference measured in the same run; nothing here asserts a time.
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
/** Files that are not benchmarks of their own: this runner and the child processes benchmarks start. */
const NOT_BENCHMARKS = new Set(["run-all.ts", "simulator-server.ts", "scim-server.ts"]);

const wanted = process.argv.slice(2);
const all = readdirSync(here)
  .filter((file) => file.endsWith(".ts") && !NOT_BENCHMARKS.has(file))
  .sort();
const chosen = wanted.length === 0 ? all : all.filter((file) => wanted.includes(basename(file, ".ts")));
if (chosen.length === 0) {
  console.error(`no benchmark named ${wanted.join(", ")}; there are: ${all.map((f) => basename(f, ".ts")).join(", ")}`);
  process.exit(2);
}

function run(file: string): Promise<{ code: number; seconds: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(here, file)], { stdio: "inherit" });
    child.once("exit", (code) => resolve({ code: code ?? 1, seconds: (performance.now() - started) / 1000 }));
  });
}

const results: { name: string; code: number; seconds: number }[] = [];
for (const file of chosen) {
  const name = basename(file, ".ts");
  console.log(`\n=== ${name} ${"=".repeat(Math.max(0, 72 - name.length))}`);
  results.push({ name, ...(await run(file)) });
}
console.log("\n=== summary");
for (const r of results) console.log(`${r.code === 0 ? "ok  " : "FAIL"} ${r.name.padEnd(20)} ${r.seconds.toFixed(1)} s`);
process.exitCode = results.some((r) => r.code !== 0) ? 1 : 0;
