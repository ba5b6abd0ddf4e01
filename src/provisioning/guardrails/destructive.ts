// What counts as destructive for the circuit breaker: a change an IdP mistake can make to many users at once and
// that costs them access. Pure: the writes call these with what they are about to send to Zoom.
import { ZOOM_ROLE_ADMIN, ZOOM_ROLE_MEMBER, ZOOM_ROLE_OWNER, type ZoomUserType } from "../../zoom/types.js";
import type { DeleteMode } from "../../store/types.js";
import type { UserChangePlan } from "../users/change-plan.js";

export type DestructiveKind = "deactivation" | "deletion" | "group-removal" | "role-demotion" | "licence-downgrade" | "phone-removal";

export const DESTRUCTIVE_KINDS: readonly DestructiveKind[] = [
  "deactivation",
  "deletion",
  "group-removal",
  "role-demotion",
  "licence-downgrade",
  /** A Zoom Phone feature, number or calling plan taken away (the `release` policy's too). */
  "phone-removal",
];

export interface DestructiveChange {
  kind: DestructiveKind;
  /** How many users it touches (a group removal of 30 members is 30). */
  count: number;
}

/** Zoom's licence types from most to least: Licensed, Basic, Unassigned (no Meetings licence), None. */
const LICENCE_RANK: Record<number, number> = { 2: 3, 1: 2, 4: 1, 99: 0 };

/** A licence change that leaves the user with less than they had. */
export function isLicenceDowngrade(from: ZoomUserType | number | undefined, to: ZoomUserType | number | undefined): boolean {
  if (from === undefined || to === undefined) return false;
  const before = LICENCE_RANK[from];
  const after = LICENCE_RANK[to];
  return before !== undefined && after !== undefined && after < before;
}

/** A role change that takes privileges away: to Member from any other role, or away from Admin (or Owner). */
export function isRoleDemotion(from: string | undefined, to: string): boolean {
  if (from === undefined || from === to) return false;
  return to === ZOOM_ROLE_MEMBER || from === ZOOM_ROLE_ADMIN || from === ZOOM_ROLE_OWNER;
}

/** The destructive part of one user's change plan (empty for a profile change, an activation or a promotion). */
export function destructiveChangesOf(
  current: { type?: ZoomUserType | number; role_id?: string },
  plan: UserChangePlan,
): DestructiveChange[] {
  const changes: DestructiveChange[] = [];
  if (plan.status === "deactivate") changes.push({ kind: "deactivation", count: 1 });
  if (plan.role && isRoleDemotion(plan.role.from ?? current.role_id, plan.role.to)) changes.push({ kind: "role-demotion", count: 1 });
  if (plan.profile.type !== undefined && isLicenceDowngrade(current.type, plan.profile.type))
    changes.push({ kind: "licence-downgrade", count: 1 });
  return changes;
}

/**
 * What a user DELETE costs the breaker: cancelling an open invitation or removing the user from Zoom is a deletion;
 * in deactivate mode an active user's is a deactivation, and an inactive (or cancelled) one's loses nothing more.
 */
export function deletionChanges(
  user: { status?: string; invitation?: string | undefined },
  invited: boolean,
  mode: DeleteMode,
): DestructiveChange[] {
  if (invited) return user.invitation === "cancelled" ? [] : [{ kind: "deletion", count: 1 }];
  if (mode !== "deactivate") return [{ kind: "deletion", count: 1 }];
  return user.status === "active" ? [{ kind: "deactivation", count: 1 }] : [];
}
