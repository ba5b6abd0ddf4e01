// Wires one tenant: its Zoom client (with the preview plan and group aliases in front of it), the user gateway
// (with the user domain's applier for deferred changes), the store and the cached role and group lists.
import { LRUCache } from "lru-cache";
import { WALK_PIN_MS } from "./gateway/user-snapshot.js";
import type { TenantOptions } from "../config/types.js";
import type { ResourceStore } from "../store/types.js";
import { ZoomApiError } from "../zoom/index.js";
import type { ZoomApi, ZoomGroup, ZoomRole } from "../zoom/types.js";
import { ZoomUserGateway } from "./gateway/user-gateway.js";
import { CircuitBreaker, type BreakerObserver } from "./guardrails/breaker.js";
import type { Tenant } from "./tenant.js";
import { applyDeferredEntry } from "./users/user-apply.js";
import { NO_AUDIT, type AuditRecorder } from "./audit/recorder.js";
import { auditDeferredEntry } from "./audit/background.js";
import { GroupAliasedZoom, GroupAliases } from "./preview/group-aliases.js";
import { PreviewLedger } from "./preview/preview-ledger.js";
import { PreviewZoom } from "./preview/preview-zoom.js";

/** Zoom's answer for group and role calls on accounts without them (code 200, Free plans) or without the scope. */
const isUnavailableOnPlan = (error: unknown): boolean =>
  error instanceof ZoomApiError && (error.code === 200 || error.code === 4700 || error.code === 4711);

export class ProvisioningTenant implements Tenant {
  readonly users: ZoomUserGateway;
  readonly breaker: CircuitBreaker;
  /** What the provisioning code calls: Zoom behind the plan (preview-zoom.ts) and the group aliases. */
  readonly zoom: ZoomApi;
  /** The plan of a preview tenant, and what `apply` sends (preview/plan-apply.ts). */
  readonly preview: PreviewZoom;
  readonly groupAliases: GroupAliases;
  /** Counts what `apply` sends: the tenant's own settings, even while its writes are only planned. */
  readonly applyBreaker: CircuitBreaker;
  private readonly lookups: LRUCache<"roles" | "groups", ZoomRole[] | ZoomGroup[]>;
  private activeUserCount: { value: number; at: number } | undefined;

  constructor(
    readonly name: string,
    /** Zoom itself: only `apply` calls it directly. */
    readonly liveZoom: ZoomApi,
    readonly store: ResourceStore,
    readonly options: TenantOptions,
    breakerObserver?: BreakerObserver,
    readonly audit: AuditRecorder = NO_AUDIT,
  ) {
    this.preview = new PreviewZoom(liveZoom, new PreviewLedger(name, store), options.mode);
    this.groupAliases = new GroupAliases(name, store);
    this.zoom = new GroupAliasedZoom(this.preview, this.groupAliases);
    const breakerOf = (settings: TenantOptions["breaker"]): CircuitBreaker =>
      new CircuitBreaker({
        tenant: name,
        settings,
        coordination: store.coordination,
        activeUsers: () => this.activeUsers(),
        ...(breakerObserver ? { observer: breakerObserver } : {}),
      });
    this.applyBreaker = breakerOf(options.breaker);
    // A preview changes nothing in Zoom: its destructive changes are counted when `apply` sends them.
    this.breaker = options.mode === "preview" ? breakerOf({ ...options.breaker, maxChanges: 0 }) : this.applyBreaker;
    this.users = new ZoomUserGateway({
      tenant: name,
      zoom: this.zoom,
      store,
      snapshotTtlMs: options.snapshotTtlMs,
      // Each deferred change applied is an audit entry of its own, linked to the request that made it.
      applyDeferred: (user, entry) => auditDeferredEntry(this, user, entry, () => applyDeferredEntry(this, user, entry)),
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

  /**
   * The account's active users, for the breaker's percentage: one light call (a page of one user says the total),
   * kept for the breaker's window, and asked only when a destructive change is about to be counted.
   */
  private async activeUsers(): Promise<number | undefined> {
    const now = Date.now();
    const kept = this.activeUserCount;
    if (kept && now - kept.at < Math.min(this.options.breaker.windowMs, 15 * 60_000)) return kept.value;
    try {
      const page = await this.liveZoom.listUsers({ status: "active", pageSize: 1 });
      this.activeUserCount = { value: page.total_records, at: now };
      return page.total_records;
    } catch {
      // Without the count the absolute limit alone applies; the change itself will meet the same Zoom.
      return kept?.value;
    }
  }

  async roles(): Promise<ZoomRole[]> {
    // Role names (lists show them) are kept as long as a walk's snapshot: a slow import is not charged a list of
    // roles per TTL, and zoom-scim never renames roles itself.
    const ttl = this.options.snapshotTtlMs > 0 ? Math.max(this.options.snapshotTtlMs, WALK_PIN_MS) : 1;
    return ((await this.lookups.fetch("roles", { ttl })) ?? []) as ZoomRole[];
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
