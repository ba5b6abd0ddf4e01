// The simulator's state in one place: configuration, clock, the account, tokens, limits, logs,
// faults, webhooks and the short-lived locks and timers that model Zoom's asynchronous work.
import type { ServerResponse } from "node:http";
import { CallLog } from "./call-log.js";
import { SimClock } from "./clock.js";
import { err } from "./errors.js";
import { FaultSet } from "./faults.js";
import { Account } from "./model/account.js";
import { emailKey, type UserRecord } from "./model/users.js";
import { TokenStore } from "./oauth.js";
import { resolveConfig, type SimConfig, type SimulatorOptions } from "./options.js";
import { PageTokens } from "./paging.js";
import { RateLimiter } from "./rate-limit.js";
import { WebhookSender } from "./webhooks.js";

export class Simulator {
  readonly config: SimConfig;
  readonly clock: SimClock;
  readonly account: Account;
  readonly tokens = new TokenStore();
  readonly limiter = new RateLimiter();
  readonly callLog: CallLog;
  readonly faults = new FaultSet();
  readonly pages = new PageTokens();
  readonly webhooks: WebhookSender;
  /** Base URL once listening; OAuth answers it as `api_url`. */
  baseUrl = "";

  /** Users whose delete is in progress: a second delete gets 429 (when limits are on). */
  readonly deleting = new Set<string>();
  /** Emails (lower-cased) whose create is in progress: every call naming them gets 429 (when limits are on). */
  readonly creating = new Set<string>();
  readonly invitationTimers = new Map<string, NodeJS.Timeout>();
  /** Requests held by `timeout` faults, released on close. */
  readonly held = new Set<{ timer: NodeJS.Timeout; res: ServerResponse }>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(options: SimulatorOptions, knownScopes: string[]) {
    this.config = resolveConfig(options, knownScopes);
    this.clock = new SimClock(options.clock);
    this.account = new Account(this.config.accountId, this.config.ownerEmail, this.clock.now());
    this.callLog = new CallLog(this.config.callLogLimit);
    this.webhooks = new WebhookSender(
      () => this.config.webhook,
      () => this.clock.now(),
    );
  }

  now(): number {
    return this.clock.now();
  }

  /** `{userId}` of a path: id or email. 429 while that email is being created, 404/1001 when unknown. */
  resolveUser(idOrEmail: string): UserRecord {
    if (this.creating.size > 0 && this.config.rateLimits && idOrEmail.includes("@") && this.creating.has(emailKey(idOrEmail))) {
      throw err.concurrent();
    }
    const user = this.account.users.find(idOrEmail);
    if (!user) throw err.userNotFound(idOrEmail);
    return user;
  }

  /** Operator fields of events: the account owner acts for Server-to-Server apps. */
  operator(): { account_id: string; operator: string; operator_id: string } {
    return { account_id: this.config.accountId, operator: this.account.owner.email, operator_id: this.account.owner.id };
  }

  emit(event: string, payload: Record<string, unknown>): void {
    this.webhooks.send(event, payload);
  }

  /** A timer that close() and reset() cancel. */
  later(ms: number, fn: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    timer.unref();
    this.timers.add(timer);
    return timer;
  }

  cancel(timer: NodeJS.Timeout): void {
    clearTimeout(timer);
    this.timers.delete(timer);
  }

  sleep(ms: number): Promise<void> {
    return ms <= 0 ? Promise.resolve() : new Promise((resolve) => this.later(ms, resolve));
  }

  /** Back to an empty account (owner only) with fresh limits, logs and faults. */
  reset(options: { revokeTokens?: boolean } = {}): void {
    for (const timer of this.invitationTimers.values()) this.cancel(timer);
    this.invitationTimers.clear();
    this.account.reset(this.config.ownerEmail, this.now());
    this.limiter.reset();
    this.callLog.clear();
    this.faults.clear();
    this.pages.rotate();
    this.webhooks.clearLog();
    this.releaseHeld();
    if (options.revokeTokens) this.tokens.clear();
  }

  releaseHeld(): void {
    for (const hold of this.held) {
      clearTimeout(hold.timer);
      hold.res.destroy();
    }
    this.held.clear();
  }

  shutdown(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.invitationTimers.clear();
    this.releaseHeld();
    this.webhooks.close();
  }
}
