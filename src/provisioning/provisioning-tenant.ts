// Wires one tenant: its plain Zoom client, the user gateway (with the user domain's applier for deferred
// changes), the store and the cached role and group lists.
import { LRUCache } from "lru-cache";
import type { TenantOptions } from "../config/types.js";
import type { ResourceStore } from "../store/types.js";
import { ZoomApiError } from "../zoom/index.js";
import type { ZoomApi, ZoomGroup, ZoomRole } from "../zoom/types.js";
import { ZoomUserGateway } from "./gateway/user-gateway.js";
import type { Tenant } from "./tenant.js";
import { applyDeferredEntry } from "./users/user-apply.js";

/** Zoom's answer for group and role calls on accounts without them (code 200, Free plans) or without the scope. */
const isUnavailableOnPlan = (error: unknown): boolean =>
  error instanceof ZoomApiError && (error.code === 200 || error.code === 4700 || error.code === 4711);

export class ProvisioningTenant implements Tenant {
  readonly users: ZoomUserGateway;
  private readonly lookups: LRUCache<"roles" | "groups", ZoomRole[] | ZoomGroup[]>;

  constructor(
    readonly name: string,
    readonly zoom: ZoomApi,
    readonly store: ResourceStore,
    readonly options: TenantOptions,
  ) {
    this.users = new ZoomUserGateway({
      tenant: name,
      zoom,
      store,
      snapshotTtlMs: options.snapshotTtlMs,
      applyDeferred: (user, entry) => applyDeferredEntry(this, user, entry),
    });
    // lru-cache's fetch shares one Zoom call among concurrent requests and keeps the answer for the snapshot TTL.
    this.lookups = new LRUCache({
      max: 2,
      ttl: Math.max(options.snapshotTtlMs, 1),
      fetchMethod: async (key) => {
        try {
          return key === "roles" ? await this.zoom.listRoles() : await this.zoom.listAllGroups();
        } catch (error) {
          // Free plans have neither groups nor custom roles; an app without the role scope sees built-ins only.
          if (isUnavailableOnPlan(error)) return [];
          throw error;
        }
      },
    });
  }

  async roles(): Promise<ZoomRole[]> {
    return ((await this.lookups.fetch("roles")) ?? []) as ZoomRole[];
  }

  async groups(): Promise<ZoomGroup[]> {
    return ((await this.lookups.fetch("groups")) ?? []) as ZoomGroup[];
  }

  peekGroups(): ZoomGroup[] | undefined {
    return this.lookups.peek("groups") as ZoomGroup[] | undefined;
  }

  forgetGroups(): void {
    this.lookups.delete("groups");
  }
}
