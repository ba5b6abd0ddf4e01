// What Zoom cannot hold, kept by zoom-scim: externalId and SCIM-only attributes, meta, delete tombstones.
// Asynchronous, for its two implementations: SQLite (sqlite-store.ts, embedded, one process) and PostgreSQL
// (pg-store.ts, shared by several replicas); open-store.ts picks one from ZOOM_SCIM_DB.

import type { JsonObject } from "../lib/json.js";
import type { AuditQuery } from "./queries.js";

export type { JsonObject, AuditQuery };

export type ResourceKind = "User" | "Group";

/** What a write gives the store; the store adds meta (created, lastModified, version). */
export interface ResourceWrite {
  tenant: string;
  kind: ResourceKind;
  /** The Zoom id (user id or group id). */
  id: string;
  externalId: string | null;
  /** SCIM attributes Zoom has no field for (nickName, employeeNumber, addresses …), as the client sent them. */
  attributes: JsonObject;
  /** Users: Zoom's email, lower-cased; lets pending users (listed by Zoom without id) be matched to their id. */
  email: string | null;
  /** Users: every email value the client sent (lower-cased), for `emails.value eq` lookups Zoom cannot answer. */
  emails: string[];
  /** Users: the userName as sent (kept lower-cased), for `userName eq` lookups of a userName that is not an email. */
  userName?: string | null;
}

export interface StoredResource extends ResourceWrite {
  created: string;
  lastModified: string;
  /** Increases by one with every write; rendered as meta.version. */
  version: number;
}

export type DeleteMode = "deactivate" | "disassociate" | "delete";

/** A resource deleted through SCIM: hidden from reads even while Zoom still holds it (deactivate mode). */
export interface Tombstone {
  tenant: string;
  kind: ResourceKind;
  id: string;
  email: string | null;
  deletedAt: string;
  mode: DeleteMode;
}

/** Where a pending user's invitation stands; an accepted invitation has no record. */
export type InvitationState = "pending" | "expired" | "cancelled";

export interface Invitation {
  tenant: string;
  /** The SCIM id (the Zoom id the user was first created with). */
  id: string;
  state: InvitationState;
  /** Zoom's email, lower-cased. */
  email: string;
  /** Zoom's user as last seen (ids as SCIM shows them), to render the user while Zoom cannot. */
  zoomUser: JsonObject;
  updatedAt: string;
}

/** One accepted change to a pending user, waiting to be applied to Zoom (an outbox entry). */
export interface DeferredChange {
  /** Store-wide order of acceptance. */
  seq: number;
  tenant: string;
  userId: string;
  /** A partial SCIM user: the Zoom-held attributes the change asserts (null clears one). */
  change: JsonObject;
  createdAt: string;
  attempts: number;
  lastError: string | null;
  /** Not retried before this time (backoff after a failure). */
  nextAttemptAt: string;
  /** The request that made the change, for the audit entry of its application. */
  origin?: DeferredOrigin;
}

/** Who asked for a deferred change: the SCIM request's id and its actor (the bearer token's name). */
export interface DeferredOrigin {
  requestId: string;
  actor: string;
}

export interface UserAlias {
  id: string;
  zoomId: string;
}

/** The pending-user lifecycle's durable state. */
export interface LifecycleStore {
  getInvitation(tenant: string, id: string): Promise<Invitation | undefined>;
  findInvitationsByEmail(tenant: string, email: string): Promise<Invitation[]>;
  listInvitations(tenant: string): Promise<Invitation[]>;
  putInvitation(invitation: Omit<Invitation, "updatedAt">, now: Date): Promise<void>;
  removeInvitation(tenant: string, id: string): Promise<void>;

  /** Ordered by seq; every user's of the tenant when `userId` is omitted. */
  listDeferredChanges(tenant: string, userId?: string): Promise<DeferredChange[]>;
  /**
   * Claims the user's queue for one drain, across every process sharing the store: call it inside transaction().
   * Answers the user's changes in seq order and keeps them claimed until the unit ends: a claim by another unit
   * meanwhile answers [] (PostgreSQL: FOR UPDATE SKIP LOCKED, without waiting) or waits for this one to end (SQLite:
   * the unit's write lock), then sees what this unit left. Answers [] too when the queue's head backs off past
   * `dueBy`. The unit removes each change it applied (or records its failure) before it ends, so each change is
   * applied once. Outside a transaction the claim ends with the call.
   */
  claimDeferredChanges(tenant: string, userId: string, dueBy?: Date): Promise<DeferredChange[]>;
  addDeferredChange(tenant: string, userId: string, change: JsonObject, now: Date, origin?: DeferredOrigin): Promise<DeferredChange>;
  removeDeferredChange(tenant: string, seq: number): Promise<void>;
  /** Counts a failed attempt, keeps its error and postpones the next one. */
  recordDeferredFailure(tenant: string, seq: number, error: string, nextAttemptAt: Date): Promise<void>;

  listAliases(tenant: string): Promise<UserAlias[]>;
  /** A number that moves whenever the tenant's user or group aliases change (0 before any did). */
  aliasGeneration(tenant: string): Promise<number>;
  putAlias(tenant: string, alias: UserAlias): Promise<void>;
  removeAlias(tenant: string, id: string): Promise<void>;

  /** Tenants with an invitation record or a waiting change. */
  listTenants(): Promise<string[]>;

  /**
   * Group memberships asked for of users Zoom does not hold right now (a cancelled or expired invitation): kept
   * until the user is invited again. Ordered by when they were asked for.
   */
  listDesiredMembers(tenant: string, groupId: string): Promise<string[]>;
  listDesiredGroups(tenant: string, userId: string): Promise<string[]>;
  /** Every desired membership of the tenant (one read, for lists). */
  listAllDesiredMembers(tenant: string): Promise<{ groupId: string; userId: string }[]>;
  addDesiredMember(tenant: string, groupId: string, userId: string, now: Date): Promise<void>;
  removeDesiredMember(tenant: string, groupId: string, userId: string): Promise<void>;
  /** A deleted group's. */
  removeDesiredMembersOfGroup(tenant: string, groupId: string): Promise<void>;

  /** Forgets a user's invitation, deferred changes, alias and IdP memberships (the user is gone from Zoom). */
  forgetUser(tenant: string, id: string): Promise<void>;

  /**
   * What the IdPs set of a group's membership (for the drift report): members added and removed through SCIM, or,
   * with `replace`, the whole membership (a POST or a PUT with members), which makes the record complete.
   */
  recordIdpMembers(tenant: string, groupId: string, change: IdpMemberChange): Promise<void>;
  listIdpMemberships(tenant: string): Promise<IdpMembership[]>;
  /** A group deleted through SCIM. */
  forgetIdpGroup(tenant: string, groupId: string): Promise<void>;
}

export interface IdpMemberChange {
  add: readonly string[];
  remove: readonly string[];
  /** `add` is the whole membership: everything else is removed. */
  replace?: boolean;
}

export interface IdpMembership {
  groupId: string;
  /** True when an IdP set the whole membership once (members not in `members` were not put there by an IdP). */
  complete: boolean;
  members: string[];
}

/** A create zoom-scim is about to send to Zoom: kept until its store record is written, so that a create whose
 * answer was lost (Zoom made the user, zoom-scim never heard) can be completed by the client's repeated POST. */
export interface CreateIntent {
  tenant: string;
  /** The userName asked for, lower-cased (Zoom's email). */
  email: string;
  /** A copy of the request's store part: externalId, SCIM-only attributes and email values as sent. */
  request: JsonObject;
  /** The first attempt's time: a Zoom user created well before it was not made by this create. */
  createdAt: string;
}

export interface PutOptions {
  /**
   * Optimistic guard: write only when the stored version equals this one (null or 0: only when there is no record),
   * else throw StoreConflictError. Undefined writes unconditionally.
   */
  expectedVersion?: number | null;
}

/** What a unit of work may call: the store's reads and writes, inside the transaction. */
export type StoreTransaction = Omit<ResourceStore, "transaction" | "close" | "coordination">;

/** A Zoom access token as the store keeps it (sealed: only a holder of the app's secret can open it). */
export interface StoredToken {
  appKey: string;
  sealed: string;
  expiresAt: number;
  renewAt: number;
}

/** What a write left a Zoom user as, for the other replicas' snapshots; `state` null: the user is gone. */
export interface UserEvent {
  seq: number;
  origin: string;
  userId: string;
  state: JsonObject | null;
}

/** The circuit breaker's shared state for one tenant (see provisioning/guardrails). */
export interface BreakerRecord {
  /** When it opened (epoch ms); null while closed. */
  openedAtMs: number | null;
  /** Why it opened, in words for the admin. */
  detail: string | null;
  /** When an admin last released it (epoch ms): changes before then no longer count. */
  releasedAtMs: number | null;
  releasedBy: string | null;
}

export type LockOutcome<T> = { acquired: true; value: T } | { acquired: false };

/** What replicas sharing the store must agree on beyond resources: locks, the token, rate budgets, events. */
export interface CoordinationStore {
  /** True when several processes may share the store (PostgreSQL); SQLite serves one process. */
  readonly shared: boolean;
  /**
   * Runs `work` holding the named lock across every process sharing the store (PostgreSQL: a session advisory
   * lock, released when its connection ends, so a dead replica's lock goes with it; SQLite: in this process).
   * With `wait: false`, answers `{ acquired: false }` at once when another holds it. Names starting `oauth\n` (token
   * renewals, which nest inside other locks' work) have connections of their own.
   */
  withLock<T>(name: string, work: () => Promise<T>, options?: { wait?: boolean }): Promise<LockOutcome<T>>;

  getToken(appKey: string): Promise<StoredToken | undefined>;
  putToken(token: StoredToken): Promise<void>;
  /** Drops the token only if it is still `sealed` (a newer one is kept). */
  dropToken(appKey: string, sealed: string): Promise<void>;

  /** One GCRA reservation of `key`'s budget: answers the epoch ms the caller may start at (≥ nowMs). */
  reserveRate(key: string, nowMs: number, intervalMs: number): Promise<number>;
  /**
   * One GCRA reservation of `key`'s budget with a burst tolerance, taken only if it starts by `latestStartMs`:
   * answers the start (granted), or when it would have started (refused: nothing reserved).
   */
  reserveRateBy(key: string, request: RateReservationRequest): Promise<{ granted: boolean; startMs: number }>;
  /** No reservation of `key` starts before `untilMs` (a 429's Retry-After). */
  pauseRate(key: string, untilMs: number): Promise<void>;

  /** True the first time a webhook signature is offered for the tenant; forgets those seen before `forgetBeforeMs`. */
  firstDelivery(tenant: string, signature: string, nowMs: number, forgetBeforeMs: number): Promise<boolean>;

  addUserEvent(tenant: string, origin: string, userId: string, state: JsonObject | null, nowMs: number): Promise<void>;
  userEventsSince(tenant: string, seq: number): Promise<UserEvent[]>;
  lastUserEvent(tenant: string): Promise<number>;
  pruneUserEvents(beforeMs: number): Promise<void>;

  breakerState(tenant: string): Promise<BreakerRecord | undefined>;
  /** How many destructive changes the tenant made after `sinceMs`. */
  breakerChangesSince(tenant: string, sinceMs: number): Promise<number>;
  /** Records `count` destructive changes of `kind` at `nowMs`; forgets the tenant's changes before `forgetBeforeMs`. */
  /** `ticket` names one admission's rows, so that it can be settled (store/guardrails: what Zoom really did). */
  addBreakerChanges(tenant: string, nowMs: number, kind: string, count: number, forgetBeforeMs: number, ticket: string): Promise<void>;
  removeBreakerChanges(tenant: string, ticket: string): Promise<void>;
  openBreaker(tenant: string, nowMs: number, detail: string): Promise<void>;
  releaseBreaker(tenant: string, nowMs: number, releasedBy: string): Promise<void>;
}

/** What an audited action came to: done, waiting for the user's acceptance, refused by zoom-scim, or failed. */
/** `planned`: a preview tenant's write, kept in the plan and not sent to Zoom. */
export type AuditOutcome = "applied" | "deferred" | "planned" | "refused" | "failed";

/** What started an audited action. */
export type AuditKind = "scim" | "deferred" | "reconciler" | "webhook" | "breaker" | "drift-fix" | "plan-apply";

/** One attribute an action changed; values are as SCIM shows them (a secret is never kept: see provisioning/audit). */
export interface AuditChange {
  attribute: string;
  before: unknown;
  after: unknown;
}

/** One Zoom call the action made. */
export interface AuditZoomCall {
  method: string;
  /** The path template (`/users/{userId}/status`): never an id or an email. */
  path: string;
  status: number;
  /** Zoom's x-zm-trackingid, for Zoom's support. */
  trackingId?: string;
}

/** One entry of the audit trail, as written. */
export interface AuditEntryInput {
  at: string;
  tenant: string;
  kind: AuditKind;
  /** The bearer token's name for SCIM requests; `zoom-scim` (its own work), `zoom-webhook`, or an admin's name. */
  actor: string;
  /** okta, entra, aws-ilm or other (SCIM requests); null for zoom-scim's own work. */
  client: string | null;
  /** The request this entry belongs to (a SCIM request, a webhook delivery, a reconciler pass). */
  requestId: string | null;
  /** For an action caused by an earlier request (a deferred change applied later): that request's id. */
  originRequestId: string | null;
  /** The SCIM method and route template (`PATCH /Users/:id`), or what zoom-scim did on its own. */
  method: string | null;
  route: string | null;
  resourceType: "User" | "Group" | null;
  resourceId: string | null;
  userName: string | null;
  changes: AuditChange[];
  zoomCalls: AuditZoomCall[];
  outcome: AuditOutcome;
  /** The SCIM error answered (refused, failed). */
  error: { status: number; scimType?: string; detail: string } | null;
  /** What zoom-scim's own action was, in words (the breaker's reason, a deferred change's fate). */
  detail?: string;
}

export interface AuditEntry extends AuditEntryInput {
  /** Store-wide order; the cursor of a paged read. */
  seq: number;
}

/** The audit trail's storage: appended to by every audited action, read by the CLI and /admin/audit. */
export interface AuditLog {
  append(entry: AuditEntryInput): Promise<void>;
  /** Oldest first; at most `limit`. */
  list(query: AuditQuery): Promise<AuditEntry[]>;
  /** Forgets entries before `before`; answers how many. */
  prune(before: Date): Promise<number>;
}

/** Deferred changes of one tenant in one state: never attempted ("waiting") or failed at least once ("retrying"). */
export interface DeferredChangeCount {
  tenant: string;
  state: "waiting" | "retrying";
  count: number;
}

export type { PlanStepRecord, PlanStepState, PreviewObject, PreviewPlanStore } from "./plan-types.js";
import type { PreviewPlanStore } from "./plan-types.js";

/** What readiness and metrics ask of the store (store/health.ts). */
export interface StoreHealth {
  /** Versions of the migrations this code knows that the database has not recorded (empty when up to date). */
  missingMigrations(): Promise<number[]>;
  /** Deferred changes per tenant and state, in one aggregate query. */
  deferredChangeCounts(): Promise<DeferredChangeCount[]>;
}

export interface ResourceStore {
  readonly lifecycle: LifecycleStore;
  readonly coordination: CoordinationStore;
  readonly audit: AuditLog;
  readonly health: StoreHealth;
  readonly plan: PreviewPlanStore;

  /**
   * Runs `work` as one unit: everything it writes through `tx` (or through this store, from within `work`) is
   * committed together, or nothing is when it throws. Nested calls join the outer unit. Keep Zoom calls out of it.
   */
  transaction<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T>;

  get(tenant: string, kind: ResourceKind, id: string): Promise<StoredResource | undefined>;
  getMany(tenant: string, kind: ResourceKind, ids: readonly string[]): Promise<Map<string, StoredResource>>;
  list(tenant: string, kind: ResourceKind): Promise<StoredResource[]>;
  findByExternalId(tenant: string, kind: ResourceKind, externalId: string): Promise<StoredResource[]>;
  /** Users whose Zoom email or any sent email equals `email` (case-insensitive). */
  findUsersByEmail(tenant: string, email: string): Promise<StoredResource[]>;
  /** Users whose userName is `userName` (case-insensitive). */
  findUsersByUserName(tenant: string, userName: string): Promise<StoredResource[]>;
  /** Inserts or replaces; keeps `created`, sets `lastModified` to `now`, bumps `version` (guarded: see PutOptions). */
  put(write: ResourceWrite, now: Date, options?: PutOptions): Promise<StoredResource>;
  remove(tenant: string, kind: ResourceKind, id: string): Promise<void>;

  putTombstone(tombstone: Tombstone): Promise<void>;
  getTombstone(tenant: string, kind: ResourceKind, id: string): Promise<Tombstone | undefined>;
  findTombstoneByEmail(tenant: string, email: string): Promise<Tombstone | undefined>;
  listTombstoneIds(tenant: string, kind: ResourceKind): Promise<Set<string>>;
  removeTombstone(tenant: string, kind: ResourceKind, id: string): Promise<void>;

  /** Records an intent; one already recorded for the email is kept as it is (the first attempt's). */
  putCreateIntent(intent: Omit<CreateIntent, "createdAt">, now: Date): Promise<void>;
  getCreateIntent(tenant: string, email: string): Promise<CreateIntent | undefined>;
  removeCreateIntent(tenant: string, email: string): Promise<void>;
  /** Drops intents older than `before` (a lost create is repeated within minutes, not days); answers how many. */
  pruneCreateIntents(before: Date): Promise<number>;

  close(): Promise<void>;
}

/** A bounded reservation of a rate budget (see zoom/rate-budget.ts for the GCRA these numbers drive). */
export interface RateReservationRequest {
  nowMs: number;
  intervalMs: number;
  burstMs: number;
  latestStartMs: number;
}
