// Shared by the /Users end-to-end files: one harness per file (node:test runs each file in its own process, so `h` is
// that file's), Zoom's view of a user, seeding, and the body of a new user.
import { after, before } from "node:test";
import { startHarness, type Harness } from "./harness.js";

export const ZOOM_EXT = "urn:ietf:params:scim:schemas:extension:zoom:1.0:User";
export const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
export const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

export let h: Harness;

export async function zoomUser(idOrEmail: string): Promise<Record<string, unknown> | undefined> {
  const answer = await h.simGet(`/_sim/users/${encodeURIComponent(idOrEmail)}`);
  // The simulator's control plane nests profile fields under `profile`.
  return answer.status === 200 ? { ...answer.body, ...(answer.body.profile as Record<string, unknown> | undefined) } : undefined;
}

/** Seeds active users straight into Zoom and returns their ids by email. */
export async function seedUsers(users: Record<string, unknown>[]): Promise<Map<string, string>> {
  await h.simPost("/_sim/seed", { users });
  const ids = new Map<string, string>();
  for (const user of users) {
    const zoom = await zoomUser(String(user.email));
    ids.set(String(user.email), String(zoom?.id));
  }
  return ids;
}

export function newUser(email: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemas: [CORE],
    userName: email,
    name: { givenName: "Test", familyName: "Person" },
    emails: [{ value: email, type: "work", primary: true }],
    ...extra,
  };
}

/** Starts the file's harness (autoCreate: users are active at once) and closes it after the file's tests. */
export function useUsersHarness(): void {
  before(async () => {
    h = await startHarness({ env: { ZOOM_CREATE_ACTION: "autoCreate" } });
  });
  after(async () => h.close());
}
