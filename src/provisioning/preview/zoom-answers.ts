// What the preview's parts share: Zoom's refusals as Zoom words them (the simulator's and docs/zoom-behaviour.md's
// codes), an object as the plan leaves it, the preview's user side as the group and phone parts see it, and pages
// of an overlaid list.
import { randomBytes } from "node:crypto";
import { ZoomApiError } from "../../zoom/errors.js";
import type { ZoomListedUser, ZoomUser } from "../../zoom/types.js";
import type { DestructiveKind } from "../guardrails/destructive.js";
import type { Held, ObjectChange } from "./preview-ledger.js";
import type { PlannedCall } from "./planned-call.js";

/** Zoom's ids are 22 base64url characters; a planned create gets one of the same shape. */
export const plannedId = (): string => randomBytes(16).toString("base64url");

export const zoomError = (status: number, code: number, message: string, method: string, path: string): ZoomApiError =>
  new ZoomApiError({ status, code, zoomMessage: message, method, path });
export const userNotFound = (idOrEmail: string): ZoomApiError =>
  zoomError(404, 1001, `User does not exist: ${idOrEmail}.`, "GET", "/users/{userId}");
export const groupNotFound = (id: string): ZoomApiError =>
  zoomError(404, 4130, `A group with this ${id} does not exist.`, "GET", "/groups/{groupId}");

/** An object as the plan leaves it, and whether it exists only in the plan. */
export interface Found<T> {
  value: T;
  planned: boolean;
}

/** What the plan holds of an object, as found: undefined when the plan removed it. */
export const foundOf = <T>(held: Held<T>): Found<T> | undefined => (held.body ? { value: held.body, planned: held.planned } : undefined);

/** The preview's user side (preview-zoom.ts), as its group and phone parts use it. */
export interface PreviewUsers {
  findUser(idOrEmail: string): Promise<Found<ZoomUser> | undefined>;
  requireUser(idOrEmail: string): Promise<Found<ZoomUser>>;
  /** The users a batch of group members names, in its order (throws Zoom's 404 for an unknown one). */
  membersToAdd(ids: readonly string[]): Promise<Found<ZoomUser | ZoomListedUser>[]>;
  /** Whether reads come with the plan laid over them. */
  overlaid(): Promise<boolean>;
  /** Whether writes are planned (throws on a live tenant whose plan is not applied). */
  plans(): Promise<boolean>;
  record(
    target: { resourceType: "User" | "Group"; resourceId: string },
    call: PlannedCall,
    destructive: DestructiveKind | null,
    changes: readonly ObjectChange[],
  ): Promise<void>;
}

/** One page of an overlaid list: the token is the offset of the page's first item. */
export function offsetPage<T>(
  all: readonly T[],
  params: { pageSize?: number; nextPageToken?: string },
): { items: T[]; next: string; size: number } {
  const size = params.pageSize ?? 30;
  const from = Number(params.nextPageToken ?? 0) || 0;
  return { items: all.slice(from, from + size), next: from + size < all.length ? String(from + size) : "", size };
}
