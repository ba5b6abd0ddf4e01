// `--fix KIND`: restores what the IdPs last set for one kind of drift, with the fewest Zoom calls, through the
// circuit breaker (a fix that deactivates, demotes, downgrades or removes members counts like an IdP's request).
// Each user or group is re-read, both sides, under its write lock before anything is sent: an IdP write since the
// report wins, and what no longer drifts is left alone. Stops at the first failure and says what was not applied.
import { ScimError } from "../../scim/errors.js";
import { ZOOM_ROLE_MEMBER, type ZoomUserType, type ZoomUserUpdate } from "../../zoom/types.js";
import { PROFILE_FIELDS } from "../mapping/zoom-fields.js";
import type { Tenant } from "../tenant.js";
import { isLicenceDowngrade, isRoleDemotion, type DestructiveChange } from "./destructive.js";
import type { IdpMembership, StoredResource } from "../../store/types.js";
import type { ZoomGroup } from "../../zoom/types.js";
import { compareDrift, FIXABLE_KINDS, type AttributeDrift, type DriftKind, type DriftReport } from "./drift.js";
import { zoomMembersOf } from "./drift-collect.js";
import { runAudited } from "../audit/recorder.js";

export interface FixOutcome {
  kind: DriftKind;
  /** One line per item restored. */
  applied: string[];
  /** Items left as they are, each with why. */
  skipped: string[];
  /** The error that stopped the fix, with the items not reached counted in `notApplied`. */
  error: string | null;
  notApplied: number;
}

interface FixStep {
  describe: string;
  destructive: DestructiveChange[];
  run(): Promise<void>;
}

const PROFILE_BY_KEY = new Map(PROFILE_FIELDS.map((f) => [f.key, f]));

function attributeSteps(tenant: Tenant, report: DriftReport, skipped: string[]): FixStep[] {
  const byUser = new Map<string, AttributeDrift[]>();
  for (const drift of report.attributes) byUser.set(drift.id, [...(byUser.get(drift.id) ?? []), drift]);
  const steps: FixStep[] = [];
  for (const [id, drifts] of byUser) {
    const update: Record<string, unknown> = {};
    const destructive: DestructiveChange[] = [];
    const calls: (() => Promise<void>)[] = [];
    const names: string[] = [];
    for (const drift of drifts) {
      const field = PROFILE_BY_KEY.get(drift.attribute);
      if (field) {
        update[field.zoomKey] = drift.expected ?? (field.zoomKey === "phone_numbers" ? [] : "");
      } else if (drift.attribute === "userType" && typeof drift.expected === "number") {
        update.type = drift.expected;
        if (isLicenceDowngrade(drift.zoom as ZoomUserType | undefined, drift.expected))
          destructive.push({ kind: "licence-downgrade", count: 1 });
      } else if (drift.attribute === "roles" && typeof drift.expected === "string") {
        const to = drift.expected;
        const from = typeof drift.zoom === "string" ? drift.zoom : undefined;
        if (isRoleDemotion(from, to)) destructive.push({ kind: "role-demotion", count: 1 });
        calls.push(() =>
          to === ZOOM_ROLE_MEMBER ? (from ? tenant.users.unassignRole(from, id) : Promise.resolve()) : tenant.users.assignRole(to, [id]),
        );
      } else if (drift.attribute === "userName" && typeof drift.expected === "string") {
        const email = drift.expected;
        calls.unshift(() => tenant.users.changeUserEmail(id, email));
      } else {
        skipped.push(`${drift.userName}: ${drift.attribute} (no way to restore it)`);
        continue;
      }
      names.push(drift.attribute);
    }
    if (Object.keys(update).length > 0) calls.push(() => tenant.users.updateUser(id, update as ZoomUserUpdate));
    if (calls.length === 0) continue;
    steps.push({
      describe: `${drifts[0]?.userName ?? id}: ${names.join(", ")}`,
      destructive,
      run: async () => {
        for (const call of calls) await call();
      },
    });
  }
  return steps;
}

function statusSteps(tenant: Tenant, report: DriftReport, skipped: string[]): FixStep[] {
  const steps: FixStep[] = [];
  for (const drift of report.status) {
    if (drift.zoom === "absent") {
      skipped.push(`${drift.userName}: gone from Zoom (the IdP's next push, or a POST, creates the user again)`);
    } else if (drift.idp === "active" && drift.zoom === "inactive") {
      steps.push({
        describe: `${drift.userName}: activated`,
        destructive: [],
        run: () => tenant.users.setUserStatus(drift.id, "activate"),
      });
    } else if (drift.zoom === "active") {
      steps.push({
        describe: `${drift.userName}: deactivated (${drift.idp === "deleted" ? "deleted" : "deactivated"} through SCIM)`,
        destructive: [{ kind: "deactivation", count: 1 }],
        run: () => tenant.users.setUserStatus(drift.id, "deactivate"),
      });
    } else {
      skipped.push(`${drift.userName}: Zoom holds it as ${drift.zoom}, which zoom-scim does not change`);
    }
  }
  return steps;
}

function membershipSteps(tenant: Tenant, report: DriftReport): FixStep[] {
  return report.memberships.map((drift) => {
    const who = drift.userName ?? drift.userId;
    return drift.change === "removed in Zoom"
      ? {
          describe: `${who} added back to ${drift.groupName}`,
          destructive: [],
          run: async () => void (await tenant.users.addGroupMembers(drift.groupId, [drift.userId])),
        }
      : {
          describe: `${who} removed from ${drift.groupName}`,
          destructive: [{ kind: "group-removal" as const, count: 1 }],
          run: () => tenant.users.removeGroupMember(drift.groupId, drift.userId),
        };
  });
}

/** One user's or one group's drift as it is now: both sides re-read (call under the resource's write lock). */
async function driftNow(tenant: Tenant, unit: Unit): Promise<DriftReport> {
  const inputs = {
    tenant: tenant.name,
    now: new Date(),
    zoomGroups: [] as ZoomGroup[],
    storedGroups: [] as StoredResource[],
    memberships: [] as IdpMembership[],
    zoomMembers: new Map<string, string[]>(),
  };
  if (unit.kind === "Group") {
    const members = await zoomMembersOf(tenant, unit.id);
    const membership = (await tenant.store.lifecycle.listIdpMemberships(tenant.name)).find((m) => m.groupId === unit.id);
    const snapshot = await tenant.users.snapshot();
    return compareDrift({
      ...inputs,
      zoomUsers: snapshot.users,
      storedUsers: [],
      tombstones: await tenant.store.listTombstoneIds(tenant.name, "User"),
      invited: new Set((await tenant.store.lifecycle.listInvitations(tenant.name)).map((i) => i.id)),
      zoomGroups: members ? [{ id: unit.id, name: unit.name, total_members: members.length }] : [],
      memberships: membership ? [membership] : [],
      zoomMembers: members ? new Map([[unit.id, members]]) : new Map(),
    });
  }
  const stored = await tenant.store.get(tenant.name, "User", unit.id);
  const user = await tenant.users.fetch(unit.id);
  const tombstoned = (await tenant.store.getTombstone(tenant.name, "User", unit.id)) !== undefined;
  const invited = (await tenant.store.lifecycle.getInvitation(tenant.name, unit.id)) !== undefined;
  return compareDrift({
    ...inputs,
    zoomUsers: user ? [user] : [],
    storedUsers: stored ? [stored] : [],
    tombstones: new Set(tombstoned ? [unit.id] : []),
    invited: new Set(invited ? [unit.id] : []),
  });
}

interface Unit {
  kind: "User" | "Group";
  id: string;
  name: string;
}

function unitsOf(report: DriftReport, kind: DriftKind): Unit[] {
  const units = new Map<string, Unit>();
  if (kind === "memberships") for (const d of report.memberships) units.set(d.groupId, { kind: "Group", id: d.groupId, name: d.groupName });
  else {
    for (const d of kind === "attributes" ? report.attributes : report.status)
      units.set(d.id, { kind: "User", id: d.id, name: d.userName });
  }
  return [...units.values()];
}

function stepsOf(tenant: Tenant, report: DriftReport, kind: DriftKind, skipped: string[]): FixStep[] {
  if (kind === "attributes") return attributeSteps(tenant, report, skipped);
  if (kind === "status") return statusSteps(tenant, report, skipped);
  return membershipSteps(tenant, report);
}

/** Who asked for a fix: an admin request (the token's name and the request id) or the CLI's operator. */
export interface FixActor {
  actor: string;
  requestId: string | null;
}

/** One user's or group's fix as an audit entry of its own (none when nothing was left to restore). */
function audited(tenant: Tenant, unit: Unit, kind: DriftKind, by: FixActor, work: () => Promise<string[]>): Promise<string[]> {
  return runAudited(tenant.audit, {
    init: {
      tenant: tenant.name,
      kind: "drift-fix",
      actor: by.actor,
      client: null,
      requestId: by.requestId,
      originRequestId: null,
      method: null,
      route: null,
      resourceType: unit.kind,
      resourceId: unit.id,
      userName: unit.kind === "User" ? unit.name : null,
    },
    work,
    outcome: (done, scope) => {
      if (done.length === 0) return undefined;
      scope.detail = `restoring the IdP's ${kind}: ${done.join("; ")}`;
      return "applied";
    },
    doing: `restoring the IdP's ${kind} of ${unit.name}`,
  });
}

/** Applies the fix of one kind, user by user or group by group, each step admitted by the breaker first. */
export async function fixDrift(tenant: Tenant, report: DriftReport, kind: DriftKind, by: FixActor): Promise<FixOutcome> {
  if (!FIXABLE_KINDS.includes(kind)) {
    throw new ScimError(
      400,
      "invalidValue",
      `drift of kind "${kind}" is listed only: no IdP said what those Zoom users and groups should be. ` +
        `Fixable kinds: ${FIXABLE_KINDS.join(", ")}.`,
    );
  }
  const applied: string[] = [];
  const skipped: string[] = [];
  const units = unitsOf(report, kind);
  let reached = 0;
  const outcome = (error: string | null): FixOutcome => ({ kind, applied, skipped, error, notApplied: units.length - reached });
  try {
    for (const unit of units) {
      await tenant.users.locks.write(unit.kind, unit.id, () =>
        audited(tenant, unit, kind, by, async () => {
          const steps = stepsOf(tenant, await driftNow(tenant, unit), kind, skipped);
          if (steps.length === 0 && !skipped.some((line) => line.startsWith(`${unit.name}:`)))
            skipped.push(`${unit.name}: no longer drifts`);
          const done: string[] = [];
          for (const step of steps) {
            await tenant.breaker.guard(step.destructive, `restoring ${step.describe}`, () => step.run());
            done.push(step.describe);
            applied.push(step.describe);
          }
          return done;
        }),
      );
      reached += 1;
    }
  } catch (error) {
    const message = error instanceof ScimError ? error.detail : error instanceof Error ? error.message : String(error);
    return outcome(message);
  } finally {
    // The fix changed users behind the snapshot's back.
    tenant.users.invalidate();
  }
  return outcome(null);
}
