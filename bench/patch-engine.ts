// PATCH engine throughput for many add/remove operations on one multi-valued attribute (emails, members).
// Prints ops/s for 100, 1,000 and 10,000 operations: the current applyPatch, a before-style naive reference (each
// operation copies the array and scans it for duplicates, as applyPatch did before it kept one index per PATCH), and
// "linear", the 100-op rate of the current engine that a linear engine keeps at every size. The naive rate for
// 10,000 is extrapolated from 1,000 (it is quadratic: 100x the time), to keep the run short.
// Run: npx tsx bench/patch-engine.ts (no assertions; a few seconds).
import { resourceSchemaFrom, type JsonObject } from "../src/scim/attributes/index.js";
import { applyPatch, type PatchOperation } from "../src/scim/patch/index.js";
import { CORE_GROUP_URN, CORE_USER_URN, groupSchemaDefinition, userSchemaDefinition } from "../src/scim/schemas.js";

const user = resourceSchemaFrom(userSchemaDefinition());
const group = resourceSchemaFrom(groupSchemaDefinition());
const SIZES = [100, 1_000, 10_000];

interface Scenario {
  name: string;
  run: (n: number) => void;
  naive: (n: number) => void;
}

const email = (i: number): string => `user${i}@example.com`;
const emails = (n: number): JsonObject[] => Array.from({ length: n }, (_, i) => ({ value: email(i), type: "work" }));
const userWith = (list: JsonObject[]): JsonObject => ({ schemas: [CORE_USER_URN], id: "u-1", userName: "ann@example.com", emails: list });
const groupWith = (list: JsonObject[]): JsonObject => ({ schemas: [CORE_GROUP_URN], id: "g-1", displayName: "Sales", members: list });
const members = (n: number): JsonObject[] => Array.from({ length: n }, (_, i) => ({ value: `m${i}` }));

/** The old shape of one add: copy the array, scan it for the same value, append. */
function naiveAdd(list: JsonObject[], element: JsonObject): JsonObject[] {
  const copy = list.map((e) => ({ ...e }));
  const wanted = String(element.value).toLowerCase();
  if (!copy.some((e) => String(e.value).toLowerCase() === wanted)) copy.push({ ...element });
  return copy;
}

/** The old shape of one remove: copy the array, keep what does not match. */
function naiveRemove(list: JsonObject[], value: string): JsonObject[] {
  const wanted = value.toLowerCase();
  return list.map((e) => ({ ...e })).filter((e) => String(e.value).toLowerCase() !== wanted);
}

const scenarios: Scenario[] = [
  {
    name: "add emails one per op",
    run: (n) => {
      const ops: PatchOperation[] = emails(n).map((e) => ({ op: "add", path: "emails", value: [e] }));
      applyPatch(userWith([]), ops, user);
    },
    naive: (n) => {
      let list: JsonObject[] = [];
      for (const e of emails(n)) list = naiveAdd(list, e);
    },
  },
  {
    name: "remove emails[value eq …]",
    run: (n) => {
      const ops: PatchOperation[] = Array.from({ length: n }, (_, i) => ({ op: "remove", path: `emails[value eq "${email(i)}"]` }));
      applyPatch(userWith(emails(n)), ops, user);
    },
    naive: (n) => {
      let list = emails(n);
      for (let i = 0; i < n; i += 1) list = naiveRemove(list, email(i));
    },
  },
  {
    name: "members add then Entra remove",
    run: (n) => {
      const half = Math.floor(n / 2);
      const ops: PatchOperation[] = members(half).map((m) => ({ op: "add", path: "members", value: [m] }));
      for (const m of members(n - half)) ops.push({ op: "remove", path: "members", value: [m] });
      applyPatch(groupWith([]), ops, group);
    },
    naive: (n) => {
      const half = Math.floor(n / 2);
      let list: JsonObject[] = [];
      for (const m of members(half)) list = naiveAdd(list, m);
      for (const m of members(n - half)) list = naiveRemove(list, String(m.value));
    },
  },
];

/** The best of a few runs (more for small n, whose single runs are dominated by GC and timer noise). */
function opsPerSecond(n: number, run: (n: number) => void): number {
  let best = 0;
  for (let repeat = Math.max(1, Math.round(3_000 / n)); repeat > 0; repeat -= 1) {
    const start = process.hrtime.bigint();
    run(n);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    best = Math.max(best, n / Math.max(seconds, 1e-9));
  }
  return best;
}

const format = (rate: number): string => Math.round(rate).toLocaleString("en-US").padStart(12);

console.log(
  `${"scenario".padEnd(32)}${"ops".padStart(8)}${"naive ops/s".padStart(14)}${"current ops/s".padStart(16)}${"linear ops/s".padStart(14)}`,
);
for (const scenario of scenarios) {
  scenario.run(1_000); // warm-up, so the 100-op rate is not the JIT compiling
  let linear = 0;
  for (const n of SIZES) {
    // Quadratic: n/1,000 times the ops take (n/1,000)² the time, so the rate drops by n/1,000.
    const naive = n > 1_000 ? opsPerSecond(1_000, scenario.naive) / (n / 1_000) : opsPerSecond(n, scenario.naive);
    const current = opsPerSecond(n, scenario.run);
    if (n === SIZES[0]) linear = current;
    console.log(`${scenario.name.padEnd(32)}${String(n).padStart(8)}  ${format(naive)}    ${format(current)}  ${format(linear)}`);
  }
}
