// PostgreSQL becomes unreachable under a running server (a TCP proxy in front of it is cut): readiness fails and
// writes answer 503 with a detail that says so; once it is back, both recover without a restart.
import assert from "node:assert/strict";
import { createServer, connect, type Server, type Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import { startHarness, type Harness } from "../helpers/harness.js";
import { CORE } from "../helpers/pending.js";
import { storeBackends } from "../helpers/stores.js";

const postgres = storeBackends().find((b) => b.name === "postgres");
let h: Harness;
let proxy: Server | undefined;
const sockets = new Set<Socket>();
let proxyPort = 0;
let target: URL;

function openProxy(port: number): Promise<number> {
  return new Promise((resolve) => {
    proxy = createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
        socket.on("error", () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    proxy.listen(port, "127.0.0.1", () => {
      const address = proxy?.address();
      resolve(typeof address === "object" && address ? address.port : 0);
    });
  });
}

async function cutProxy(): Promise<void> {
  const closing = new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
  for (const socket of sockets) socket.destroy();
  await closing;
}

before(async () => {
  assert.ok(postgres);
  target = new URL(await postgres.location("down"));
  proxyPort = await openProxy(0);
  const proxied = new URL(target);
  proxied.hostname = "127.0.0.1";
  proxied.port = String(proxyPort);
  h = await startHarness({ env: { ZOOM_SCIM_DB: proxied.toString(), ZOOM_CREATE_ACTION: "autoCreate" } });
});

after(async () => {
  await h?.close();
  await cutProxy();
});

const create = (email: string) =>
  h.scim("POST", "/Users", { schemas: [CORE], userName: email, name: { givenName: "Down", familyName: "D" } });

describe("PostgreSQL unreachable", () => {
  it("readiness fails and writes answer 503 with a clear detail; both recover when it is back", async () => {
    assert.equal((await h.scim("GET", `${h.server.url}/readyz`)).status, 200);
    assert.equal((await create("before.down@example.com")).status, 201);

    await cutProxy();
    const ready = await h.scim("GET", `${h.server.url}/readyz`);
    assert.equal(ready.status, 503, ready.text);
    const refused = await create("while.down@example.com");
    assert.equal(refused.status, 503, refused.text);
    assert.match(String(refused.body.detail), /store \(PostgreSQL\) is unreachable/);
    assert.equal(refused.headers.get("retry-after"), "5");

    await openProxy(proxyPort);
    assert.equal((await h.scim("GET", `${h.server.url}/readyz`)).status, 200);
    // The create asked again completes (its lost answer is what intents are for, if Zoom made the user).
    const again = await create("while.down@example.com");
    assert.ok(again.status === 201, again.text);
  });
});
