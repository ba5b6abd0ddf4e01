// Shared by the /Groups end-to-end files: one harness per file (node:test runs each file in its own process), the
// simulator's view of a group, seeding, and measuring the Zoom calls a request made.
import assert from "node:assert/strict";
import { after, before } from "node:test";
import { startHarness, type Harness, type ScimAnswer, type SimCall } from "./harness.js";

export const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const ENTRA_GROUP = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group";

export interface SimGroup {
  id: string;
  name: string;
  member_ids: string[];
  pending_member_ids: string[];
}
export type Members = { value: string; display?: string }[];

export let h: Harness;
export const ops = (...operations: unknown[]): unknown => ({ schemas: [PATCH], Operations: operations });
export const q = (filter: string): string => encodeURIComponent(filter);
export const shape = (calls: SimCall[]): string[] => calls.map((c) => `${c.method} ${c.path.replace(/\/[\w-]{22}(?=\/|$)/g, "/{id}")}`);
export const writes = (calls: SimCall[]): SimCall[] => calls.filter((c) => c.method !== "GET");
export const memberIds = (answer: ScimAnswer): string[] => ((answer.body.members as Members | undefined) ?? []).map((m) => m.value).sort();

export async function zoomGroup(id: string): Promise<SimGroup | undefined> {
  const answer = await h.simGet(`/_sim/groups/${encodeURIComponent(id)}`);
  return answer.status === 200 ? (answer.body as unknown as SimGroup) : undefined;
}

export async function zoomMembers(id: string): Promise<string[]> {
  const group = await zoomGroup(id);
  return [...(group?.member_ids ?? []), ...(group?.pending_member_ids ?? [])].sort();
}

/** Seeds users straight into Zoom: `n` users named prefix0@…, with the given status. */
export async function seedUsers(prefix: string, n: number, status = "active"): Promise<string[]> {
  const users = Array.from({ length: n }, (_, i) => ({ email: `${prefix}${i}@groups.example.com`, status }));
  const seeded = await h.simPost("/_sim/seed", { users });
  return (seeded.users as { id: string }[]).map((u) => u.id);
}

export async function createGroup(name: string, members: string[] = [], extra: Record<string, unknown> = {}): Promise<string> {
  const created = await h.scim("POST", "/Groups", {
    schemas: [GROUP],
    displayName: name,
    members: members.map((value) => ({ value })),
    ...extra,
  });
  assert.equal(created.status, 201, created.text);
  return String(created.body.id);
}

/** Runs `request` and answers it with the Zoom calls it made (OAuth excluded). */
export async function measured(request: () => Promise<ScimAnswer>): Promise<{ answer: ScimAnswer; calls: SimCall[] }> {
  const mark = await h.mark();
  const answer = await request();
  const calls = await h.callsSince(mark);
  // X-Zoom-Calls also counts the OAuth token requests that the simulator's API log leaves out.
  assert.ok(Number(answer.headers.get("x-zoom-calls")) >= calls.length, "X-Zoom-Calls counts the calls Zoom saw");
  return { answer, calls };
}

/** Starts the file's harness (autoCreate: users are active at once) and closes it after the file's tests. */
export function useGroupsHarness(): void {
  before(async () => {
    h = await startHarness({ env: { ZOOM_CREATE_ACTION: "autoCreate" } });
  });
  after(async () => h.close());
}
