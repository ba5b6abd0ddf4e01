// The audit trail end to end, on SQLite and on PostgreSQL: a user provisioned, updated, deactivated and deleted
// through one tenant with two named tokens (a rotation), a change to a pending user deferred and applied on
// acceptance (noticed by a webhook, and by the reconciler), the circuit breaker opening and its release; read back
// through GET /admin/audit and the `zoom-scim audit` CLI as its own process, entry by entry: actor, client,
// before → after, every Zoom call with Zoom's tracking id, outcome. An expired token is refused as expired.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { hashToken } from "../../src/config/token-hash.js";
import type { AuditEntry } from "../../src/store/types.js";
import { asAudited, auditViaApi, auditViaCli, changesOf } from "../helpers/audit.js";
import { capturedLogger } from "../helpers/captured-logger.js";
import { namedTenant, simTenantBase, startHarness, TOKEN, type Harness } from "../helpers/harness.js";
import { createPending, eventually, patch, SECRET, webhooksTo, zoomUser } from "../helpers/pending.js";
import { storeBackends } from "../helpers/stores.js";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const ZOOM_EXT = "urn:ietf:params:scim:schemas:extension:zoom:1.0:User";
const NEW_TOKEN = "acme-okta-2026-token-0123456789";
const OLD_TOKEN = "acme-okta-2025-token-0123456789";
const EXPIRED_TOKEN = "acme-expired-token-0123456789";
const GUARD_TOKEN = "guard-token-0123456789abcdef";
const PASSWORD = "Pa55word-never-in-the-audit";
const OKTA = { "user-agent": "Okta SCIM Client 1.0.0" };
const ENTRA = { "user-agent": "Azure Active Directory SCIM Client" };

for (const backend of storeBackends()) {
  describe(`the audit trail on ${backend.name}`, () => {
    let h: Harness;
    let store: string;
    let lines: string[] = [];
    before(async () => {
      store = backend.name === "sqlite" ? "" : await backend.location("audit-e2e");
      const captured = capturedLogger("info");
      lines = captured.lines;
      const logger = captured.logger;
      h = await startHarness({
        logger,
        env: { ZOOM_WEBHOOK_SECRET_TOKEN: SECRET, SCIM_RECONCILE_INTERVAL_SECONDS: "0", ...(store ? { ZOOM_SCIM_DB: store } : {}) },
        tenants: (sim) => {
          const base = simTenantBase(sim);
          return [
            {
              ...namedTenant(base, "acme", NEW_TOKEN),
              bearerTokens: [
                { name: "okta-2026", sha256: hashToken(NEW_TOKEN) },
                { name: "okta-2025", sha256: hashToken(OLD_TOKEN), notAfterMs: Date.now() + 3_600_000 },
                { name: "okta-2024", sha256: hashToken(EXPIRED_TOKEN), notAfterMs: Date.now() - 1_000 },
              ],
            },
            namedTenant(base, "guard", GUARD_TOKEN, { breaker: { maxChanges: 1, maxPercent: 0, windowMs: 900_000 } }),
          ];
        },
      });
      if (!store) store = `${h.storeDir}/store.sqlite`;
    });
    after(async () => h.close());

    const acme = (path: string) => `${h.server.url}/acme/scim/v2${path}`;

    it("opens a tenant with each of two named tokens at once, and refuses an expired one as expired", async () => {
      for (const token of [NEW_TOKEN, OLD_TOKEN]) {
        const answer = await h.scim("GET", acme("/Users?count=1"), undefined, { token });
        assert.equal(answer.status, 200, answer.text);
      }
      const expired = await h.scim("GET", acme("/Users?count=1"), undefined, { token: EXPIRED_TOKEN });
      assert.equal(expired.status, 401);
      assert.match(String(expired.body.detail), /has expired/);
      assert.doesNotMatch(String(expired.body.detail), /okta-2024|202\d-/, "neither its name nor its date");
      const wrong = await h.scim("GET", acme("/Users?count=1"), undefined, { token: "not-a-token-of-acme-0123" });
      assert.equal(wrong.status, 401);
      assert.doesNotMatch(String(wrong.body.detail), /expired/);
      const requests = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === "request" && l.tenant === "acme");
      assert.deepEqual(
        requests.slice(0, 2).map((l) => l.actor),
        ["okta-2026", "okta-2025"],
        "request log lines carry the token's name",
      );
      const logged = lines.join("");
      for (const token of [NEW_TOKEN, OLD_TOKEN, EXPIRED_TOKEN]) assert.ok(!logged.includes(token), "never the token");
    });

    it("records a user's provisioning, update, deactivation and deletion, with actor, before → after and Zoom's calls", async () => {
      const steps: { requestId: string; calls: Awaited<ReturnType<Harness["callsSince"]>> }[] = [];
      const step = async (method: string, path: string, body: unknown, token: string, headers: Record<string, string>, status: number) => {
        const mark = await h.mark();
        const answer = await h.scim(method, acme(path), body, { token, headers });
        assert.equal(answer.status, status, answer.text);
        steps.push({ requestId: String(answer.headers.get("x-request-id")), calls: await h.callsSince(mark) });
        return answer;
      };
      const created = await step(
        "POST",
        "/Users",
        {
          schemas: [CORE],
          userName: "ada@audit.example.com",
          name: { givenName: "Ada", familyName: "Lovelace" },
          title: "Engineer",
          password: PASSWORD,
        },
        NEW_TOKEN,
        OKTA,
        201,
      );
      const id = String(created.body.id);
      await step("PATCH", `/Users/${id}`, patch({ op: "replace", path: "title", value: "Director" }), OLD_TOKEN, ENTRA, 200);
      await step("PATCH", `/Users/${id}`, patch({ op: "replace", value: { active: false } }), NEW_TOKEN, OKTA, 200);
      await step("DELETE", `/Users/${id}`, undefined, NEW_TOKEN, OKTA, 204);

      const entries = await auditViaApi(h, "/acme", NEW_TOKEN, { resourceId: id });
      assert.deepEqual(
        entries.map((e) => [e.method, e.route, e.actor, e.client, e.outcome, e.requestId]),
        [
          ["POST", "/Users", "okta-2026", "okta", "applied", steps[0]?.requestId],
          ["PATCH", "/Users/:id", "okta-2025", "entra", "applied", steps[1]?.requestId],
          ["PATCH", "/Users/:id", "okta-2026", "okta", "applied", steps[2]?.requestId],
          ["DELETE", "/Users/:id", "okta-2026", "okta", "applied", steps[3]?.requestId],
        ],
      );
      for (const [index, entry] of entries.entries()) {
        assert.equal(entry.tenant, "acme");
        assert.equal(entry.kind, "scim");
        assert.equal(entry.userName, "ada@audit.example.com");
        assert.equal(entry.error, null);
        const calls = steps[index]?.calls ?? [];
        if (index < 3) assert.ok(calls.length > 0);
        assert.deepEqual(entry.zoomCalls, asAudited(calls), `entry ${index}: every Zoom call, with Zoom's tracking id`);
        assert.ok(entry.zoomCalls.every((c) => typeof c.trackingId === "string" && !c.path.includes(id)));
      }
      const [post, retitle, deactivate, remove] = entries;
      assert.deepEqual(
        post?.zoomCalls.map((c) => `${c.method} ${c.path}`).filter((c) => !c.startsWith("GET")),
        ["POST /users", "PATCH /users/{userId}"],
        "Zoom's create, then the profile fields its create does not take",
      );
      const made = changesOf(post);
      assert.deepEqual(made.userName, [null, "ada@audit.example.com"]);
      assert.deepEqual(made["name.givenName"], [null, "Ada"]);
      assert.deepEqual(made.title, [null, "Engineer"]);
      assert.deepEqual(made.active, [null, true]);
      assert.equal(made.password, undefined, "a password is not a mapped attribute shown back");
      assert.deepEqual(changesOf(retitle), { title: ["Engineer", "Director"] });
      assert.deepEqual(retitle?.zoomCalls.map((c) => `${c.method} ${c.path} ${c.status}`).at(-1), "PATCH /users/{userId} 204");
      assert.deepEqual(changesOf(deactivate), { active: [true, false], [`${ZOOM_EXT}:status`]: ["active", "inactive"] });
      assert.ok(
        deactivate?.zoomCalls.some((c) => c.method === "PUT" && c.path === "/users/{userId}/status" && c.status < 300),
        "Zoom's status call",
      );
      assert.deepEqual(changesOf(remove), { userName: ["ada@audit.example.com", null], active: [false, null] });
      assert.ok(!JSON.stringify(entries).includes(PASSWORD));

      // The same entries through the CLI, a process of its own with no Zoom credentials.
      const cli = await auditViaCli(store, ["--tenant", "acme", "--user", "ADA@audit.example.com", "--json"]);
      assert.equal(cli.code, 0, cli.stderr);
      assert.deepEqual(JSON.parse(cli.stdout), entries);
      const table = await auditViaCli(store, ["--tenant", "acme", "--user", id, "--since", "1h"]);
      assert.equal(table.code, 0, table.stderr);
      assert.match(table.stdout, /^TIME\s+TENANT\s+ACTOR\s+CLIENT\s+ACTION\s+RESOURCE\s+OUTCOME/);
      assert.match(table.stdout, /acme\s+okta-2025\s+entra\s+PATCH \/Users\/:id\s+ada@audit\.example\.com\s+applied/);
      assert.match(table.stdout, /title: Engineer → Director/);
      assert.match(table.stdout, /zoom PUT \/users\/\{userId\}\/status 20\d \(/);
      const future = await auditViaCli(store, ["--tenant", "acme", "--since", new Date(Date.now() + 60_000).toISOString()]);
      assert.equal(future.stdout, "No audit entries match.\n");
    });

    it("records a group's creation, member changes and deletion", async () => {
      const seeded = (await h.simPost("/_sim/seed", {
        users: [0, 1].map((n) => ({ email: `member${n}@audit.example.com`, status: "active" })),
      })) as { users: { id: string }[] };
      const [one, two] = seeded.users.map((u) => u.id);
      const created = await h.scim("POST", acme("/Groups"), { displayName: "Auditors", members: [{ value: one }] }, { token: NEW_TOKEN });
      assert.equal(created.status, 201, created.text);
      const group = String(created.body.id);
      const changed = await h.scim(
        "PATCH",
        acme(`/Groups/${group}`),
        patch({ op: "add", path: "members", value: [{ value: two }] }, { op: "remove", path: `members[value eq "${one}"]` }),
        { token: OLD_TOKEN },
      );
      assert.equal(changed.status, 204, changed.text);
      assert.equal((await h.scim("DELETE", acme(`/Groups/${group}`), undefined, { token: NEW_TOKEN })).status, 204);
      const entries = await auditViaApi(h, "/acme", NEW_TOKEN, { resourceId: group });
      assert.deepEqual(
        entries.map((e) => [e.method, e.route, e.resourceType, e.actor, e.outcome]),
        [
          ["POST", "/Groups", "Group", "okta-2026", "applied"],
          ["PATCH", "/Groups/:id", "Group", "okta-2025", "applied"],
          ["DELETE", "/Groups/:id", "Group", "okta-2026", "applied"],
        ],
      );
      assert.deepEqual(entries[0]?.changes, [
        { attribute: "displayName", before: null, after: "Auditors" },
        { attribute: "members", before: null, after: one },
      ]);
      assert.deepEqual(entries[1]?.changes, [
        { attribute: "members", before: null, after: two },
        { attribute: "members", before: one, after: null },
      ]);
      assert.deepEqual(
        entries[2]?.zoomCalls.filter((c) => c.method === "DELETE").map((c) => `${c.path} ${c.status}`),
        ["/groups/{groupId} 204"],
      );
    });

    it("records each /Bulk operation as an entry of its own, linked to the bulk request", async () => {
      const answer = await h.scim(
        "POST",
        acme("/Bulk"),
        {
          schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
          Operations: [
            { method: "POST", path: "/Users", bulkId: "u1", data: { schemas: [CORE], userName: "bulk1@audit.example.com", title: "One" } },
            { method: "PATCH", path: "/Users/bulkId:u1", data: patch({ op: "replace", path: "title", value: "Uno" }) },
            { method: "DELETE", path: "/Users/nosuchuser0123456789" },
          ],
        },
        { token: NEW_TOKEN, headers: OKTA },
      );
      assert.equal(answer.status, 200, answer.text);
      const requestId = String(answer.headers.get("x-request-id"));
      const created = ((answer.body.Operations as { location?: string }[])[0]?.location ?? "").split("/").pop();
      const entries = (await auditViaApi(h, "/acme", NEW_TOKEN)).filter((e) => e.requestId === requestId);
      assert.deepEqual(
        entries.map((e) => [e.method, e.route, e.resourceId, e.outcome, e.error?.status ?? null]),
        [
          ["POST", "/Users", created, "applied", null],
          ["PATCH", "/Users/:id", created, "applied", null],
          ["DELETE", "/Users/:id", "nosuchuser0123456789", "refused", 404],
          ["POST", "/Bulk", null, "applied", null],
        ],
      );
      assert.deepEqual(changesOf(entries[1]), { title: ["One", "Uno"] });
      assert.ok(entries.every((e) => e.actor === "okta-2026" && e.client === "okta"));
      assert.match(String(entries[3]?.detail), /3 operation\(s\), each an entry of its own/);
      assert.deepEqual(entries[3]?.zoomCalls, [], "every Zoom call belongs to an operation");
    });

    it("records a change deferred for a pending user, then its application on acceptance, linked to the request", async (t) => {
      await webhooksTo(h, true);
      t.after(() => webhooksTo(h, false));
      const id = await createPending(h, "pen@audit.example.com", { title: "Engineer" });
      const deferred = await h.scim("PATCH", `/Users/${id}`, patch({ op: "replace", path: "title", value: "Staff Engineer" }));
      assert.equal(deferred.status, 200, deferred.text);
      const deferringRequest = String(deferred.headers.get("x-request-id"));
      const mark = await h.mark();
      await h.simPost(`/_sim/users/${id}/accept-invitation`);
      const entries = await eventually("the deferred change's entry", async () => {
        const found = await auditViaApi(h, "", TOKEN, { resourceId: id });
        return found.some((e) => e.kind === "deferred" && e.outcome === "applied") && found.some((e) => e.kind === "webhook")
          ? found
          : undefined;
      });
      const [post, patchEntry] = entries;
      assert.equal(post?.outcome, "deferred", "the title waits for the invitation's acceptance");
      assert.deepEqual(changesOf(post).title, [null, "Engineer"]);
      assert.equal(post?.actor, "token-1", "the env token is named by its position");
      assert.deepEqual(
        [patchEntry?.method, patchEntry?.outcome, patchEntry?.requestId, patchEntry?.actor],
        ["PATCH", "deferred", deferringRequest, "token-1"],
      );
      assert.deepEqual(changesOf(patchEntry).title, ["Engineer", "Staff Engineer"]);
      assert.ok(
        patchEntry?.zoomCalls.every((c) => c.method === "GET"),
        "nothing was sent to Zoom for it yet",
      );

      // Zoom sends two events on acceptance (invitation_accepted, activated): one applies the change.
      const applied = entries.find((e) => e.kind === "deferred" && e.originRequestId === deferringRequest);
      const webhook = entries.find((e) => e.kind === "webhook" && e.requestId === applied?.requestId);
      assert.ok(webhook, "linked to the webhook delivery that triggered it");
      assert.equal(webhook.actor, "zoom-webhook");
      assert.equal(webhook.outcome, "applied");
      assert.match(String(webhook.detail), /Zoom event user\.(invitation_accepted|activated): applied/);
      assert.equal(applied?.actor, "token-1", "the deferred change is the deferring request's actor's");
      assert.equal(applied?.originRequestId, deferringRequest);
      assert.deepEqual(changesOf(applied).title, ["Engineer", "Staff Engineer"]);
      // The create's own deferred title is applied first, by an entry of its own linked to the POST.
      const fromCreate = entries.find((e) => e.kind === "deferred" && e.originRequestId === post?.requestId);
      assert.deepEqual(changesOf(fromCreate).title, [null, "Engineer"]);
      assert.equal(fromCreate?.requestId, webhook.requestId);
      const calls = (await h.callsSince(mark)).filter((c) => c.method !== "GET");
      assert.deepEqual(
        [fromCreate, applied].flatMap((e) => e?.zoomCalls.filter((c) => c.method !== "GET") ?? []),
        asAudited(calls),
        "the Zoom writes they made, in order, tracking ids and all",
      );
      assert.deepEqual(
        calls.map((c) => `${c.method} ${c.status}`),
        ["PATCH 204", "PATCH 204"],
      );
    });

    it("records the reconciler's application of a deferred change when no webhook came", async () => {
      const id = await createPending(h, "quiet@audit.example.com");
      const deferred = await h.scim("PATCH", `/Users/${id}`, patch({ op: "replace", path: "title", value: "Quiet" }));
      assert.equal(deferred.status, 200, deferred.text);
      await h.simPost(`/_sim/users/${id}/accept-invitation`);
      await h.server.reconciler.runAll();
      const entries = await auditViaApi(h, "", TOKEN, { resourceId: id });
      const pass = entries.find((e) => e.kind === "reconciler");
      const applied = entries.find((e) => e.kind === "deferred");
      assert.equal(pass?.actor, "zoom-scim");
      assert.match(String(pass?.requestId), /^reconcile-/);
      assert.equal(applied?.requestId, pass?.requestId);
      assert.equal(applied?.originRequestId, deferred.headers.get("x-request-id"));
      assert.deepEqual(changesOf(applied).title, [null, "Quiet"]);
    });

    it("records the circuit breaker's refusal, its opening and its release, by whom", async () => {
      const seeded = (await h.simPost("/_sim/seed", {
        users: [0, 1].map((n) => ({ email: `guard${n}@audit.example.com`, status: "active" })),
      })) as { users: { id: string }[] };
      const [first, second] = seeded.users.map((u) => u.id);
      const guard = (path: string) => `${h.server.url}/guard/scim/v2${path}`;
      const off = patch({ op: "replace", value: { active: false } });
      assert.equal((await h.scim("PATCH", guard(`/Users/${first}`), off, { token: GUARD_TOKEN })).status, 200);
      const refused = await h.scim("PATCH", guard(`/Users/${second}`), off, { token: GUARD_TOKEN });
      assert.equal(refused.status, 503, refused.text);
      const released = await h.scim("POST", `${h.server.url}/guard/admin/breaker/release`, undefined, { token: GUARD_TOKEN });
      assert.equal(released.status, 200, released.text);
      const entries = await auditViaApi(h, "/guard", GUARD_TOKEN);
      const refusal = entries.find((e) => e.resourceId === second);
      assert.equal(refusal?.outcome, "refused");
      assert.equal(refusal?.error?.status, 503);
      assert.match(String(refusal?.error?.detail), /circuit breaker/);
      assert.ok(
        refusal?.zoomCalls.every((c) => c.method === "GET"),
        "nothing was changed in Zoom",
      );
      const opened = entries.find((e) => e.method === "breaker.open");
      const release = entries.find((e) => e.method === "breaker.release");
      assert.equal(opened?.kind, "breaker");
      assert.equal(opened?.requestId, refused.headers.get("x-request-id"));
      assert.match(String(opened?.detail), /past the limit of 1/);
      assert.match(String(release?.actor), /^api:token-1 request /);
      assert.deepEqual(
        (await auditViaApi(h, "/acme", NEW_TOKEN)).filter((e) => e.tenant !== "acme"),
        [],
        "a tenant reads its own trail only",
      );
    });

    it("answers bad /admin/audit parameters with 400 and pages with an opaque cursor", async () => {
      const url = (query: string) => `${h.server.url}/acme/admin/audit?${query}`;
      // A write to an id that is not even valid percent-encoding is refused, and recorded with the id as sent.
      const hostile = await h.scim("PATCH", acme("/Users/%ED%A0%80"), patch({ op: "replace", path: "title", value: "X" }), {
        token: NEW_TOKEN,
      });
      assert.ok(hostile.status >= 400 && hostile.status < 500, hostile.text);
      const [recorded] = await auditViaApi(h, "/acme", NEW_TOKEN, { resourceId: "%ED%A0%80" });
      assert.deepEqual([recorded?.outcome, recorded?.error?.status], ["refused", hostile.status]);
      for (const [query, detail] of [
        ["since=yesterday", /since "yesterday" is neither a duration/],
        ["count=0", /count must be a whole number from 1 to 500/],
        ["count=501", /count must be a whole number/],
        ["cursor=bm90LW91cnM", /cursor is not one this endpoint gave/],
        ["user=ada", /Unknown parameter user/],
        ["resourceId=", /resourceId must be given once/],
      ] as const) {
        const answer = await h.scim("GET", url(query), undefined, { token: NEW_TOKEN });
        assert.equal(answer.status, 400, `${query}: ${answer.text}`);
        assert.match(String(answer.headers.get("content-type")), /json/);
        assert.match(String(answer.body.detail), detail);
      }
      assert.equal((await h.scim("GET", url(""), undefined, { token: null })).status, 401);
      assert.equal((await h.scim("GET", url(""), undefined, { token: GUARD_TOKEN })).status, 401, "another tenant's token");
      const whole = await auditViaApi(h, "/acme", NEW_TOKEN);
      const paged = await auditViaApi(h, "/acme", NEW_TOKEN, { count: "1" });
      assert.ok(whole.length >= 4);
      assert.deepEqual(paged, whole);
      const last = await h.scim("GET", url(`count=${whole.length}`), undefined, { token: NEW_TOKEN });
      assert.equal(last.body.next, null, "no cursor after the last page");
      const since = await auditViaApi(h, "/acme", NEW_TOKEN, { since: whole.at(-1)?.at ?? "" });
      assert.deepEqual(since.at(-1), whole.at(-1) as AuditEntry);
    });

    it("deletes entries past retention when it starts, and records nothing with the audit off", async () => {
      const old = new Date(Date.now() - 3 * 86_400_000).toISOString();
      const entry = (requestId: string, at: string) => ({
        at,
        tenant: "default",
        kind: "scim" as const,
        actor: "token-1",
        client: "other",
        requestId,
        originRequestId: null,
        method: "PATCH",
        route: "/Users/:id",
        resourceType: "User" as const,
        resourceId: "retained",
        userName: null,
        changes: [],
        zoomCalls: [],
        outcome: "applied" as const,
        error: null,
      });
      await h.server.store.audit.append(entry("from-three-days-ago", old));
      await h.server.store.audit.append(entry("from-yesterday", new Date(Date.now() - 86_400_000).toISOString()));
      await h.restartServer({ audit: { enabled: true, retentionDays: 2 } });
      assert.deepEqual(
        (await h.server.store.audit.list({ resourceId: "retained", limit: 10 })).map((e) => e.requestId),
        ["from-yesterday"],
        "pruned at start",
      );
      await h.restartServer({ audit: { enabled: false, retentionDays: 90 } });
      const seeded = (await h.simPost("/_sim/seed", { users: [{ email: "off@audit.example.com", status: "active" }] })) as {
        users: { id: string }[];
      };
      const id = seeded.users[0]?.id ?? "";
      const changed = await h.scim("PATCH", `/Users/${id}`, patch({ op: "replace", path: "title", value: "Unrecorded" }));
      assert.equal(changed.status, 200, changed.text);
      assert.deepEqual(await h.server.store.audit.list({ resourceId: id, limit: 10 }), []);
    });

    it("answers a write whose audit entry the store refuses as it would have, and logs the entry loudly", async () => {
      await h.restartServer({ audit: { enabled: true, retentionDays: 90 } });
      // A real refusal by the store: its table is gone (the last test here, as nothing is recorded after it).
      await backend.query(store, "DROP TABLE audit_entries");
      const seeded = (await h.simPost("/_sim/seed", { users: [{ email: "unaudited@audit.example.com", status: "active" }] })) as {
        users: { id: string }[];
      };
      const id = seeded.users[0]?.id ?? "";
      const changed = await h.scim("PATCH", `/Users/${id}`, patch({ op: "replace", path: "title", value: "Still applied" }));
      assert.equal(changed.status, 200, changed.text);
      assert.equal((await zoomUser(h, id))?.job_title, "Still applied", "Zoom has the change");
      const line = lines
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => String(l.msg).startsWith("AUDIT ENTRY NOT WRITTEN"));
      assert.ok(line, "an error line says the entry was not written");
      assert.equal(line.level, 50);
      const logged = line.auditEntry as { requestId?: unknown; resourceId?: unknown; changes?: unknown };
      assert.equal(logged.requestId, changed.headers.get("x-request-id"));
      assert.equal(logged.resourceId, id);
      assert.deepEqual(logged.changes, [{ attribute: "title", before: null, after: "Still applied" }]);
    });
  });
}
