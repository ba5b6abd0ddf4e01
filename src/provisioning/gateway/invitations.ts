// zoom-scim's record of a pending user's invitation: kept while it is open so that the user can still be shown
// once Zoom stops answering for it (expired: 1120; cancelled by a deactivation: Zoom holds nothing).
import type { Invitation, InvitationState, JsonObject, LifecycleStore } from "../../store/types.js";
import type { ZoomUser } from "../../zoom/types.js";
import { jsonEqual } from "../../scim/attributes/json.js";
import type { IdentifiedZoomUser } from "./user-state.js";

/** Zoom's user as the invitation record keeps it (the record's `zoomUser`). */
function recordedUser(invitation: Invitation): ZoomUser {
  const user = invitation.zoomUser as Partial<ZoomUser>;
  return { ...user, id: invitation.id, email: user.email ?? invitation.email, type: user.type ?? 1, status: "pending" };
}

/** The user to show for an invitation Zoom no longer answers for. */
export function lapsedUser(invitation: Invitation): ZoomUser & IdentifiedZoomUser {
  const user = recordedUser(invitation);
  return invitation.state === "pending" ? user : { ...user, invitation: invitation.state };
}

export class Invitations {
  constructor(
    private readonly tenant: string,
    private readonly lifecycle: LifecycleStore,
  ) {}

  get(id: string): Promise<Invitation | undefined> {
    return this.lifecycle.getInvitation(this.tenant, id);
  }

  findByEmail(email: string): Promise<Invitation[]> {
    return this.lifecycle.findInvitationsByEmail(this.tenant, email);
  }

  list(): Promise<Invitation[]> {
    return this.lifecycle.listInvitations(this.tenant);
  }

  remove(id: string): Promise<void> {
    return this.lifecycle.removeInvitation(this.tenant, id);
  }

  async put(user: ZoomUser, state: InvitationState, previous?: Invitation): Promise<void> {
    const zoomUser = { ...user, status: "pending" } as unknown as JsonObject;
    delete zoomUser.invitation;
    // Reads of a pending user call this: write only what changed.
    if (previous && previous.state === state && jsonEqual(previous.zoomUser, zoomUser)) return;
    await this.lifecycle.putInvitation({ tenant: this.tenant, id: user.id, state, email: user.email, zoomUser }, new Date());
  }

  /** Zoom answered 1120 for a user zoom-scim knows: its invitation expired. */
  async markExpired(id: string): Promise<Invitation | undefined> {
    const invitation = await this.get(id);
    if (!invitation || invitation.state === "expired" || invitation.state === "cancelled") return invitation;
    const expired: Invitation = { ...invitation, state: "expired" };
    await this.lifecycle.putInvitation(expired, new Date());
    return expired;
  }
}
