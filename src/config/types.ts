import type { ZoomCreateAction, ZoomPlan, ZoomUserType } from "../zoom/types.js";

// One definition: the store records the mode with each tombstone.
import type { DeleteMode } from "../store/types.js";
export type { DeleteMode };
export type OnDuplicate = "fail" | "adopt";

export interface ZoomAppConfig {
  accountId: string;
  clientId: string;
  clientSecret: string;
  apiUrl: string;
  oauthUrl: string;
  plan: ZoomPlan;
}

/** How zoom-scim provisions into one Zoom account. */
export interface TenantOptions {
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
}

export interface TenantConfig {
  /** "default" serves /scim/v2; others serve /{name}/scim/v2. */
  name: string;
  zoom: ZoomAppConfig;
  /** SHA-256 (hex) of each bearer token that opens this tenant. */
  bearerTokenHashes: string[];
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
  tenants: TenantConfig[];
  /** Sandbox only: the generated (or given) bearer token, printed at start so a newcomer can call the server. */
  sandboxToken: string | undefined;
}

export const DEFAULT_TENANT = "default";

export const DEFAULT_TENANT_OPTIONS: TenantOptions = {
  createAction: "create",
  defaultUserType: 1,
  onDuplicate: "fail",
  deleteMode: "deactivate",
  signOutOnDeactivate: false,
  snapshotTtlMs: 30_000,
  reconcileIntervalMs: 60_000,
};
