// A Group PatchOp → what it asks of Zoom, without reading the group first (RFC 7644 §3.5.2). Pure.
// Membership operations keep their order; foldMemberDelta and applyMemberOps turn them into the end state, which is
// what applying them one by one would give, with the fewest Zoom calls.
import type { AttributeMeta } from "../../scim/attributes/schema-meta.js";
import { isJsonObject } from "../../scim/attributes/json.js";
import { badRequest, ScimError } from "../../scim/errors.js";
import { matchesValueFilter, parsePatchPath, type FilterNode } from "../../scim/filter/index.js";
import type { PatchOperation } from "../../scim/patch/index.js";
import { groupName, memberId, memberIds } from "./group-input.js";
import { groupSchema } from "../../scim/group-schema.js";
import { memberValue, type GroupMember } from "./group-view.js";

export type MemberOp =
  | { kind: "add"; ids: string[] }
  | { kind: "remove"; ids: string[] }
  /** A filtered remove that is not `value eq …`: it needs the current members to know whom it selects. */
  | { kind: "removeWhere"; filter: FilterNode }
  | { kind: "replace"; ids: string[] }
  | { kind: "clear" };

export interface GroupPatch {
  /** The name asked for last, trimmed; undefined when no operation renames. */
  displayName: string | undefined;
  /** undefined: unchanged; null: removed. */
  externalId: string | null | undefined;
  memberOps: MemberOp[];
}

const immutable = (where: string, what: string): ScimError =>
  new ScimError(
    400,
    "mutability",
    `${where}: ${what} Add members with {"op":"add","path":"members","value":[{"value":"<user id>"}]} and remove them with {"op":"remove","path":"members[value eq \\"<user id>\\"]"}.`,
  );

/** `value eq "a"`, or an `or` of them: the ids a filtered remove names directly. */
function valueEqualities(filter: FilterNode): string[] | undefined {
  if (filter.op === "eq")
    return filter.path.subAttribute?.name === "value" && typeof filter.value === "string" ? [filter.value] : undefined;
  if (filter.op !== "or") return undefined;
  const parts = filter.filters.map(valueEqualities);
  return parts.every((part) => part !== undefined) ? parts.flat() : undefined;
}

function externalIdValue(value: unknown, where: string): string | null {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value !== "string") throw badRequest("invalidValue", `${where}: externalId must be a string`);
  return value;
}

class Interpreter {
  readonly patch: GroupPatch = { displayName: undefined, externalId: undefined, memberOps: [] };

  constructor(private readonly groupId: string) {}

  /** One attribute of the group set by add/replace, by path or as a key of a no-path value. */
  set(attribute: AttributeMeta, op: "add" | "replace", value: unknown, where: string): void {
    switch (attribute.name) {
      case "displayName":
        this.patch.displayName = groupName(value, `${where} displayName`);
        return;
      case "externalId":
        this.patch.externalId = externalIdValue(value, where);
        return;
      case "members": {
        const ids = memberIds(value, `${where}.value`);
        this.patch.memberOps.push(op === "add" ? { kind: "add", ids } : { kind: "replace", ids });
        return;
      }
      case "id":
        // Okta repeats the group's own id in its rename: harmless. Another id is a change of identity.
        if (value === this.groupId) return;
        throw new ScimError(400, "mutability", `${where}: id is read-only; it is the Zoom group id ${this.groupId}`);
      case "schemas":
      case "meta":
        return;
      default:
        throw new ScimError(400, "mutability", `${where}: ${attribute.name} cannot be changed`);
    }
  }

  withoutPath(operation: PatchOperation, where: string): void {
    if (operation.op === "remove" || !isJsonObject(operation.value)) return;
    for (const [key, value] of Object.entries(operation.value)) {
      const parsed = parsePatchPath(key, groupSchema);
      if (parsed.filter !== undefined || parsed.path.subAttribute !== undefined) {
        if (parsed.path.attribute.name === "members")
          throw immutable(where, `"${key}" changes part of a member; members are added or removed whole.`);
        throw badRequest("invalidPath", `${where}: "${key}" is not an attribute a Group can be given`);
      }
      this.set(parsed.path.attribute, operation.op, value, where);
    }
  }

  withPath(operation: PatchOperation, path: string, where: string): void {
    const parsed = parsePatchPath(path, groupSchema);
    const attribute = parsed.path.attribute;
    if (attribute.name === "members") {
      if (parsed.path.subAttribute !== undefined || parsed.subAttribute !== undefined) {
        throw immutable(where, `"${path}" names a member's sub-attribute, and a member's value, display, type and $ref are immutable.`);
      }
      if (parsed.filter !== undefined) {
        if (operation.op !== "remove")
          throw immutable(where, `"${operation.op}" on "${path}" would change members in place; they are immutable.`);
        const ids = valueEqualities(parsed.filter);
        if (ids === undefined) this.patch.memberOps.push({ kind: "removeWhere", filter: parsed.filter });
        else this.patch.memberOps.push({ kind: "remove", ids: ids.map((id) => memberId(id, `${where} path`)) });
        return;
      }
      if (operation.op === "remove") {
        // Entra removes by value: {"op":"Remove","path":"members","value":[{"value":"<id>"}]}; without a value, all go.
        const everyone = operation.value === undefined || operation.value === null;
        const ids = everyone
          ? []
          : memberIds(operation.value, `${where}.value`).map((id, index) => memberId(id, `${where}.value[${index}]`));
        this.patch.memberOps.push(everyone ? { kind: "clear" } : { kind: "remove", ids });
        return;
      }
      this.set(attribute, operation.op, operation.value, where);
      return;
    }
    if (parsed.path.subAttribute !== undefined || parsed.filter !== undefined) {
      throw new ScimError(400, "mutability", `${where}: "${path}" cannot be changed`);
    }
    if (operation.op === "remove") {
      if (attribute.name === "externalId") {
        this.patch.externalId = null;
        return;
      }
      if (attribute.name === "displayName")
        throw badRequest("invalidValue", `${where}: displayName cannot be removed; Zoom groups must have a name`);
      throw new ScimError(400, "mutability", `${where}: ${attribute.name} cannot be removed`);
    }
    this.set(attribute, operation.op, operation.value, where);
  }
}

/** Reads every operation (throwing 400 on the first bad one) before anything is changed. */
export function interpretGroupPatch(operations: readonly PatchOperation[], groupId: string): GroupPatch {
  const interpreter = new Interpreter(groupId);
  for (const [index, operation] of operations.entries()) {
    const where = `Operations[${index}]`;
    if (operation.path === undefined) interpreter.withoutPath(operation, where);
    else interpreter.withPath(operation, operation.path, where);
  }
  return interpreter.patch;
}

/** Adds and removes by id need no read: each user's last operation decides. Replace, remove-all and other filters do. */
export const needsCurrentMembers = (ops: readonly MemberOp[]): boolean => ops.some((op) => op.kind !== "add" && op.kind !== "remove");

/** Each user named by adds and removes (only those), with the state the last operation naming it leaves. */
export function foldMemberDelta(ops: readonly MemberOp[]): { add: string[]; remove: string[] } {
  const final = new Map<string, boolean>();
  for (const op of ops) {
    if (op.kind !== "add" && op.kind !== "remove")
      throw new TypeError(`foldMemberDelta cannot fold "${op.kind}"; read the current members and use applyMemberOps`);
    for (const id of op.ids) {
      final.delete(id);
      final.set(id, op.kind === "add");
    }
  }
  const add: string[] = [];
  const remove: string[] = [];
  for (const [id, member] of final) (member ? add : remove).push(id);
  return { add, remove };
}

/** The member ids after applying `ops` in order to the current members (join order kept, new members last). */
export function applyMemberOps(current: readonly GroupMember[], ops: readonly MemberOp[], baseUrl = ""): string[] {
  const members = new Set(current.map((m) => m.id));
  const emails = new Map(current.map((m) => [m.id, m.email]));
  for (const op of ops) {
    switch (op.kind) {
      case "add":
        for (const id of op.ids) members.add(id);
        break;
      case "remove":
        for (const id of op.ids) members.delete(id);
        break;
      case "replace":
        members.clear();
        for (const id of op.ids) members.add(id);
        break;
      case "clear":
        members.clear();
        break;
      case "removeWhere":
        for (const id of [...members]) {
          if (matchesValueFilter(memberValue({ id, email: emails.get(id) }, baseUrl), op.filter)) members.delete(id);
        }
        break;
    }
  }
  return [...members];
}
