// Skipping a failed step of a plan: an admin's decision that a call Zoom keeps refusing (an email taken in Zoom
// meanwhile, a seat gone) is not to be made, so that the next apply goes on past it. Only a failed step can be
// skipped; it is never sent afterwards, and the skip is an audit entry. Later steps that need what it would have
// made (a member of a user never created) fail in turn and are skipped the same way.
import { stringifyExact } from "../../lib/exact-json.js";
import { ScimError } from "../../scim/errors.js";
import type { ProvisioningTenant } from "../provisioning-tenant.js";
import { runAudited } from "../audit/recorder.js";
import { currentAuditScope } from "../audit/scope.js";
import { describeCall } from "./planned-call.js";
import { stepAuditInit } from "./apply-step.js";

/** A refusal of the skip (the step is not a failed one), as the CLI prints it; the HTTP route answers its status. */
export const isSkipRefusal = (error: unknown): error is ScimError => error instanceof ScimError && error.status === 409;

export async function skipStep(tenant: ProvisioningTenant, seq: number, by: { actor: string; requestId: string | null }): Promise<void> {
  const ledger = tenant.preview.ledger;
  const [step] = await ledger.steps({ states: ["failed"], afterSeq: seq - 1, limit: 1 });
  if (!step || step.seq !== seq)
    throw new ScimError(
      409,
      undefined,
      `Step ${seq} of tenant "${tenant.name}" is not a failed step: only a step apply stopped at can be skipped.`,
    );
  const { method, path } = describeCall(step.call);
  await runAudited(tenant.audit, {
    init: stepAuditInit(tenant, step, by),
    work: async () => {
      const store = tenant.store.plan;
      await tenant.store.transaction(async () => {
        if (!(await store.skipStep(tenant.name, seq, new Date().toISOString())))
          throw new ScimError(409, undefined, `Step ${seq} of tenant "${tenant.name}" changed meanwhile; look at the plan again.`);
        if (step.call.op === "createUser" && step.call.request.user_info.password !== undefined) {
          const { password: _unsent, ...info } = step.call.request.user_info;
          await store.rewriteCall(seq, stringifyExact({ ...step.call, request: { ...step.call.request, user_info: info } }));
        }
        // Nothing before it waits: what the plan holds up to it is Zoom's to say now.
        const [earlier] = await ledger.unappliedSteps(1);
        if (!earlier || earlier.seq > seq) await store.forgetObjectsUpTo(tenant.name, seq);
      });
      const scope = currentAuditScope();
      if (scope) {
        scope.detail = `plan step ${seq} (${method} ${path}) skipped: it was not sent to Zoom (${step.error ?? "it had failed"})`;
        scope.refused = true;
      }
    },
    outcome: () => "refused",
    doing: `skipping plan step ${seq}`,
  });
}
