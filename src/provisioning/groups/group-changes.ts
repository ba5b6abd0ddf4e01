// Applies a group's changes to Zoom: rename, then adds (≤ 30 users a call), pending users (one `group_id` PATCH
// each), then removals (one call each, a few at a time). On a failure it stops, waits for the calls in flight, and
// says exactly what was applied and what was not; the same request repeated applies what is missing.
import { auditGroupChanges } from "../audit/scope.js";
import { runUntilFailure } from "../../lib/concurrency.js";
import { ZoomApiError } from "../../zoom/index.js";
import { ZOOM_MAX_MEMBERS_PER_CALL } from "../../zoom/types.js";
import { ScimError } from "../../scim/errors.js";
import type { Tenant } from "../tenant.js";
import { groupZoomError } from "./group-errors.js";
import type { GroupMember } from "./group-view.js";
import { lapsedUsers, recordLapsedChanges } from "./lapsed-members.js";

export interface GroupChanges {
  /** The new name; undefined keeps the name. */
  rename?: string | undefined;
  add: GroupMember[];
  pending: GroupMember[];
  remove: string[];
  /** Users whose invitation lapsed, to add as desired membership (the store's, applied on re-invitation). */
  lapsed?: string[];
}

export interface AppliedChanges {
  renamed: boolean;
  added: string[];
  removed: string[];
}

/** A failure part-way: a ScimError whose detail says what was applied, carrying it for the store's bookkeeping. */
export class GroupChangeError extends ScimError {
  constructor(
    error: ScimError,
    readonly applied: AppliedChanges,
  ) {
    super(error.status, error.scimType, error.detail, { retryAfterSeconds: error.retryAfterSeconds, cause: error.cause });
    this.name = "GroupChangeError";
  }
}

/** In-flight calls per phase: enough to hide Zoom's latency; the client's rate limiter paces them further. */
const ADD_CONCURRENCY = 2;
const USER_CONCURRENCY = 4;
const REMOVE_CONCURRENCY = 8;

/** Removing someone who is not (or no longer) a member is what the client asked for. */
const notAMember = (error: unknown): boolean => error instanceof ZoomApiError && (error.code === 4131 || error.code === 1001);

export function listIds(ids: readonly string[], shown = 3): string {
  const head = ids.slice(0, shown).join(", ");
  return ids.length > shown ? `${head} and ${ids.length - shown} more` : head;
}

interface Failure {
  error: unknown;
  what: string;
}

/** Runs `run` over `items` until one fails (see runUntilFailure), naming the failed step with `what`. */
async function pool<T>(
  items: readonly T[],
  concurrency: number,
  run: (item: T) => Promise<void>,
  what: (item: T) => string,
): Promise<{ done: T[]; failure?: Failure }> {
  const { done, failure } = await runUntilFailure(items, concurrency, run);
  return failure === undefined ? { done } : { done, failure: { error: failure.error, what: what(failure.item) } };
}

function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function applyGroupChanges(tenant: Tenant, groupId: string, requested: GroupChanges): Promise<AppliedChanges> {
  // Removals of users whose invitation lapsed are the store's: Zoom holds no such member.
  const lapsed = requested.remove.length > 0 ? await lapsedUsers(tenant) : new Map<string, unknown>();
  const changes: GroupChanges = { ...requested, remove: requested.remove.filter((id) => !lapsed.has(id)) };
  const lapsedRemove = requested.remove.filter((id) => lapsed.has(id));
  // Before any call: a refused request renames and adds nothing either. Lapsed members lose nothing in Zoom.
  const admission = await tenant.breaker.admit(
    [{ kind: "group-removal", count: changes.remove.length }],
    `removing ${changes.remove.length} member(s) from group ${groupId}`,
  );
  // Removals Zoom made: a non-member's (or a failed) removal takes nobody out and stops counting.
  let removedFromZoom = 0;
  const zoom = tenant.zoom;
  const applied: AppliedChanges = { renamed: false, added: [], removed: [] };
  const addBatches = batches(changes.add, ZOOM_MAX_MEMBERS_PER_CALL);
  let failure: Failure | undefined;

  if (changes.rename !== undefined) {
    const name = changes.rename;
    try {
      await zoom.renameGroup(groupId, name);
      applied.renamed = true;
      tenant.forgetGroups();
    } catch (error) {
      failure = { error, what: `renaming Zoom group ${groupId} to "${name}"` };
    }
  }
  if (!failure) {
    const run = await pool(
      addBatches,
      ADD_CONCURRENCY,
      async (batch) =>
        void (await tenant.users.addGroupMembers(
          groupId,
          batch.map((m) => m.id),
        )),
      (batch) => `adding ${listIds(batch.map((m) => m.id))} to Zoom group ${groupId}`,
    );
    applied.added.push(...run.done.flat().map((m) => m.id));
    failure = run.failure;
  }
  if (!failure) {
    const run = await pool(
      changes.pending,
      USER_CONCURRENCY,
      (m) => tenant.users.updateUser(m.id, { group_id: groupId }),
      (m) => `adding pending user ${m.id} to Zoom group ${groupId}`,
    );
    applied.added.push(...run.done.map((m) => m.id));
    failure = run.failure;
  }
  if (!failure) {
    const remove = async (id: string): Promise<void> => {
      try {
        await tenant.users.removeGroupMember(groupId, id);
        removedFromZoom += 1;
      } catch (error) {
        if (!notAMember(error)) throw error;
      }
    };
    const run = await pool(changes.remove, REMOVE_CONCURRENCY, remove, (id) => `removing user ${id} from Zoom group ${groupId}`);
    applied.removed.push(...run.done);
    failure = run.failure;
  }
  recordInSnapshot(tenant, groupId, applied.added, applied.removed);
  await admission.settle([{ kind: "group-removal", count: removedFromZoom }]);
  const renamedTo = applied.renamed ? changes.rename : undefined;
  if (failure) {
    auditGroupChanges(groupId, { renamedTo, added: applied.added, removed: applied.removed });
    await recordIdpChanges(tenant, groupId, applied);
    throw new GroupChangeError(failureError(failure, groupId, changes, applied), applied);
  }
  await recordLapsedChanges(tenant, groupId, requested.lapsed ?? [], lapsedRemove);
  applied.added.push(...(requested.lapsed ?? []));
  applied.removed.push(...lapsedRemove);
  auditGroupChanges(groupId, { renamedTo, added: applied.added, removed: applied.removed });
  return applied;
}

/** A failure part-way: what did reach Zoom is the IdP's doing too, for the drift report (success: the caller's). */
async function recordIdpChanges(tenant: Tenant, groupId: string, applied: AppliedChanges): Promise<void> {
  if (applied.added.length === 0 && applied.removed.length === 0) return;
  await tenant.store.lifecycle.recordIdpMembers(tenant.name, groupId, { add: applied.added, remove: applied.removed });
}

function failureError(failure: Failure, groupId: string, changes: GroupChanges, applied: AppliedChanges): ScimError {
  const base = groupZoomError(failure.error, failure.what, {
    id: groupId,
    ...(changes.rename !== undefined ? { name: changes.rename } : {}),
  });
  const done: string[] = [];
  const missing: string[] = [];
  if (changes.rename !== undefined) (applied.renamed ? done : missing).push(`renaming the group to "${changes.rename}"`);
  const added = new Set(applied.added);
  const toAdd = [...changes.add, ...changes.pending].map((m) => m.id);
  const addedNow = toAdd.filter((id) => added.has(id));
  const notAdded = toAdd.filter((id) => !added.has(id));
  if (addedNow.length > 0) done.push(`adding ${addedNow.length} member(s) (${listIds(addedNow)})`);
  if (notAdded.length > 0) missing.push(`adding ${notAdded.length} member(s) (${listIds(notAdded)})`);
  const removed = new Set(applied.removed);
  const removedNow = changes.remove.filter((id) => removed.has(id));
  const notRemoved = changes.remove.filter((id) => !removed.has(id));
  if (removedNow.length > 0) done.push(`removing ${removedNow.length} member(s) (${listIds(removedNow)})`);
  if (notRemoved.length > 0) missing.push(`removing ${notRemoved.length} member(s) (${listIds(notRemoved)})`);
  const said = /[.!?"]$/.test(base.detail) ? base.detail : `${base.detail}.`;
  if (done.length === 0) {
    return new ScimError(base.status, base.scimType, `${said} Nothing was changed.`, {
      retryAfterSeconds: base.retryAfterSeconds,
      cause: failure.error,
    });
  }
  const detail = `${said} Applied before the failure: ${done.join("; ")}. Not applied: ${missing.join("; ")}. Repeating the same request applies what is missing.`;
  return new ScimError(base.status, base.scimType, detail, { retryAfterSeconds: base.retryAfterSeconds, cause: failure.error });
}

/** Keeps the users snapshot's group_ids in step with our writes, so users' `groups` and group lists agree at once. */
export function recordInSnapshot(tenant: Tenant, groupId: string, added: readonly string[], removed: readonly string[]): void {
  const snapshot = tenant.users.peek();
  if (!snapshot) return;
  for (const id of added) {
    const user = snapshot.byId.get(id);
    if (user && !user.group_ids?.includes(groupId)) tenant.users.remember({ ...user, group_ids: [...(user.group_ids ?? []), groupId] });
  }
  for (const id of removed) {
    const user = snapshot.byId.get(id);
    if (user?.group_ids?.includes(groupId)) tenant.users.remember({ ...user, group_ids: user.group_ids.filter((g) => g !== groupId) });
  }
}
