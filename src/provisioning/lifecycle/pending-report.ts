// What is outstanding in the pending lifecycle, for an admin: invitations zoom-scim tracks and the changes waiting
// for Zoom, with their attempts and last error. Read from the store alone (no Zoom call), so the CLI can print it
// from the database file while the server runs.
import type { ResourceStore } from "../../store/types.js";
import { deltaPaths } from "../users/deferred-delta.js";

export interface PendingChangeReport {
  seq: number;
  /** The SCIM attributes the change sets. */
  attributes: string[];
  change: Record<string, unknown>;
  acceptedAt: string;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string;
}

export interface PendingUserReport {
  id: string;
  /** Zoom's current id for the user when a re-sent invitation gave it a new one. */
  zoomId?: string;
  email: string | null;
  /** pending, expired, cancelled; null for an accepted user whose changes are still being applied. */
  invitation: string | null;
  changes: PendingChangeReport[];
  lastError: string | null;
}

export interface PendingReport {
  tenant: string;
  users: PendingUserReport[];
}

export async function pendingReport(store: ResourceStore, tenant: string): Promise<PendingReport> {
  const lifecycle = store.lifecycle;
  const [invitations, changes, aliases] = await Promise.all([
    lifecycle.listInvitations(tenant),
    lifecycle.listDeferredChanges(tenant),
    lifecycle.listAliases(tenant),
  ]);
  const users = new Map<string, PendingUserReport>();
  const entry = (id: string): PendingUserReport => {
    let user = users.get(id);
    if (!user) {
      const zoomId = aliases.find((a) => a.id === id)?.zoomId;
      user = { id, ...(zoomId ? { zoomId } : {}), email: null, invitation: null, changes: [], lastError: null };
      users.set(id, user);
    }
    return user;
  };
  for (const invitation of invitations) {
    const user = entry(invitation.id);
    user.email = invitation.email;
    user.invitation = invitation.state;
  }
  for (const change of changes) {
    const user = entry(change.userId);
    user.changes.push({
      seq: change.seq,
      attributes: deltaPaths(change.change),
      change: change.change,
      acceptedAt: change.createdAt,
      attempts: change.attempts,
      lastError: change.lastError,
      nextAttemptAt: change.nextAttemptAt,
    });
    if (change.lastError) user.lastError = change.lastError;
  }
  for (const user of users.values()) user.email ??= (await store.get(tenant, "User", user.id))?.email ?? null;
  return { tenant, users: [...users.values()] };
}

/** The report as text for a terminal. */
export function formatPendingReport(report: PendingReport): string {
  const lines = [
    `tenant ${report.tenant}: ${report.users.length === 0 ? "nothing outstanding" : `${report.users.length} user(s) outstanding`}`,
  ];
  for (const user of report.users) {
    const waiting = user.changes.length === 0 ? "no changes waiting" : `${user.changes.length} change(s) waiting`;
    lines.push(
      `  ${user.id}  ${user.email ?? "?"}  invitation ${user.invitation ?? "accepted"}  ${waiting}${user.zoomId ? `  (Zoom id ${user.zoomId})` : ""}`,
    );
    for (const change of user.changes) {
      const retry = change.attempts > 0 ? `  ${change.attempts} failed attempt(s), next at ${change.nextAttemptAt}` : "";
      lines.push(`    #${change.seq}  accepted ${change.acceptedAt}  ${change.attributes.join(", ")}${retry}`);
      if (change.lastError) lines.push(`      last error: ${change.lastError}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
