// The bulkId graph of a BulkRequest (RFC 7644 §3.7.2): an operation that names "bulkId:x" (in its data or its
// path) depends on the POST with bulkId x, and runs after it, with the id that POST created. Circular references
// are refused (the RFC lets a server stop there: 409), as are references to no operation. Pure.
import { assignOwn, isJsonObject, type JsonObject } from "../attributes/json.js";
import type { BulkOperation } from "./request.js";

export const BULK_ID_PREFIX = "bulkId:";

/** Every bulkId a value references, in order of appearance (once each). */
export function referencedBulkIds(value: unknown, found: Set<string> = new Set()): Set<string> {
  if (typeof value === "string") {
    if (value.startsWith(BULK_ID_PREFIX) && value.length > BULK_ID_PREFIX.length) found.add(value.slice(BULK_ID_PREFIX.length));
  } else if (Array.isArray(value)) {
    for (const item of value) referencedBulkIds(item, found);
  } else if (isJsonObject(value)) {
    for (const item of Object.values(value)) referencedBulkIds(item, found);
  }
  return found;
}

/** Why an operation cannot run, decided before anything runs. */
export type Unrunnable =
  { reason: "unknownBulkId"; bulkId: string } | { reason: "notACreate"; bulkId: string } | { reason: "circular"; cycle: number[] };

export interface BulkPlan {
  /** Indexes of the operations to run, dependencies first; otherwise in request order. */
  order: number[];
  /** Each operation's dependencies (indexes of the POSTs whose ids it needs). */
  dependsOn: Map<number, number[]>;
  /** Operations refused before anything runs, by index. */
  refused: Map<number, Unrunnable>;
}

/** The dependencies of each operation, and the references that name no POST. */
function edges(operations: readonly BulkOperation[]): { dependsOn: Map<number, number[]>; refused: Map<number, Unrunnable> } {
  const byBulkId = new Map(operations.flatMap((op) => (op.bulkId === undefined ? [] : [[op.bulkId, op] as const])));
  const dependsOn = new Map<number, number[]>();
  const refused = new Map<number, Unrunnable>();
  for (const op of operations) {
    const references = referencedBulkIds(op.data);
    if (op.id !== undefined) referencedBulkIds(op.id, references);
    const deps: number[] = [];
    for (const bulkId of references) {
      const target = byBulkId.get(bulkId);
      if (!target) refused.set(op.index, { reason: "unknownBulkId", bulkId });
      else if (target.method !== "POST") refused.set(op.index, { reason: "notACreate", bulkId });
      else deps.push(target.index);
    }
    dependsOn.set(op.index, deps);
  }
  return { dependsOn, refused };
}

/** The operations on cycles (a self-reference included), each with one cycle it is on: Tarjan's components. */
function cycles(count: number, dependsOn: ReadonlyMap<number, number[]>): Map<number, number[]> {
  const index = new Array<number>(count).fill(-1);
  const low = new Array<number>(count).fill(0);
  const onStack = new Array<boolean>(count).fill(false);
  const stack: number[] = [];
  const result = new Map<number, number[]>();
  let next = 0;
  // Iterative, so that a chain of 1,000 references does not exhaust the call stack.
  for (let root = 0; root < count; root++) {
    if (index[root] !== -1) continue;
    const work: { node: number; edge: number }[] = [{ node: root, edge: 0 }];
    index[root] = low[root] = next++;
    stack.push(root);
    onStack[root] = true;
    while (work.length > 0) {
      const frame = work[work.length - 1] as { node: number; edge: number };
      const deps = dependsOn.get(frame.node) ?? [];
      if (frame.edge < deps.length) {
        const dep = deps[frame.edge++] as number;
        if (index[dep] === -1) {
          index[dep] = low[dep] = next++;
          stack.push(dep);
          onStack[dep] = true;
          work.push({ node: dep, edge: 0 });
        } else if (onStack[dep]) low[frame.node] = Math.min(low[frame.node] as number, index[dep] as number);
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low[parent.node] = Math.min(low[parent.node] as number, low[frame.node] as number);
      if (low[frame.node] !== index[frame.node]) continue;
      const component: number[] = [];
      let member: number | undefined;
      do {
        member = stack.pop() as number;
        onStack[member] = false;
        component.push(member);
      } while (member !== frame.node);
      const selfLoop = component.length === 1 && (dependsOn.get(frame.node) ?? []).includes(frame.node);
      if (component.length > 1 || selfLoop) {
        const sorted = component.sort((a, b) => a - b);
        for (const m of sorted) result.set(m, sorted);
      }
    }
  }
  return result;
}

/** Orders the operations: each after the POSTs it references, else in request order (Kahn's, lowest index first). */
export function planBulk(operations: readonly BulkOperation[]): BulkPlan {
  const { dependsOn, refused } = edges(operations);
  for (const [op, cycle] of cycles(operations.length, dependsOn)) if (!refused.has(op)) refused.set(op, { reason: "circular", cycle });
  const waiting = new Map<number, number>();
  const dependents = new Map<number, number[]>();
  for (const op of operations) {
    if (refused.has(op.index)) continue;
    const deps = (dependsOn.get(op.index) ?? []).filter((d) => !refused.has(d));
    // A dependency that is refused is one this operation cannot have: it fails when its turn comes (see engine).
    waiting.set(op.index, deps.length);
    for (const dep of deps) dependents.set(dep, [...(dependents.get(dep) ?? []), op.index]);
  }
  const ready = [...waiting.entries()].filter(([, n]) => n === 0).map(([i]) => i);
  const order: number[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => a - b);
    const op = ready.shift() as number;
    order.push(op);
    for (const dependent of dependents.get(op) ?? []) {
      const left = (waiting.get(dependent) ?? 0) - 1;
      waiting.set(dependent, left);
      if (left === 0) ready.push(dependent);
    }
  }
  return { order, dependsOn, refused };
}

/** `value` with each "bulkId:x" string replaced by the id x's POST created (ids must hold every referenced bulkId). */
export function substituteBulkIds<T>(value: T, ids: ReadonlyMap<string, string>): T {
  if (typeof value === "string") {
    if (!value.startsWith(BULK_ID_PREFIX)) return value;
    return (ids.get(value.slice(BULK_ID_PREFIX.length)) ?? value) as T;
  }
  if (Array.isArray(value)) return value.map((item: unknown) => substituteBulkIds(item, ids)) as T;
  if (isJsonObject(value)) {
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value)) assignOwn(out, key, substituteBulkIds(item, ids));
    return out as T;
  }
  return value;
}
