// Everything one tenant's SCIM requests share: its Zoom client, the store, its options and short-lived caches.
import { LRUCache } from "lru-cache";
import type { TenantOptions } from "../config/types.js";
import type { ResourceStore } from "../store/types.js";
import { ZoomApiError } from "../zoom/index.js";
import type { ZoomApi, ZoomGroup, ZoomRole } from "../zoom/types.js";
import { aliasedZoomApi, UserAliases } from "./gateway/user-aliases.js";
import { UserDirectory } from "./gateway/user-snapshot.js";

/** Zoom's answer for group and role calls on accounts without them (code 200, Free plans) or without the scope. */
const isUnavailableOnPlan = (error: unknown): boolean =>
  error instanceof ZoomApiError && (error.code === 200 || error.code === 4700 || error.code === 4711);

export class ScimTenant {
  readonly users: UserDirectory;
  /** The Zoom client, speaking SCIM user ids (see UserAliases). */
  readonly zoom: ZoomApi;
  readonly aliases: UserAliases;
  private readonly lookups: LRUCache<"roles" | "groups", ZoomRole[] | ZoomGroup[]>;

  constructor(
    readonly name: string,
    zoom: ZoomApi,
    readonly store: ResourceStore,
    readonly options: TenantOptions,
  ) {
    this.aliases = new UserAliases(name, store.lifecycle);
    this.zoom = aliasedZoomApi(zoom, this.aliases);
    this.users = new UserDirectory(name, this.zoom, store, options.snapshotTtlMs);
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

  /** The cached group list if one is held and fresh (never calls Zoom): lets a same-name rename cost nothing. */
  peekGroups(): ZoomGroup[] | undefined {
    return this.lookups.peek("groups") as ZoomGroup[] | undefined;
  }

  /** Group names change through /Groups writes; those drop the cached list. */
  forgetGroups(): void {
    this.lookups.delete("groups");
  }
}
