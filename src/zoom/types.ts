// Zoom's REST shapes as this project uses them (Users, Groups, Roles APIs, March 2026 OpenAPI documents).
// This module knows nothing of SCIM: it describes Zoom, nothing else.
import type { ZoomPhoneApi, ZoomPlanCode } from "./phone-types.js";

export * from "./phone-types.js";

export type ZoomUserStatus = "active" | "inactive" | "pending";

/** 1 Basic, 2 Licensed, 4 Unassigned without Meetings Basic, 99 None (ssoCreate only). */
export type ZoomUserType = 1 | 2 | 4 | 99;

export type ZoomCreateAction = "create" | "autoCreate" | "custCreate" | "ssoCreate";

export type ZoomDeleteAction = "disassociate" | "delete";

export type ZoomPlan = "free" | "pro" | "business";

/** Zoom's rate-limit categories. */
export type ZoomRateCategory = "light" | "medium" | "heavy";

export interface ZoomPhoneNumber {
  code?: string;
  country?: string;
  label?: "Mobile" | "Office" | "Home" | "Fax";
  number?: string;
}

export interface ZoomCustomAttribute {
  key?: string;
  name?: string;
  value?: string;
}

/** A user as `GET /users` lists it. Pending users are listed without `id`. */
export interface ZoomListedUser {
  id?: string;
  email: string;
  first_name?: string;
  last_name?: string;
  display_name?: string;
  type: ZoomUserType;
  status?: ZoomUserStatus;
  role_id?: string;
  dept?: string;
  timezone?: string;
  group_ids?: string[];
  user_created_at?: string;
  created_at?: string;
  last_login_time?: string;
  verified?: number;
  pmi?: number;
}

/** A user as `GET /users/{userId}` returns it: the listed fields plus about twenty more. */
export interface ZoomUser extends ZoomListedUser {
  id: string;
  role_name?: string;
  job_title?: string;
  company?: string;
  cost_center?: string;
  manager?: string;
  location?: string;
  language?: string;
  pronouns?: string;
  phone_numbers?: ZoomPhoneNumber[];
  login_types?: number[];
  account_id?: string;
  pic_url?: string;
  vanity_url?: string;
  custom_attributes?: ZoomCustomAttribute[];
  /** Zoom One / Workplace plan (0 or absent: none). */
  zoom_one_type?: ZoomPlanCode;
  /** Zoom United plan ("none" or absent: none). */
  plan_united_type?: string;
}

export interface ZoomUserPage {
  page_size: number;
  total_records: number;
  next_page_token: string;
  users: ZoomListedUser[];
}

/** `POST /users` body. */
export interface ZoomCreateUserRequest {
  action: ZoomCreateAction;
  user_info: {
    email: string;
    type: ZoomUserType;
    first_name?: string;
    last_name?: string;
    display_name?: string;
    password?: string;
  };
}

/** `POST /users` 201 body. */
export interface ZoomCreatedUser {
  id: string;
  email: string;
  first_name?: string;
  last_name?: string;
  type: ZoomUserType;
}

/** `PATCH /users/{userId}` body: only the documented fields (email, status and role are not among them). */
export interface ZoomUserUpdate {
  first_name?: string;
  last_name?: string;
  display_name?: string;
  type?: ZoomUserType;
  dept?: string;
  company?: string;
  job_title?: string;
  cost_center?: string;
  location?: string;
  language?: string;
  timezone?: string;
  manager?: string;
  phone_numbers?: ZoomPhoneNumber[];
  pronouns?: string;
  custom_attributes?: ZoomCustomAttribute[];
  /** The group to add a pending user to. */
  group_id?: string;
  /** Top-level here (under `user_info.feature` on create); one of type, zoom_one_type, plan_united_type per call. */
  zoom_one_type?: ZoomPlanCode;
  /** "none" turns the plan off. */
  plan_united_type?: string;
  feature?: { zoom_phone?: boolean };
}

export interface ZoomGroup {
  id: string;
  name: string;
  total_members: number;
}

export interface ZoomGroupPage {
  groups: ZoomGroup[];
  total_records: number;
  next_page_token?: string;
}

export interface ZoomGroupMember {
  id: string;
  email: string;
  first_name?: string;
  last_name?: string;
  type: ZoomUserType;
}

export interface ZoomGroupMemberPage {
  members: ZoomGroupMember[];
  total_records: number;
  page_size?: number;
  next_page_token?: string;
}

export interface ZoomRole {
  id: string;
  name: string;
  description?: string;
  type?: string;
  total_members?: number;
}

export interface ZoomRoleMember {
  id: string;
  email: string;
  first_name?: string;
  last_name?: string;
  type?: ZoomUserType;
}

/** Built-in role ids. */
export const ZOOM_ROLE_OWNER = "0";
export const ZOOM_ROLE_ADMIN = "1";
export const ZOOM_ROLE_MEMBER = "2";

/** Zoom caps one add-members or assign-role call at 30 members. */
export const ZOOM_MAX_MEMBERS_PER_CALL = 30;
/** Largest page sizes Zoom accepts. */
export const ZOOM_MAX_USER_PAGE = 2000;
export const ZOOM_MAX_GROUP_PAGE = 300;
export const ZOOM_MAX_GROUP_MEMBER_PAGE = 2000;
export const ZOOM_MAX_ROLE_MEMBER_PAGE = 300;

/** What the client reports of every Zoom call it made (for logs and per-request counting). */
export interface ZoomCallRecord {
  method: string;
  /** Path below the API base, without query, e.g. `/users/abc`. */
  path: string;
  status: number;
  category: ZoomRateCategory | "oauth";
  durationMs: number;
  /** Zoom's error code, when the call failed with one. */
  code?: number;
  attempt: number;
  /** Zoom's x-zm-trackingid header, when it sent one (what Zoom's support asks for). */
  trackingId?: string;
}

/**
 * Typed Zoom operations. Each method is one Zoom call unless its name says `all`
 * (those page through Zoom at the largest page size).
 */
export interface ZoomApi {
  /** A valid access token is held: the cached one, or one requested now (readiness). Throws ZoomAuthError when refused. */
  ensureAccessToken(): Promise<void>;

  listUsers(params: { status: ZoomUserStatus; pageSize?: number; nextPageToken?: string }): Promise<ZoomUserPage>;
  listAllUsers(status: ZoomUserStatus): Promise<ZoomListedUser[]>;
  /** id or email. Throws ZoomApiError 404/1001 when unknown. */
  getUser(idOrEmail: string): Promise<ZoomUser>;
  createUser(request: ZoomCreateUserRequest): Promise<ZoomCreatedUser>;
  updateUser(idOrEmail: string, update: ZoomUserUpdate): Promise<void>;
  setUserStatus(idOrEmail: string, action: "activate" | "deactivate"): Promise<void>;
  deleteUser(idOrEmail: string, action: ZoomDeleteAction): Promise<void>;
  changeUserEmail(idOrEmail: string, email: string): Promise<void>;
  signOutUser(idOrEmail: string): Promise<void>;

  listGroups(params?: { pageSize?: number; nextPageToken?: string }): Promise<ZoomGroupPage>;
  listAllGroups(): Promise<ZoomGroup[]>;
  getGroup(groupId: string): Promise<ZoomGroup>;
  createGroup(name: string): Promise<ZoomGroup>;
  renameGroup(groupId: string, name: string): Promise<void>;
  deleteGroup(groupId: string): Promise<void>;
  listGroupMembers(groupId: string, params?: { pageSize?: number; nextPageToken?: string }): Promise<ZoomGroupMemberPage>;
  listAllGroupMembers(groupId: string): Promise<ZoomGroupMember[]>;
  /** At most 30 ids: larger batches are the caller's to split, so it can report partial progress. */
  addGroupMembers(groupId: string, userIds: string[]): Promise<{ ids: string[]; added_at?: string }>;
  removeGroupMember(groupId: string, userIdOrEmail: string): Promise<void>;

  listRoles(): Promise<ZoomRole[]>;
  listAllRoleMembers(roleId: string): Promise<ZoomRoleMember[]>;
  /** At most 30 ids. Zoom refuses Owner ("0") and Member ("2"). */
  assignRole(roleId: string, userIds: string[]): Promise<void>;
  /** The user falls back to Member. */
  unassignRole(roleId: string, userIdOrEmail: string): Promise<void>;

  /** Zoom Phone and the licence part of user settings (phone-client.ts). */
  readonly phone: ZoomPhoneApi;
}
