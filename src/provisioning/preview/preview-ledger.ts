// A preview tenant's plan and the Zoom state it leads to, over the store's tables (store/preview-plan.ts): each
// planned call is recorded together with the objects it leaves, in one unit, so a crash keeps both or neither.
// Bodies are exact JSON (Zoom's plan codes pass 2^53).
import { parseExactJson, stringifyExact } from "../../lib/exact-json.js";
import type { PlanStepRecord, PlanStepState, PreviewObject, ResourceKind, ResourceStore } from "../../store/types.js";
import type { DestructiveKind } from "../guardrails/destructive.js";
import { categoryOf, usersTouched, type PlannedCall, type StepCategory } from "./planned-call.js";

export type ObjectKind = PreviewObject["kind"];

/** An object as the plan leaves it: `body` undefined means the plan removed it. */
export interface Held<T> {
  key: string;
  parent: string;
  body: T | undefined;
  /** A user's email, lower-case: a removed user keeps it (Zoom lists pending users by email alone). */
  email: string | null;
  /** Exists only in the plan. */
  planned: boolean;
}

export interface ObjectChange {
  kind: ObjectKind;
  key: string;
  parent?: string;
  email?: string | undefined;
  /** null: the plan removes it. */
  body: object | null;
  planned: boolean;
}

export interface PlannedStep {
  seq: number;
  resourceType: ResourceKind;
  resourceId: string;
  call: PlannedCall;
  destructive: DestructiveKind | null;
  state: PlanStepState;
  plannedAt: string;
  appliedAt: string | null;
  /** The id Zoom gave a create, once applied. */
  zoomId: string | null;
  error: string | null;
  /** A failed step whose call may have reached Zoom (no answer, a timeout, a 5xx): checked before it is sent again. */
  inDoubt: boolean;
}

/** The steps `apply` sends: never tried, cut off by a crash, or refused at the last apply. */
export const UNAPPLIED: readonly PlanStepState[] = ["planned", "sending", "failed"];

function held<T>(object: PreviewObject): Held<T> {
  const body = object.body === null ? undefined : (parseExactJson(object.body) as T);
  // The key is the object's id: a rekeyed object (a create applied) answers with Zoom's.
  if (body && (object.kind === "user" || object.kind === "group" || object.kind === "member")) (body as { id?: string }).id = object.key;
  return { key: object.key, parent: object.parent, body, email: object.email, planned: object.planned };
}

function step(record: PlanStepRecord): PlannedStep {
  const result = record.result === null ? undefined : (parseExactJson(record.result) as { zoomId?: string; inDoubt?: boolean });
  return {
    seq: record.seq,
    resourceType: record.resourceType,
    resourceId: record.resourceId,
    call: parseExactJson(record.call) as PlannedCall,
    destructive: record.destructive as DestructiveKind | null,
    state: record.state,
    plannedAt: record.plannedAt,
    appliedAt: record.appliedAt,
    zoomId: result?.zoomId ?? null,
    error: record.error,
    inDoubt: record.state === "sending" || (record.state === "failed" && result?.inDoubt === true),
  };
}

export class PreviewLedger {
  constructor(
    readonly tenant: string,
    private readonly store: ResourceStore,
  ) {}

  /** Appends the call to the plan with the objects it leaves; answers its seq. */
  async record(
    target: { resourceType: ResourceKind; resourceId: string },
    call: PlannedCall,
    destructive: DestructiveKind | null,
    changes: readonly ObjectChange[],
  ): Promise<number> {
    return this.store.transaction(async () => {
      const seq = await this.store.plan.addStep({
        tenant: this.tenant,
        resourceType: target.resourceType,
        resourceId: target.resourceId,
        call: stringifyExact(call),
        destructive,
        category: categoryOf(call),
        touched: usersTouched(call),
        plannedAt: new Date().toISOString(),
      });
      for (const change of changes) {
        await this.store.plan.putObject(this.tenant, {
          kind: change.kind,
          key: change.key,
          parent: change.parent ?? "",
          email: change.email?.toLowerCase() ?? null,
          body: change.body === null ? null : stringifyExact(change.body),
          planned: change.planned,
          uptoSeq: seq,
        });
      }
      return seq;
    });
  }

  async get<T>(kind: ObjectKind, key: string, parent?: string): Promise<Held<T> | undefined> {
    const object = await this.store.plan.getObject(this.tenant, kind, key, parent);
    return object ? held<T>(object) : undefined;
  }

  /** Users holding this email in the plan, the living first. */
  async byEmail<T>(email: string): Promise<Held<T>[]> {
    return (await this.store.plan.objectsByEmail(this.tenant, "user", email)).map((object) => held<T>(object));
  }

  async all<T>(kind: ObjectKind, parent?: string): Promise<Held<T>[]> {
    return (await this.store.plan.listObjects(this.tenant, kind, parent)).map((object) => held<T>(object));
  }

  async steps(
    query: { states?: readonly PlanStepState[]; afterSeq?: number; limit?: number; category?: StepCategory } = {},
  ): Promise<PlannedStep[]> {
    return (await this.store.plan.listSteps(this.tenant, query)).map(step);
  }

  unappliedSteps(limit?: number): Promise<PlannedStep[]> {
    return this.steps({ states: UNAPPLIED, ...(limit !== undefined ? { limit } : {}) });
  }

  summary(): Promise<{ category: string; destructive: string | null; touched: number }[]> {
    return this.store.plan.sumSteps(this.tenant, UNAPPLIED);
  }

  /** The users (or groups) of these keys as the plan holds them. */
  async some<T>(kind: ObjectKind, keys: readonly string[]): Promise<Held<T>[]> {
    return (await this.store.plan.getObjects(this.tenant, kind, keys)).map((object) => held<T>(object));
  }

  counts(): Promise<Record<PlanStepState, number>> {
    return this.store.plan.countSteps(this.tenant);
  }

  async unappliedCount(): Promise<number> {
    const counts = await this.counts();
    return counts.planned + counts.sending + counts.failed;
  }
}
