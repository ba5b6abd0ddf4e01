// The circuit breaker for destructive changes, per tenant: past a threshold within a sliding window it opens, and
// further destructive requests are refused (503, nothing sent to Zoom) until an admin releases it. Its count and
// state live in the store, under a store-wide lock, so that every replica counts the same changes.
import { randomUUID } from "node:crypto";
import type { BreakerSettings } from "../../config/types.js";
import { ScimError } from "../../scim/errors.js";
import type { CoordinationStore } from "../../store/types.js";
import type { DestructiveChange } from "./destructive.js";
import { auditRefused } from "../audit/scope.js";

/** A share of a small account is never fewer changes than this (5 % of 40 users would stop the second offboarding). */
export const PERCENT_FLOOR = 5;
/** What a refused request is told to wait: an admin's reaction time, not the window (which a release cuts short). */
export const BREAKER_RETRY_AFTER_SECONDS = 300;

/** The most destructive changes allowed within the window; Infinity when the breaker is off. */
export function breakerThreshold(settings: BreakerSettings, activeUsers: number | undefined): number {
  if (settings.maxChanges <= 0) return Infinity;
  if (activeUsers === undefined || settings.maxPercent <= 0) return settings.maxChanges;
  const share = Math.max(PERCENT_FLOOR, Math.ceil((activeUsers * settings.maxPercent) / 100));
  return Math.min(settings.maxChanges, share);
}

export interface BreakerStatus {
  tenant: string;
  enabled: boolean;
  open: boolean;
  openedAt: string | null;
  reason: string | null;
  /** Destructive changes counted in the current window (since the last release). */
  changesInWindow: number;
  threshold: number | null;
  windowSeconds: number;
  releasedAt: string | null;
  releasedBy: string | null;
}

/** What the breaker tells whoever watches it (logs, metrics, audit), wired by the server. */
export interface BreakerObserver {
  opened(tenant: string, reason: string): void;
  released(tenant: string, by: string, wasOpen: boolean): void;
  refused(tenant: string, what: string): void;
}

/**
 * What an admitted request holds: its changes are counted from admission (so concurrent requests see them), and it
 * settles them with what Zoom really did once it knows (a failed call, a user already gone or a non-member removed
 * changes nothing, and stops counting).
 */
export interface Admission {
  settle(changes: readonly DestructiveChange[]): Promise<void>;
}

const NOTHING_COUNTED: Admission = { settle: () => Promise.resolve() };

const total = (changes: readonly DestructiveChange[]): number => changes.reduce((sum, change) => sum + change.count, 0);

export interface BreakerDeps {
  tenant: string;
  settings: BreakerSettings;
  coordination: CoordinationStore;
  /** The account's active users (for the percentage); undefined when it cannot be told. */
  activeUsers(): Promise<number | undefined>;
  observer?: BreakerObserver;
  now?: () => number;
}

const iso = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

const describeWindow = (ms: number): string => (ms % 60_000 === 0 ? `${ms / 60_000} minutes` : `${Math.round(ms / 1000)} seconds`);

export class CircuitBreaker {
  private readonly now: () => number;

  constructor(private readonly deps: BreakerDeps) {
    this.now = deps.now ?? Date.now;
  }

  get enabled(): boolean {
    return this.deps.settings.maxChanges > 0;
  }

  private get lockName(): string {
    return `breaker\n${this.deps.tenant}`;
  }

  /**
   * Counts `changes` against the window, or refuses them (503, Retry-After) when the breaker is open or they would
   * take the count past the threshold, which opens it. Called before any Zoom call of the request.
   */
  async admit(changes: readonly DestructiveChange[], what: string): Promise<Admission> {
    const count = total(changes);
    if (!this.enabled || count === 0) return NOTHING_COUNTED;
    const ticket = randomUUID();
    const { tenant, settings, coordination } = this.deps;
    const activeUsers = await this.deps.activeUsers();
    const threshold = breakerThreshold(settings, activeUsers);
    const outcome = await coordination.withLock(this.lockName, async () => {
      const now = this.now();
      const state = await coordination.breakerState(tenant);
      if (state?.openedAtMs != null) return { refused: true, opened: false, reason: state.detail ?? "", at: undefined };
      const since = Math.max(now - settings.windowMs, state?.releasedAtMs ?? 0);
      const used = await coordination.breakerChangesSince(tenant, since);
      // An admin's release lets the first request after it through whatever its size (one PUT emptying a large
      // group could never pass otherwise); what follows counts from there.
      const firstAfterRelease = used === 0 && state?.releasedAtMs != null && now - state.releasedAtMs < settings.windowMs;
      if (used + count > threshold && !firstAfterRelease) {
        const reason =
          `${used} destructive change${used === 1 ? "" : "s"} in the last ${describeWindow(settings.windowMs)}, and ${what} ` +
          `would make ${used + count}: past the limit of ${threshold}` +
          (activeUsers !== undefined && settings.maxPercent > 0
            ? ` (${settings.maxChanges} changes or ${settings.maxPercent} % of ${activeUsers} active users, whichever is lower)`
            : "");
        await coordination.openBreaker(tenant, now, reason);
        return { refused: true, opened: true, reason, at: undefined };
      }
      for (const change of changes) {
        if (change.count > 0) await coordination.addBreakerChanges(tenant, now, change.kind, change.count, now - settings.windowMs, ticket);
      }
      return { refused: false, opened: false, reason: "", at: now };
    });
    if (!outcome.acquired) return NOTHING_COUNTED;
    const admitted = outcome.value;
    if (!admitted.refused) return { settle: (done) => this.settle(ticket, admitted.at ?? this.now(), count, done) };
    if (admitted.opened) this.deps.observer?.opened(tenant, admitted.reason);
    this.deps.observer?.refused(tenant, what);
    auditRefused();
    throw new ScimError(
      503,
      undefined,
      `The circuit breaker for destructive changes is open for tenant "${tenant}" (${admitted.reason}), so ${what} was refused ` +
        `and nothing was changed in Zoom. Deactivations, deletions, group removals, role demotions and licence downgrades ` +
        `wait; other changes go on. If these changes are intended, an admin releases the breaker with ` +
        `"zoom-scim breaker release --tenant ${tenant}" or POST /admin/breaker/release, and the IdP's retries then succeed.`,
      { retryAfterSeconds: BREAKER_RETRY_AFTER_SECONDS },
    );
  }

  /** Replaces an admission's count by what was really done (no threshold: it can only have shrunk). */
  private async settle(ticket: string, at: number, reserved: number, done: readonly DestructiveChange[]): Promise<void> {
    if (total(done) === reserved) return;
    const { tenant, settings, coordination } = this.deps;
    await coordination.withLock(this.lockName, async () => {
      await coordination.removeBreakerChanges(tenant, ticket);
      for (const change of done) {
        if (change.count > 0) await coordination.addBreakerChanges(tenant, at, change.kind, change.count, at - settings.windowMs, ticket);
      }
    });
  }

  /** Admits `changes`, runs `work`, and counts nothing when it fails: for work whose destructive part is one call. */
  async guard<T>(changes: readonly DestructiveChange[], what: string, work: () => Promise<T>): Promise<T> {
    const admission = await this.admit(changes, what);
    try {
      return await work();
    } catch (error) {
      await admission.settle([]);
      throw error;
    }
  }

  /** Whether it is open, from one store read (never Zoom): for metrics at scrape time, across replicas. */
  async isOpen(): Promise<boolean> {
    return (await this.deps.coordination.breakerState(this.deps.tenant))?.openedAtMs != null;
  }

  async status(): Promise<BreakerStatus> {
    const { tenant, settings, coordination } = this.deps;
    const state = await coordination.breakerState(tenant);
    const now = this.now();
    const since = Math.max(now - settings.windowMs, state?.releasedAtMs ?? 0);
    const threshold = this.enabled ? breakerThreshold(settings, await this.deps.activeUsers().catch(() => undefined)) : null;
    return {
      tenant,
      enabled: this.enabled,
      open: state?.openedAtMs != null,
      openedAt: iso(state?.openedAtMs),
      reason: state?.detail ?? null,
      changesInWindow: await coordination.breakerChangesSince(tenant, since),
      threshold,
      windowSeconds: settings.windowMs / 1000,
      releasedAt: iso(state?.releasedAtMs),
      releasedBy: state?.releasedBy ?? null,
    };
  }

  /** Closes the breaker and starts a fresh window: what was counted before the release no longer counts. */
  async release(by: string): Promise<BreakerStatus> {
    const { tenant, coordination } = this.deps;
    const wasOpen = await coordination.withLock(this.lockName, async () => {
      const state = await coordination.breakerState(tenant);
      await coordination.releaseBreaker(tenant, this.now(), by);
      return state?.openedAtMs != null;
    });
    this.deps.observer?.released(tenant, by, wasOpen.acquired && wasOpen.value);
    return this.status();
  }
}
