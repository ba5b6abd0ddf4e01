// sortBy on /Users. Rendering every user of a large account to read one attribute is the cost to avoid: attributes
// the view takes straight from Zoom's listed fields are keyed from the snapshot records; anything else (and users
// with changes still waiting, whose view differs from Zoom) is read from the rendered view.
import type { DeferredChange, StoredResource } from "../../store/types.js";
import type { JsonObject } from "../../scim/attributes/json.js";
import { sortByKeys, sortOrderOf, toKey, type SortKey, type SortSpec } from "../../scim/sort.js";
import type { IdentifiedZoomUser } from "../gateway/user-state.js";
import type { Tenant } from "../tenant.js";
import { buildViewContext } from "./user-context.js";
import { toScimUser } from "./user-view.js";

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
  if (views) {
    keys = views.map((view) => spec.keyOf(view));
  } else {
    const raw = RAW_KEYS[spec.path];
    const waiting = (user: IdentifiedZoomUser): boolean => (deferred.get(user.id)?.length ?? 0) > 0 || user.invitation !== undefined;
    const toRender = raw ? users.filter(waiting) : users;
    const rendered = await renderKeys(tenant, toRender, spec, baseUrl, deferred);
    keys = users.map((user) => (rendered.has(user.id) ? rendered.get(user.id) : toKey(raw?.(user), spec.type, spec.caseExact)));
  }
  if (!views) return { users: sortByKeys(users, keys, spec.descending), views, deferred };
  const order = sortOrderOf(keys, spec.descending);
  return { users: order.map((i) => users[i]!), views: order.map((i) => views[i]!), deferred };
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
