// Zoom's own API on the simulator, as an admin changing things in Zoom directly (behind zoom-scim's back) uses it.
import assert from "node:assert/strict";
import type { RunningSimulator } from "../../src/simulator/index.js";

export async function zoomDirect(sim: RunningSimulator, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const basic = Buffer.from(`${sim.clientId}:${sim.clientSecret}`).toString("base64");
  const tokenAnswer = await fetch(sim.oauthUrl, {
    method: "POST",
    headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
    body: `grant_type=account_credentials&account_id=${sim.accountId}`,
  });
  const { access_token: token } = (await tokenAnswer.json()) as { access_token: string };
  const answer = await fetch(`${sim.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await answer.text();
  assert.ok(answer.ok, `Zoom ${method} ${path} answered ${answer.status}: ${text}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}
