// Zoom calls as the audit keeps them: the path as a template, so that no id or email is written twice (the entry
// names its resource once) and entries of one kind of call read alike.
import type { ZoomCallRecord } from "../../zoom/types.js";
import { currentAuditScope } from "./scope.js";

/** The placeholder for the segment after each collection. */
const COLLECTIONS: Record<string, string> = { users: "{userId}", groups: "{groupId}", members: "{memberId}", roles: "{roleId}" };
/** Zoom's own words that follow a collection and are not ids. */
const LITERALS = new Set(["status", "email", "token", "password", "settings", "summary", "members", "picture", "assistants", "me"]);

/** `/users/abc/status` → `/users/{userId}/status`; `/groups/g1/members/u1` → `/groups/{groupId}/members/{memberId}`. */
export function zoomPathTemplate(path: string): string {
  const segments = path.split("?")[0]?.split("/") ?? [];
  return segments
    .map((segment, index) => {
      const placeholder = COLLECTIONS[segments[index - 1] ?? ""];
      return placeholder && segment !== "" && !LITERALS.has(segment) ? placeholder : segment;
    })
    .join("/");
}

/** The Zoom client's call hook: each API call is kept by the audit scope it ran in (token requests are not). */
export function auditZoomCall(record: ZoomCallRecord): void {
  const scope = currentAuditScope();
  if (!scope || record.category === "oauth") return;
  scope.noteZoomCall({
    method: record.method,
    path: zoomPathTemplate(record.path),
    status: record.status,
    ...(record.trackingId ? { trackingId: record.trackingId } : {}),
  });
}
