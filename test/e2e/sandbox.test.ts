// README's first command: `npm start` with no Zoom credentials serves SCIM against the built-in simulator
// and prints how to call it. Run here as the same command line npm start runs, in a child process.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { after, it } from "node:test";

let child: ChildProcess | undefined;
after(async () => {
  if (child && child.exitCode === null) {
    child.kill("SIGTERM");
    await once(child, "exit");
  }
});

it("starts in sandbox mode, prints the base URL, token and a curl example, and serves the demo users", async () => {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: "0", LOG_LEVEL: "warn" };
  for (const key of ["ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET", "ZOOM_SCIM_CONFIG", "SCIM_BEARER_TOKEN", "ZOOM_SCIM_DB"])
    delete env[key];
  child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "serve"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 30_000;
  while (!/Bearer token\s+\S+/.test(output) && Date.now() < deadline && child.exitCode === null)
    await new Promise((r) => setTimeout(r, 100));
  assert.match(output, /SANDBOX mode/, output);
  const base = /SCIM base URL\s+(\S+)/.exec(output)?.[1];
  const token = /Bearer token\s+(\S+)/.exec(output)?.[1];
  assert.ok(base && token, output);
  assert.match(output, /curl -s -H "Authorization: Bearer /);

  const users = await fetch(`${base}/Users`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(users.status, 200);
  const body = (await users.json()) as { totalResults: number; Resources: { userName: string }[] };
  assert.ok(
    body.Resources.some((u) => u.userName === "alice@example.com"),
    JSON.stringify(body).slice(0, 500),
  );
  const refused = await fetch(`${base}/Users`, { headers: { authorization: "Bearer wrong" } });
  assert.equal(refused.status, 401);
});
