// What the gateway (user-gateway.ts) hands out and takes: a loaded user with its lifecycle state, load options,
// the lifecycle's view of a page of users, and the gateway's construction options.
import type { DeferredChange, Invitation, ResourceStore, StoredResource } from "../../store/types.js";
import type { ZoomApi, ZoomUser } from "../../zoom/types.js";
import type { ScimError } from "../../scim/errors.js";
import type { DeferredApplier, DrainResult } from "./deferred-drain.js";
import type { IdentifiedZoomUser } from "./user-state.js";

export interface LoadedUser {
  /** Zoom's user, or the recorded one (with `invitation` set) when its invitation expired or was cancelled. */
  user: ZoomUser & IdentifiedZoomUser;
  stored: StoredResource | undefined;
  /** Changes accepted and not yet applied by Zoom, in order. */
  deferred: DeferredChange[];
  invitation: Invitation | undefined;
  /** Why waiting changes of an accepted user could not be applied just now. */
  drainError?: ScimError;
}

export interface LoadOptions {
  /** A write is waiting: retry failed changes now instead of after their backoff. */
  force?: boolean;
  /** Apply waiting changes of an accepted user (default true; a DELETE does not). */
  apply?: boolean;
  /** Zoom's user when the caller has just read it (a lookup by email): saves a get. */
  zoomUser?: ZoomUser;
}

export interface LifecycleView {
  invitations: Map<string, Invitation>;
  deferred: Map<string, DeferredChange[]>;
  /** Groups users with a lapsed invitation were added to since (desired membership), by user. */
  desiredGroups?: Map<string, string[]>;
}

export type AcceptanceOutcome = DrainResult["state"] | "nothing to do";

export interface GatewayOptions {
  tenant: string;
  zoom: ZoomApi;
  store: ResourceStore;
  snapshotTtlMs: number;
  /** How one deferred change is applied to an accepted user (the user domain's change planner). */
  applyDeferred: DeferredApplier;
}
