// The licence part of one user write: the plan (licence-plan.ts), checked against Zoom and turned into steps
// (licence-steps.ts), the phone deprovisioning policy on deactivation, what the circuit breaker counts, and the
// user as the steps leave it (the phone profile read back once: Zoom picks extensions).
import type { JsonObject } from "../../store/types.js";
import type { Step } from "../steps.js";
import type { Tenant } from "../tenant.js";
import type { UserChangePlan } from "../users/change-plan.js";
import type { DestructiveChange } from "../guardrails/destructive.js";
import type { LicensedZoomUser, PhoneState } from "../gateway/user-state.js";
import { licenceRemovals, planLicences, type LicencePlan } from "./licence-plan.js";
import { licenceSteps, releaseSteps } from "./licence-steps.js";
import { phoneFailure, readPhoneState } from "./licence-state.js";

export interface LicenceChanges {
  steps: Step[];
  destructive: DestructiveChange[];
  /** The user after the steps ran. */
  after<U extends LicensedZoomUser>(user: U): Promise<U>;
}

/** The phone profile as a plan's steps leave it (numbers and plans only: what a release gives back). */
function afterPlan(phone: PhoneState, plan: LicencePlan | undefined): PhoneState {
  const numbers = phone.numbers.filter((n) => !plan?.numbers?.remove.includes(n)).concat(plan?.numbers?.add ?? []);
  const plans = phone.plans.filter((p) => !plan?.plans?.remove.includes(p)).concat(plan?.plans?.add ?? []);
  return { ...phone, numbers, plans };
}

export async function licenceChanges(
  tenant: Tenant,
  user: LicensedZoomUser,
  plan: UserChangePlan,
  desired: JsonObject,
  currentView: JsonObject | undefined,
): Promise<LicenceChanges> {
  const { zoomPhone, licenceAddOns, phoneDeprovision } = tenant.options;
  const licence: LicencePlan | undefined = currentView
    ? planLicences({ currentView, desired, phone: user.licences?.phone, zoomPhone, licenceAddOns })
    : undefined;
  // The checks read Zoom (sites, seats, numbers): a failure there is told as a phone failure, nothing changed yet.
  const steps = licence
    ? await licenceSteps(tenant, user.id, licence, user.licences?.phone).catch((error: unknown) => {
        throw phoneFailure(error, "checking the phone and licence change against Zoom");
      })
    : [];
  const destructive: DestructiveChange[] = [];
  const removals = licenceRemovals(licence);

  // `release`: a phone user's numbers and plans go back to the account before it is deactivated.
  let released = false;
  if (plan.status === "deactivate" && zoomPhone && phoneDeprovision === "release") {
    let phone = user.licences?.phone;
    if (phone === undefined) {
      phone = await readPhoneState(tenant, user.id).catch((error: unknown) => {
        throw phoneFailure(error, "reading the phone profile to release its numbers");
      });
    }
    // What the user holds once this request's own phone steps ran (turning the phone off frees everything).
    const left = phone && licence?.feature !== false ? afterPlan(phone, licence) : undefined;
    if (left && (left.numbers.length > 0 || left.plans.length > 0)) {
      steps.push(...releaseSteps(tenant, user.id, left));
      released = true;
    }
  }
  if (removals.phone || released) destructive.push({ kind: "phone-removal", count: 1 });
  if (removals.licence) destructive.push({ kind: "licence-downgrade", count: 1 });

  const phoneChanged =
    released ||
    (licence !== undefined &&
      (licence.feature !== undefined ||
        licence.siteName !== undefined ||
        licence.extension !== undefined ||
        licence.plans !== undefined ||
        licence.numbers !== undefined));

  return {
    steps,
    destructive,
    async after(updated) {
      let next = updated;
      if (licence?.zoomOne !== undefined) {
        const { zoomOneCode: _old, ...rest } = next;
        next = (licence.zoomOne === "0" ? rest : { ...rest, zoomOneCode: licence.zoomOne }) as typeof next;
      }
      if (licence?.united !== undefined) next = { ...next, plan_united_type: licence.united };
      const licences = { ...next.licences };
      if (licence?.addOns) licences.features = { ...licences.features, ...licence.addOns };
      if (phoneChanged) {
        // Zoom chooses extensions (a new phone user, a site move): read back what it holds. The change is made; a
        // failed read only leaves the answer without the phone profile until the next GET.
        licences.phone = await readPhoneState(tenant, next.id).catch(() => undefined);
      }
      return { ...next, licences };
    },
  };
}
