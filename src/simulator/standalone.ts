// Standalone entry (`npm run simulator`, `zoom-scim simulate`): flags, each with an
// environment-variable twin (flags win), checked with clear messages.
import { DEFAULTS, type SimPlan, type SimulatorOptions } from "./options.js";
import { demoSeed, type SeedRequest } from "./control/seed.js";
import { startSimulator, type RunningSimulator } from "./index.js";

interface FlagSpec {
  flag: string;
  env: string;
  /** Takes no value (boolean switch). */
  switch?: boolean;
  help: string;
}

export const STANDALONE_FLAGS: readonly FlagSpec[] = [
  { flag: "--port", env: "ZOOM_SIM_PORT", help: `port to listen on (default ${DEFAULTS.port}; 0 = any free port)` },
  { flag: "--host", env: "ZOOM_SIM_HOST", help: `interface to listen on (default ${DEFAULTS.host})` },
  { flag: "--account-id", env: "ZOOM_SIM_ACCOUNT_ID", help: `account id clients must send (default ${DEFAULTS.accountId})` },
  { flag: "--client-id", env: "ZOOM_SIM_CLIENT_ID", help: `OAuth client id (default ${DEFAULTS.clientId})` },
  { flag: "--client-secret", env: "ZOOM_SIM_CLIENT_SECRET", help: `OAuth client secret (default ${DEFAULTS.clientSecret})` },
  { flag: "--plan", env: "ZOOM_SIM_PLAN", help: "free | pro | business (default pro): sizes the rate limits" },
  { flag: "--no-rate-limits", env: "ZOOM_SIM_RATE_LIMITS", switch: true, help: "switch every limit off (env: ZOOM_SIM_RATE_LIMITS=false)" },
  { flag: "--token-ttl", env: "ZOOM_SIM_TOKEN_TTL", help: `access token lifetime in seconds (default ${DEFAULTS.tokenTtlSeconds})` },
  {
    flag: "--max-tokens",
    env: "ZOOM_SIM_MAX_TOKENS",
    help: "concurrently valid tokens per app (default unlimited; 1 = a new token revokes the previous)",
  },
  {
    flag: "--page-token-ttl",
    env: "ZOOM_SIM_PAGE_TOKEN_TTL",
    help: `next_page_token lifetime in seconds (default ${DEFAULTS.pageTokenTtlSeconds})`,
  },
  {
    flag: "--auto-accept-ms",
    env: "ZOOM_SIM_AUTO_ACCEPT_MS",
    help: "accept invitations automatically after this many ms (default: never)",
  },
  { flag: "--webhook-url", env: "ZOOM_SIM_WEBHOOK_URL", help: "post signed events to this URL (default: none)" },
  { flag: "--webhook-secret", env: "ZOOM_SIM_WEBHOOK_SECRET", help: "the webhook secret token (required with --webhook-url)" },
  { flag: "--scopes", env: "ZOOM_SIM_SCOPES", help: "comma-separated scopes granted to the app (default: all the simulator knows)" },
  { flag: "--call-log-limit", env: "ZOOM_SIM_CALL_LOG_LIMIT", help: `calls kept in the call log (default ${DEFAULTS.callLogLimit})` },
  { flag: "--seed-demo", env: "ZOOM_SIM_SEED_DEMO", switch: true, help: "start with a few demo users, groups and a custom role" },
  { flag: "--generate-users", env: "ZOOM_SIM_GENERATE_USERS", help: "start with N generated active users user1@example.com … (default 0)" },
];

export const STANDALONE_USAGE = `Usage: zoom-scim simulate [flags]    (or: npm run simulator -- [flags])

Runs the Zoom API simulator. Every flag is optional and has an environment-variable twin; flags win.

${STANDALONE_FLAGS.map((f) => `  ${(f.flag + (f.switch ? "" : " <value>")).padEnd(26)} ${f.env.padEnd(24)} ${f.help}`).join("\n")}
`;

/** Thrown for --help: its message is the usage text. */
export class StandaloneUsageError extends Error {
  constructor() {
    super(STANDALONE_USAGE);
  }
}

export interface StandaloneSettings {
  options: SimulatorOptions;
  seed: SeedRequest | undefined;
}

function intIn(name: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer between ${min} and ${max}`;
    throw new Error(`Invalid ${name} "${raw}": expected ${range}.`);
  }
  return n;
}

function bool(name: string, raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(v)) return true;
  if (["0", "false", "no", "off"].includes(v)) return false;
  throw new Error(`Invalid ${name} "${raw}": expected true or false.`);
}

/** Collects flag values (`--flag value` or `--flag=value`), then fills gaps from the environment. */
function collect(argv: string[], env: NodeJS.ProcessEnv): Map<FlagSpec, { raw: string; name: string }> {
  const values = new Map<FlagSpec, { raw: string; name: string }>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--help" || arg === "-h") throw new StandaloneUsageError();
    const eq = arg.indexOf("=");
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const spec = STANDALONE_FLAGS.find((f) => f.flag === flag);
    if (!spec) throw new Error(`Unknown flag "${arg}". Run with --help for the list of flags.`);
    if (spec.switch) {
      if (eq > 0) throw new Error(`Flag ${flag} takes no value.`);
      values.set(spec, { raw: "true", name: flag });
      continue;
    }
    let raw: string | undefined;
    if (eq > 0) raw = arg.slice(eq + 1);
    else {
      raw = argv[i + 1];
      i += 1;
    }
    if (raw === undefined || (eq < 0 && raw.startsWith("--"))) throw new Error(`Flag ${flag} needs a value.`);
    values.set(spec, { raw, name: flag });
  }
  for (const spec of STANDALONE_FLAGS) {
    const raw = env[spec.env];
    if (!values.has(spec) && raw !== undefined && raw !== "") values.set(spec, { raw, name: spec.env });
  }
  return values;
}

export function parseStandaloneArgs(argv: string[], env: NodeJS.ProcessEnv): StandaloneSettings {
  const values = collect(argv, env);
  const get = (flag: string): { raw: string; name: string } | undefined => {
    const spec = STANDALONE_FLAGS.find((f) => f.flag === flag);
    return spec ? values.get(spec) : undefined;
  };
  const options: SimulatorOptions = {};
  const text = (flag: string): string | undefined => {
    const v = get(flag);
    if (v && v.raw.trim() === "") throw new Error(`Invalid ${v.name}: it must not be empty.`);
    return v?.raw.trim();
  };
  const int = (flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined => {
    const v = get(flag);
    return v ? intIn(v.name, v.raw, min, max) : undefined;
  };

  const port = int("--port", 0, 65535);
  if (port !== undefined) options.port = port;
  const host = text("--host");
  if (host !== undefined) options.host = host;
  const accountId = text("--account-id");
  if (accountId !== undefined) options.accountId = accountId;
  const clientId = text("--client-id");
  if (clientId !== undefined) options.clientId = clientId;
  const clientSecret = text("--client-secret");
  if (clientSecret !== undefined) options.clientSecret = clientSecret;
  const plan = get("--plan");
  if (plan) {
    const p = plan.raw.trim().toLowerCase();
    if (p !== "free" && p !== "pro" && p !== "business")
      throw new Error(`Invalid ${plan.name} "${plan.raw}": expected free, pro or business.`);
    options.plan = p as SimPlan;
  }
  const limits = get("--no-rate-limits");
  if (limits) {
    // The flag switches limits off; its environment twin says whether limits are on.
    options.rateLimits = limits.name === "--no-rate-limits" ? false : bool(limits.name, limits.raw);
  }
  const ttl = int("--token-ttl", 1);
  if (ttl !== undefined) options.tokenTtlSeconds = ttl;
  const maxTokens = int("--max-tokens", 1);
  if (maxTokens !== undefined) options.maxTokensPerApp = maxTokens;
  const pageTtl = int("--page-token-ttl", 1);
  if (pageTtl !== undefined) options.pageTokenTtlSeconds = pageTtl;
  const autoAccept = int("--auto-accept-ms", 0);
  if (autoAccept !== undefined) options.autoAcceptInvitationsAfterMs = autoAccept;
  const callLog = int("--call-log-limit", 1);
  if (callLog !== undefined) options.callLogLimit = callLog;
  const scopes = get("--scopes");
  if (scopes)
    options.scopes = scopes.raw
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");

  const webhookUrl = get("--webhook-url");
  const webhookSecret = get("--webhook-secret");
  if (webhookUrl) {
    let url: URL;
    try {
      url = new URL(webhookUrl.raw.trim());
    } catch {
      throw new Error(`Invalid ${webhookUrl.name} "${webhookUrl.raw}": expected an http(s) URL.`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new Error(`Invalid ${webhookUrl.name} "${webhookUrl.raw}": expected an http(s) URL.`);
    }
    if (!webhookSecret || webhookSecret.raw.trim() === "") {
      throw new Error("--webhook-url needs --webhook-secret (ZOOM_SIM_WEBHOOK_SECRET): Zoom signs every event with it.");
    }
    options.webhook = { url: url.toString(), secretToken: webhookSecret.raw.trim() };
  } else if (webhookSecret) {
    throw new Error(`${webhookSecret.name} is set but no webhook URL (--webhook-url / ZOOM_SIM_WEBHOOK_URL) is.`);
  }

  let seed: SeedRequest | undefined;
  const demo = get("--seed-demo");
  if (demo && (demo.name === "--seed-demo" || bool(demo.name, demo.raw))) seed = demoSeed();
  const generate = int("--generate-users", 0, 1_000_000);
  if (generate) seed = { ...seed, generate: { count: generate, returnIds: false } };
  return { options, seed };
}

export async function runStandalone(
  argv: string[],
  env: NodeJS.ProcessEnv,
  print: (line: string) => void = (line) => console.log(line),
): Promise<RunningSimulator> {
  const { options, seed } = parseStandaloneArgs(argv, env);
  const sim = await startSimulator(options);
  if (seed) sim.seed(seed);
  print(`Zoom API simulator listening on ${sim.baseUrl}`);
  print(`  API base URL:   ${sim.apiUrl}`);
  print(`  OAuth token:    ${sim.oauthUrl}`);
  print(`  Account ID:     ${sim.accountId}`);
  print(`  Client ID:      ${sim.clientId}`);
  print(`  Client secret:  ${sim.clientSecret}`);
  print(`  Plan:           ${options.plan ?? DEFAULTS.plan}, rate limits ${options.rateLimits === false ? "off" : "on"}`);
  if (options.webhook) print(`  Webhooks to:    ${options.webhook.url}`);
  print(`  Control plane:  ${sim.baseUrl}/_sim/  (see docs/simulator.md)`);
  return sim;
}
