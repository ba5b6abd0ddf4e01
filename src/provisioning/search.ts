// POST /.search at the root (RFC 7644 §3.4.3): Users and Groups in one ListResponse, with GET's filter, paging,
// projection and sorting. A filter naming an attribute one type lacks matches none of that type; resources without
// the sortBy attribute sort as missing values. Users come first, then groups, unless sortBy interleaves them.
import type { JsonObject } from "../store/types.js";
import { ScimError } from "../scim/errors.js";
import { listResponse, type Page } from "../scim/paging.js";
import { projectResource } from "../scim/projection/index.js";
import { parseSort, sortOrderOf, type SortKey } from "../scim/sort.js";
import type { ResourceSchema } from "../scim/attributes/schema-meta.js";
import { userSchema } from "../scim/user-schema.js";
import { groupSchema } from "../scim/group-schema.js";
import { listGroups } from "./groups/group-reads.js";
import type { Tenant } from "./tenant.js";
import { listUsers, type ListQuery } from "./users/user-reads.js";

interface TypeList {
  resources: JsonObject[];
  total: number;
}

interface ResourceType {
  schema: ResourceSchema;
  list(query: ListQuery): Promise<JsonObject>;
}

/** One type's list; undefined when the type cannot answer the query (its schema lacks a filtered attribute). */
async function listOf(type: ResourceType, query: ListQuery): Promise<TypeList | ScimError> {
  try {
    const answer = await type.list(query);
    return { resources: answer.Resources as JsonObject[], total: Number(answer.totalResults) };
  } catch (error) {
    if (error instanceof ScimError && error.status === 400) return error;
    throw error;
  }
}

const EMPTY: TypeList = { resources: [], total: 0 };

export async function searchResources(tenant: Tenant, query: ListQuery, baseUrl: string): Promise<JsonObject> {
  const types: ResourceType[] = [
    { schema: userSchema, list: (q) => listUsers(tenant, q, baseUrl) },
    { schema: groupSchema, list: (q) => listGroups(tenant, q, baseUrl) },
  ];
  return query.sortBy === undefined || query.sortBy === "" ? concatenated(types, query) : merged(types, query);
}

/** Either type's 400 alone means "none of this type"; both failing is the client's error. */
function settle(lists: (TypeList | ScimError)[]): TypeList[] {
  if (lists.every((list) => list instanceof ScimError)) throw lists[0];
  return lists.map((list) => (list instanceof ScimError ? EMPTY : list));
}

/** Users, then groups: each list is read only for the part of the page it fills. */
async function concatenated(types: ResourceType[], query: ListQuery): Promise<JsonObject> {
  const { startIndex, count } = query.page;
  const [users, groups] = types as [ResourceType, ResourceType];
  const first = await listOf(users, query);
  const firstList = first instanceof ScimError ? EMPTY : first;
  const rest: Page = { startIndex: Math.max(1, startIndex - firstList.total), count: Math.max(0, count - firstList.resources.length) };
  const second = await listOf(groups, { ...query, page: rest });
  const [u, g] = settle([first, second]) as [TypeList, TypeList];
  return listResponse([...u.resources, ...g.resources], u.total + g.total, query.page);
}

/** Each type sorted up to the page's end, merged by the sort key, then paged and projected. */
async function merged(types: ResourceType[], query: ListQuery): Promise<JsonObject> {
  const { startIndex, count } = query.page;
  const upTo: Page = { startIndex: 1, count: Math.min(Number.MAX_SAFE_INTEGER, startIndex - 1 + count) };
  // A bad sortOrder, or an attribute neither type has, fails both: refused. One type lacking it sorts as missing there.
  const specs = types.map((type) => {
    try {
      return parseSort(query.sortBy, query.sortOrder, type.schema);
    } catch (error) {
      if (error instanceof ScimError) return undefined;
      throw error;
    }
  });
  if (specs.every((spec) => spec === undefined)) parseSort(query.sortBy, query.sortOrder, userSchema);
  const descending = specs.find((spec) => spec !== undefined)?.descending ?? false;
  // Unprojected, so that the key can be read; projected below.
  const lists = settle(
    await Promise.all(
      types.map((type, i) => {
        const spec = specs[i];
        const typeQuery: ListQuery = { page: upTo, ...(query.filter !== undefined ? { filter: query.filter } : {}) };
        return listOf(type, spec ? { ...typeQuery, sortBy: query.sortBy, sortOrder: query.sortOrder } : typeQuery);
      }),
    ),
  );
  const entries: { resource: JsonObject; schema: ResourceSchema; key: SortKey }[] = [];
  lists.forEach((list, i) => {
    const type = types[i] as ResourceType;
    for (const resource of list.resources) entries.push({ resource, schema: type.schema, key: specs[i]?.keyOf(resource) });
  });
  const order = sortOrderOf(
    entries.map((e) => e.key),
    descending,
  );
  const page = order.slice(startIndex - 1, startIndex - 1 + count).map((i) => entries[i]!);
  return listResponse(
    page.map((e) => projectResource(e.resource, e.schema, query)),
    lists.reduce((sum, list) => sum + list.total, 0),
    query.page,
  );
}
