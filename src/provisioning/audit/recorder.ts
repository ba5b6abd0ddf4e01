// Writing audit entries. An audit write never fails the action it records: by the time it is written, Zoom has
// made the change (Zoom's calls are not part of any store transaction), so failing the answer would only make the
// IdP repeat a change that is done. A write that fails is logged at error level with the entry itself (which holds
// no secret), so the record survives in the logs.
import { ScimError } from "../../scim/errors.js";
import type { AuditEntryInput, AuditLog } from "../../store/types.js";
import { scimErrorFromZoom } from "../zoom-errors.js";
import { AuditScope, runInAuditScope, type AuditScopeInit } from "./scope.js";

export interface AuditFailureLogger {
  error(object: Record<string, unknown>, message: string): void;
}

export class AuditRecorder {
  /** Writes under way, so that an answer (or a shutdown) can wait for entries started by observers. */
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly log: AuditLog | undefined,
    private readonly logger?: AuditFailureLogger,
  ) {}

  /** False when the audit trail is switched off (SCIM_AUDIT=off): nothing is recorded. */
  get enabled(): boolean {
    return this.log !== undefined;
  }

  write(entry: AuditEntryInput): Promise<void> {
    if (!this.log) return Promise.resolve();
    const written = this.append(this.log, entry).finally(() => this.inFlight.delete(written));
    this.inFlight.add(written);
    return written;
  }

  /** Settles once every write started so far has. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private async append(log: AuditLog, entry: AuditEntryInput): Promise<void> {
    try {
      await log.append(entry);
    } catch (error) {
      this.logger?.error(
        { auditEntry: entry, err: error instanceof Error ? error.message : String(error) },
        "AUDIT ENTRY NOT WRITTEN: the store refused it; the entry is in this log line",
      );
    }
  }
}

/** An audit recorder that records nothing (the audit trail switched off, or a tool without one). */
export const NO_AUDIT = new AuditRecorder(undefined);

/** The SCIM error an action ended with, as the entry keeps it. */
export function auditError(error: unknown, doing: string): NonNullable<AuditEntryInput["error"]> {
  const scim = error instanceof ScimError ? error : scimErrorFromZoom(error, doing);
  return { status: scim.status, ...(scim.scimType ? { scimType: scim.scimType } : {}), detail: scim.detail };
}

export interface AuditedAction<T> {
  init: Omit<AuditScopeInit, "records">;
  work: () => Promise<T>;
  /** What a finished action came to; undefined: nothing worth an entry happened (nothing was due). */
  outcome(result: T, scope: AuditScope): AuditEntryInput["outcome"] | undefined;
  /** What the action was doing, for the error of a failure. */
  doing: string;
}

/** Runs zoom-scim's own action (a deferred change, a reconciler or webhook step) in a scope of its own and records it. */
export async function runAudited<T>(recorder: AuditRecorder, action: AuditedAction<T>): Promise<T> {
  if (!recorder.enabled) return action.work();
  const scope = new AuditScope({ ...action.init, records: true });
  let result: T;
  try {
    result = await runInAuditScope(scope, action.work);
  } catch (error) {
    await recorder.write(scope.entry(scope.refused ? "refused" : "failed", auditError(error, action.doing)));
    throw error;
  }
  const outcome = action.outcome(result, scope);
  if (outcome) await recorder.write(scope.entry(outcome, null));
  return result;
}
