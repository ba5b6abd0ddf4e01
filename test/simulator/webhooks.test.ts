import assert from "node:assert/strict";
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { Harness } from "./helpers.js";
import { assertSchema, fixture } from "./schemas.js";

const SECRET = "webhook-secret-token-123";

interface Received {
  event: string;
  payload: Record<string, unknown>;
  event_ts: number;
  signatureValid: boolean;
  timestamp: string;
  headers: Record<string, string | string[] | undefined>;
}

/** A receiver that checks each request the way Zoom's documentation tells apps to. */
function verify(secret: string, timestamp: string, raw: string, signature: string): boolean {
  const expected = Buffer.from(`v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${raw}`).digest("hex")}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function startReceiver(received: Received[]): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const body = JSON.parse(raw) as { event: string; payload: Record<string, unknown>; event_ts: number };
      if (body.event === "endpoint.url_validation") {
        const plainToken = body.payload.plainToken as string;
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ plainToken, encryptedToken: createHmac("sha256", SECRET).update(plainToken).digest("hex") }));
        return;
      }
      const timestamp = String(req.headers["x-zm-request-timestamp"] ?? "");
      const signature = String(req.headers["x-zm-signature"] ?? "");
      received.push({ ...body, signatureValid: verify(SECRET, timestamp, raw, signature), timestamp, headers: req.headers });
      res.writeHead(200);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/zoom/events` };
}

describe("webhooks", () => {
  let h: Harness;
  let receiver: Server;
  const received: Received[] = [];

  before(async () => {
    const r = await startReceiver(received);
    receiver = r.server;
    h = await Harness.start({ rateLimits: false, webhook: { url: r.url, secretToken: SECRET } });
  });
  after(async () => {
    await h.close();
    await new Promise((resolve) => receiver.close(resolve));
  });

  async function delivered(): Promise<void> {
    await h.control("GET", "/webhooks?wait=true");
  }

  function take(event: string): Received {
    const found = received.filter((r) => r.event === event);
    assert.ok(found.length > 0, `no ${event} received; got ${received.map((r) => r.event).join(", ")}`);
    return found[found.length - 1] as Received;
  }

  it("signs every event: x-zm-signature = v0=HMAC-SHA256(secret, v0:{timestamp}:{raw body}) in hex", async () => {
    await h.createUser("hooked@example.com", "ssoCreate");
    await delivered();
    const event = take("user.created");
    assert.equal(event.signatureValid, true);
    assert.match(event.timestamp, /^\d{10}$/);
    assert.ok(Math.abs(Number(event.timestamp) - Date.now() / 1000) < 60);
    assert.match(String(event.headers["x-zm-signature"]), /^v0=[0-9a-f]{64}$/);
    assert.equal(verify("some-other-secret", event.timestamp, JSON.stringify(event), String(event.headers["x-zm-signature"])), false);
  });

  it("sends user events shaped after Zoom's webhook schemas", async () => {
    const id = await h.createUser("life@example.com", "autoCreate", { type: 2 });
    await h.api("PATCH", `/users/${id}`, { body: { first_name: "Renamed", dept: "R&D" } });
    await h.api("PUT", `/users/${id}/status`, { body: { action: "deactivate" } });
    await h.api("PUT", `/users/${id}/status`, { body: { action: "activate" } });
    await h.api("PUT", `/users/${id}/email`, { body: { email: "life2@example.com" } });
    await h.api("DELETE", `/users/${id}?action=delete`);
    const other = await h.createUser("other@example.com");
    await h.api("DELETE", `/users/${other}`);
    await delivered();
    for (const event of ["user.created", "user.updated", "user.deactivated", "user.activated", "user.deleted", "user.disassociated"]) {
      const got = take(event);
      assert.equal(got.signatureValid, true, event);
      assertSchema(fixture.webhooks[event], { event: got.event, payload: got.payload, event_ts: got.event_ts }, event);
    }
    const updates = received.filter((r) => r.event === "user.updated").map((r) => r.payload);
    assert.ok(updates.some((p) => (p.object as Record<string, unknown>).first_name === "Renamed"));
    const emailChange = updates.find((p) => (p.object as Record<string, unknown>).email === "life2@example.com");
    assert.deepEqual(emailChange?.old_object, { id, email: "life@example.com" });
    assert.equal(take("user.created").payload.creation_type as string, "autoCreate");
  });

  it("sends user.invitation_accepted when an invitation is accepted", async () => {
    const id = await h.createUser("invited@example.com", "create");
    await h.control("POST", `/users/${id}/accept-invitation`);
    await delivered();
    const got = take("user.invitation_accepted");
    assert.equal(got.signatureValid, true);
    assertSchema(
      fixture.webhooks["user.invitation_accepted"],
      { event: got.event, payload: got.payload, event_ts: got.event_ts },
      "invitation",
    );
    assert.equal((got.payload.object as Record<string, unknown>).id, id);
    assert.equal(got.payload.account_id, h.sim.accountId);
  });

  it("sends group events", async () => {
    const groupId = await h.createGroup("Hooks");
    const userId = await h.createUser("grouped@example.com");
    await h.api("PATCH", `/groups/${groupId}`, { body: { name: "Hooks 2" } });
    await h.api("POST", `/groups/${groupId}/members`, { body: { members: [{ id: userId }] } });
    await h.api("DELETE", `/groups/${groupId}/members/${userId}`);
    await h.api("DELETE", `/groups/${groupId}`);
    await delivered();
    for (const event of ["group.created", "group.updated", "group.member_added", "group.member_deleted", "group.deleted"]) {
      const got = take(event);
      assert.equal(got.signatureValid, true, event);
      assertSchema(fixture.webhooks[event], { event: got.event, payload: got.payload, event_ts: got.event_ts }, event);
    }
    assert.deepEqual((take("group.member_added").payload.object as Record<string, unknown>).members, [
      { id: userId, email: "grouped@example.com" },
    ]);
  });

  it("keeps a delivery log and validates the endpoint like Zoom (endpoint.url_validation)", async () => {
    const log = await h.control<{ deliveries: { event: string; status: number }[] }>("GET", "/webhooks");
    assert.ok(log.body.deliveries.length >= 10);
    assert.ok(log.body.deliveries.every((d) => d.status === 200));
    const check = await h.control<{ ok: boolean }>("POST", "/webhooks/validate");
    assert.equal(check.body.ok, true);
  });
});
