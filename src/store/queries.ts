// The SQL both stores run, written once. Placeholders are `?` (PostgreSQL's are numbered when run:
// pg-unit-of-work.ts); times are ISO-8601 text and objects JSON text in both, so both compare and order alike.
// What differs between the dialects is here too (DIALECT), besides the schema (migrations.ts, pg-migrations.ts).
import type { ResourceKind, ResourceWrite } from "./types.js";

export type Dialect = "sqlite" | "postgres";

/** The only statement text that differs between the dialects (the schema aside). */
const DIALECT = {
  /** Row locks for a claim: PostgreSQL skips rows another unit holds; SQLite's unit holds the whole file already. */
  claimLock: { sqlite: "", postgres: " FOR UPDATE SKIP LOCKED" },
  /** The largest of several values: SQLite's multi-argument MAX is PostgreSQL's GREATEST. */
  greatest: { sqlite: "MAX", postgres: "GREATEST" },
} as const;

export const SQL = {
  createSchemaMigrations:
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)",
  appliedMigrations: "SELECT version FROM schema_migrations",
  recordMigration: "INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)",

  getResource: "SELECT * FROM resources WHERE tenant = ? AND kind = ? AND id = ?",
  resourceVersion: "SELECT version FROM resources WHERE tenant = ? AND kind = ? AND id = ?",
  listResources: "SELECT * FROM resources WHERE tenant = ? AND kind = ?",
  byExternalId: "SELECT * FROM resources WHERE tenant = ? AND kind = ? AND external_id = ?",
  /** Parameters: tenant, email, tenant, email. */
  usersByEmail: `SELECT * FROM resources WHERE tenant = ? AND kind = 'User' AND (email = ? OR id IN
    (SELECT id FROM resource_emails WHERE tenant = ? AND email = ?))`,
  /** Parameters: resourceWrite. */
  upsertResource: `INSERT INTO resources (tenant, kind, id, external_id, attributes, email, user_name, created, last_modified, version)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT (tenant, kind, id) DO UPDATE SET
      external_id = excluded.external_id, attributes = excluded.attributes, email = excluded.email,
      user_name = excluded.user_name, last_modified = excluded.last_modified, version = resources.version + 1`,
  /** Parameters: resourceWrite. */
  insertResourceIfAbsent: `INSERT INTO resources (tenant, kind, id, external_id, attributes, email, user_name, created, last_modified, version)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT (tenant, kind, id) DO NOTHING`,
  /** Parameters: resourceWrite. */
  updateResourceAt: `UPDATE resources SET external_id = ?, attributes = ?, email = ?, user_name = ?, last_modified = ?, version = version + 1
    WHERE tenant = ? AND kind = ? AND id = ? AND version = ?`,
  usersByUserName: "SELECT * FROM resources WHERE tenant = ? AND kind = 'User' AND user_name = ?",
  deleteResource: "DELETE FROM resources WHERE tenant = ? AND kind = ? AND id = ?",

  emailsOf: "SELECT email FROM resource_emails WHERE tenant = ? AND id = ? ORDER BY email",
  tenantEmails: "SELECT id, email FROM resource_emails WHERE tenant = ?",
  deleteEmails: "DELETE FROM resource_emails WHERE tenant = ? AND id = ?",
  insertEmail: "INSERT INTO resource_emails (tenant, id, email) VALUES (?, ?, ?)",

  upsertTombstone: `INSERT INTO tombstones (tenant, kind, id, email, deleted_at, mode) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (tenant, kind, id) DO UPDATE SET email = excluded.email, deleted_at = excluded.deleted_at, mode = excluded.mode`,
  getTombstone: "SELECT * FROM tombstones WHERE tenant = ? AND kind = ? AND id = ?",
  tombstoneByEmail: "SELECT * FROM tombstones WHERE tenant = ? AND kind = 'User' AND email = ? ORDER BY deleted_at DESC LIMIT 1",
  tombstoneIds: "SELECT id FROM tombstones WHERE tenant = ? AND kind = ?",
  deleteTombstone: "DELETE FROM tombstones WHERE tenant = ? AND kind = ? AND id = ?",

  insertIntent: `INSERT INTO create_intents (tenant, email, request, created_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (tenant, email) DO NOTHING`,
  getIntent: "SELECT * FROM create_intents WHERE tenant = ? AND email = ?",
  deleteIntent: "DELETE FROM create_intents WHERE tenant = ? AND email = ?",
  pruneIntents: "DELETE FROM create_intents WHERE created_at < ?",

  getInvitation: "SELECT * FROM user_invitations WHERE tenant = ? AND id = ?",
  invitationsByEmail: "SELECT * FROM user_invitations WHERE tenant = ? AND email = ?",
  listInvitations: "SELECT * FROM user_invitations WHERE tenant = ? ORDER BY id",
  upsertInvitation: `INSERT INTO user_invitations (tenant, id, state, email, zoom_user, updated_at) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (tenant, id) DO UPDATE SET state = excluded.state, email = excluded.email,
      zoom_user = excluded.zoom_user, updated_at = excluded.updated_at`,
  deleteInvitation: "DELETE FROM user_invitations WHERE tenant = ? AND id = ?",

  deferredOfTenant: "SELECT * FROM deferred_changes WHERE tenant = ? ORDER BY seq",
  deferredOfUser: "SELECT * FROM deferred_changes WHERE tenant = ? AND user_id = ? ORDER BY seq",
  /** The user's first seq as committed, locked or not (a claim compares it with the first row it could lock). */
  deferredHead: "SELECT MIN(seq) AS seq FROM deferred_changes WHERE tenant = ? AND user_id = ?",
  insertDeferred: `INSERT INTO deferred_changes (tenant, user_id, change, created_at, next_attempt_at, origin_request_id, origin_actor)
    VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
  deleteDeferred: "DELETE FROM deferred_changes WHERE tenant = ? AND seq = ?",
  deleteDeferredOfUser: "DELETE FROM deferred_changes WHERE tenant = ? AND user_id = ?",
  failDeferred: "UPDATE deferred_changes SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE tenant = ? AND seq = ?",

  // Quoted alias: PostgreSQL folds unquoted names to lower case.
  listAliases: `SELECT id, zoom_id AS "zoomId" FROM user_aliases WHERE tenant = ?`,
  aliasGeneration: "SELECT generation FROM alias_generations WHERE tenant = ?",
  upsertAlias:
    "INSERT INTO user_aliases (tenant, id, zoom_id) VALUES (?, ?, ?) ON CONFLICT (tenant, id) DO UPDATE SET zoom_id = excluded.zoom_id",
  deleteAlias: "DELETE FROM user_aliases WHERE tenant = ? AND id = ?",

  desiredMembersOfGroup: "SELECT user_id FROM group_desired_members WHERE tenant = ? AND group_id = ? ORDER BY added_at, user_id",
  desiredOfTenant: `SELECT group_id AS "groupId", user_id AS "userId" FROM group_desired_members WHERE tenant = ?
    ORDER BY added_at, group_id, user_id`,
  desiredGroupsOfUser: "SELECT group_id FROM group_desired_members WHERE tenant = ? AND user_id = ? ORDER BY added_at, group_id",
  insertDesiredMember: `INSERT INTO group_desired_members (tenant, group_id, user_id, added_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (tenant, group_id, user_id) DO NOTHING`,
  deleteDesiredMember: "DELETE FROM group_desired_members WHERE tenant = ? AND group_id = ? AND user_id = ?",
  deleteDesiredOfUser: "DELETE FROM group_desired_members WHERE tenant = ? AND user_id = ?",
  deleteDesiredOfGroup: "DELETE FROM group_desired_members WHERE tenant = ? AND group_id = ?",

  // Once complete (the IdP set the whole membership), a later partial change keeps it so.
  upsertIdpGroup: `INSERT INTO idp_groups (tenant, group_id, complete) VALUES (?, ?, ?)
    ON CONFLICT (tenant, group_id) DO UPDATE SET complete = CASE WHEN excluded.complete = 1 THEN 1 ELSE idp_groups.complete END`,
  insertIdpMember:
    "INSERT INTO idp_group_members (tenant, group_id, user_id) VALUES (?, ?, ?) ON CONFLICT (tenant, group_id, user_id) DO NOTHING",
  deleteIdpMember: "DELETE FROM idp_group_members WHERE tenant = ? AND group_id = ? AND user_id = ?",
  deleteIdpMembersOfGroup: "DELETE FROM idp_group_members WHERE tenant = ? AND group_id = ?",
  deleteIdpMembersOfUser: "DELETE FROM idp_group_members WHERE tenant = ? AND user_id = ?",
  deleteIdpGroup: "DELETE FROM idp_groups WHERE tenant = ? AND group_id = ?",
  idpGroupsOfTenant: `SELECT group_id AS "groupId", complete FROM idp_groups WHERE tenant = ? ORDER BY group_id`,
  idpMembersOfTenant: `SELECT group_id AS "groupId", user_id AS "userId" FROM idp_group_members WHERE tenant = ? ORDER BY group_id, user_id`,

  getToken: "SELECT sealed, expires_at, renew_at FROM oauth_tokens WHERE app_key = ?",
  upsertToken: `INSERT INTO oauth_tokens (app_key, sealed, expires_at, renew_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (app_key) DO UPDATE SET sealed = excluded.sealed, expires_at = excluded.expires_at, renew_at = excluded.renew_at`,
  deleteToken: "DELETE FROM oauth_tokens WHERE app_key = ? AND sealed = ?",

  insertBudget: "INSERT INTO rate_budgets (budget_key, tat, paused_until) VALUES (?, 0, 0) ON CONFLICT (budget_key) DO NOTHING",
  /** Parameters: untilMs, key. */
  pauseBudget: "UPDATE rate_budgets SET paused_until = CASE WHEN paused_until > ? THEN paused_until ELSE ? END WHERE budget_key = ?",

  /** Answers a row only the first time (tenant, signature) is offered. */
  insertDelivery: `INSERT INTO webhook_deliveries (tenant, signature, seen_at) VALUES (?, ?, ?)
    ON CONFLICT (tenant, signature) DO NOTHING RETURNING seen_at`,
  pruneDeliveries: "DELETE FROM webhook_deliveries WHERE seen_at < ?",

  insertUserEvent: "INSERT INTO user_events (tenant, origin, user_id, state, at) VALUES (?, ?, ?, ?, ?)",
  userEventsSince: "SELECT seq, origin, user_id, state FROM user_events WHERE tenant = ? AND seq > ? ORDER BY seq",
  lastUserEvent: "SELECT COALESCE(MAX(seq), 0) AS seq FROM user_events WHERE tenant = ?",
  pruneUserEvents: "DELETE FROM user_events WHERE at < ?",

  breakerState: "SELECT opened_at, detail, released_at, released_by FROM breaker_state WHERE tenant = ?",
  breakerChangesSince: "SELECT COALESCE(SUM(count), 0) AS n FROM breaker_changes WHERE tenant = ? AND at > ?",
  insertBreakerChange: "INSERT INTO breaker_changes (tenant, at, kind, count, ticket) VALUES (?, ?, ?, ?, ?)",
  deleteBreakerTicket: "DELETE FROM breaker_changes WHERE tenant = ? AND ticket = ?",
  pruneBreakerChanges: "DELETE FROM breaker_changes WHERE tenant = ? AND at < ?",
  /** Parameters: tenant, opened_at, detail. */
  openBreaker: `INSERT INTO breaker_state (tenant, opened_at, detail) VALUES (?, ?, ?)
    ON CONFLICT (tenant) DO UPDATE SET opened_at = excluded.opened_at, detail = excluded.detail`,
  /** Parameters: tenant, released_at, released_by. */
  releaseBreaker: `INSERT INTO breaker_state (tenant, released_at, released_by) VALUES (?, ?, ?)
    ON CONFLICT (tenant) DO UPDATE SET opened_at = NULL, detail = NULL, released_at = excluded.released_at,
      released_by = excluded.released_by`,

  insertAudit: "INSERT INTO audit_entries (at, tenant, resource_id, user_name, request_id, entry) VALUES (?, ?, ?, ?, ?, ?)",
  pruneAudit: "DELETE FROM audit_entries WHERE at < ?",

  lifecycleTenants: "SELECT tenant FROM user_invitations UNION SELECT tenant FROM deferred_changes ORDER BY tenant",
} as const;

/** The user's queue, locked for the claiming unit where the dialect has row locks. */
export const claimQueue = (dialect: Dialect): string => SQL.deferredOfUser + DIALECT.claimLock[dialect];

/**
 * One GCRA reservation: the theoretical arrival time moves on by the interval from the latest of itself, now and
 * a 429's pause. Parameters: nowMs, intervalMs, key. Answers the new tat and the pause; the start is derived.
 */
export const reserveBudget = (dialect: Dialect): string =>
  `UPDATE rate_budgets SET tat = ${DIALECT.greatest[dialect]}(tat, ?, paused_until) + ? WHERE budget_key = ? RETURNING tat, paused_until`;

/** Who may be asked for in one read of the audit trail: every field optional, the page after `afterSeq`. */
export interface AuditQuery {
  tenant?: string | undefined;
  /** Matches the resource id, or the userName (case-insensitive). */
  user?: string | undefined;
  resourceId?: string | undefined;
  userName?: string | undefined;
  /** ISO-8601: entries at or after it. */
  since?: string | undefined;
  afterSeq?: number | undefined;
  limit: number;
}

/** The audit read for `query`, oldest first (seq order). */
export function auditSelect(query: AuditQuery): Statement {
  const where: string[] = [];
  const params: SqlValue[] = [];
  const add = (clause: string, ...values: SqlValue[]): void => {
    where.push(clause);
    params.push(...values);
  };
  if (query.tenant !== undefined) add("tenant = ?", query.tenant);
  if (query.user !== undefined) add("(resource_id = ? OR user_name = ?)", query.user, query.user.trim().toLowerCase());
  if (query.resourceId !== undefined) add("resource_id = ?", query.resourceId);
  if (query.userName !== undefined) add("user_name = ?", query.userName.trim().toLowerCase());
  if (query.since !== undefined) add("at >= ?", query.since);
  if (query.afterSeq !== undefined) add("seq > ?", query.afterSeq);
  const filter = where.length > 0 ? ` WHERE ${where.join(" AND ")}` : "";
  return { sql: `SELECT seq, entry FROM audit_entries${filter} ORDER BY seq LIMIT ${Math.max(1, Math.floor(query.limit))}`, params };
}
/**
 * A GCRA reservation taken only if its start (the latest of now, the pause, and the arrival time less the burst)
 * is no later than a bound. Parameters: nowMs, intervalMs, key, latestStartMs, nowMs, burstMs, latestStartMs.
 * No row: refused (or no budget yet).
 */
export const reserveBudgetBy = (dialect: Dialect): string =>
  `UPDATE rate_budgets SET tat = ${DIALECT.greatest[dialect]}(tat, ?, paused_until) + ? WHERE budget_key = ? AND paused_until <= ? ` +
  `AND ${DIALECT.greatest[dialect]}(tat, ?, paused_until) - ? <= ? RETURNING tat, paused_until`;

export const readBudget = "SELECT tat, paused_until FROM rate_budgets WHERE budget_key = ?";

/** Up to this many ids, getMany reads the rows by id; past it one scan of the tenant's rows beats the point reads. */
export const POINT_QUERY_LIMIT = 500;

/** getMany's point read of `count` ids: parameters tenant, kind, then the ids. */
export const resourcesIn = (count: number): string =>
  `SELECT * FROM resources WHERE tenant = ? AND kind = ? AND id IN (${Array.from({ length: count }, () => "?").join(", ")})`;

/** The email values of `count` users: parameters tenant, then the ids. */
export const emailsIn = (count: number): string =>
  `SELECT id, email FROM resource_emails WHERE tenant = ? AND id IN (${Array.from({ length: count }, () => "?").join(", ")})`;

/** A resource's row values as a write gives them (email lower-cased, attributes as JSON text). */
export interface ResourceValues {
  tenant: string;
  kind: ResourceKind;
  id: string;
  externalId: string | null;
  attributes: string;
  email: string | null;
  userName: string | null;
  now: string;
  /** Its email values, lower-cased, once each. */
  emails: string[];
}

export function resourceValues(write: ResourceWrite, now: Date): ResourceValues {
  return {
    tenant: write.tenant,
    kind: write.kind,
    id: write.id,
    externalId: write.externalId,
    attributes: JSON.stringify(write.attributes),
    email: write.email?.toLowerCase() ?? null,
    userName: write.userName?.trim().toLowerCase() || null,
    now: now.toISOString(),
    emails: [...new Set(write.emails.map((e) => e.toLowerCase()))],
  };
}

export interface Statement {
  sql: string;
  params: SqlValue[];
}

export type SqlValue = string | number | null;

/** The row's write: an upsert, an insert only if absent, or an update only at the expected version (see PutOptions). */
export function resourceWrite(v: ResourceValues, expected: number | null | undefined): Statement {
  const insert = [v.tenant, v.kind, v.id, v.externalId, v.attributes, v.email, v.userName, v.now, v.now];
  if (expected === undefined) return { sql: SQL.upsertResource, params: insert };
  if (expected === null || expected === 0) return { sql: SQL.insertResourceIfAbsent, params: insert };
  return { sql: SQL.updateResourceAt, params: [v.externalId, v.attributes, v.email, v.userName, v.now, v.tenant, v.kind, v.id, expected] };
}
