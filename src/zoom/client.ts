// The typed Zoom operations (Users, Groups, Roles). Each method is one Zoom call, `listAll*` pages through.

import { ZoomCaller, type ZoomRequest } from "./call.js";
import { resolveConfig, type ZoomClientConfig } from "./config.js";
import { ZoomError } from "./errors.js";
import { createHttpTransport, type HttpTransport } from "./http.js";
import { arrayField, asObject, numberField, stringField, type JsonObject } from "./json.js";
import { requestAccessToken } from "./oauth.js";
import { createReporter } from "./observe.js";
import { zoomPaths as paths } from "./path.js";
import { ZoomPhoneOperations } from "./phone-client.js";
import { rateLimiterForAccount } from "./rate-limiter.js";
import { TokenProvider, appKey } from "./token-provider.js";
import {
  ZOOM_MAX_GROUP_MEMBER_PAGE,
  ZOOM_MAX_GROUP_PAGE,
  ZOOM_MAX_MEMBERS_PER_CALL,
  ZOOM_MAX_ROLE_MEMBER_PAGE,
  ZOOM_MAX_USER_PAGE,
  type ZoomApi,
  type ZoomCreateUserRequest,
  type ZoomCreatedUser,
  type ZoomDeleteAction,
  type ZoomGroup,
  type ZoomGroupMember,
  type ZoomGroupMemberPage,
  type ZoomGroupPage,
  type ZoomListedUser,
  type ZoomRole,
  type ZoomRoleMember,
  type ZoomUser,
  type ZoomUserPage,
  type ZoomUserStatus,
  type ZoomUserUpdate,
} from "./types.js";

/** Upper bound on pages one `listAll*` follows, so a server that keeps handing out tokens cannot loop us forever. */
const MAX_PAGES = 10_000;

export class ZoomClient implements ZoomApi {
  private readonly caller: ZoomCaller;
  private readonly transport: HttpTransport;
  readonly phone: ZoomPhoneOperations;
  private readonly tokens: TokenProvider;

  constructor(config: ZoomClientConfig) {
    const resolved = resolveConfig(config);
    this.transport = createHttpTransport({ timeoutMs: resolved.timeoutMs });
    const report = createReporter(resolved.onCall, resolved.logger);
    const observer = resolved.observer;
    this.tokens = new TokenProvider(
      appKey(resolved),
      () =>
        observed(
          requestAccessToken({
            oauthUrl: resolved.oauthUrl,
            accountId: resolved.accountId,
            clientId: resolved.clientId,
            clientSecret: resolved.clientSecret,
            transport: this.transport,
            report,
            logger: resolved.logger,
            maxRetries: resolved.maxRetries,
            maxRetryAfterMs: resolved.maxRetryAfterMs,
            backoff: resolved.backoff,
          }),
        ),
      Date.now,
      resolved.sharedTokens ? { shared: resolved.sharedTokens, secret: resolved.clientSecret } : undefined,
    );
    const limiter = resolved.rateLimit
      ? rateLimiterForAccount(resolved.accountId, resolved.plan, resolved.rateBudget, resolved.maxQueueWaitMs)
      : undefined;
    this.caller = new ZoomCaller({ config: resolved, transport: this.transport, tokens: this.tokens, limiter, report });
    this.phone = new ZoomPhoneOperations(this.caller);
    // Each token request's outcome, whichever call needed it.
    function observed<T>(request: Promise<T>): Promise<T> {
      return request.then(
        (token) => {
          observer.tokenRequested?.("success");
          return token;
        },
        (error: unknown) => {
          observer.tokenRequested?.("failure");
          throw error;
        },
      );
    }
  }

  /** A valid access token is held: the cached one, or one requested now (throws what the token request threw). */
  async ensureAccessToken(): Promise<void> {
    await this.tokens.getToken();
  }

  /** Closes the keep-alive connections. Calls made afterwards open new ones. */
  close(): void {
    this.transport.close();
  }

  // ---- Users

  async listUsers(params: { status: ZoomUserStatus; pageSize?: number; nextPageToken?: string }): Promise<ZoomUserPage> {
    const json = await this.json({
      method: "GET",
      path: paths.users(),
      category: "medium",
      query: { status: oneOf(params.status, USER_STATUSES, "user status"), ...paging(params) },
    });
    return {
      page_size: numberField(json, "page_size") ?? params.pageSize ?? 30,
      total_records: numberField(json, "total_records") ?? 0,
      next_page_token: stringField(json, "next_page_token") ?? "",
      users: objects<ZoomListedUser>(arrayField(json, "users")),
    };
  }

  async listAllUsers(status: ZoomUserStatus): Promise<ZoomListedUser[]> {
    return this.pageThrough(async (nextPageToken) => {
      const page = await this.listUsers({ status, pageSize: ZOOM_MAX_USER_PAGE, ...(nextPageToken ? { nextPageToken } : {}) });
      return { items: page.users, next: page.next_page_token };
    });
  }

  async getUser(idOrEmail: string): Promise<ZoomUser> {
    return (await this.json({ method: "GET", path: paths.user(idOrEmail), category: "light" })) as unknown as ZoomUser;
  }

  async createUser(request: ZoomCreateUserRequest): Promise<ZoomCreatedUser> {
    return (await this.json({ method: "POST", path: paths.users(), category: "light", body: request })) as unknown as ZoomCreatedUser;
  }

  async updateUser(idOrEmail: string, update: ZoomUserUpdate): Promise<void> {
    await this.caller.call({ method: "PATCH", path: paths.user(idOrEmail), category: "light", body: update });
  }

  async setUserStatus(idOrEmail: string, action: "activate" | "deactivate"): Promise<void> {
    const body = { action: oneOf(action, STATUS_ACTIONS, "user status action") };
    await this.caller.call({ method: "PUT", path: paths.userStatus(idOrEmail), category: "light", body });
  }

  async deleteUser(idOrEmail: string, action: ZoomDeleteAction): Promise<void> {
    await this.caller.call({
      method: "DELETE",
      path: paths.user(idOrEmail),
      category: "light",
      query: { action: oneOf(action, DELETE_ACTIONS, "delete action") },
    });
  }

  async changeUserEmail(idOrEmail: string, email: string): Promise<void> {
    await this.caller.call({ method: "PUT", path: paths.userEmail(idOrEmail), category: "light", body: { email } });
  }

  async signOutUser(idOrEmail: string): Promise<void> {
    await this.caller.call({ method: "DELETE", path: paths.userToken(idOrEmail), category: "light" });
  }

  // ---- Groups

  async listGroups(params: { pageSize?: number; nextPageToken?: string } = {}): Promise<ZoomGroupPage> {
    const json = await this.json({
      method: "GET",
      path: paths.groups(),
      category: "medium",
      query: paging(params),
    });
    const page: ZoomGroupPage = {
      groups: objects<ZoomGroup>(arrayField(json, "groups")),
      total_records: numberField(json, "total_records") ?? 0,
    };
    const next = stringField(json, "next_page_token");
    if (next) page.next_page_token = next;
    return page;
  }

  async listAllGroups(): Promise<ZoomGroup[]> {
    return this.pageThrough(async (nextPageToken) => {
      const page = await this.listGroups({ pageSize: ZOOM_MAX_GROUP_PAGE, ...(nextPageToken ? { nextPageToken } : {}) });
      return { items: page.groups, next: page.next_page_token };
    });
  }

  async getGroup(groupId: string): Promise<ZoomGroup> {
    return toGroup(await this.json({ method: "GET", path: paths.group(groupId), category: "light" }), groupId);
  }

  async createGroup(name: string): Promise<ZoomGroup> {
    const json = await this.json({ method: "POST", path: paths.groups(), category: "light", body: { name } });
    const group = toGroup(json, "");
    if (group.id === "") throw new ZoomError("Zoom created a group but answered without its id");
    return { ...group, name: group.name || name };
  }

  async renameGroup(groupId: string, name: string): Promise<void> {
    await this.caller.call({ method: "PATCH", path: paths.group(groupId), category: "light", body: { name } });
  }

  async deleteGroup(groupId: string): Promise<void> {
    await this.caller.call({ method: "DELETE", path: paths.group(groupId), category: "light" });
  }

  async listGroupMembers(groupId: string, params: { pageSize?: number; nextPageToken?: string } = {}): Promise<ZoomGroupMemberPage> {
    const json = await this.json({
      method: "GET",
      path: paths.groupMembers(groupId),
      category: "medium",
      query: paging(params),
    });
    const page: ZoomGroupMemberPage = {
      members: objects<ZoomGroupMember>(arrayField(json, "members")),
      total_records: numberField(json, "total_records") ?? 0,
    };
    const pageSize = numberField(json, "page_size");
    if (pageSize !== undefined) page.page_size = pageSize;
    const next = stringField(json, "next_page_token");
    if (next) page.next_page_token = next;
    return page;
  }

  async listAllGroupMembers(groupId: string): Promise<ZoomGroupMember[]> {
    return this.pageThrough(async (nextPageToken) => {
      const params = { pageSize: ZOOM_MAX_GROUP_MEMBER_PAGE, ...(nextPageToken ? { nextPageToken } : {}) };
      const page = await this.listGroupMembers(groupId, params);
      return { items: page.members, next: page.next_page_token };
    });
  }

  async addGroupMembers(groupId: string, userIds: string[]): Promise<{ ids: string[]; added_at?: string }> {
    checkBatch(userIds);
    const path = paths.groupMembers(groupId);
    if (userIds.length === 0) return { ids: [] };
    const { json: answer } = await this.caller.call({
      method: "POST",
      path,
      category: "medium",
      body: { members: userIds.map((id) => ({ id })) },
    });
    // A 2xx means Zoom took the batch: without a body to say otherwise, report the ids we sent.
    const json = asObject(answer);
    const result: { ids: string[]; added_at?: string } = { ids: json?.ids === undefined ? [...userIds] : idList(json.ids) };
    const addedAt = stringField(json, "added_at");
    if (addedAt !== undefined) result.added_at = addedAt;
    return result;
  }

  async removeGroupMember(groupId: string, userIdOrEmail: string): Promise<void> {
    await this.caller.call({ method: "DELETE", path: paths.groupMember(groupId, userIdOrEmail), category: "light" });
  }

  // ---- Roles

  async listRoles(): Promise<ZoomRole[]> {
    return objects<ZoomRole>(arrayField(await this.json({ method: "GET", path: paths.roles(), category: "medium" }), "roles"));
  }

  async listAllRoleMembers(roleId: string): Promise<ZoomRoleMember[]> {
    const path = paths.roleMembers(roleId);
    return this.pageThrough(async (nextPageToken) => {
      const json = await this.json({
        method: "GET",
        path,
        category: "medium",
        query: paging({ pageSize: ZOOM_MAX_ROLE_MEMBER_PAGE, nextPageToken }),
      });
      return { items: objects<ZoomRoleMember>(arrayField(json, "members")), next: stringField(json, "next_page_token") };
    });
  }

  async assignRole(roleId: string, userIds: string[]): Promise<void> {
    checkBatch(userIds);
    const path = paths.roleMembers(roleId);
    if (userIds.length === 0) return;
    await this.caller.call({
      method: "POST",
      path,
      category: "medium",
      body: { members: userIds.map((id) => ({ id })) },
    });
  }

  async unassignRole(roleId: string, userIdOrEmail: string): Promise<void> {
    await this.caller.call({ method: "DELETE", path: paths.roleMember(roleId, userIdOrEmail), category: "light" });
  }

  // ---- helpers

  /** A call whose answer must be a JSON object. */
  private async json(request: ZoomRequest): Promise<JsonObject> {
    const { status, json } = await this.caller.call(request);
    const object = asObject(json);
    if (!object) throw new ZoomError(`Zoom ${request.method} ${request.path} answered ${status} without the expected JSON body`);
    return object;
  }

  /** Follows next_page_token until Zoom stops handing one out (or repeats one, or sends an empty page). */
  private async pageThrough<T>(
    fetchPage: (nextPageToken: string | undefined) => Promise<{ items: T[]; next: string | undefined }>,
  ): Promise<T[]> {
    const all: T[] = [];
    const seen = new Set<string>();
    let next: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await fetchPage(next);
      all.push(...result.items);
      next = result.next || undefined;
      if (next === undefined || result.items.length === 0 || seen.has(next)) return all;
      seen.add(next);
    }
    throw new ZoomError(`Zoom paging did not end after ${MAX_PAGES} pages`);
  }
}

export function createZoomClient(config: ZoomClientConfig): ZoomClient {
  return new ZoomClient(config);
}

const USER_STATUSES: readonly ZoomUserStatus[] = ["active", "inactive", "pending"];
const STATUS_ACTIONS = ["activate", "deactivate"] as const;
const DELETE_ACTIONS: readonly ZoomDeleteAction[] = ["disassociate", "delete"];
/** Zoom's page tokens are ~35 characters; far longer is not one of Zoom's. */
const MAX_PAGE_TOKEN_LENGTH = 2048;

/** A value Zoom takes from a fixed list; the types say so, this says so at run time too (callers may be plain JS). */
function oneOf<T extends string>(value: T, allowed: readonly T[], what: string): T {
  if (!allowed.includes(value)) throw new RangeError(`${JSON.stringify(value)} is not a Zoom ${what} (${allowed.join(", ")})`);
  return value;
}

/**
 * page_size and next_page_token of a list call. The transport percent-encodes query values (URLSearchParams), so a
 * token cannot add parameters; this only refuses what no Zoom answer holds. An empty token means the first page.
 */
function paging(params: {
  pageSize?: number | undefined;
  nextPageToken?: string | undefined;
}): Record<string, string | number | undefined> {
  const { pageSize, nextPageToken } = params;
  if (pageSize !== undefined && !(Number.isInteger(pageSize) && pageSize > 0)) {
    throw new RangeError(`${String(pageSize)} is not a Zoom page size (a whole number above 0)`);
  }
  if (nextPageToken !== undefined && (typeof nextPageToken !== "string" || nextPageToken.length > MAX_PAGE_TOKEN_LENGTH)) {
    throw new RangeError("The Zoom page token is not a string of at most 2048 characters");
  }
  return { page_size: pageSize, next_page_token: nextPageToken || undefined };
}

function checkBatch(userIds: string[]): void {
  if (userIds.length > ZOOM_MAX_MEMBERS_PER_CALL) {
    throw new RangeError(`Zoom accepts at most ${ZOOM_MAX_MEMBERS_PER_CALL} members per call, got ${userIds.length}`);
  }
}

/** Keeps the objects of a JSON array; the shape beyond that is Zoom's, as typed in types.ts. */
function objects<T>(items: unknown[]): T[] {
  return items.filter((item) => asObject(item) !== undefined) as T[];
}

function toGroup(json: JsonObject, fallbackId: string): ZoomGroup {
  return {
    id: stringField(json, "id") ?? fallbackId,
    name: stringField(json, "name") ?? "",
    total_members: numberField(json, "total_members") ?? 0,
  };
}

/** Zoom answers add-members with `ids` as one comma-separated string; an array is accepted too. */
function idList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string" && v !== "");
  if (typeof value === "string")
    return value
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
  return [];
}
