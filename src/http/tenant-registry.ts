// The tenants this server serves: each with its SCIM runtime and the digests of the bearer tokens that open it.
import type { Tenant } from "../provisioning/tenant.js";

export interface ServedTenant {
  scim: Tenant;
  bearerTokenHashes: string[];
  /** Verifies Zoom's webhook events; undefined when the tenant takes none. */
  webhookSecretToken?: string | undefined;
}

export type TenantRegistry = ReadonlyMap<string, ServedTenant>;
