// Invitations of `action=create` users: accepted by the control plane, or automatically after
// a configured delay (sandbox mode), or expired by the control plane.
import { invitationAccepted } from "./events.js";
import type { UserRecord } from "./model/users.js";
import type { Simulator } from "./sim.js";

export class InvitationError extends Error {}

export function acceptInvitation(sim: Simulator, user: UserRecord): void {
  if (user.status !== "pending") throw new InvitationError(`user ${user.email} is ${user.status}, not pending`);
  if (user.invitationExpired) throw new InvitationError(`the invitation of ${user.email} has expired`);
  cancelAutoAccept(sim, user);
  sim.account.activateInvited(user);
  user.lastLoginAt = sim.now();
  invitationAccepted(sim, user);
}

export function expireInvitation(sim: Simulator, user: UserRecord): void {
  if (user.status !== "pending") throw new InvitationError(`user ${user.email} is ${user.status}, not pending`);
  cancelAutoAccept(sim, user);
  user.invitationExpired = true;
}

export function scheduleAutoAccept(sim: Simulator, user: UserRecord): void {
  const delay = sim.config.autoAcceptInvitationsAfterMs;
  if (delay === undefined) return;
  const timer = sim.later(delay, () => {
    sim.invitationTimers.delete(user.id);
    const current = sim.account.users.getById(user.id);
    if (current === user && user.status === "pending" && !user.invitationExpired) acceptInvitation(sim, user);
  });
  sim.invitationTimers.set(user.id, timer);
}

export function cancelAutoAccept(sim: Simulator, user: UserRecord): void {
  const timer = sim.invitationTimers.get(user.id);
  if (timer) {
    sim.cancel(timer);
    sim.invitationTimers.delete(user.id);
  }
}
