// GET /Users/{id} and GET /Users: the fewest Zoom calls that answer the request.
// Equality filters on userName, emails, externalId or id are one lookup; anything else runs over the snapshot.
import { mapConcurrent } from "../../lib/concurrency.js";
import type { DeferredChange, JsonObject } from "../../store/types.js";
import type { ZoomUser } from "../../zoom/types.js";
import { equalityConjuncts, parseFilter, type FilterNode } from "../../scim/filter/index.js";
import { listResponse, slicePage, type Page } from "../../scim/paging.js";
import { projectResource, requestedAttributes } from "../../scim/projection/index.js";
import type { Tenant } from "../tenant.js";
import { renderUser, renderUsers } from "./user-render.js";
import { userSchema } from "../../scim/user-schema.js";
import { isDetailed } from "./user-view.js";
import type { ListedUsers } from "../gateway/user-listing.js";
import type { IdentifiedZoomUser } from "../gateway/user-state.js";
import { DETAIL_ONLY_PATHS } from "../mapping/zoom-fields.js";
import { parseSort, sortOrderOf, type SortKey } from "../../scim/sort.js";
import { arraySource, isDetailOnly, matchingUsers } from "./user-filtering.js";
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

/** Detail fetches for one page run this many at a time (the Zoom client's limiter paces them further). */
const DETAIL_CONCURRENCY = 8;

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

/** A page's users with their details: those read recently are known, the rest cost one Zoom get each. */
function withDetails(tenant: Tenant, users: IdentifiedZoomUser[]): Promise<IdentifiedZoomUser[]> {
  return mapConcurrent(users, DETAIL_CONCURRENCY, async (user) =>
    isDetailed(user)
      ? user
      : ({ ...user, ...(tenant.users.detailsOf(user.id) ?? (await tenant.users.fetch(user.id))) } as IdentifiedZoomUser),
  );
}

export async function listUsers(tenant: Tenant, query: ListQuery, baseUrl: string): Promise<JsonObject> {
  const filter = query.filter === undefined || query.filter.trim() === "" ? undefined : parseFilter(query.filter, userSchema);
  const sort = parseSort(query.sortBy, query.sortOrder, userSchema);
  const looked = filter ? await lookupCandidates(tenant, filter) : undefined;
  const deleted = await tenant.store.listTombstoneIds(tenant.name, "User");
  let listed: ListedUsers | undefined;
  let users: IdentifiedZoomUser[] | undefined;
  let deferred: Map<string, DeferredChange[]>;
  if (looked) {
    ({ deferred } = looked);
    // An equality filter pins a few users: IdPs match by it (Entra, Okta) and compare what it shows, phone values too.
    users = await mapConcurrent(
      looked.users.filter((user) => !deleted.has(user.id)),
      DETAIL_CONCURRENCY,
      (user) => withLicences(tenant, user),
    );
  } else {
    const lifecycle = await tenant.users.lifecycleView();
    // A walk's later pages keep the snapshot its first page used (WALK_PIN_MS): it is not rescanned halfway.
    const snapshot = await tenant.users.snapshot({ continuing: query.page.startIndex > 1 });
    listed = await tenant.users.listed(snapshot, lifecycle, deleted);
    deferred = lifecycle.deferred;
  }

  let keys: SortKey[] | undefined;
  if (filter) {
    const leanSort = sort && !isDetailOnly(sort.path) ? sort : undefined;
    // The chunks yield: a write meanwhile must not shift what is judged (a copy of the snapshot's references).
    const source = users ? arraySource(users) : (listed?.pinned() ?? arraySource([]));
    ({ users, keys } = await matchingUsers(tenant, source, filter, deferred, baseUrl, leanSort));
  }
  if (sort) {
    const all = users ?? listed?.all() ?? [];
    users = keys
      ? sortOrderOf(keys, sort.descending).map((i) => all[i] as IdentifiedZoomUser)
      : (await sortUsers(tenant, { users: all, views: undefined, deferred }, sort, baseUrl)).users;
  }
  // Without a filter or sort, only the page is taken from the snapshot: O(page), however large the account.
  const total = users ? users.length : (listed?.total ?? 0);
  let pageUsers = users ? slicePage(users, query.page) : (listed?.slice(query.page.startIndex - 1, query.page.count) ?? []);
  const wants = requestedAttributes(userSchema, query);
  if (query.attributes !== undefined && DETAIL_ONLY_PATHS.some((path) => wants(path))) pageUsers = await withDetails(tenant, pageUsers);
  const stored = await tenant.store.getMany(
    tenant.name,
    "User",
    pageUsers.map((u) => u.id),
  );
  const views = await renderUsers(tenant, pageUsers, stored, baseUrl, deferred);
  return listResponse(
    views.map((view) => projectResource(view, userSchema, query)),
    total,
    query.page,
  );
}
