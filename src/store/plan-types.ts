// Preview mode's storage (migration 10): a tenant's plan steps, the objects they leave, the apply lease and the
// aliases of groups an apply created. JSON text throughout: what it means is provisioning/preview's.
import type { ResourceKind } from "./types.js";

/** `skipped`: a failed step an admin chose not to apply (never sent again). */
export type PlanStepState = "planned" | "sending" | "done" | "failed" | "skipped";

/** One Zoom call of a preview tenant's plan; `call` and `result` are JSON text (the provisioning layer's shapes). */
export interface PlanStepRecord {
  seq: number;
  tenant: string;
  resourceType: ResourceKind;
  /** The resource as the IdP knows it (a planned create's id is the one the IdP was told). */
  resourceId: string;
  call: string;
  /** The breaker's kind of change when the call is destructive. */
  destructive: string | null;
  /** The plan summary's kind of change, and how many users (or groups) it touches. */
  category: string;
  touched: number;
  state: PlanStepState;
  plannedAt: string;
  appliedAt: string | null;
  result: string | null;
  error: string | null;
}

/** What a preview tenant's Zoom would hold of one object after the planned calls. */
export interface PreviewObject {
  kind: "user" | "group" | "member" | "phone" | "features";
  /** The object's Zoom id (a planned create's synthetic id until the plan is applied); a member's user id. */
  key: string;
  /** A member's group id; "" otherwise. */
  parent: string;
  /** A user's email, lower-case (found by it as Zoom finds users by email). */
  email: string | null;
  /** JSON text; null: the object is gone. */
  body: string | null;
  /** Exists only in the plan (a planned create not yet applied). */
  planned: boolean;
  /** The last step that touched it. */
  uptoSeq: number;
}

/** Preview mode's tables (migration 10): the plan, the state it leads to, and the ids of groups it created. */
export interface PreviewPlanStore {
  /** Appends a step; answers its seq. Call within a transaction together with the objects it leaves. */
  addStep(step: Omit<PlanStepRecord, "seq" | "state" | "appliedAt" | "result" | "error">): Promise<number>;
  putObject(tenant: string, object: PreviewObject): Promise<void>;
  getObject(tenant: string, kind: PreviewObject["kind"], key: string, parent?: string): Promise<PreviewObject | undefined>;
  /** The objects of a kind holding this email (lower-case), the living first. */
  objectsByEmail(tenant: string, kind: PreviewObject["kind"], email: string): Promise<PreviewObject[]>;
  /** Every object of a kind (of a parent, for members). */
  listObjects(tenant: string, kind: PreviewObject["kind"], parent?: string): Promise<PreviewObject[]>;
  /** Steps in order, from `afterSeq`, of the given states (all when omitted), at most `limit`. */
  listSteps(
    tenant: string,
    query?: { states?: readonly PlanStepState[]; afterSeq?: number; limit?: number; category?: string },
  ): Promise<PlanStepRecord[]>;
  countSteps(tenant: string): Promise<Record<PlanStepState, number>>;
  /** The highest seq of the tenant's steps in `states` (0 when none). */
  maxSeq(tenant: string, states: readonly PlanStepState[]): Promise<number>;
  /** Users touched per category and per destructive kind, over steps in `states`: the plan summary, in SQL. */
  sumSteps(tenant: string, states: readonly PlanStepState[]): Promise<{ category: string; destructive: string | null; touched: number }[]>;
  /** The objects of a kind with these keys (parent ""), for naming a page of steps. */
  getObjects(tenant: string, kind: PreviewObject["kind"], keys: readonly string[]): Promise<PreviewObject[]>;
  /** Marks the tenant's failed step `seq` skipped; false when it is not a failed step of the tenant. */
  skipStep(tenant: string, seq: number, at: string): Promise<boolean>;
  /** Replaces a step's call (a create's password, blanked once it is sent). */
  rewriteCall(seq: number, call: string): Promise<void>;
  markStep(seq: number, state: PlanStepState, at: string, outcome?: { result?: string; error?: string }): Promise<void>;
  /** A planned create was applied: its objects are now known by Zoom's id, and Zoom holds them. */
  rekeyUser(tenant: string, from: string, to: string): Promise<void>;
  rekeyGroup(tenant: string, from: string, to: string): Promise<void>;
  /** Forgets the objects every applied step up to `seq` has made true in Zoom. */
  forgetObjectsUpTo(tenant: string, seq: number): Promise<number>;
  /** Takes (or renews) the tenant's apply lease for `holder` until `expiresAtMs`; false while another holds it. */
  takeLease(tenant: string, holder: string, nowMs: number, expiresAtMs: number): Promise<boolean>;
  /** When another's lease ends (epoch ms), or undefined when none is held. */
  leaseExpiry(tenant: string): Promise<number | undefined>;
  dropLease(tenant: string, holder: string): Promise<void>;
  listGroupAliases(tenant: string): Promise<{ id: string; zoomId: string }[]>;
  putGroupAlias(tenant: string, id: string, zoomId: string): Promise<void>;
  removeGroupAlias(tenant: string, id: string): Promise<void>;
}
