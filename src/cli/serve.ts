// `zoom-scim serve`: starts the SCIM server; with no Zoom credentials, against the built-in Zoom simulator.
import { randomBytes } from "node:crypto";
import { ConfigError, loadConfig } from "../config/load.js";
import type { AppConfig } from "../config/types.js";
import { startServer, type RunningServer } from "../server.js";
import { connectSandboxWebhooks, sandboxBanner, startSandboxZoom, type SandboxZoom } from "./sandbox.js";

export async function serve(env: NodeJS.ProcessEnv): Promise<{ server: RunningServer; sandbox?: SandboxZoom }> {
  let config: AppConfig;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  let sandbox: SandboxZoom | undefined;
  // The simulator signs its webhooks with this; the default tenant verifies them with it.
  const sandboxWebhookSecret = randomBytes(16).toString("base64url");
  if (config.sandbox) {
    sandbox = await startSandboxZoom(env);
    config = {
      ...config,
      storePath: env.ZOOM_SCIM_DB || ":memory:",
      tenants: config.tenants.map((t) => ({
        ...t,
        zoom: sandbox!.zoomApp,
        webhookSecretToken: t.webhookSecretToken ?? sandboxWebhookSecret,
      })),
    };
  }
  const server = await startServer(config);
  if (sandbox) await connectSandboxWebhooks(server, sandbox, config.tenants[0]?.webhookSecretToken ?? sandboxWebhookSecret);
  if (sandbox && config.sandboxToken) process.stdout.write(sandboxBanner(server, sandbox, config.sandboxToken));
  else server.logger.info({ url: server.url, tenants: config.tenants.map((t) => t.name) }, "zoom-scim listening");
  const stop = async (): Promise<void> => {
    await server.close();
    await sandbox?.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
  return { server, ...(sandbox ? { sandbox } : {}) };
}
