// Simulator options, their defaults and Zoom's plan tables (docs/zoom-behaviour.md §2, §3, §6).

export type SimPlan = "free" | "pro" | "business";
export type RateCategory = "light" | "medium" | "heavy";

export interface LimitOverrides {
  /** Requests per second per category, replacing the plan's figure. */
  qps?: Partial<Record<RateCategory, number>>;
  /** Requests per day per category; `null` removes the plan's daily limit. */
  daily?: Partial<Record<RateCategory, number | null>>;
  /** `POST /users` with `action=create` per day (plan default: 50 / 1,500 / 10,000). */
  userCreatesPerDay?: number;
  /** `POST /groups` per day (default 100). */
  groupCreatesPerDay?: number;
  /** Groups an account may hold (default 5,000). */
  maxGroups?: number;
}

export interface SimDelays {
  /** How long a user create takes: with limits on, calls naming that email meanwhile get 429 (default 0 ms). */
  userCreateMs?: number;
  /** How long a user delete takes: with limits on, a second delete of that user meanwhile gets 429 (default 10 ms). */
  userDeleteMs?: number;
}

export interface SimulatorOptions {
  host?: string;
  port?: number;
  accountId?: string;
  clientId?: string;
  clientSecret?: string;
  plan?: SimPlan;
  rateLimits?: boolean;
  tokenTtlSeconds?: number;
  maxTokensPerApp?: number;
  pageTokenTtlSeconds?: number;
  scopes?: string[];
  autoAcceptInvitationsAfterMs?: number;
  webhook?: { url: string; secretToken: string };
  callLogLimit?: number;
  /** Email of the account owner the simulator creates on start and reset. */
  ownerEmail?: string;
  limits?: LimitOverrides;
  delays?: SimDelays;
  /** Licensed (type 2) seats; creating or converting past it answers 400/2034. Default unlimited. */
  licensedSeats?: number;
  /** Managed domains: their users cannot be disassociated (400/1107). Default none. */
  managedDomains?: string[];
  /** Store emails lower-cased, as Zoom is reported to (default true). */
  lowercaseEmails?: boolean;
  /**
   * Whether `POST /users` (action `create`) for an address whose invitation expired sends a fresh invitation
   * (201, the same user id) instead of 409/1005. Zoom documents neither; default false.
   */
  reinviteExpired?: boolean;
  /** Licence seats by kind; an absent kind is unlimited (docs/zoom-behaviour.md §11). */
  licences?: LicenceSeats;
  /** Zoom Phone answers Zoom does not document, each modelled both ways (docs/zoom-behaviour.md §10). */
  phone?: Partial<PhoneBehaviour>;
  /** Longest a `timeout` fault holds a request before dropping the connection (default 60,000 ms). */
  maxHoldMs?: number;
  /** Base clock in ms since the epoch (default Date.now); `/_sim/clock` adds an offset to it. */
  clock?: () => number;
}

/** Seats the account bought: Zoom Phone licences, Zoom One (`zoom_one_type`) and Zoom United (`plan_united_type`) plans by code, add-ons. */
export interface LicenceSeats {
  zoomPhone?: number;
  zoomOne?: Record<string, number>;
  planUnited?: Record<string, number>;
  webinar?: number;
  largeMeeting?: number;
  zoomEvents?: number;
}

export interface PhoneBehaviour {
  /** Whether deactivating a user (`PUT /users/{id}/status`) frees its phone numbers and calling plans (default false: they stay). */
  deactivationReleases: boolean;
  /** Whether a number of another site may be assigned to a user (default false: 400/300). */
  otherSiteNumbers: boolean;
  /** Whether turning the phone feature on assigns the lowest free extension of the main site (default true). */
  autoExtension: boolean;
}

export const DEFAULT_PHONE_BEHAVIOUR: PhoneBehaviour = { deactivationReleases: false, otherSiteNumbers: false, autoExtension: true };

export const DEFAULTS = {
  host: "127.0.0.1",
  port: 9090,
  accountId: "sim-account-0001",
  clientId: "sim-client-id",
  clientSecret: "sim-client-secret",
  plan: "pro" as SimPlan,
  tokenTtlSeconds: 3600,
  pageTokenTtlSeconds: 900,
  callLogLimit: 10_000,
  ownerEmail: "owner@sim.example.com",
  maxHoldMs: 60_000,
  userDeleteMs: 10,
  userCreateMs: 0,
} as const;

export interface CategoryLimit {
  qps: number;
  daily?: number;
}

/** Per-second and daily limits per plan and category (docs/zoom-behaviour.md §6). */
export const PLAN_LIMITS: Record<SimPlan, Record<RateCategory, CategoryLimit>> = {
  free: { light: { qps: 4, daily: 6000 }, medium: { qps: 2, daily: 2000 }, heavy: { qps: 1, daily: 1000 } },
  pro: { light: { qps: 30 }, medium: { qps: 20 }, heavy: { qps: 10, daily: 30_000 } },
  business: { light: { qps: 80 }, medium: { qps: 60 }, heavy: { qps: 40, daily: 60_000 } },
};

/** Daily cap on `action=create` (docs/zoom-behaviour.md §2). */
export const USER_CREATES_PER_DAY: Record<SimPlan, number> = { free: 50, pro: 1500, business: 10_000 };
export const GROUP_CREATES_PER_DAY = 100;
export const MAX_GROUPS = 5000;

/** The options after defaults; mutable at run time through `/_sim/config`. */
export interface SimConfig {
  accountId: string;
  clientId: string;
  clientSecret: string;
  plan: SimPlan;
  rateLimits: boolean;
  tokenTtlSeconds: number;
  maxTokensPerApp: number | undefined;
  pageTokenTtlSeconds: number;
  scopes: string[];
  autoAcceptInvitationsAfterMs: number | undefined;
  webhook: { url: string; secretToken: string } | undefined;
  callLogLimit: number;
  ownerEmail: string;
  limits: LimitOverrides;
  delays: Required<SimDelays>;
  licensedSeats: number | undefined;
  managedDomains: string[];
  lowercaseEmails: boolean;
  reinviteExpired: boolean;
  licences: LicenceSeats;
  phone: PhoneBehaviour;
  maxHoldMs: number;
}

export function resolveConfig(options: SimulatorOptions, knownScopes: string[]): SimConfig {
  return {
    accountId: options.accountId ?? DEFAULTS.accountId,
    clientId: options.clientId ?? DEFAULTS.clientId,
    clientSecret: options.clientSecret ?? DEFAULTS.clientSecret,
    plan: options.plan ?? DEFAULTS.plan,
    rateLimits: options.rateLimits ?? true,
    tokenTtlSeconds: options.tokenTtlSeconds ?? DEFAULTS.tokenTtlSeconds,
    maxTokensPerApp: options.maxTokensPerApp,
    pageTokenTtlSeconds: options.pageTokenTtlSeconds ?? DEFAULTS.pageTokenTtlSeconds,
    scopes: options.scopes ? [...options.scopes] : [...knownScopes],
    autoAcceptInvitationsAfterMs: options.autoAcceptInvitationsAfterMs,
    webhook: options.webhook ? { ...options.webhook } : undefined,
    callLogLimit: options.callLogLimit ?? DEFAULTS.callLogLimit,
    ownerEmail: options.ownerEmail ?? DEFAULTS.ownerEmail,
    limits: options.limits ?? {},
    delays: {
      userCreateMs: options.delays?.userCreateMs ?? DEFAULTS.userCreateMs,
      userDeleteMs: options.delays?.userDeleteMs ?? DEFAULTS.userDeleteMs,
    },
    licensedSeats: options.licensedSeats,
    managedDomains: (options.managedDomains ?? []).map((d) => d.toLowerCase()),
    lowercaseEmails: options.lowercaseEmails ?? true,
    reinviteExpired: options.reinviteExpired ?? false,
    licences: { ...options.licences },
    phone: { ...DEFAULT_PHONE_BEHAVIOUR, ...options.phone },
    maxHoldMs: options.maxHoldMs ?? DEFAULTS.maxHoldMs,
  };
}

export function categoryLimit(config: SimConfig, category: RateCategory): CategoryLimit {
  const base = PLAN_LIMITS[config.plan][category];
  const qps = config.limits.qps?.[category] ?? base.qps;
  const dailyOverride = config.limits.daily?.[category];
  const daily = dailyOverride === null ? undefined : (dailyOverride ?? base.daily);
  return daily === undefined ? { qps } : { qps, daily };
}

export function userCreatesPerDay(config: SimConfig): number {
  return config.limits.userCreatesPerDay ?? USER_CREATES_PER_DAY[config.plan];
}

export function groupCreatesPerDay(config: SimConfig): number {
  return config.limits.groupCreatesPerDay ?? GROUP_CREATES_PER_DAY;
}

export function maxGroups(config: SimConfig): number {
  return config.limits.maxGroups ?? MAX_GROUPS;
}
