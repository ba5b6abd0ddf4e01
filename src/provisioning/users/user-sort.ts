// sortBy on /Users. Rendering every user of a large account to read one attribute is the cost to avoid: attributes
// the view takes straight from Zoom's listed fields are keyed from the snapshot records; anything else (and users
// with changes still waiting, whose view differs from Zoom) is read from the rendered view.
import type { DeferredChange, StoredResource } from "../../store/types.js";
import type { JsonObject } from "../../scim/attributes/json.js";
import { sortByKeys, sortOrderOf, toKey, type SortKey, type SortSpec } from "../../scim/sort.js";
import type { IdentifiedZoomUser } from "../gateway/user-state.js";
import type { Tenant } from "../tenant.js";
import { buildViewContext } from "./user-context.js";
import { isDetailed, toScimUser } from "./user-view.js";
import { DETAIL_ONLY_PATHS } from "../mapping/zoom-fields.js";
import { badRequest } from "../../scim/errors.js";
import { mapConcurrent } from "../../lib/concurrency.js";

/** As for filters: past this many users without details, a sort by a detail-only attribute is refused. */
export const DETAIL_SORT_MAX_USERS = 200;
const DETAIL_CONCURRENCY = 8;

/**
 * Keys from the Zoom record for the view's Zoom-held attributes. userName is Zoom's email (the view shows the
 * client's spelling of it, equal whatever the case); names are Zoom's (the view shows them as Zoom holds them).
 */
const RAW_KEYS: Record<string, (user: IdentifiedZoomUser) => unknown> = {
  id: (user) => user.id,
  userName: (user) => user.email,
  "name.givenName": (user) => user.first_name,
  "name.familyName": (user) => user.last_name,
  "meta.created": (user) => user.user_created_at ?? user.created_at,
};

export interface SortInput {
  users: IdentifiedZoomUser[];
  /** The users' rendered views when the filter made them (same order), else undefined. */
  views: JsonObject[] | undefined;
  deferred: ReadonlyMap<string, readonly DeferredChange[]>;
}

export async function sortUsers(tenant: Tenant, input: SortInput, spec: SortSpec, baseUrl: string): Promise<SortInput> {
  const { users, views, deferred } = input;
  let keys: SortKey[];
  if (DETAIL_ONLY_PATHS.some((path) => spec.path === path || spec.path.startsWith(`${path}.`))) {
    // Zoom's list lacks the attribute: each user without details costs a get, so only a few are sorted so.
    const lacking = users.filter((user) => !isDetailed(user)).length;
    if (lacking > DETAIL_SORT_MAX_USERS) {
      throw badRequest(
        "invalidValue",
        `sortBy ${spec.path} is not in Zoom's user list: sorting by it costs one Zoom call per user, and ${lacking} users would be read (at most ${DETAIL_SORT_MAX_USERS}). ` +
          "Narrow the list with a filter, or sort by an attribute Zoom lists (userName, name.familyName, meta.created).",
      );
    }
    const detailed = await mapConcurrent(users, DETAIL_CONCURRENCY, async (user) =>
      isDetailed(user) ? user : ({ ...user, ...(await tenant.users.fetch(user.id)) } as IdentifiedZoomUser),
    );
    const rendered = await renderKeys(tenant, detailed, spec, baseUrl, deferred);
    keys = detailed.map((user) => rendered.get(user.id));
  } else if (views) {
    keys = views.map((view) => spec.keyOf(view));
  } else {
    const raw = RAW_KEYS[spec.path];
    // A userName that is not the Zoom email is the store's: those users are rendered, the rest sort by email.
    const named = spec.path === "userName" ? await namedUsers(tenant) : new Set<string>();
    const waiting = (user: IdentifiedZoomUser): boolean =>
      (deferred.get(user.id)?.length ?? 0) > 0 || user.invitation !== undefined || named.has(user.id);
    const toRender = raw ? users.filter(waiting) : users;
    const rendered = await renderKeys(tenant, toRender, spec, baseUrl, deferred);
    keys = users.map((user) => (rendered.has(user.id) ? rendered.get(user.id) : toKey(raw?.(user), spec.type, spec.caseExact)));
  }
  if (!views) return { users: sortByKeys(users, keys, spec.descending), views, deferred };
  const order = sortOrderOf(keys, spec.descending);
  return { users: order.map((i) => users[i]!), views: order.map((i) => views[i]!), deferred };
}

/** Users whose stored userName differs from their Zoom email (a userName that is not an email). */
async function namedUsers(tenant: Tenant): Promise<Set<string>> {
  const records = await tenant.store.list(tenant.name, "User");
  return new Set(records.filter((r) => r.userName && r.userName !== r.email).map((r) => r.id));
}

async function renderKeys(
  tenant: Tenant,
  users: readonly IdentifiedZoomUser[],
  spec: SortSpec,
  baseUrl: string,
  deferred: ReadonlyMap<string, readonly DeferredChange[]>,
): Promise<Map<string, SortKey>> {
  const keys = new Map<string, SortKey>();
  if (users.length === 0) return keys;
  const stored: ReadonlyMap<string, StoredResource> = await tenant.store.getMany(
    tenant.name,
    "User",
    users.map((u) => u.id),
  );
  const context = await buildViewContext(tenant, users, baseUrl);
  for (const user of users) keys.set(user.id, spec.keyOf(toScimUser(user, stored.get(user.id), context, deferred.get(user.id))));
  return keys;
}
