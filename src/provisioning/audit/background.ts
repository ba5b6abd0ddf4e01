// Entries for what zoom-scim does on its own: a deferred change applied after the user accepted its invitation
// (linked to the request that made the change), and the acceptance checks a webhook or the reconciler triggers.
import type { DeferredChange } from "../../store/types.js";
import type { ZoomUser } from "../../zoom/types.js";
import type { AcceptanceOutcome } from "../gateway/user-gateway.js";
import type { DrainResult } from "../gateway/deferred-drain.js";
import type { Tenant } from "../tenant.js";
import { deltaPaths } from "../mapping/zoom-held.js";
import { auditError, runAudited } from "./recorder.js";
import { currentAuditScope } from "./scope.js";

/** Who zoom-scim's own work is recorded as. */
export const ZOOM_SCIM_ACTOR = "zoom-scim";
export const WEBHOOK_ACTOR = "zoom-webhook";

/** One deferred change applied: the actor is whoever asked for the change; the request is what triggered the drain. */
export function auditDeferredEntry(
  tenant: Tenant,
  user: ZoomUser,
  entry: DeferredChange,
  work: () => Promise<ZoomUser>,
): Promise<ZoomUser> {
  const trigger = currentAuditScope()?.init;
  return runAudited(tenant.audit, {
    init: {
      tenant: tenant.name,
      kind: "deferred",
      actor: entry.origin?.actor ?? ZOOM_SCIM_ACTOR,
      client: null,
      requestId: trigger?.requestId ?? null,
      originRequestId: entry.origin?.requestId ?? null,
      method: null,
      route: null,
      resourceType: "User",
      resourceId: entry.userId,
      userName: user.email,
    },
    work: async () => {
      const scope = currentAuditScope();
      if (scope)
        scope.detail = `change accepted at ${entry.createdAt} while the user was pending (${deltaPaths(entry.change).join(", ")}), applied after acceptance`;
      return work();
    },
    outcome: () => "applied",
    doing: "applying a change accepted while the user was pending",
  });
}

type Acceptance = { outcome: AcceptanceOutcome; result?: DrainResult };

/** A webhook's or the reconciler's acceptance check of one user; recorded only when it found something to do. */
export function auditAcceptance(
  tenant: Tenant,
  userId: string,
  trigger: { kind: "webhook" | "reconciler"; requestId: string; what: string },
  work: () => Promise<Acceptance>,
): Promise<Acceptance> {
  return runAudited(tenant.audit, {
    init: {
      tenant: tenant.name,
      kind: trigger.kind,
      actor: trigger.kind === "webhook" ? WEBHOOK_ACTOR : ZOOM_SCIM_ACTOR,
      client: null,
      requestId: trigger.requestId,
      originRequestId: null,
      method: null,
      route: null,
      resourceType: "User",
      resourceId: userId,
      userName: null,
    },
    work,
    outcome: ({ outcome, result }, scope) => {
      if (outcome === "nothing to do") return undefined;
      scope.detail = `${trigger.what}: ${outcome}${result?.remaining ? ` (${result.remaining} change(s) still waiting)` : ""}`;
      if (result?.user) scope.userName ??= result.user.email;
      if (result?.error) scope.failure = auditError(result.error, trigger.what);
      if (outcome === "applied") return "applied";
      if (outcome === "failed" || outcome === "gone") return "failed";
      return "deferred";
    },
    doing: trigger.what,
  });
}
