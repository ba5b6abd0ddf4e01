// A filter judged over many users without holding the event loop or the memory of every rendered user: each user
// is rendered lean (no meta.version hash unless the filter reads it), judged and dropped, in chunks with a yield
// between them; only the matches are kept, and only the page is rendered in full afterwards.
//
// Attributes Zoom's list lacks (title, organization …) are judged from the details zoom-scim read from Zoom within
// DETAIL_STALENESS_MS; a candidate whose details are not known makes the filter a 400 instead of a Zoom call per user.
import { setImmediate as yieldToLoop } from "node:timers/promises";
import type { DeferredChange, StoredResource } from "../../store/types.js";
import { badRequest } from "../../scim/errors.js";
import { matchesFilter, type FilterNode } from "../../scim/filter/index.js";
import type { SortKey, SortSpec } from "../../scim/sort.js";
import { DETAIL_STALENESS_MS } from "../gateway/user-snapshot.js";
import type { IdentifiedZoomUser } from "../gateway/user-state.js";
import { DETAIL_ONLY_PATHS } from "../mapping/zoom-fields.js";
import type { Tenant } from "../tenant.js";
import { buildViewContext } from "./user-context.js";
import { isDetailed, toScimUser } from "./user-view.js";

/** Users judged between two yields: small enough that one chunk stays well under 50 ms, and one store read. */
const CHUNK = 250;

/** Every attribute path a filter reads. */
export function filterPaths(node: FilterNode): string[] {
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

export const isDetailOnly = (path: string): boolean => DETAIL_ONLY_PATHS.some((d) => path === d || path.startsWith(`${d}.`));

const topConjuncts = (node: FilterNode): FilterNode[] => (node.op === "and" ? node.filters.flatMap(topConjuncts) : [node]);

export interface Matched {
  /** The matching users, in the order given (with their details when the filter needed them). */
  users: IdentifiedZoomUser[];
  /** The sort key of each match, when a sort by an attribute of the lean view was asked for. */
  keys?: SortKey[];
}

/** The user with the details zoom-scim knows of it, or undefined when it knows none fresh enough. */
function detailed(tenant: Tenant, user: IdentifiedZoomUser): IdentifiedZoomUser | undefined {
  if (isDetailed(user)) return user;
  const details = tenant.users.detailsOf(user.id);
  return details ? ({ ...details, ...user } as IdentifiedZoomUser) : undefined;
}

/** Users to judge, read a chunk at a time. */
export interface UserSource {
  readonly total: number;
  slice(start: number, count: number): IdentifiedZoomUser[];
}

export const arraySource = (users: readonly IdentifiedZoomUser[]): UserSource => ({
  total: users.length,
  slice: (start, count) => users.slice(start, start + count),
});

export async function matchingUsers(
  tenant: Tenant,
  users: UserSource,
  filter: FilterNode,
  deferred: ReadonlyMap<string, readonly DeferredChange[]>,
  baseUrl: string,
  sort?: SortSpec,
): Promise<Matched> {
  const paths = filterPaths(filter);
  const version = [...paths, sort?.path ?? ""].some((path) => path === "meta.version" || path === "meta");
  const needsDetails = paths.some(isDetailOnly);
  // Conjuncts Zoom's list can judge narrow the candidates before any detail is needed.
  const cheap = needsDetails ? topConjuncts(filter).filter((conjunct) => !filterPaths(conjunct).some(isDetailOnly)) : [];
  const matched: IdentifiedZoomUser[] = [];
  const keys: SortKey[] | undefined = sort ? [] : undefined;
  let unknown = 0;
  for (let start = 0; start < users.total; start += CHUNK) {
    if (start > 0) await yieldToLoop();
    const chunk = users.slice(start, CHUNK);
    const context = await buildViewContext(tenant, chunk, baseUrl);
    const stored: ReadonlyMap<string, StoredResource> = await tenant.store.getMany(
      tenant.name,
      "User",
      chunk.map((u) => u.id),
    );
    for (const listed of chunk) {
      const render = (user: IdentifiedZoomUser) => toScimUser(user, stored.get(user.id), context, deferred.get(user.id), { version });
      let user: IdentifiedZoomUser | undefined = listed;
      if (needsDetails) {
        user = detailed(tenant, listed);
        if (!user) {
          if (cheap.length === 0 || cheap.every((conjunct) => matchesFilter(render(listed), conjunct))) unknown += 1;
          continue;
        }
      }
      const view = render(user);
      if (!matchesFilter(view, filter)) continue;
      matched.push(user);
      keys?.push(sort?.keyOf(view));
    }
  }
  if (unknown > 0) throw unjudgeable(paths, unknown);
  return { users: matched, ...(keys ? { keys } : {}) };
}

function unjudgeable(paths: readonly string[], unknown: number): Error {
  const named = [...new Set(paths.filter(isDetailOnly))].join(", ");
  const minutes = DETAIL_STALENESS_MS / 60_000;
  return badRequest(
    "invalidFilter",
    `the filter reads ${named}, which Zoom's user list does not carry: zoom-scim judges it from the users' details it read from Zoom in the last ${minutes} minutes, ` +
      `and ${unknown} candidate users' details are not known (reading them would cost one Zoom call per user). ` +
      `Add an equality zoom-scim looks up with one call, e.g. userName eq "someone@example.com" and ${named.split(", ")[0]} pr (also emails.value, externalId or id), ` +
      `or narrow it with "and" and attributes Zoom lists (userName, name, emails, active, externalId) to users read recently (GET /Users/{id}).`,
  );
}
