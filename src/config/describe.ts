// The configuration as the start-up log line shows it: everything an SRE needs to tell how this replica runs, and
// no secret (the Zoom client secret, bearer and metrics tokens, webhook secrets, a store URL's password are left out
// or shown as "[redacted]"; bearer tokens only as a count).
import type { AppConfig, TenantConfig } from "./types.js";

/** A store location with any password in its URL replaced. */
export function describeStore(location: string): string {
  if (!/^postgres(ql)?:\/\//i.test(location)) return location;
  try {
    const url = new URL(location);
    if (url.password) url.password = "[redacted]";
    return decodeURIComponent(url.toString());
  } catch {
    return "postgres://[unparsable URL]";
  }
}

function describeTenant(tenant: TenantConfig): Record<string, unknown> {
  const { options } = tenant;
  return {
    name: tenant.name,
    plan: tenant.zoom.plan,
    mode: options.mode,
    createAction: options.createAction,
    defaultUserType: options.defaultUserType,
    onDuplicate: options.onDuplicate,
    deleteMode: options.deleteMode,
    signOutOnDeactivate: options.signOutOnDeactivate,
    snapshotTtlSeconds: options.snapshotTtlMs / 1000,
    reconcileIntervalSeconds: options.reconcileIntervalMs / 1000,
    breaker:
      options.breaker.maxChanges > 0
        ? { maxChanges: options.breaker.maxChanges, maxPercent: options.breaker.maxPercent, windowSeconds: options.breaker.windowMs / 1000 }
        : "off",
    zoom: { accountId: tenant.zoom.accountId, clientId: tenant.zoom.clientId, apiUrl: tenant.zoom.apiUrl, oauthUrl: tenant.zoom.oauthUrl },
    bearerTokens: tenant.bearerTokens.length,
    webhooks: tenant.webhookSecretToken !== undefined,
  };
}

export function describeConfig(config: AppConfig): Record<string, unknown> {
  return {
    host: config.host,
    port: config.port,
    sandbox: config.sandbox,
    store: describeStore(config.storePath),
    logLevel: config.logLevel,
    publicUrl: config.publicUrl ?? null,
    trustProxy: config.http.trustProxy,
    limits: config.http.limits,
    metrics: config.metricsTokenHash !== undefined ? "token required" : "open",
    audit: config.audit ?? null,
    tenants: config.tenants.map(describeTenant),
  };
}
