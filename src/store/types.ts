// What Zoom cannot hold, kept by zoom-scim: externalId and SCIM-only attributes, meta, delete tombstones.
// The interface is asynchronous so that a PostgreSQL implementation can stand behind it unchanged.

export type JsonObject = Record<string, unknown>;

export type ResourceKind = "User" | "Group";

export interface StoredResource {
  tenant: string;
  kind: ResourceKind;
  /** The Zoom id (user id or group id). */
  id: string;
  externalId: string | null;
  /** SCIM attributes Zoom has no field for (nickName, employeeNumber, addresses …), as the client sent them. */
  attributes: JsonObject;
  /** Users: Zoom's email, lower-cased; lets pending users (listed by Zoom without id) be matched to their id. */
  email: string | null;
  /** Users: every email value the client sent (lower-cased), for `emails.value eq` lookups Zoom cannot answer. */
  emails: string[];
  created: string;
  lastModified: string;
  /** Increases by one with every write; rendered as meta.version. */
  version: number;
}

export interface ResourceWrite {
  tenant: string;
  kind: ResourceKind;
  id: string;
  externalId: string | null;
  attributes: JsonObject;
  email: string | null;
  emails: string[];
}

export type DeleteMode = "deactivate" | "disassociate" | "delete";

/** A resource deleted through SCIM: hidden from reads even while Zoom still holds it (deactivate mode). */
export interface Tombstone {
  tenant: string;
  kind: ResourceKind;
  id: string;
  email: string | null;
  deletedAt: string;
  mode: DeleteMode;
}

export interface ResourceStore {
  get(tenant: string, kind: ResourceKind, id: string): Promise<StoredResource | undefined>;
  getMany(tenant: string, kind: ResourceKind, ids: readonly string[]): Promise<Map<string, StoredResource>>;
  list(tenant: string, kind: ResourceKind): Promise<StoredResource[]>;
  findByExternalId(tenant: string, kind: ResourceKind, externalId: string): Promise<StoredResource[]>;
  /** Users whose Zoom email or any sent email equals `email` (case-insensitive). */
  findUsersByEmail(tenant: string, email: string): Promise<StoredResource[]>;
  /** Inserts or replaces; keeps `created`, sets `lastModified` to `now`, bumps `version`. */
  put(write: ResourceWrite, now: Date): Promise<StoredResource>;
  remove(tenant: string, kind: ResourceKind, id: string): Promise<void>;

  putTombstone(tombstone: Tombstone): Promise<void>;
  getTombstone(tenant: string, kind: ResourceKind, id: string): Promise<Tombstone | undefined>;
  findTombstoneByEmail(tenant: string, email: string): Promise<Tombstone | undefined>;
  listTombstoneIds(tenant: string, kind: ResourceKind): Promise<Set<string>>;
  removeTombstone(tenant: string, kind: ResourceKind, id: string): Promise<void>;

  close(): Promise<void>;
}
