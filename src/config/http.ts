// HTTP settings from the environment: what one request may cost, and which proxies' X-Forwarded-* are believed.
import { isIP } from "node:net";
import { DEFAULT_HTTP_LIMITS, type HttpConfig, type HttpLimits, type TrustProxy } from "./types.js";

type Env = Record<string, string | undefined>;

/** Each limit and the environment variable that sets it. */
export const HTTP_LIMIT_VARIABLES: Readonly<Record<keyof HttpLimits, string>> = {
  maxBodyBytes: "SCIM_MAX_BODY_BYTES",
  maxWebhookBodyBytes: "SCIM_MAX_WEBHOOK_BODY_BYTES",
  maxJsonDepth: "SCIM_MAX_JSON_DEPTH",
  maxStringBytes: "SCIM_MAX_STRING_BYTES",
  maxUrlBytes: "SCIM_MAX_URL_BYTES",
  maxHeaderBytes: "SCIM_MAX_HEADER_BYTES",
};

/** Names express's 'trust proxy' understands besides addresses. */
const PROXY_NAMES = new Set(["loopback", "linklocal", "uniquelocal"]);

function limit(problems: (message: string) => void, name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) {
    problems(`${name} is "${raw}"; use a positive whole number (default ${fallback})`);
    return fallback;
  }
  return value;
}

function validProxyEntry(entry: string): boolean {
  if (PROXY_NAMES.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split("/");
  if (rest.length > 0 || !address) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  // A prefix length, or an IPv4 netmask such as 255.255.255.0.
  if (/^\d{1,3}$/.test(prefix)) return Number(prefix) <= (family === 4 ? 32 : 128);
  return family === 4 && isIP(prefix) === 4;
}

/** SCIM_TRUST_PROXY: off/false (default), on/true (any proxy), a hop count, or a comma-separated address/subnet list. */
export function trustProxy(problems: (message: string) => void, raw: string | undefined): TrustProxy {
  const text = (raw ?? "").trim();
  const lower = text.toLowerCase();
  if (text === "" || ["false", "off", "no", "0"].includes(lower)) return false;
  if (["true", "on", "yes"].includes(lower)) return true;
  if (/^\d+$/.test(text)) return Number(text);
  const entries = text.split(",").map((e) => e.trim());
  if (entries.every(validProxyEntry)) return entries.join(",");
  problems(`SCIM_TRUST_PROXY is "${text}"; use false, true, a hop count, or proxy addresses/subnets such as "loopback, 10.0.0.0/8"`);
  return false;
}

export function httpConfig(problems: (message: string) => void, env: Env): HttpConfig {
  const limits = { ...DEFAULT_HTTP_LIMITS };
  for (const key of Object.keys(HTTP_LIMIT_VARIABLES) as (keyof HttpLimits)[]) {
    limits[key] = limit(problems, HTTP_LIMIT_VARIABLES[key], env[HTTP_LIMIT_VARIABLES[key]], DEFAULT_HTTP_LIMITS[key]);
  }
  // TRUST_PROXY is accepted as an alias (issue 13's name for it); SCIM_TRUST_PROXY wins when both are set.
  return { trustProxy: trustProxy(problems, env.SCIM_TRUST_PROXY ?? env.TRUST_PROXY), limits };
}
