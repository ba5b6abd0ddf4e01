import type { ZoomCreateAction, ZoomPlan, ZoomUserType } from "../zoom/types.js";

// One definition: the store records the mode with each tombstone.
import type { DeleteMode } from "../store/types.js";
export type { DeleteMode };
export type OnDuplicate = "fail" | "adopt";
/** What deactivating a Zoom Phone user does first: `release` its numbers and calling plans, or `keep` them. */
export type PhoneDeprovision = "release" | "keep";

export interface ZoomAppConfig {
  accountId: string;
  clientId: string;
  clientSecret: string;
  apiUrl: string;
  oauthUrl: string;
  plan: ZoomPlan;
  /** The longest a Zoom call waits for its rate-limit slot before the request is answered 429 (default 5 s). */
  maxQueueWaitMs?: number;
}

/** `live` sends every write to Zoom; `preview` plans it (validated and answered as in live mode) and sends nothing. */
export type TenantMode = "live" | "preview";

/** How zoom-scim provisions into one Zoom account. */
export interface TenantOptions {
  mode: TenantMode;
  createAction: ZoomCreateAction;
  /** Licence for new users that carry no userType. */
  defaultUserType: ZoomUserType;
  onDuplicate: OnDuplicate;
  deleteMode: DeleteMode;
  signOutOnDeactivate: boolean;
  /** How long one scan of Zoom's user and group lists serves list and filter requests. */
  snapshotTtlMs: number;
  /** How often pending users with outstanding changes are checked against Zoom; 0 turns the reconciler off. */
  reconcileIntervalMs: number;
  breaker: BreakerSettings;
  /** Zoom Phone attributes (extension, number, site, calling plans) are read and written; off: refused. */
  zoomPhone: boolean;
  /** Webinar, large-meeting and Zoom Events add-ons (user settings) are read and written; off: refused. */
  licenceAddOns: boolean;
  phoneDeprovision: PhoneDeprovision;
}

/** The circuit breaker for destructive changes (deactivations, deletions, group removals, demotions, downgrades). */
export interface BreakerSettings {
  /** At most this many within the window; 0 turns the breaker off. */
  maxChanges: number;
  /** At most this share of the account's active users (percent, never below a floor of 5 changes); 0: no share. */
  maxPercent: number;
  windowMs: number;
}

/** One bearer token of a tenant: kept as its SHA-256 digest, known (in logs and the audit) by its name. */
export interface BearerToken {
  name: string;
  /** SHA-256 (hex, lower-case) of the token. */
  sha256: string;
  /** After this instant (epoch ms) the token is refused as expired; undefined: it does not expire. */
  notAfterMs?: number | undefined;
}

export interface TenantConfig {
  /** "default" serves /scim/v2; others serve /{name}/scim/v2. */
  name: string;
  zoom: ZoomAppConfig;
  /** The bearer tokens that open this tenant, by name: several at once while one is rotated out. */
  bearerTokens: BearerToken[];
  /** The Zoom app's webhook secret token: verifies events at /webhooks/zoom. Without it, webhooks are refused. */
  webhookSecretToken?: string | undefined;
  options: TenantOptions;
}

export interface AppConfig {
  host: string;
  port: number;
  /** No Zoom credentials: the built-in simulator stands in for Zoom. */
  sandbox: boolean;
  /** ZOOM_SCIM_DB: an SQLite file path or ":memory:", or a postgres:// URL (see store/open-store.ts). */
  storePath: string;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** Public base URL for meta.location and Location headers; derived from the request when unset. */
  publicUrl: string | undefined;
  http: HttpConfig;
  tenants: TenantConfig[];
  /** Sandbox only: the generated (or given) bearer token, printed at start so a newcomer can call the server. */
  sandboxToken: string | undefined;
  /** The audit trail of provisioning actions (SCIM_AUDIT, SCIM_AUDIT_RETENTION_DAYS). */
  audit?: AuditSettings;
  /** SHA-256 (hex) of SCIM_METRICS_TOKEN, which /metrics then requires; undefined: /metrics is open. */
  metricsTokenHash?: string | undefined;
}

export interface AuditSettings {
  /** False: nothing is recorded (the trail already kept stays readable and is still pruned). */
  enabled: boolean;
  /** Entries older than this are deleted, at start and hourly. */
  retentionDays: number;
}

export const DEFAULT_AUDIT_SETTINGS: AuditSettings = { enabled: true, retentionDays: 90 };

export const DEFAULT_TENANT = "default";

export const DEFAULT_TENANT_OPTIONS: TenantOptions = {
  mode: "live",
  createAction: "create",
  defaultUserType: 1,
  onDuplicate: "fail",
  deleteMode: "deactivate",
  signOutOnDeactivate: false,
  snapshotTtlMs: 30_000,
  reconcileIntervalMs: 60_000,
  // 25 changes or 5 % of the account in 15 minutes: an ordinary day's offboarding stays well under it, and an IdP
  // mistake (a rule or scoping filter edited) is stopped after a handful of users rather than hundreds.
  breaker: { maxChanges: 25, maxPercent: 5, windowMs: 15 * 60_000 },
  zoomPhone: false,
  licenceAddOns: false,
  phoneDeprovision: "release",
};

/** Express's 'trust proxy' value: false, true, a hop count, or addresses/subnets (e.g. "loopback, 10.0.0.0/8"). */
export type TrustProxy = boolean | number | string;

/** What one HTTP request may cost before zoom-scim refuses it. */
export interface HttpLimits {
  /** SCIM request bodies (a PUT of a 10,000-member group is well under 5 MiB). */
  maxBodyBytes: number;
  /** Zoom's webhook events are small; they are read before their signature can be checked. */
  maxWebhookBodyBytes: number;
  /** Arrays and objects inside one another; SCIM resources nest four deep at most. */
  maxJsonDepth: number;
  /** Any one string in a body, keys included (UTF-8 bytes). */
  maxStringBytes: number;
  /** The request target (path and query). */
  maxUrlBytes: number;
  /** Request line and headers together (Node's maxHeaderSize). */
  maxHeaderBytes: number;
}

export interface HttpConfig {
  /** Whether X-Forwarded-Proto/-Host are believed, and from whom. Off unless configured. */
  trustProxy: TrustProxy;
  limits: HttpLimits;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  maxBodyBytes: 5 * 1024 * 1024,
  maxWebhookBodyBytes: 64 * 1024,
  maxJsonDepth: 64,
  maxStringBytes: 16 * 1024,
  maxUrlBytes: 8 * 1024,
  maxHeaderBytes: 16 * 1024,
};

export const DEFAULT_HTTP_CONFIG: HttpConfig = { trustProxy: false, limits: DEFAULT_HTTP_LIMITS };
