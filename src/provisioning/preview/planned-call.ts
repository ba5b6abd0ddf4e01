// One Zoom write a preview tenant would make, as data: kept in the plan (store/preview-plan.ts), shown as the
// method, path and body Zoom would get, and sent by `apply` with planned ids replaced by Zoom's.
import { zoomPaths as paths } from "../../zoom/path.js";
import type {
  ZoomApi,
  ZoomCreateUserRequest,
  ZoomDeleteAction,
  ZoomFeatureSettings,
  ZoomPhoneProfileUpdate,
  ZoomUserUpdate,
} from "../../zoom/types.js";

export type PlannedCall =
  | { op: "createUser"; id: string; request: ZoomCreateUserRequest }
  | { op: "updateUser"; user: string; update: ZoomUserUpdate }
  | { op: "setUserStatus"; user: string; action: "activate" | "deactivate" }
  | { op: "deleteUser"; user: string; action: ZoomDeleteAction }
  | { op: "changeUserEmail"; user: string; email: string }
  | { op: "signOutUser"; user: string }
  | { op: "createGroup"; id: string; name: string }
  | { op: "renameGroup"; group: string; name: string }
  | { op: "deleteGroup"; group: string }
  | { op: "addGroupMembers"; group: string; users: string[] }
  | { op: "removeGroupMember"; group: string; user: string }
  | { op: "assignRole"; role: string; users: string[] }
  | { op: "unassignRole"; role: string; user: string }
  | { op: "updatePhoneUser"; user: string; update: ZoomPhoneProfileUpdate }
  | { op: "assignCallingPlans"; user: string; types: number[] }
  | { op: "switchCallingPlan"; user: string; source: number; target: number }
  | { op: "unassignCallingPlan"; user: string; type: number }
  | { op: "assignPhoneNumbers"; user: string; numbers: string[] }
  | { op: "unassignPhoneNumber"; user: string; number: string }
  | { op: "updateUserFeatures"; user: string; feature: ZoomFeatureSettings };

export type PlannedOp = PlannedCall["op"];

/** The HTTP request Zoom would get: what `zoom-scim plan` and GET /admin/plan show. */
export interface CallDescription {
  method: "POST" | "PATCH" | "PUT" | "DELETE";
  path: string;
  body?: unknown;
}

export function describeCall(call: PlannedCall): CallDescription {
  switch (call.op) {
    case "createUser":
      return { method: "POST", path: paths.users(), body: call.request };
    case "updateUser":
      return { method: "PATCH", path: paths.user(call.user), body: call.update };
    case "setUserStatus":
      return { method: "PUT", path: paths.userStatus(call.user), body: { action: call.action } };
    case "deleteUser":
      return { method: "DELETE", path: `${paths.user(call.user)}?action=${call.action}` };
    case "changeUserEmail":
      return { method: "PUT", path: paths.userEmail(call.user), body: { email: call.email } };
    case "signOutUser":
      return { method: "DELETE", path: paths.userToken(call.user) };
    case "createGroup":
      return { method: "POST", path: paths.groups(), body: { name: call.name } };
    case "renameGroup":
      return { method: "PATCH", path: paths.group(call.group), body: { name: call.name } };
    case "deleteGroup":
      return { method: "DELETE", path: paths.group(call.group) };
    case "addGroupMembers":
      return { method: "POST", path: paths.groupMembers(call.group), body: { members: call.users.map((id) => ({ id })) } };
    case "removeGroupMember":
      return { method: "DELETE", path: paths.groupMember(call.group, call.user) };
    case "assignRole":
      return { method: "POST", path: paths.roleMembers(call.role), body: { members: call.users.map((id) => ({ id })) } };
    case "unassignRole":
      return { method: "DELETE", path: paths.roleMember(call.role, call.user) };
    case "updatePhoneUser":
      return { method: "PATCH", path: paths.phoneUser(call.user), body: call.update };
    case "assignCallingPlans":
      return { method: "POST", path: paths.phoneUserPlans(call.user), body: { calling_plans: call.types.map((type) => ({ type })) } };
    case "switchCallingPlan":
      return { method: "PUT", path: paths.phoneUserPlans(call.user), body: { source_type: call.source, target_type: call.target } };
    case "unassignCallingPlan":
      return { method: "DELETE", path: paths.phoneUserPlan(call.user, call.type) };
    case "assignPhoneNumbers":
      return {
        method: "POST",
        path: paths.phoneUserNumbers(call.user),
        body: { phone_numbers: call.numbers.map((number) => ({ number })) },
      };
    case "unassignPhoneNumber":
      return { method: "DELETE", path: paths.phoneUserNumber(call.user, call.number) };
    case "updateUserFeatures":
      return { method: "PATCH", path: paths.userSettings(call.user), body: { feature: call.feature } };
  }
}

/** Planned ids of users and groups created earlier in the plan, mapped to the ids Zoom gave them when applied. */
export interface AppliedIds {
  user(id: string): string;
  group(id: string): string;
}

/** The call with every planned id replaced by Zoom's (ids not created by the plan stay as they are). */
export function withZoomIds(call: PlannedCall, ids: AppliedIds): PlannedCall {
  switch (call.op) {
    case "createUser":
    case "createGroup":
      return call;
    case "renameGroup":
    case "deleteGroup":
      return { ...call, group: ids.group(call.group) };
    case "addGroupMembers":
      return { ...call, group: ids.group(call.group), users: call.users.map((id) => ids.user(id)) };
    case "removeGroupMember":
      return { ...call, group: ids.group(call.group), user: ids.user(call.user) };
    case "assignRole":
      return { ...call, users: call.users.map((id) => ids.user(id)) };
    case "updateUser": {
      const update = call.update.group_id === undefined ? call.update : { ...call.update, group_id: ids.group(call.update.group_id) };
      return { ...call, user: ids.user(call.user), update };
    }
    default:
      return { ...call, user: ids.user(call.user) };
  }
}

/** Sends one call to Zoom; a create answers the id Zoom gave. */
export async function sendCall(zoom: ZoomApi, call: PlannedCall): Promise<{ zoomId?: string }> {
  switch (call.op) {
    case "createUser":
      return { zoomId: (await zoom.createUser(call.request)).id };
    case "updateUser":
      await zoom.updateUser(call.user, call.update);
      return {};
    case "setUserStatus":
      await zoom.setUserStatus(call.user, call.action);
      return {};
    case "deleteUser":
      await zoom.deleteUser(call.user, call.action);
      return {};
    case "changeUserEmail":
      await zoom.changeUserEmail(call.user, call.email);
      return {};
    case "signOutUser":
      await zoom.signOutUser(call.user);
      return {};
    case "createGroup":
      return { zoomId: (await zoom.createGroup(call.name)).id };
    case "renameGroup":
      await zoom.renameGroup(call.group, call.name);
      return {};
    case "deleteGroup":
      await zoom.deleteGroup(call.group);
      return {};
    case "addGroupMembers":
      await zoom.addGroupMembers(call.group, call.users);
      return {};
    case "removeGroupMember":
      await zoom.removeGroupMember(call.group, call.user);
      return {};
    case "assignRole":
      await zoom.assignRole(call.role, call.users);
      return {};
    case "unassignRole":
      await zoom.unassignRole(call.role, call.user);
      return {};
    case "updatePhoneUser":
      await zoom.phone.updatePhoneUser(call.user, call.update);
      return {};
    case "assignCallingPlans":
      await zoom.phone.assignCallingPlans(call.user, call.types);
      return {};
    case "switchCallingPlan":
      await zoom.phone.switchCallingPlan(call.user, call.source, call.target);
      return {};
    case "unassignCallingPlan":
      await zoom.phone.unassignCallingPlan(call.user, call.type);
      return {};
    case "assignPhoneNumbers":
      await zoom.phone.assignPhoneNumbers(call.user, call.numbers);
      return {};
    case "unassignPhoneNumber":
      await zoom.phone.unassignPhoneNumber(call.user, call.number);
      return {};
    case "updateUserFeatures":
      await zoom.phone.updateUserFeatures(call.user, call.feature);
      return {};
  }
}

/** The plan summary's categories: what an admin reads first ("12 creates, 3 deactivations …"). */
export type StepCategory =
  | "user creates"
  | "profile updates"
  | "activations"
  | "deactivations"
  | "user deletions"
  | "email changes"
  | "sign-outs"
  | "group creates"
  | "group renames"
  | "group deletions"
  | "member additions"
  | "member removals"
  | "role assignments"
  | "role removals"
  | "phone and licence changes";

export function categoryOf(call: PlannedCall): StepCategory {
  switch (call.op) {
    case "createUser":
      return "user creates";
    case "updateUser":
      return "profile updates";
    case "setUserStatus":
      return call.action === "activate" ? "activations" : "deactivations";
    case "deleteUser":
      return "user deletions";
    case "changeUserEmail":
      return "email changes";
    case "signOutUser":
      return "sign-outs";
    case "createGroup":
      return "group creates";
    case "renameGroup":
      return "group renames";
    case "deleteGroup":
      return "group deletions";
    case "addGroupMembers":
      return "member additions";
    case "removeGroupMember":
      return "member removals";
    case "assignRole":
      return "role assignments";
    case "unassignRole":
      return "role removals";
    default:
      return "phone and licence changes";
  }
}

/** How many users a step touches: a batch of members counts each (the summary counts users, not calls). */
export const usersTouched = (call: PlannedCall): number =>
  call.op === "addGroupMembers" || call.op === "assignRole" ? call.users.length : 1;
