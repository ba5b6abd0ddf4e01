// `zoom-scim apply` killed with SIGKILL part-way through a preview plan, then run again: every planned Zoom call
// takes effect in Zoom exactly once, the plan ends fully applied, and the IdP's ids still name its users and group
// once the server is restarted. A create Zoom made but whose answer was lost is found in Zoom, not made twice.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as delay } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { runApplyCommand, runPlanCommand } from "../../src/cli/plan.js";
import type { PlanReport } from "../../src/provisioning/preview/plan-report.js";
import { simEnv, startHarness, type Harness } from "../helpers/harness.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const DOMAIN = "crash.example.com";
const USERS = 30;
type Json = Record<string, unknown>;

describe("apply after a kill -9", () => {
  let h: Harness;
  const ids: string[] = [];
  let groupId = "";
  const env = (): Record<string, string> => ({
    ...simEnv(h.sim),
    ZOOM_CREATE_ACTION: "autoCreate",
    SCIM_MODE: "preview",
    SCIM_BREAKER_MAX_CHANGES: "0",
    ZOOM_SCIM_DB: join(h.storeDir, "store.sqlite"),
  });

  before(async () => {
    h = await startHarness({ env: { ZOOM_CREATE_ACTION: "autoCreate", SCIM_MODE: "preview" } });
    for (let i = 0; i < USERS; i++) {
      const created = await h.scim("POST", "/Users", {
        schemas: [USER],
        userName: `u${i}@${DOMAIN}`,
        name: { givenName: `U${i}`, familyName: "Crash" },
      });
      assert.equal(created.status, 201, created.text);
      ids.push(String(created.body.id));
    }
    const group = await h.scim("POST", "/Groups", { schemas: [GROUP], displayName: "Crashers", members: ids.map((value) => ({ value })) });
    assert.equal(group.status, 201, group.text);
    groupId = String(group.body.id);
  });
  after(async () => h?.close());

  it("applies each step once", async () => {
    // Slow creates, so that the kill lands in the middle of them.
    await h.simPost("/_sim/faults", { rules: [{ method: "POST", path: "/v2/users", latencyMs: 60 }] });
    const mark = await h.mark();
    const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "src/cli/main.ts"), "apply"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", ...env() },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    const creates = async (): Promise<number> =>
      (await h.callsSince(mark)).filter((c) => c.method === "POST" && c.path === "/v2/users").length;
    for (let i = 0; i < 600 && (await creates()) < 8; i++) await delay(50);
    child.kill("SIGKILL");
    await exited;
    const beforeResume = await creates();
    assert.ok(beforeResume >= 8 && beforeResume < USERS, `killed part-way (${beforeResume} creates sent)`);
    await h.simDelete("/_sim/faults");

    let out = "";
    let bar = "";
    const code = await runApplyCommand([], env(), { out: (t) => (out += t), err: (t) => (bar += t), tty: true });
    assert.equal(code, 0, out + bar);
    assert.match(out, /0 left/);
    // On a terminal, a progress bar that ends full.
    assert.match(bar, /\rapply {2}\[\.{30}\] 0\/\d+/);
    assert.match(bar, /\rapply {2}\[#{30}\] (\d+)\/\1\n$/);

    const calls = await h.callsSince(mark);
    const creating = calls.filter((c) => c.method === "POST" && c.path === "/v2/users");
    // The create the kill cut off never got Zoom's answer (status 0: the simulator dropped it with the client);
    // found missing in Zoom, it was sent again. Every other create was sent once.
    const answered = creating.filter((c) => c.status !== 0);
    assert.equal(answered.length, USERS, "each user created once");
    assert.ok(answered.every((c) => c.status === 201));
    assert.ok(creating.length - answered.length <= 1);
    assert.equal(calls.filter((c) => c.method === "POST" && c.path === "/v2/groups").length, 1);
    assert.equal(calls.filter((c) => c.method === "POST" && /^\/v2\/groups\/[^/]+\/members$/.test(c.path)).length, 1);
    const zoomUsers = ((await h.simGet("/_sim/users?limit=1000")).body.users as Json[]).filter((u) => String(u.email).endsWith(DOMAIN));
    assert.equal(zoomUsers.length, USERS);
    assert.equal(new Set(zoomUsers.map((u) => u.email)).size, USERS);
    const zoomGroup = ((await h.simGet("/_sim/groups")).body.groups as Json[]).find((g) => g.name === "Crashers");
    assert.equal((zoomGroup?.members as Json[]).length, USERS);

    let json = "";
    assert.equal(await runPlanCommand(["--json"], env(), { out: (t) => (json += t), err: (t) => (json += t) }), 0);
    const plan = JSON.parse(json) as PlanReport;
    assert.deepEqual(plan.steps, { planned: 0, sending: 0, failed: 0, skipped: 0, done: USERS + 2 });

    // SQLite serves one process: the server reads the aliases the apply recorded once restarted.
    await h.restartServer();
    const read = await h.scim("GET", `/Users/${ids[7]}`);
    assert.equal(read.status, 200, read.text);
    assert.equal(read.body.userName, `u7@${DOMAIN}`);
    const group = await h.scim("GET", `/Groups/${groupId}`);
    assert.equal(group.status, 200, group.text);
    assert.deepEqual(((group.body.members ?? []) as Json[]).map((m) => String(m.value)).sort(), [...ids].sort());
  });

  it("finds a create whose answer was lost in Zoom instead of making it twice", async () => {
    const emails = ["lost1", "lost2", "lost3"].map((name) => `${name}@${DOMAIN}`);
    for (const email of emails) {
      const created = await h.scim("POST", "/Users", {
        schemas: [USER],
        userName: email,
        name: { givenName: "Lost", familyName: "Answer" },
      });
      assert.equal(created.status, 201, created.text);
    }
    // Zoom makes the second user, and the connection drops before its answer.
    await h.simPost("/_sim/faults", { rules: [{ method: "POST", path: "/v2/users", applyFirst: true, drop: true, count: 1 }] });
    const mark = await h.mark();
    let out = "";
    const first = await runApplyCommand([], env(), { out: (t) => (out += t), err: (t) => (out += t) });
    assert.equal(first, 1, out);
    assert.match(out, /stopped at step/);
    await h.simDelete("/_sim/faults");
    out = "";
    const second = await runApplyCommand(["--json"], env(), { out: (t) => (out += t), err: (t) => (out += t) });
    assert.equal(second, 0, out);
    const outcome = JSON.parse(out) as { applied: number; confirmed: number; remaining: number };
    assert.deepEqual(outcome, { ...outcome, confirmed: 1, remaining: 0 });
    const calls = await h.callsSince(mark);
    assert.equal(calls.filter((c) => c.method === "POST" && c.path === "/v2/users").length, emails.length, "no create sent twice");
    assert.ok(!calls.some((c) => c.status === 409));
    const zoomUsers = ((await h.simGet("/_sim/users?limit=1000")).body.users as Json[]).map((u) => String(u.email));
    for (const email of emails) assert.equal(zoomUsers.filter((e) => e === email).length, 1, email);
  });
});
