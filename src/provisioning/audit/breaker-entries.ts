// The circuit breaker's opening and release as audit entries (its refusals are the refused requests' own entries).
import type { BreakerObserver } from "../guardrails/breaker.js";
import type { AuditRecorder } from "./recorder.js";
import { AuditScope, currentAuditScope, type AuditScopeInit } from "./scope.js";
import { ZOOM_SCIM_ACTOR } from "./background.js";

function breakerEntry(tenant: string, method: string, actor: string, detail: string): AuditScope {
  const trigger = currentAuditScope()?.init;
  const init: AuditScopeInit = {
    tenant,
    kind: "breaker",
    actor,
    client: trigger?.client ?? null,
    requestId: trigger?.requestId ?? null,
    originRequestId: null,
    method,
    route: null,
    resourceType: null,
    resourceId: null,
    userName: null,
    records: true,
  };
  const scope = new AuditScope(init);
  scope.detail = detail;
  return scope;
}

/** Opening is recorded as the request that tripped it (its actor); a release as whoever released it. */
/** The observer's interface is synchronous: the request that tripped the breaker waits for the opening's entry;
 * a release's is awaited through recorder.idle() (the admin answer, the CLI, shutdown). */
export function breakerAudit(recorder: AuditRecorder): BreakerObserver {
  return {
    opened: (tenant, reason) => {
      const actor = currentAuditScope()?.init.actor ?? ZOOM_SCIM_ACTOR;
      const written = recorder.write(breakerEntry(tenant, "breaker.open", actor, reason).entry("applied", null));
      currentAuditScope()?.pendingWrites.push(written);
    },
    released: (tenant, by, wasOpen) => {
      const detail = wasOpen ? "released: destructive changes go on" : "released while closed: a fresh window starts";
      void recorder.write(breakerEntry(tenant, "breaker.release", by, detail).entry("applied", null));
    },
    refused: () => undefined,
  };
}

/** Several observers as one. */
export function observeBreaker(...observers: BreakerObserver[]): BreakerObserver {
  return {
    opened: (tenant, reason) => observers.forEach((o) => o.opened(tenant, reason)),
    released: (tenant, by, wasOpen) => observers.forEach((o) => o.released(tenant, by, wasOpen)),
    refused: (tenant, what) => observers.forEach((o) => o.refused(tenant, what)),
  };
}
