// Webhook payloads, shaped after Zoom's Users-webhooks OpenAPI document.
import type { GroupRecord } from "./model/groups.js";
import type { UserRecord } from "./model/users.js";
import type { Simulator } from "./sim.js";

function person(user: UserRecord): Record<string, unknown> {
  return { id: user.id, first_name: user.first_name, last_name: user.last_name, email: user.email, type: user.type };
}

export function userCreated(sim: Simulator, user: UserRecord, action: string): void {
  sim.emit("user.created", {
    ...sim.operator(),
    creation_type: action,
    object: { ...person(user), display_name: user.display_name },
  });
}

/** `changes` and `old` hold only fields the user.updated schema knows. */
export function userUpdated(sim: Simulator, user: UserRecord, changes: Record<string, unknown>, old: Record<string, unknown>): void {
  const now = sim.now();
  sim.emit("user.updated", {
    ...sim.operator(),
    time_stamp: now,
    object: { id: user.id, ...changes },
    old_object: { id: user.id, ...old },
  });
}

export function userLifecycle(
  sim: Simulator,
  event: "user.activated" | "user.deactivated" | "user.deleted" | "user.disassociated",
  user: UserRecord,
): void {
  sim.emit(event, { ...sim.operator(), object: person(user) });
}

export function invitationAccepted(sim: Simulator, user: UserRecord): void {
  sim.emit("user.invitation_accepted", { account_id: sim.config.accountId, object: person(user) });
}

export function groupEvent(sim: Simulator, event: "group.created" | "group.deleted", group: GroupRecord): void {
  sim.emit(event, { ...sim.operator(), time_stamp: sim.now(), object: { id: group.id, name: group.name } });
}

export function groupRenamed(sim: Simulator, group: GroupRecord, oldName: string): void {
  sim.emit("group.updated", {
    ...sim.operator(),
    time_stamp: sim.now(),
    object: { id: group.id, name: group.name },
    old_object: { id: group.id, name: oldName },
  });
}

export function groupMembers(
  sim: Simulator,
  event: "group.member_added" | "group.member_deleted",
  group: GroupRecord,
  users: UserRecord[],
): void {
  if (users.length === 0) return;
  sim.emit(event, {
    ...sim.operator(),
    time_stamp: sim.now(),
    object: { id: group.id, members: users.map((u) => ({ id: u.id, email: u.email })) },
  });
}
