// Everything one tenant's SCIM requests share: its Zoom client, the store, its options and short-lived caches.
import { LRUCache } from "lru-cache";
import type { TenantOptions } from "../config/types.js";
import type { ResourceStore } from "../store/types.js";
import { ZoomApiError } from "../zoom/index.js";
import type { ZoomApi, ZoomGroup, ZoomRole } from "../zoom/types.js";
import { UserDirectory } from "./users/user-directory.js";

/** Zoom's answer for group calls on accounts without groups (Free plans). */
const isGroupsUnavailable = (error: unknown): boolean => error instanceof ZoomApiError && error.code === 200;

export class ScimTenant {
  readonly users: UserDirectory;
  private readonly lookups: LRUCache<"roles" | "groups", ZoomRole[] | ZoomGroup[]>;

  constructor(
    readonly name: string,
    readonly zoom: ZoomApi,
    readonly store: ResourceStore,
    readonly options: TenantOptions,
  ) {
    this.users = new UserDirectory(name, zoom, store, options.snapshotTtlMs);
    // lru-cache's fetch shares one Zoom call among concurrent requests and keeps the answer for the snapshot TTL.
    this.lookups = new LRUCache({
      max: 2,
      ttl: Math.max(options.snapshotTtlMs, 1),
      fetchMethod: async (key) => {
        if (key === "roles") return this.zoom.listRoles();
        try {
          return await this.zoom.listAllGroups();
        } catch (error) {
          if (isGroupsUnavailable(error)) return [];
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

  /** Group names change through /Groups writes; those drop the cached list. */
  forgetGroups(): void {
    this.lookups.delete("groups");
  }
}
