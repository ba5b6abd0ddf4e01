// Benchmark of sortBy over a large account: keying 100,000 snapshot records straight from Zoom's fields (what
// /Users?sortBy=userName does) beside rendering every user to read the attribute (what the fallback does).
//   npx tsx bench/sorting.ts [--users 100000]
// In process, no HTTP and no Zoom: only the sort's own cost. Nothing here asserts a time.
import { toScimUser, type UserViewContext } from "../src/provisioning/users/user-view.js";
import type { IdentifiedZoomUser } from "../src/provisioning/gateway/user-state.js";
import { parseSort, sortByKeys, toKey } from "../src/scim/sort.js";
import { userSchema } from "../src/scim/user-schema.js";

const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const count = arg("users", 100_000);

// A deterministic shuffle of names, so the sort has work to do.
const users: IdentifiedZoomUser[] = Array.from({ length: count }, (_, i) => {
  const n = (i * 7919) % count;
  return {
    id: `u${String(i).padStart(21, "0")}`,
    email: `User${n}@example.com`,
    first_name: `Given${n}`,
    last_name: `Family${(n * 31) % count}`,
    type: 1,
    status: "active",
    user_created_at: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString(),
  } as IdentifiedZoomUser;
});
const context: UserViewContext = {
  baseUrl: "https://h/scim/v2",
  roleName: () => undefined,
  groupName: () => undefined,
  userIdByEmail: () => undefined,
};

function time(label: string, run: () => unknown[]): void {
  const started = performance.now();
  const sorted = run();
  const ms = performance.now() - started;
  console.log(`${label.padEnd(52)} ${ms.toFixed(0).padStart(6)} ms  (${sorted.length} users)`);
}

const spec = parseSort("userName", "ascending", userSchema)!;
console.log(`sortBy over ${count} users`);
time("userName from Zoom's records (the snapshot path)", () =>
  sortByKeys(
    users,
    users.map((u) => toKey(u.email, spec.type, spec.caseExact)),
    false,
  ),
);
const family = parseSort("name.familyName", "descending", userSchema)!;
time("name.familyName from Zoom's records, descending", () =>
  sortByKeys(
    users,
    users.map((u) => toKey(u.last_name, family.type, family.caseExact)),
    true,
  ),
);
time("userName read from every rendered user (the fallback)", () =>
  sortByKeys(
    users,
    users.map((u) => spec.keyOf(toScimUser(u, undefined, context))),
    false,
  ),
);
