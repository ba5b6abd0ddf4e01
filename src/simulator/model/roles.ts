// Roles: the built-in Owner "0", Admin "1", Member "2", and custom roles with opaque ids.

export const ROLE_OWNER = "0";
export const ROLE_ADMIN = "1";
export const ROLE_MEMBER = "2";

export interface RoleRecord {
  id: string;
  name: string;
  description: string;
  builtin: boolean;
}

const BUILTIN: RoleRecord[] = [
  { id: ROLE_OWNER, name: "Owner", description: "Account owner has full privileges to access and manage a Zoom account.", builtin: true },
  { id: ROLE_ADMIN, name: "Admin", description: "Admins have wide range privileges to access and manage a Zoom account.", builtin: true },
  {
    id: ROLE_MEMBER,
    name: "Member",
    description: "Members have access to basic Zoom video meeting functions but no account management privileges.",
    builtin: true,
  },
];

export class RoleStore {
  private readonly byId = new Map<string, RoleRecord>();

  constructor() {
    this.clear();
  }

  all(): IterableIterator<RoleRecord> {
    return this.byId.values();
  }

  get(id: string): RoleRecord | undefined {
    return this.byId.get(id);
  }

  getByName(name: string): RoleRecord | undefined {
    const key = name.toLowerCase();
    for (const role of this.byId.values()) if (role.name.toLowerCase() === key) return role;
    return undefined;
  }

  add(role: RoleRecord): void {
    this.byId.set(role.id, role);
  }

  /** Back to the three built-in roles. */
  clear(): void {
    this.byId.clear();
    for (const role of BUILTIN) this.byId.set(role.id, { ...role });
  }
}

/** Owner, Admin and custom roles count as admins: refused status changes and disassociation. */
export function isAdminRole(roleId: string): boolean {
  return roleId !== ROLE_MEMBER;
}
