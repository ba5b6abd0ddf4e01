// The tenants this server serves: each with its SCIM runtime and the named bearer tokens (digests) that open it.
import type { BearerToken } from "../config/types.js";
import type { ProvisioningTenant } from "../provisioning/provisioning-tenant.js";

export interface ServedTenant {
  scim: ProvisioningTenant;
  bearerTokens: readonly BearerToken[];
  /** Verifies Zoom's webhook events; undefined when the tenant takes none. */
  webhookSecretToken?: string | undefined;
}

export type TenantRegistry = ReadonlyMap<string, ServedTenant>;
