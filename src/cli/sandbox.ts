// Sandbox mode: the built-in Zoom simulator stands in for Zoom, seeded with a few demo users and groups.
// The simulator is imported here only, so a production server never loads it.
import type { ZoomAppConfig } from "../config/types.js";
import type { RunningServer } from "../server.js";

export interface SandboxZoom {
  zoomApp: ZoomAppConfig;
  simulatorUrl: string;
  close(): Promise<void>;
}

/** How long a sandbox invitation waits before it is accepted, so the pending → active lifecycle shows by itself. */
const SANDBOX_ACCEPT_AFTER_MS = 60_000;

export async function startSandboxZoom(env: NodeJS.ProcessEnv): Promise<SandboxZoom> {
  const { startSimulator, seed, demoSeed } = await import("../simulator/index.js");
  const simulator = await startSimulator({
    port: env.ZOOM_SIM_PORT ? Number(env.ZOOM_SIM_PORT) : 0,
    autoAcceptInvitationsAfterMs: env.ZOOM_SIM_AUTO_ACCEPT_MS ? Number(env.ZOOM_SIM_AUTO_ACCEPT_MS) : SANDBOX_ACCEPT_AFTER_MS,
  });
  // The same demo data as the standalone simulator's --seed-demo: one demo seed for every way of starting it.
  seed(simulator, demoSeed());
  return {
    zoomApp: {
      accountId: simulator.accountId,
      clientId: simulator.clientId,
      clientSecret: simulator.clientSecret,
      apiUrl: simulator.apiUrl,
      oauthUrl: simulator.oauthUrl,
      plan: "pro",
    },
    simulatorUrl: simulator.baseUrl,
    close: () => simulator.close(),
  };
}

/**
 * Points the simulator's signed webhooks at the server, so that an accepted invitation applies the user's waiting
 * changes at once, as with a real Zoom app whose event subscription names the server.
 */
export async function connectSandboxWebhooks(server: RunningServer, sandbox: SandboxZoom, secretToken: string): Promise<void> {
  const answer = await fetch(`${sandbox.simulatorUrl}/_sim/config`, {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ webhook: { url: `${server.url}/webhooks/zoom`, secretToken } }),
  });
  if (!answer.ok) throw new Error(`sandbox: configuring the simulator's webhooks failed with ${answer.status}: ${await answer.text()}`);
}

export function sandboxBanner(server: RunningServer, sandbox: SandboxZoom, token: string): string {
  const base = `http://localhost:${server.port}/scim/v2`;
  const auth = `-H "Authorization: Bearer ${token}"`;
  return [
    "",
    "zoom-scim is running in SANDBOX mode: no Zoom credentials are set, so a built-in Zoom simulator stands in for Zoom.",
    `  SCIM base URL   ${base}`,
    `  Bearer token    ${token}`,
    `  Zoom simulator  ${sandbox.simulatorUrl}  (its control plane: ${sandbox.simulatorUrl}/_sim/calls, /_sim/seed …)`,
    "",
    "Try:",
    `  curl -s ${auth} ${base}/Users`,
    `  curl -s ${auth} '${base}/Users?filter=userName%20eq%20%22alice@example.com%22'`,
    `  curl -s ${auth} -H 'Content-Type: application/scim+json' -X POST ${base}/Users \\`,
    `       -d '{"userName":"new.person@example.com","name":{"givenName":"New","familyName":"Person"}}'`,
    "",
    "Set ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET and SCIM_BEARER_TOKEN to serve a real Zoom account.",
    "",
  ].join("\n");
}
