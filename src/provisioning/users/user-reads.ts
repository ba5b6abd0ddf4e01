// GET /Users/{id} and GET /Users: the fewest Zoom calls that answer the request.
// Equality filters on userName, emails, externalId or id are one lookup; anything else runs over the snapshot.
import { mapConcurrent } from "../../lib/concurrency.js";
import type { DeferredChange, JsonObject, StoredResource } from "../../store/types.js";
import type { ZoomUser } from "../../zoom/types.js";
import { badRequest } from "../../scim/errors.js";
import { equalityConjuncts, matchesFilter, parseFilter, type FilterNode } from "../../scim/filter/index.js";
import { listResponse, slicePage, type Page } from "../../scim/paging.js";
import { projectResource, requestedAttributes } from "../../scim/projection/index.js";
import type { Tenant } from "../tenant.js";
import { buildViewContext } from "./user-context.js";
import { renderUser, renderUsers } from "./user-render.js";
import { userSchema } from "../../scim/user-schema.js";
import { isDetailed, toScimUser } from "./user-view.js";
import type { IdentifiedZoomUser } from "../gateway/user-state.js";
import { DETAIL_ONLY_PATHS } from "../mapping/zoom-fields.js";
import { parseSort } from "../../scim/sort.js";
import { sortUsers } from "./user-sort.js";
import { withLicences } from "../licences/licence-state.js";

export interface Projection {
  attributes?: string[];
  excludedAttributes?: string[];
}

export interface ListQuery extends Projection {
  filter?: string;
  page: Page;
  /** RFC 7644 §3.4.2.3, as the client sent them (parsed by scim/sort). */
  sortBy?: unknown;
  sortOrder?: unknown;
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

/** Past this many candidates, a filter Zoom's list cannot judge is refused: each candidate costs a Zoom get. */
export const DETAIL_FILTER_MAX_CANDIDATES = 200;

const topConjuncts = (node: FilterNode): FilterNode[] => (node.op === "and" ? node.filters.flatMap(topConjuncts) : [node]);

export async function getUser(tenant: Tenant, id: string, projection: Projection, baseUrl: string): Promise<JsonObject> {
  const { user, stored, deferred } = await tenant.users.load(id);
  // Zoom Phone and add-ons read back, which Zoom's own SCIM does not do (when the tenant has them on).
  return projectResource(await renderUser(tenant, await withLicences(tenant, user), stored, baseUrl, deferred), userSchema, projection);
}

interface Looked {
  users: IdentifiedZoomUser[];
  deferred: Map<string, DeferredChange[]>;
}

/** Users an equality conjunct pins down, or undefined when the filter needs the whole snapshot. */
async function lookupCandidates(tenant: Tenant, filter: FilterNode): Promise<Looked | undefined> {
  for (const conjunct of equalityConjuncts(filter)) {
    if (typeof conjunct.value !== "string") continue;
    const value = conjunct.value;
    const looked: Looked = { users: [], deferred: new Map() };
    const add = async (id: string, zoomUser?: ZoomUser): Promise<void> => {
      if (looked.deferred.has(id)) return;
      const found = await tenant.users.find(id, zoomUser ? { zoomUser } : {});
      if (!found) return;
      looked.users.push(found.user);
      looked.deferred.set(id, found.deferred);
    };
    switch (conjunct.path) {
      case "id":
        await add(value);
        return looked;
      case "externalId":
        for (const record of await tenant.store.findByExternalId(tenant.name, "User", value)) await add(record.id);
        return looked;
      case "userName":
      case "emails.value": {
        // A userName that is not an email (Zoom's email then came from emails) only the store knows.
        if (conjunct.path === "userName")
          for (const record of await tenant.store.findUsersByUserName(tenant.name, value)) await add(record.id);
        if (!value.includes("@")) return looked;
        const zoom = await tenant.users.lookup(value);
        if (typeof zoom === "object") await add(zoom.id, zoom);
        // Invitations Zoom no longer answers for by email (expired, cancelled) are zoom-scim's to find.
        else for (const invitation of await tenant.store.lifecycle.findInvitationsByEmail(tenant.name, value)) await add(invitation.id);
        // Emails a client sent may differ from Zoom's single email (Entra's work email vs userName).
        if (conjunct.path === "emails.value") {
          for (const record of await tenant.store.findUsersByEmail(tenant.name, value)) await add(record.id);
        }
        return looked;
      }
      default:
        break;
    }
  }
  return undefined;
}

/**
 * The candidates of a filter that reads attributes Zoom's list lacks, with their details: the conjuncts Zoom's list
 * can judge narrow them first; more than DETAIL_FILTER_MAX_CANDIDATES left is refused rather than a get per user.
 */
async function detailedCandidates(
  tenant: Tenant,
  users: IdentifiedZoomUser[],
  filter: FilterNode,
  stored: Map<string, StoredResource>,
  deferred: Map<string, DeferredChange[]>,
  baseUrl: string,
): Promise<IdentifiedZoomUser[]> {
  const cheap = topConjuncts(filter).filter((conjunct) => !filterPaths(conjunct).some(isDetailOnly));
  let narrowed = users;
  if (cheap.length > 0) {
    const context = await buildViewContext(tenant, users, baseUrl);
    narrowed = users.filter((user) => {
      const view = toScimUser(user, stored.get(user.id), context, deferred.get(user.id));
      return cheap.every((conjunct) => matchesFilter(view, conjunct));
    });
  }
  const toRead = narrowed.filter((user) => !isDetailed(user)).length;
  if (toRead > DETAIL_FILTER_MAX_CANDIDATES) {
    const paths = [...new Set(filterPaths(filter).filter(isDetailOnly))].join(", ");
    throw badRequest(
      "invalidFilter",
      `the filter reads ${paths}, which Zoom's user list does not carry: judging it costs one Zoom call per candidate user, and ${toRead} users are candidates (at most ${DETAIL_FILTER_MAX_CANDIDATES}). ` +
        `Narrow it with "and" and an attribute Zoom lists (userName, name, emails, active, externalId, meta.lastModified), e.g. title eq "Rep" and userName sw "a".`,
    );
  }
  return withDetails(tenant, narrowed);
}

function withDetails(tenant: Tenant, users: IdentifiedZoomUser[]): Promise<IdentifiedZoomUser[]> {
  return mapConcurrent(users, DETAIL_CONCURRENCY, async (user) =>
    isDetailed(user) ? user : ({ ...user, ...(await tenant.users.fetch(user.id)) } as IdentifiedZoomUser),
  );
}

export async function listUsers(tenant: Tenant, query: ListQuery, baseUrl: string): Promise<JsonObject> {
  const filter = query.filter === undefined || query.filter.trim() === "" ? undefined : parseFilter(query.filter, userSchema);
  const sort = parseSort(query.sortBy, query.sortOrder, userSchema);
  const looked = filter ? await lookupCandidates(tenant, filter) : undefined;
  let candidates: IdentifiedZoomUser[];
  let deferred: Map<string, DeferredChange[]>;
  if (looked) {
    ({ users: candidates, deferred } = looked);
    // An equality filter pins a few users: IdPs match by it (Entra, Okta) and compare what it shows, phone values too.
    candidates = await mapConcurrent(candidates, DETAIL_CONCURRENCY, (user) => withLicences(tenant, user));
  } else {
    const lifecycle = await tenant.users.lifecycleView();
    candidates = await tenant.users.withLifecycle((await tenant.users.snapshot()).users, lifecycle);
    deferred = lifecycle.deferred;
  }
  const deleted = await tenant.store.listTombstoneIds(tenant.name, "User");
  let users = candidates.filter((user) => !deleted.has(user.id));

  let matchedViews: JsonObject[] | undefined;
  let stored: Map<string, StoredResource>;
  if (filter) {
    stored = looked
      ? await tenant.store.getMany(
          tenant.name,
          "User",
          users.map((u) => u.id),
        )
      : new Map((await tenant.store.list(tenant.name, "User")).map((r) => [r.id, r]));
    // Attributes Zoom's list lacks (title, organization …) need each candidate's details to be judged at all.
    if (!looked && filterPaths(filter).some(isDetailOnly))
      users = await detailedCandidates(tenant, users, filter, stored, deferred, baseUrl);
    const context = await buildViewContext(tenant, users, baseUrl);
    const views = users.map((user) => toScimUser(user, stored.get(user.id), context, deferred.get(user.id)));
    const keep = views.map((view) => matchesFilter(view, filter));
    users = users.filter((_, i) => keep[i]);
    matchedViews = views.filter((_, i) => keep[i]);
  } else {
    stored = new Map();
  }

  if (sort) ({ users, views: matchedViews } = await sortUsers(tenant, { users, views: matchedViews, deferred }, sort, baseUrl));
  const total = users.length;
  let pageUsers = slicePage(users, query.page);
  const wants = requestedAttributes(userSchema, query);
  const asksForDetail = query.attributes !== undefined && DETAIL_ONLY_PATHS.some((path) => wants(path));
  let views: JsonObject[];
  if (asksForDetail) {
    pageUsers = await withDetails(tenant, pageUsers);
    if (!filter)
      stored = await tenant.store.getMany(
        tenant.name,
        "User",
        pageUsers.map((u) => u.id),
      );
    views = await renderUsers(tenant, pageUsers, stored, baseUrl, deferred);
  } else if (matchedViews) {
    views = slicePage(matchedViews, query.page);
  } else {
    stored = await tenant.store.getMany(
      tenant.name,
      "User",
      pageUsers.map((u) => u.id),
    );
    views = await renderUsers(tenant, pageUsers, stored, baseUrl, deferred);
  }
  return listResponse(
    views.map((view) => projectResource(view, userSchema, query)),
    total,
    query.page,
  );
}
