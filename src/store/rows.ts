// The tables' rows as both stores read them, and their mapping to the store's types: one mapping for SQLite and
// PostgreSQL, whose rows differ only in that PostgreSQL answers BIGINT columns (seq) as strings.
import type {
  CreateIntent,
  DeferredChange,
  DeleteMode,
  IdpMembership,
  Invitation,
  InvitationState,
  JsonObject,
  ResourceKind,
  StoredResource,
  Tombstone,
} from "./types.js";

export interface ResourceRow {
  tenant: string;
  kind: ResourceKind;
  id: string;
  external_id: string | null;
  attributes: string;
  email: string | null;
  /** Since migration 5. */
  user_name?: string | null;
  created: string;
  last_modified: string;
  version: number;
}

export interface TombstoneRow {
  tenant: string;
  kind: ResourceKind;
  id: string;
  email: string | null;
  deleted_at: string;
  mode: DeleteMode;
}

export interface IntentRow {
  tenant: string;
  email: string;
  request: string;
  created_at: string;
}

export interface InvitationRow {
  tenant: string;
  id: string;
  state: InvitationState;
  email: string;
  zoom_user: string;
  updated_at: string;
}

export interface DeferredRow {
  seq: number | string;
  tenant: string;
  user_id: string;
  change: string;
  created_at: string;
  attempts: number;
  last_error: string | null;
  next_attempt_at: string;
  origin_request_id?: string | null;
  origin_actor?: string | null;
}

/** JSON text kept by the store, as an object (anything else reads as {}). */
export function parseObject(text: string): JsonObject {
  const parsed: unknown = JSON.parse(text);
  return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as JsonObject) : {};
}

export function toResource(row: ResourceRow, emails: string[]): StoredResource {
  return {
    tenant: row.tenant,
    kind: row.kind,
    id: row.id,
    externalId: row.external_id,
    attributes: parseObject(row.attributes),
    email: row.email,
    emails,
    ...(row.user_name ? { userName: row.user_name } : {}),
    created: row.created,
    lastModified: row.last_modified,
    version: Number(row.version),
  };
}

/** Emails rows ({id, email}) grouped by id, each list sorted as the single-user read sorts it. */
export function emailsById(rows: readonly { id: string; email: string }[]): Map<string, string[]> {
  const emails = new Map<string, string[]>();
  for (const { id, email } of rows) {
    const list = emails.get(id);
    if (list) list.push(email);
    else emails.set(id, [email]);
  }
  for (const list of emails.values()) list.sort();
  return emails;
}

export const toTombstone = (row: TombstoneRow): Tombstone => ({
  tenant: row.tenant,
  kind: row.kind,
  id: row.id,
  email: row.email,
  deletedAt: row.deleted_at,
  mode: row.mode,
});

export const toIntent = (row: IntentRow): CreateIntent => ({
  tenant: row.tenant,
  email: row.email,
  request: parseObject(row.request),
  createdAt: row.created_at,
});

export const toInvitation = (row: InvitationRow): Invitation => ({
  tenant: row.tenant,
  id: row.id,
  state: row.state,
  email: row.email,
  zoomUser: parseObject(row.zoom_user),
  updatedAt: row.updated_at,
});

export const toDeferred = (row: DeferredRow): DeferredChange => ({
  seq: Number(row.seq),
  tenant: row.tenant,
  userId: row.user_id,
  change: parseObject(row.change),
  createdAt: row.created_at,
  attempts: Number(row.attempts),
  lastError: row.last_error,
  nextAttemptAt: row.next_attempt_at,
  ...(row.origin_request_id ? { origin: { requestId: row.origin_request_id, actor: row.origin_actor ?? "unknown" } } : {}),
});

/**
 * What a claim answers from the user's rows it could lock (in seq order) and the user's first seq as committed:
 * nothing when another unit holds the head (it was skipped) or when the head backs off past `dueBy`.
 */
export function claimable(locked: readonly DeferredRow[], headSeq: number | string | null, dueBy: Date | undefined): DeferredChange[] {
  const first = locked[0];
  if (!first || headSeq === null || Number(first.seq) !== Number(headSeq)) return [];
  if (dueBy && Date.parse(first.next_attempt_at) > dueBy.getTime()) return [];
  return locked.map(toDeferred);
}

/** The IdP membership tables' rows, grouped per group (both ordered by group id). */
export function idpMemberships(
  groups: readonly { groupId: string; complete: number | string }[],
  members: readonly { groupId: string; userId: string }[],
): IdpMembership[] {
  const byGroup = new Map<string, IdpMembership>();
  for (const group of groups) byGroup.set(group.groupId, { groupId: group.groupId, complete: Number(group.complete) === 1, members: [] });
  for (const member of members) byGroup.get(member.groupId)?.members.push(member.userId);
  return [...byGroup.values()];
}
