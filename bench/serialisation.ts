// What per-resource write serialisation costs: PATCH throughput for N sequential PATCHes of one user, N concurrent
// PATCHes spread over many users, and N concurrent PATCHes of one user (which serialise), side by side.
//   npx tsx bench/serialisation.ts [--n 120] [--concurrency 20] [--zoom-latency-ms 20]
// The Zoom simulator and zoom-scim run in this process over loopback HTTP (the test harness), without rate limits.
// Each Zoom call gets a fixed latency (Zoom's own is 100 ms or more): without one, everything is CPU on one thread
// and concurrency could not show. No assertions.
import { mapConcurrent } from "../src/lib/concurrency.js";
import { startHarness, type Harness } from "../test/helpers/harness.js";

const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

const FLAGS = { "--n": "n", "--concurrency": "concurrency", "--zoom-latency-ms": "latencyMs" } as const;

function parseArgs(argv: string[]): { n: number; concurrency: number; latencyMs: number } {
  const args = { n: 120, concurrency: 20, latencyMs: 20 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as keyof typeof FLAGS;
    if (!(flag in FLAGS)) throw new Error(`unknown argument ${flag}`);
    const value = Number(argv[++i]);
    if (!Number.isInteger(value) || value < 0) throw new Error(`${flag} needs a whole number`);
    args[FLAGS[flag]] = value;
  }
  return args;
}

/** Each PATCH changes a Zoom-held attribute (title) and a store-held one (nickName): both halves of a write. */
const body = (i: number) => ({
  schemas: [PATCH_OP],
  Operations: [
    { op: "replace", path: "title", value: `Title ${i}` },
    { op: "replace", path: "nickName", value: `nick-${i}` },
  ],
});

interface Result {
  name: string;
  requests: number;
  ms: number;
  failed: number;
}

async function timed(name: string, ids: readonly string[], h: Harness, concurrency: number): Promise<Result> {
  let failed = 0;
  const started = performance.now();
  await mapConcurrent(ids, concurrency, async (id, i) => {
    const answer = await h.scim("PATCH", `/Users/${id}`, body(i));
    if (answer.status !== 200) failed += 1;
  });
  return { name, requests: ids.length, ms: performance.now() - started, failed };
}

async function main(): Promise<void> {
  const { n, concurrency, latencyMs } = parseArgs(process.argv.slice(2));
  const h = await startHarness({ env: { ZOOM_CREATE_ACTION: "autoCreate" } });
  try {
    const emails = Array.from({ length: n }, (_, i) => `bench.${i}@example.com`);
    await h.simPost("/_sim/seed", {
      users: emails.map((email) => ({ email, first_name: "Bench", last_name: String(emails.indexOf(email)) })),
    });
    const listed = await h.scim("GET", `/Users?count=${n}`);
    const ids = ((listed.body.Resources as { id: string }[] | undefined) ?? []).map((r) => r.id);
    if (ids.length < n) throw new Error(`seeded ${n} users, listed ${ids.length}`);
    const one = ids[0] as string;
    // Warm-up: token, role and group lookups, JIT.
    await timed("warm-up", ids.slice(0, Math.min(20, n)), h, concurrency);
    if (latencyMs > 0) await h.simPost("/_sim/faults", { rules: [{ path: "/v2/**", latencyMs }] });

    const results = [
      await timed("(a) sequential, one user", Array<string>(n).fill(one), h, 1),
      await timed(`(b) concurrent (${concurrency} in flight), ${n} users`, ids, h, concurrency),
      await timed(`(c) concurrent (${concurrency} in flight), one user`, Array<string>(n).fill(one), h, concurrency),
    ];
    const width = Math.max(...results.map((r) => r.name.length));
    console.log(`PATCH throughput, ${n} requests each (title + nickName per PATCH; Zoom latency ${latencyMs} ms a call)`);
    for (const r of results) {
      const rate = (r.requests / r.ms) * 1000;
      console.log(
        `  ${r.name.padEnd(width)}  ${rate.toFixed(0).padStart(6)} req/s  ${(r.ms / r.requests).toFixed(2).padStart(7)} ms/req  ${r.failed > 0 ? `${r.failed} failed` : ""}`,
      );
    }
  } finally {
    await h.close();
  }
}

await main();
