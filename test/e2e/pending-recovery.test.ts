// The pending lifecycle when things go wrong or nobody is watching: failed applications retried with backoff and
// visible, changes kept through a restart and applied by the reconciler alone, per-tenant webhook secrets, and the
// admin's view (GET /admin/pending and `zoom-scim pending`).
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { printPending } from "../../src/cli/pending.js";
import { signWebhook } from "../../src/simulator/index.js";
import { namedTenant, simTenantBase, startHarness, type Harness } from "../helpers/harness.js";
import {
  createPending,
  eventually,
  outstanding,
  patch,
  SECRET,
  sleep,
  webhooksTo,
  writes,
  zoomUser,
  type Json,
} from "../helpers/pending.js";

const ACME_TOKEN = "acme-token-0123456789";
const ACME_SECRET = "acme-webhook-secret-0123";

let h: Harness;
before(async () => {
  h = await startHarness({ env: { ZOOM_WEBHOOK_SECRET_TOKEN: SECRET, SCIM_RECONCILE_INTERVAL_SECONDS: "0" } });
});
after(async () => h.close());

describe("failures while applying", () => {
  it("are retried with backoff, shown with their error, and never overtaken by a later change", async () => {
    await webhooksTo(h, false);
    const id = await createPending(h, "flaky@example.com", { title: "First" });
    await h.simPost(`/_sim/users/${id}/accept-invitation`);
    await h.simPost("/_sim/faults", { rules: [{ method: "PATCH", path: `/v2/users/${id}`, status: 500, count: 100 }] });
    const read = await h.scim("GET", `/Users/${id}`);
    assert.equal(read.status, 200, "a read still answers, with the desired state");
    assert.equal(read.body.title, "First");
    const change = ((await outstanding(h, id))?.changes as Json[])[0];
    assert.equal(change?.attempts, 1);
    assert.match(String(change?.lastError), /could not be applied to Zoom/);
    assert.ok(Date.parse(String(change?.nextAttemptAt)) > Date.now(), "backing off");

    const mark = await h.mark();
    assert.equal((await h.scim("GET", `/Users/${id}`)).status, 200);
    assert.deepEqual(writes(await h.callsSince(mark)), [], "a read does not retry before the backoff ends");
    const refused = await h.scim("PATCH", `/Users/${id}`, patch({ op: "replace", path: "title", value: "Second" }));
    assert.equal(refused.status, 502, "a write retries at once and says why it cannot go ahead");
    assert.match(String(refused.body.detail), /accepted .* while user .* was pending/);

    await h.simDelete("/_sim/faults");
    const done = await h.scim("PATCH", `/Users/${id}`, patch({ op: "replace", path: "title", value: "Second" }));
    assert.equal(done.status, 200, done.text);
    assert.equal(done.body.title, "Second");
    assert.equal((await zoomUser(h, id))?.job_title, "Second");
    assert.equal(await outstanding(h, id), undefined, "nothing outstanding");
  });
});

describe("the admin's view", () => {
  it("is behind the tenant's token, and the CLI prints the same from the store file", async () => {
    assert.equal((await h.scim("GET", `${h.server.url}/admin/pending`, undefined, { token: null })).status, 401);
    const id = await createPending(h, "listed@example.com", { title: "Listed" });
    const lines: string[] = [];
    const code = await printPending([], { ZOOM_SCIM_DB: join(h.storeDir, "store.sqlite") }, (text) => lines.push(text));
    assert.equal(code, 0);
    assert.match(lines.join(""), new RegExp(`${id}\\s+listed@example.com\\s+invitation pending\\s+1 change\\(s\\) waiting`));
    const json: string[] = [];
    await printPending(["--tenant", "default", "--json"], { ZOOM_SCIM_DB: join(h.storeDir, "store.sqlite") }, (text) => json.push(text));
    const parsed = JSON.parse(json.join("")) as { users: { id: string; changes: { attributes: string[] }[] }[] };
    assert.deepEqual(
      parsed.users.find((u) => u.id === id)?.changes.map((c) => c.attributes),
      [["title"]],
    );
  });
});

describe("the reconciler, across a restart", () => {
  let r: Harness;
  before(async () => {
    r = await startHarness({ env: { SCIM_RECONCILE_INTERVAL_SECONDS: "0.2" } });
  });
  after(async () => r.close());

  it("applies changes kept through a restart once the invitation is accepted, with no webhook and no read", async () => {
    const id = await createPending(r, "nightly@example.com", { title: "Nightly" });
    assert.equal((await r.scim("PATCH", `/Users/${id}`, patch({ op: "replace", path: "roles", value: [{ value: "Admin" }] }))).status, 200);
    await r.restartServer();
    const kept = await r.scim("GET", `/Users/${id}`);
    assert.equal(kept.body.title, "Nightly", "nothing lost in the restart");
    assert.deepEqual(
      (kept.body.roles as Json[]).map((x) => x.value),
      ["Admin"],
    );
    await sleep(500);
    const idle = await r.mark();
    await sleep(300);
    assert.ok(
      (await r.callsSince(idle)).every((c) => c.method === "GET" && c.path === "/v2/users"),
      "while pending: one list call per pass",
    );

    await r.simPost(`/_sim/users/${id}/accept-invitation`);
    const zoom = await eventually("the reconciler", async () => {
      const user = await zoomUser(r, id);
      return user?.job_title === "Nightly" && user.role_name === "Admin" ? user : undefined;
    });
    assert.equal(zoom.status, "active");
    await eventually("an idle reconciler", async () => ((await outstanding(r, id)) === undefined ? true : undefined));
    const quiet = await r.mark();
    await sleep(500);
    assert.deepEqual(await r.callsSince(quiet), [], "nothing outstanding: no Zoom calls");
  });
});

describe("a named tenant's webhooks", () => {
  let t: Harness;
  before(async () => {
    t = await startHarness({
      env: { ZOOM_WEBHOOK_SECRET_TOKEN: SECRET, SCIM_RECONCILE_INTERVAL_SECONDS: "0" },
      tenants: (sim) => {
        const base = simTenantBase(sim, { createAction: "create", reconcileIntervalMs: 0 });
        return [{ ...namedTenant(base, "acme", ACME_TOKEN), webhookSecretToken: ACME_SECRET }];
      },
    });
  });
  after(async () => t.close());

  it("are verified with that tenant's own secret at /{tenant}/webhooks/zoom", async () => {
    const created = await t.scim(
      "POST",
      "/acme/scim/v2/Users",
      { userName: "acme.user@example.com", title: "Acme" },
      { token: ACME_TOKEN },
    );
    assert.equal(created.status, 201, created.text);
    const id = String(created.body.id);
    await t.simPost(`/_sim/users/${id}/accept-invitation`);
    const body = JSON.stringify({ event: "user.invitation_accepted", payload: { object: { id } }, event_ts: Date.now() });
    const now = String(Math.floor(Date.now() / 1000));
    const send = (secret: string) =>
      fetch(`${t.server.url}/acme/webhooks/zoom`, {
        method: "POST",
        headers: { "x-zm-request-timestamp": now, "x-zm-signature": signWebhook(secret, now, body) },
        body,
      });
    assert.equal((await send(SECRET)).status, 401, "the default tenant's secret does not open another tenant");
    assert.equal((await send(ACME_SECRET)).status, 200);
    await eventually("the change in Zoom", async () => ((await zoomUser(t, id))?.job_title === "Acme" ? true : undefined));
    assert.equal(
      (await t.scim("GET", `${t.server.url}/acme/admin/pending`)).status,
      401,
      "the default tenant's token does not open acme's report",
    );
    const report = await t.scim("GET", `${t.server.url}/acme/admin/pending`, undefined, { token: ACME_TOKEN });
    assert.deepEqual(report.body, { tenant: "acme", users: [] });
  });

  it("refuse an unknown tenant's events as they refuse a wrong signature: no tenant names are revealed", async () => {
    const body = JSON.stringify({ event: "user.updated", payload: { object: { id: "x" } }, event_ts: Date.now() });
    const now = String(Math.floor(Date.now() / 1000));
    const send = async (path: string, signed: boolean) => {
      const headers: Record<string, string> = signed
        ? { "x-zm-request-timestamp": now, "x-zm-signature": signWebhook("wrong", now, body) }
        : {};
      const answer = await fetch(`${t.server.url}${path}`, { method: "POST", headers, body });
      return { status: answer.status, body: await answer.text() };
    };
    for (const signed of [true, false]) {
      const known = await send("/acme/webhooks/zoom", signed);
      const unknown = await send("/nobody/webhooks/zoom", signed);
      assert.equal(known.status, 401);
      assert.deepEqual(unknown, known, signed ? "signed" : "unsigned");
    }
  });
});
