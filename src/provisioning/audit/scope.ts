// The audit scope: what one audited action did, gathered while it runs. An AsyncLocalStorage carries it, so that
// the provisioning code notes a user's before and after, and the Zoom client's call hook its calls, without
// knowing who opened the scope (a SCIM request, a webhook, the reconciler, a deferred change being applied).
import { AsyncLocalStorage } from "node:async_hooks";
import type { AuditChange, AuditEntryInput, AuditZoomCall, DeferredOrigin, JsonObject } from "../../store/types.js";
import { attributeChanges } from "./diff.js";

/** Enough Zoom calls (and noted changes) to tell any one action's story; a group write of thousands of members is summarised. */
const MAX_LISTED = 100;

/** What an action's entry says of it from the start: the entry's identifying fields (store/types.ts). */
export type AuditScopeInit = Pick<
  AuditEntryInput,
  "tenant" | "kind" | "actor" | "client" | "requestId" | "originRequestId" | "method" | "route" | "resourceType" | "resourceId" | "userName"
> & {
  /** False for a carrier (a SCIM read): it passes its request id and actor on to nested entries, records nothing. */
  records: boolean;
};

export class AuditScope {
  readonly zoomCalls: AuditZoomCall[] = [];
  /** Calls past MAX_LISTED, counted only. */
  droppedZoomCalls = 0;
  resourceId: string | null;
  userName: string | null;
  /** The resource before the action (null: it did not exist); undefined until noted. */
  private before: JsonObject | null | undefined;
  private after: JsonObject | null | undefined;
  /** Changes noted one by one (a group's members), beside the before/after of a resource's views. */
  private readonly notedChanges: AuditChange[] = [];
  private droppedChanges = 0;
  /** Entries others started while this action ran (the breaker opening), which its own entry waits for. */
  readonly pendingWrites: Promise<void>[] = [];
  /** Entries of its own parts (a /Bulk request's operations). */
  childEntries = 0;
  deferred = false;
  /** Steps the action added to a preview tenant's plan (nothing was sent to Zoom). */
  planned = false;
  plannedSteps: number[] = [];
  refused = false;
  detail: string | undefined;
  /** The SCIM error the action came to, when the one who records it is not the one who saw it fail. */
  failure: AuditEntryInput["error"] = null;

  constructor(readonly init: AuditScopeInit) {
    this.resourceId = init.resourceId;
    this.userName = init.userName;
  }

  /** The entry as it stands, with its outcome and the SCIM error answered, if any. */
  entry(outcome: AuditEntryInput["outcome"], error: AuditEntryInput["error"], now = new Date()): AuditEntryInput {
    const { records: _records, resourceId: _id, userName: _name, ...init } = this.init;
    const detail = [
      this.detail,
      this.planned
        ? `preview: planned as plan step${this.plannedSteps.length === 1 ? "" : "s"} ${this.plannedSteps.join(", ")}, nothing sent to Zoom`
        : undefined,
      this.droppedZoomCalls > 0 ? `${this.droppedZoomCalls} further Zoom calls not listed` : undefined,
      this.droppedChanges > 0 ? `${this.droppedChanges} further changes not listed` : undefined,
      this.childEntries > 0 ? `${this.childEntries} operation(s), each an entry of its own with this requestId` : undefined,
    ]
      .filter(Boolean)
      .join("; ");
    return {
      ...init,
      at: now.toISOString(),
      resourceId: this.resourceId,
      userName: this.userName,
      changes: [
        ...(this.before === undefined && this.after === undefined ? [] : attributeChanges(this.before ?? null, this.after ?? null)),
        ...this.notedChanges,
      ],
      zoomCalls: this.zoomCalls,
      outcome,
      error: error ?? this.failure,
      ...(detail ? { detail } : {}),
    };
  }

  noteResource(note: ResourceNote): void {
    if (note.resourceId) this.resourceId = note.resourceId;
    if (note.userName) this.userName = note.userName;
    // The first before stands (the state the action started from); the last after is where it ended.
    if (note.before !== undefined && this.before === undefined) this.before = note.before;
    if (note.after !== undefined) this.after = note.after;
  }

  noteChanges(changes: readonly AuditChange[]): void {
    const room = Math.max(0, MAX_LISTED - this.notedChanges.length);
    this.notedChanges.push(...changes.slice(0, room));
    this.droppedChanges += Math.max(0, changes.length - room);
  }

  noteZoomCall(call: AuditZoomCall): void {
    if (this.zoomCalls.length < MAX_LISTED) this.zoomCalls.push(call);
    else this.droppedZoomCalls += 1;
  }
}

export interface ResourceNote {
  resourceId?: string | undefined;
  userName?: string | undefined;
  before?: JsonObject | null;
  after?: JsonObject | null;
}

const storage = new AsyncLocalStorage<AuditScope>();

export function runInAuditScope<T>(scope: AuditScope, work: () => T): T {
  return storage.run(scope, work);
}

export function currentAuditScope(): AuditScope | undefined {
  return storage.getStore();
}

/** A user's or group's state before and after the action (SCIM views), and who it is. */
export function auditResource(note: ResourceNote): void {
  storage.getStore()?.noteResource(note);
}

/** A group's changes as applied: its new name, each member added (null → id) and removed (id → null). */
export function auditGroupChanges(
  groupId: string,
  applied: { renamedTo?: string | undefined; added: readonly string[]; removed: readonly string[] },
): void {
  const scope = storage.getStore();
  if (!scope) return;
  scope.noteResource({ resourceId: groupId });
  scope.noteChanges([
    ...(applied.renamedTo !== undefined ? [{ attribute: "displayName", before: null, after: applied.renamedTo }] : []),
    ...applied.added.map((id) => ({ attribute: "members", before: null, after: id })),
    ...applied.removed.map((id) => ({ attribute: "members", before: id, after: null })),
  ]);
}

/** The action's change waits for the user's acceptance (a deferred change). */
/** The action added step `seq` to a preview tenant's plan. */
export function auditPlanned(seq: number): void {
  const scope = currentAuditScope();
  if (!scope) return;
  scope.planned = true;
  if (scope.plannedSteps.length < MAX_LISTED) scope.plannedSteps.push(seq);
}

export function auditDeferred(): void {
  const scope = storage.getStore();
  if (scope) scope.deferred = true;
}

/** zoom-scim itself refused the action (the circuit breaker): not a failure of Zoom's. */
export function auditRefused(): void {
  const scope = storage.getStore();
  if (scope) scope.refused = true;
}

/** The request behind a change that will be applied later, for the entry of its application. */
export function auditOrigin(): DeferredOrigin | undefined {
  const scope = storage.getStore();
  return scope?.init.requestId ? { requestId: scope.init.requestId, actor: scope.init.actor } : undefined;
}
