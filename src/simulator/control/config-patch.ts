// `PATCH /_sim/config`: changes run-time settings of a running simulator.
import { isRecord } from "../http-io.js";
import type { SimConfig } from "../options.js";

type Check = (value: unknown) => boolean;

const nonNegInt: Check = (v) => Number.isInteger(v) && (v as number) >= 0;
const posInt: Check = (v) => Number.isInteger(v) && (v as number) >= 1;
const orNull =
  (c: Check): Check =>
  (v) =>
    v === null || c(v);
const bool: Check = (v) => typeof v === "boolean";
const strings: Check = (v) => Array.isArray(v) && v.every((s) => typeof s === "string");
const webhook: Check = (v) =>
  v === null ||
  (isRecord(v) && typeof v.url === "string" && /^https?:\/\//.test(v.url) && typeof v.secretToken === "string" && v.secretToken !== "");
const numbersIn =
  (keys: string[], allowNull: boolean): Check =>
  (v) =>
    isRecord(v) && Object.entries(v).every(([k, x]) => keys.includes(k) && (nonNegInt(x) || (allowNull && x === null)));

const CHECKS: Record<string, Check> = {
  plan: (v) => v === "free" || v === "pro" || v === "business",
  rateLimits: bool,
  tokenTtlSeconds: posInt,
  maxTokensPerApp: orNull(posInt),
  pageTokenTtlSeconds: posInt,
  scopes: strings,
  autoAcceptInvitationsAfterMs: orNull(nonNegInt),
  webhook,
  callLogLimit: posInt,
  ownerEmail: () => false,
  limits: (v) =>
    isRecord(v) &&
    Object.entries(v).every(([k, x]) => {
      if (k === "qps") return numbersIn(["light", "medium", "heavy"], false)(x);
      if (k === "daily") return numbersIn(["light", "medium", "heavy"], true)(x);
      return ["userCreatesPerDay", "groupCreatesPerDay", "maxGroups"].includes(k) && nonNegInt(x);
    }),
  delays: numbersIn(["userCreateMs", "userDeleteMs"], false),
  licensedSeats: orNull(nonNegInt),
  managedDomains: strings,
  lowercaseEmails: bool,
  reinviteExpired: bool,
  maxHoldMs: nonNegInt,
  licences: (v) =>
    isRecord(v) &&
    Object.entries(v).every(([k, x]) => {
      if (k === "zoomOne" || k === "planUnited") return x === null || (isRecord(x) && Object.values(x).every(nonNegInt));
      return ["zoomPhone", "webinar", "largeMeeting", "zoomEvents"].includes(k) && orNull(nonNegInt)(x);
    }),
  phone: (v) =>
    isRecord(v) &&
    Object.entries(v).every(([k, x]) => ["deactivationReleases", "otherSiteNumbers", "autoExtension"].includes(k) && bool(x)),
};

/** Applies `patch` to `config`; returns an error message, or undefined when applied. */
export function patchConfig(config: SimConfig, patch: unknown): string | undefined {
  if (!isRecord(patch)) return "config patch must be a JSON object";
  for (const [key, value] of Object.entries(patch)) {
    const check = CHECKS[key];
    if (!check) return `unknown or read-only setting: ${key}`;
    if (!check(value)) return `invalid value for ${key}: ${JSON.stringify(value)}`;
  }
  const target = config as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch)) {
    if (key === "delays") Object.assign(config.delays, value);
    else if (key === "phone") Object.assign(config.phone, value);
    else if (key === "licences") {
      // null removes a kind's cap.
      for (const [kind, seats] of Object.entries(value as Record<string, unknown>)) {
        const caps = config.licences as Record<string, unknown>;
        if (seats === null) delete caps[kind];
        else caps[kind] = seats;
      }
    } else if (key === "limits") config.limits = { ...config.limits, ...(value as SimConfig["limits"]) };
    else if (key === "managedDomains") config.managedDomains = (value as string[]).map((d) => d.toLowerCase());
    else target[key] = value === null ? undefined : value;
  }
  return undefined;
}

/** The config as JSON, without the webhook secret and client secret. */
export function publicConfig(config: SimConfig): Record<string, unknown> {
  return {
    ...config,
    clientSecret: "(hidden)",
    webhook: config.webhook ? { url: config.webhook.url, secretToken: "(hidden)" } : null,
  };
}
