// Zoom Phone and licence settings of a preview tenant: a user's phone profile and features as the plan leaves
// them (copied from Zoom on the plan's first change of them), the account's catalogue (sites, calling plans,
// numbers) read from Zoom as it is.
import type { ZoomApiError } from "../../zoom/errors.js";
import type {
  ZoomAccountPhoneNumber,
  ZoomCallingPlanSeats,
  ZoomFeatureSettings,
  ZoomPhoneApi,
  ZoomPhoneProfileUpdate,
  ZoomPhoneSite,
  ZoomPhoneUser,
  ZoomUser,
} from "../../zoom/types.js";
import type { DestructiveKind } from "../guardrails/destructive.js";
import { featureRefusal, newPhoneUser, phoneDigits, updatedFeatures } from "./overlay.js";
import { UNAPPLIED, type ObjectChange, type PreviewLedger } from "./preview-ledger.js";
import { zoomError, type Found, type PreviewUsers } from "./zoom-answers.js";
import type { PlannedCall } from "./planned-call.js";

const noPhoneUser = (id: string): ZoomApiError => zoomError(404, 1001, `User does not exist: ${id}.`, "GET", "/phone/users/{userId}");

export class PreviewPhone implements ZoomPhoneApi {
  constructor(
    private readonly real: ZoomPhoneApi,
    private readonly ledger: PreviewLedger,
    private readonly users: PreviewUsers,
  ) {}

  private async phoneOf({ value: user, planned }: Found<ZoomUser>): Promise<ZoomPhoneUser | undefined> {
    const held = await this.ledger.get<ZoomPhoneUser>("phone", user.id);
    if (held) return held.body;
    // A user only the plan holds has no Zoom Phone until the plan turns it on.
    return planned ? undefined : this.real.getPhoneUser(user.id);
  }

  private async featuresOf({ value: user, planned }: Found<ZoomUser>): Promise<ZoomFeatureSettings> {
    const held = await this.ledger.get<ZoomFeatureSettings>("features", user.id);
    if (held?.body) return held.body;
    return planned ? {} : this.real.getUserFeatures(user.id);
  }

  /**
   * The objects turning Zoom Phone on or off leaves (a profile update or a features update can do it); `features`
   * are the user's features after the change when the caller has them.
   */
  async phoneTurned(user: Found<ZoomUser>, on: boolean, features?: ZoomFeatureSettings): Promise<ObjectChange[]> {
    const current = await this.phoneOf(user);
    const after = features ?? { ...(await this.featuresOf(user)), zoom_phone: on };
    const phone = on ? (current ?? newPhoneUser(user.value)) : null;
    return [
      { kind: "features", key: user.value.id, body: after, planned: false },
      { kind: "phone", key: user.value.id, body: phone, planned: false },
    ];
  }

  async getPhoneUser(idOrEmail: string): Promise<ZoomPhoneUser | undefined> {
    if (!(await this.users.overlaid())) return this.real.getPhoneUser(idOrEmail);
    return this.phoneOf(await this.users.requireUser(idOrEmail));
  }

  async getUserFeatures(idOrEmail: string): Promise<ZoomFeatureSettings> {
    if (!(await this.users.overlaid())) return this.real.getUserFeatures(idOrEmail);
    return this.featuresOf(await this.users.requireUser(idOrEmail));
  }

  /** Records a change of a user's phone profile: `change` gives the profile after it. */
  private async changePhone(
    idOrEmail: string,
    call: (userId: string) => PlannedCall,
    change: (phone: ZoomPhoneUser) => ZoomPhoneUser,
    destructive: DestructiveKind | null,
  ): Promise<void> {
    const user = await this.users.requireUser(idOrEmail);
    const { value } = user;
    const phone = await this.phoneOf(user);
    if (!phone) throw noPhoneUser(idOrEmail);
    await this.users.record({ resourceType: "User", resourceId: value.id }, call(value.id), destructive, [
      { kind: "phone", key: value.id, body: change(phone), planned: false },
    ]);
  }

  async updatePhoneUser(idOrEmail: string, update: ZoomPhoneProfileUpdate): Promise<void> {
    if (!(await this.users.plans())) return this.real.updatePhoneUser(idOrEmail, update);
    await this.changePhone(
      idOrEmail,
      (user) => ({ op: "updatePhoneUser", user, update }),
      (phone) => ({
        ...phone,
        ...(update.site_id !== undefined ? { site_id: update.site_id } : {}),
        ...(update.extension_number !== undefined ? { extension_number: Number(update.extension_number) } : {}),
      }),
      null,
    );
  }

  async assignCallingPlans(idOrEmail: string, types: readonly number[]): Promise<void> {
    if (!(await this.users.plans())) return this.real.assignCallingPlans(idOrEmail, types);
    if (types.length === 0) return;
    await this.changePhone(
      idOrEmail,
      (user) => ({ op: "assignCallingPlans", user, types: [...types] }),
      (phone) => ({ ...phone, calling_plans: [...(phone.calling_plans ?? []), ...types.map((type) => ({ type }))] }),
      null,
    );
  }

  async switchCallingPlan(idOrEmail: string, source: number, target: number): Promise<void> {
    if (!(await this.users.plans())) return this.real.switchCallingPlan(idOrEmail, source, target);
    await this.changePhone(
      idOrEmail,
      (user) => ({ op: "switchCallingPlan", user, source, target }),
      (phone) => ({ ...phone, calling_plans: (phone.calling_plans ?? []).map((plan) => (plan.type === source ? { type: target } : plan)) }),
      null,
    );
  }

  async unassignCallingPlan(idOrEmail: string, type: number): Promise<void> {
    if (!(await this.users.plans())) return this.real.unassignCallingPlan(idOrEmail, type);
    await this.changePhone(
      idOrEmail,
      (user) => ({ op: "unassignCallingPlan", user, type }),
      (phone) => ({ ...phone, calling_plans: (phone.calling_plans ?? []).filter((plan) => plan.type !== type) }),
      "phone-removal",
    );
  }

  async assignPhoneNumbers(idOrEmail: string, numbers: readonly string[]): Promise<void> {
    if (!(await this.users.plans())) return this.real.assignPhoneNumbers(idOrEmail, numbers);
    if (numbers.length === 0) return;
    await this.changePhone(
      idOrEmail,
      (user) => ({ op: "assignPhoneNumbers", user, numbers: [...numbers] }),
      (phone) => ({
        ...phone,
        phone_numbers: [...(phone.phone_numbers ?? []), ...numbers.map((number) => ({ number: phoneDigits(number) }))],
      }),
      null,
    );
  }

  async unassignPhoneNumber(idOrEmail: string, numberOrId: string): Promise<void> {
    if (!(await this.users.plans())) return this.real.unassignPhoneNumber(idOrEmail, numberOrId);
    const digits = phoneDigits(numberOrId);
    await this.changePhone(
      idOrEmail,
      (user) => ({ op: "unassignPhoneNumber", user, number: numberOrId }),
      (phone) => ({ ...phone, phone_numbers: (phone.phone_numbers ?? []).filter((n) => n.id !== numberOrId && n.number !== digits) }),
      "phone-removal",
    );
  }

  async updateUserFeatures(idOrEmail: string, feature: ZoomFeatureSettings): Promise<void> {
    if (!(await this.users.plans())) return this.real.updateUserFeatures(idOrEmail, feature);
    const user = await this.users.requireUser(idOrEmail);
    const { value } = user;
    const current = await this.featuresOf(user);
    const refusal = featureRefusal(value, current, feature);
    if (refusal) throw zoomError(400, refusal.code, refusal.message, "PATCH", "/users/{userId}/settings");
    const { features, destructive } = updatedFeatures(current, feature);
    const changes: ObjectChange[] =
      feature.zoom_phone !== undefined
        ? await this.phoneTurned(user, feature.zoom_phone, features)
        : [{ kind: "features", key: value.id, body: features, planned: false }];
    await this.users.record(
      { resourceType: "User", resourceId: value.id },
      { op: "updateUserFeatures", user: value.id, feature },
      destructive,
      changes,
    );
  }

  listAllSites(): Promise<ZoomPhoneSite[]> {
    return this.real.listAllSites();
  }

  getSite(siteId: string): Promise<ZoomPhoneSite> {
    return this.real.getSite(siteId);
  }

  /** The phone and licence steps not yet applied: what the plan already takes of the account's seats and numbers. */
  private async plannedPhoneCalls(): Promise<PlannedCall[]> {
    const steps = await this.ledger.steps({ states: UNAPPLIED, category: "phone and licence changes" });
    return steps.map((step) => step.call);
  }

  /** Seats as Zoom would count them once the plan's assignments are made: a preview cannot promise a seat twice. */
  async listCallingPlans(): Promise<ZoomCallingPlanSeats[]> {
    const seats = await this.real.listCallingPlans();
    if (!(await this.users.overlaid())) return seats;
    const taken = new Map<number, number>();
    const take = (type: number, n: number): void => void taken.set(type, (taken.get(type) ?? 0) + n);
    for (const call of await this.plannedPhoneCalls()) {
      if (call.op === "assignCallingPlans") for (const type of call.types) take(type, 1);
      if (call.op === "unassignCallingPlan") take(call.type, -1);
      if (call.op === "switchCallingPlan") {
        take(call.source, -1);
        take(call.target, 1);
      }
    }
    return seats.map((seat) => {
      const n = taken.get(seat.type) ?? 0;
      return n === 0 ? seat : { ...seat, assigned: seat.assigned + n, available: seat.available - n };
    });
  }

  /** The account's number with its assignee as the plan leaves it. */
  async findPhoneNumber(e164: string): Promise<ZoomAccountPhoneNumber | undefined> {
    const number = await this.real.findPhoneNumber(e164);
    if (!number || !(await this.users.overlaid())) return number;
    const digits = phoneDigits(e164);
    let assignee = number.assignee;
    for (const call of await this.plannedPhoneCalls()) {
      if (call.op === "assignPhoneNumbers" && call.numbers.some((n) => phoneDigits(n) === digits)) {
        const user = (await this.ledger.get<ZoomUser>("user", call.user))?.body;
        assignee = { id: call.user, ...(user?.display_name ? { name: user.display_name } : {}) };
      }
      if (call.op === "unassignPhoneNumber" && (call.number === number.id || phoneDigits(call.number) === digits)) assignee = undefined;
    }
    const { assignee: _zoom, ...rest } = number;
    return assignee ? { ...rest, assignee } : rest;
  }
}
