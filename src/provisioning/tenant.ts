// What every provisioning module is handed for one tenant: the Zoom client for account-level calls, the one
// gateway to Zoom user state, the store, the tenant's options and its short-lived lookups.
import type { TenantOptions } from "../config/types.js";
import type { ResourceStore } from "../store/types.js";
import type { ZoomApi, ZoomGroup, ZoomPhoneApi, ZoomRole } from "../zoom/types.js";
import type { ZoomUserGateway } from "./gateway/user-gateway.js";
import type { CircuitBreaker } from "./guardrails/breaker.js";
import type { AuditRecorder } from "./audit/recorder.js";

/** Zoom calls that name a user: made only through the gateway, which translates ids and keeps the snapshot. */
type UserCalls =
  | "listUsers"
  | "listAllUsers"
  | "getUser"
  | "createUser"
  | "updateUser"
  | "setUserStatus"
  | "deleteUser"
  | "changeUserEmail"
  | "signOutUser"
  | "listGroupMembers"
  | "listAllGroupMembers"
  | "addGroupMembers"
  | "removeGroupMember"
  | "listAllRoleMembers"
  | "assignRole"
  | "unassignRole";

/** Zoom Phone calls about the account, not a user: sites, calling-plan counters, the account's numbers. */
type PhoneAccountCalls = "listAllSites" | "getSite" | "listCallingPlans" | "findPhoneNumber";

/** The plain Zoom client without its user calls: groups, roles and the phone catalogue as the account holds them. */
export type ZoomAccountApi = Omit<ZoomApi, UserCalls | "phone"> & { readonly phone: Pick<ZoomPhoneApi, PhoneAccountCalls> };

export interface Tenant {
  readonly name: string;
  readonly zoom: ZoomAccountApi;
  readonly users: ZoomUserGateway;
  readonly store: ResourceStore;
  readonly options: TenantOptions;
  /** Counts destructive changes and refuses them past the tenant's threshold (guardrails/breaker.ts). */
  readonly breaker: CircuitBreaker;
  /** Where the tenant's audit entries go (audit/recorder.ts); records nothing when the audit is off. */
  readonly audit: AuditRecorder;
  /** The account's roles (cached for the snapshot TTL; empty where the plan or scopes have none). */
  roles(): Promise<ZoomRole[]>;
  /** The account's groups (cached likewise). */
  groups(): Promise<ZoomGroup[]>;
  /** The cached group list if one is held and fresh (never calls Zoom): lets a same-name rename cost nothing. */
  peekGroups(): ZoomGroup[] | undefined;
  /** Group names change through /Groups writes; those drop the cached list. */
  forgetGroups(): void;
}
