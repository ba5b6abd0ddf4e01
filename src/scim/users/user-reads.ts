// GET /Users/{id} and GET /Users: the fewest Zoom calls that answer the request.
// Equality filters on userName, emails, externalId or id are one lookup; anything else runs over the snapshot.
import type { JsonObject, StoredResource } from "../../store/types.js";
import type { ZoomUser } from "../../zoom/types.js";
import { notFound } from "../errors.js";
import { equalityConjuncts, matchesFilter, parseFilter, type FilterNode } from "../filter/index.js";
import { listResponse, slicePage, type Page } from "../paging.js";
import { projectResource, requestedAttributes } from "../projection/index.js";
import type { ScimTenant } from "../tenant.js";
import { isZoomUserGone } from "../zoom-errors.js";
import { buildViewContext } from "./user-context.js";
import { userSchema } from "./user-schema.js";
import { isDetailed, toScimUser, type IdentifiedZoomUser } from "./user-view.js";
import { DETAIL_ONLY_PATHS } from "./zoom-fields.js";

export interface Projection {
  attributes?: string[];
  excludedAttributes?: string[];
}

export interface ListQuery extends Projection {
  filter?: string;
  page: Page;
}

/** Every attribute path a filter reads. */
function filterPaths(node: FilterNode): string[] {
  switch (node.op) {
    case "and":
    case "or":
      return node.filters.flatMap(filterPaths);
    case "not":
      return filterPaths(node.filter);
    default:
      return [node.path.canonical];
  }
}

const isDetailOnly = (path: string): boolean => DETAIL_ONLY_PATHS.some((d) => path === d || path.startsWith(`${d}.`));

/** Detail fetches for one page run this many at a time (the Zoom client's limiter paces them further). */
const DETAIL_CONCURRENCY = 8;

/** A Zoom user by id, or undefined; emails are not ids (Zoom would accept them, SCIM must not). */
export async function fetchUser(tenant: ScimTenant, id: string): Promise<ZoomUser | undefined> {
  if (id.includes("@") || id.trim() === "") return undefined;
  try {
    return await tenant.zoom.getUser(id);
  } catch (error) {
    // An expired invitation (1120) is not a user either; the pending lifecycle will show it as its own status.
    if (isZoomUserGone(error)) return undefined;
    throw error;
  }
}

/** The user as SCIM shows it, or a 404 when Zoom has no such user or it was deleted through SCIM. */
export async function loadUser(tenant: ScimTenant, id: string): Promise<{ user: ZoomUser; stored: StoredResource | undefined }> {
  if (await tenant.store.getTombstone(tenant.name, "User", id)) throw notFound(`User ${id} not found (it was deleted)`);
  const user = await fetchUser(tenant, id);
  if (!user) throw notFound(`User ${id} not found`);
  tenant.users.upsert(user);
  return { user, stored: await tenant.store.get(tenant.name, "User", id) };
}

export async function renderUsers(
  tenant: ScimTenant,
  users: readonly IdentifiedZoomUser[],
  stored: Map<string, StoredResource>,
  baseUrl: string,
): Promise<JsonObject[]> {
  const context = await buildViewContext(tenant, users, baseUrl);
  return users.map((user) => toScimUser(user, stored.get(user.id), context));
}

export async function getUser(tenant: ScimTenant, id: string, projection: Projection, baseUrl: string): Promise<JsonObject> {
  const { user, stored } = await loadUser(tenant, id);
  const [resource] = await renderUsers(tenant, [user], new Map(stored ? [[id, stored]] : []), baseUrl);
  return projectResource(resource ?? {}, userSchema, projection);
}

/** Users an equality conjunct pins down, or undefined when the filter needs the whole snapshot. */
async function lookupCandidates(tenant: ScimTenant, filter: FilterNode): Promise<IdentifiedZoomUser[] | undefined> {
  for (const conjunct of equalityConjuncts(filter)) {
    if (typeof conjunct.value !== "string") continue;
    const value = conjunct.value;
    const ids = new Set<string>();
    const found: IdentifiedZoomUser[] = [];
    const add = (user: ZoomUser | undefined): void => {
      if (user && !ids.has(user.id)) {
        ids.add(user.id);
        found.push(user);
      }
    };
    switch (conjunct.path) {
      case "id":
        add(await fetchUser(tenant, value));
        return found;
      case "externalId":
        for (const record of await tenant.store.findByExternalId(tenant.name, "User", value)) add(await fetchUser(tenant, record.id));
        return found;
      case "userName":
      case "emails.value": {
        if (!value.includes("@")) return found;
        try {
          add(await tenant.zoom.getUser(value));
        } catch (error) {
          if (!isZoomUserGone(error)) throw error;
        }
        // Emails a client sent may differ from Zoom's single email (Entra's work email vs userName).
        if (conjunct.path === "emails.value") {
          for (const record of await tenant.store.findUsersByEmail(tenant.name, value)) if (!ids.has(record.id)) add(await fetchUser(tenant, record.id));
        }
        return found;
      }
      default:
        break;
    }
  }
  return undefined;
}

async function withDetails(tenant: ScimTenant, users: IdentifiedZoomUser[]): Promise<IdentifiedZoomUser[]> {
  const result: IdentifiedZoomUser[] = [];
  for (let i = 0; i < users.length; i += DETAIL_CONCURRENCY) {
    const batch = users.slice(i, i + DETAIL_CONCURRENCY);
    const detailed = await Promise.all(batch.map(async (user) => (isDetailed(user) ? user : ((await fetchUser(tenant, user.id)) ?? user))));
    result.push(...detailed.map((user, index) => ({ ...batch[index], ...user }) as IdentifiedZoomUser));
  }
  return result;
}

export async function listUsers(tenant: ScimTenant, query: ListQuery, baseUrl: string): Promise<JsonObject> {
  const filter = query.filter === undefined || query.filter.trim() === "" ? undefined : parseFilter(query.filter, userSchema);
  const looked = filter ? await lookupCandidates(tenant, filter) : undefined;
  const candidates = looked ?? (await tenant.users.snapshot()).users;
  const deleted = await tenant.store.listTombstoneIds(tenant.name, "User");
  let users = candidates.filter((user) => !deleted.has(user.id));

  let matchedViews: JsonObject[] | undefined;
  let stored: Map<string, StoredResource>;
  if (filter) {
    // Attributes Zoom's list lacks (title, organization …) need each candidate's details to be judged at all.
    if (!looked && filterPaths(filter).some(isDetailOnly)) users = await withDetails(tenant, users);
    stored = looked
      ? await tenant.store.getMany(tenant.name, "User", users.map((u) => u.id))
      : new Map((await tenant.store.list(tenant.name, "User")).map((r) => [r.id, r]));
    const context = await buildViewContext(tenant, users, baseUrl);
    const views = users.map((user) => toScimUser(user, stored.get(user.id), context));
    const keep = views.map((view) => matchesFilter(view, filter, userSchema));
    users = users.filter((_, i) => keep[i]);
    matchedViews = views.filter((_, i) => keep[i]);
  } else {
    stored = new Map();
  }

  const total = users.length;
  let pageUsers = slicePage(users, query.page);
  const wants = requestedAttributes(userSchema, query);
  const asksForDetail = query.attributes !== undefined && DETAIL_ONLY_PATHS.some((path) => wants(path));
  let views: JsonObject[];
  if (asksForDetail) {
    pageUsers = await withDetails(tenant, pageUsers);
    if (!filter) stored = await tenant.store.getMany(tenant.name, "User", pageUsers.map((u) => u.id));
    views = await renderUsers(tenant, pageUsers, stored, baseUrl);
  } else if (matchedViews) {
    views = slicePage(matchedViews, query.page);
  } else {
    stored = await tenant.store.getMany(tenant.name, "User", pageUsers.map((u) => u.id));
    views = await renderUsers(tenant, pageUsers, stored, baseUrl);
  }
  return listResponse(
    views.map((view) => projectResource(view, userSchema, query)),
    total,
    query.page,
  );
}
