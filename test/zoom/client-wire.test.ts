// What goes over the wire, seen by a bare HTTP server: headers, the OAuth form, and Zoom's answer variants that the
// simulator does not produce (status 200 with a body on status calls, `ids` as an array, a 2xx without a body).

import assert from "node:assert/strict";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { ZoomError, createZoomClient, type ZoomClient } from "../../src/zoom/index.js";

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

type Answer = { status: number; body?: unknown };

describe("Zoom client on the wire", () => {
  let server: Server;
  let base: string;
  let client: ZoomClient;
  const seen: Seen[] = [];
  const answers = new Map<string, Answer>();

  before(async () => {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
        const path = (req.url ?? "").split("?")[0] ?? "";
        const answer: Answer =
          path === "/oauth/token"
            ? { status: 200, body: { access_token: "tok-abc", token_type: "bearer", expires_in: 3600 } }
            : (answers.get(`${req.method} ${path}`) ?? { status: 404, body: { code: 1001, message: "nope" } });
        if (answer.body === undefined) {
          res.writeHead(answer.status).end();
        } else {
          res.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(answer.body));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    client = createZoomClient({
      apiUrl: `${base}/v2/`,
      oauthUrl: `${base}/oauth/token`,
      accountId: "acc-wire",
      clientId: "cid-wire",
      clientSecret: "secret-wire",
      plan: "business",
    });
  });
  after(async () => {
    client.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("asks for a token with Basic credentials and the account_credentials form, and calls with the bearer", async () => {
    answers.set("PUT /v2/users/u1/status", { status: 200, body: {} });
    await client.setUserStatus("u1", "deactivate");
    const [oauth, call] = seen;
    assert.ok(oauth && call);
    assert.equal(oauth.method, "POST");
    assert.equal(oauth.url, "/oauth/token");
    assert.equal(oauth.headers.authorization, `Basic ${Buffer.from("cid-wire:secret-wire").toString("base64")}`);
    assert.equal(oauth.headers["content-type"], "application/x-www-form-urlencoded");
    assert.deepEqual(Object.fromEntries(new URLSearchParams(oauth.body)), { grant_type: "account_credentials", account_id: "acc-wire" });

    assert.equal(call.url, "/v2/users/u1/status");
    assert.equal(call.headers.authorization, "Bearer tok-abc");
    assert.equal(call.headers["content-type"], "application/json");
    assert.deepEqual(JSON.parse(call.body), { action: "deactivate" });
    for (const request of seen) assert.equal(request.headers["user-agent"], "zoom-scim/0.1");
  });

  it("accepts ids as an array and add-members or assign answers without a body", async () => {
    answers.set("POST /v2/groups/g1/members", { status: 201, body: { ids: ["a", "b"], added_at: "2026-03-01T00:00:00Z" } });
    assert.deepEqual(await client.addGroupMembers("g1", ["a", "b"]), { ids: ["a", "b"], added_at: "2026-03-01T00:00:00Z" });
    answers.set("POST /v2/groups/g1/members", { status: 204 });
    assert.deepEqual(await client.addGroupMembers("g1", ["a"]), { ids: ["a"] });
    answers.set("POST /v2/roles/r1/members", { status: 201 });
    await client.assignRole("r1", ["a"]);
  });

  it("refuses a created group without an id", async () => {
    answers.set("POST /v2/groups", { status: 201 });
    await assert.rejects(() => client.createGroup("No body"), ZoomError);
    answers.set("POST /v2/groups", { status: 201, body: { name: "No id" } });
    await assert.rejects(() => client.createGroup("No id"), ZoomError);
  });

  it("makes no call for an empty batch", async () => {
    const before = seen.length;
    assert.deepEqual(await client.addGroupMembers("g1", []), { ids: [] });
    await client.assignRole("r1", []);
    assert.equal(seen.length, before);
  });

  it("reads list answers that leave out optional fields", async () => {
    answers.set("GET /v2/groups", { status: 200, body: { groups: [{ id: "g1", name: "One", total_members: 1 }, "junk"] } });
    assert.deepEqual(await client.listGroups(), { groups: [{ id: "g1", name: "One", total_members: 1 }], total_records: 0 });
    answers.set("GET /v2/users", { status: 200, body: { users: [] } });
    assert.deepEqual(await client.listUsers({ status: "active" }), { page_size: 30, total_records: 0, next_page_token: "", users: [] });
  });

  it("stops paging when Zoom repeats a page token", async () => {
    answers.set("GET /v2/roles/r9/members", {
      status: 200,
      body: { members: [{ id: "x", email: "x@example.com" }], next_page_token: "same" },
    });
    const members = await client.listAllRoleMembers("r9");
    assert.equal(members.length, 2);
    const calls = seen.filter((s) => s.url.startsWith("/v2/roles/r9/members"));
    assert.equal(calls.length, 2);
    assert.match(calls[0]?.url ?? "", /page_size=300/);
    assert.match(calls[1]?.url ?? "", /next_page_token=same/);
  });
});
