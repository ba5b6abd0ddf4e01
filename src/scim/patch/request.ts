// Reading a PatchOp message (RFC 7644 §3.5.2), liberal in the ways real clients deviate: op in any case (Entra's
// "Replace"), `schemas` missing (AWS-ILM-style clients), member names in any case.
import { badRequest } from "../errors.js";
import { SCIM_LIMITS } from "../limits.js";
import { PATCH_OP_URN } from "../schemas.js";
import type { JsonObject } from "../attributes/json.js";
import { checkJsonDepth, getProperty, isJsonObject } from "../attributes/json.js";

export type PatchOpName = "add" | "remove" | "replace";

export interface PatchOperation {
  op: PatchOpName;
  path?: string;
  value?: unknown;
}

const OPS: readonly PatchOpName[] = ["add", "remove", "replace"];

function hasMember(object: JsonObject, name: string): boolean {
  return Object.keys(object).some((k) => k.toLowerCase() === name);
}

function checkSchemas(body: JsonObject): void {
  const schemas = getProperty(body, "schemas");
  if (schemas === undefined || schemas === null) return;
  const list = Array.isArray(schemas) ? schemas : [schemas];
  if (list.length === 0) return;
  const ok = list.some((s) => typeof s === "string" && s.trim().toLowerCase() === PATCH_OP_URN.toLowerCase());
  if (!ok) {
    throw badRequest("invalidSyntax", `A PATCH body's "schemas" must list "${PATCH_OP_URN}"; it lists ${JSON.stringify(schemas)}`);
  }
}

function parseOperation(raw: unknown, index: number): PatchOperation {
  const where = `Operations[${index}]`;
  if (!isJsonObject(raw))
    throw badRequest("invalidSyntax", `${where} must be an object such as {"op":"replace","path":"displayName","value":"Ann"}`);
  const rawOp = getProperty(raw, "op");
  const op = typeof rawOp === "string" ? (rawOp.trim().toLowerCase() as PatchOpName) : undefined;
  if (op === undefined || !OPS.includes(op)) {
    throw badRequest("invalidSyntax", `${where}.op is ${JSON.stringify(rawOp ?? null)}; it must be "add", "remove" or "replace"`);
  }
  const rawPath = getProperty(raw, "path");
  if (rawPath !== undefined && rawPath !== null && typeof rawPath !== "string") {
    throw badRequest(
      "invalidPath",
      `${where}.path must be a string such as "emails[type eq \\"work\\"].value", not ${JSON.stringify(rawPath)}`,
    );
  }
  const path = typeof rawPath === "string" && rawPath.trim() !== "" ? rawPath.trim() : undefined;
  const operation: PatchOperation = { op };
  if (path !== undefined) operation.path = path;
  if (op === "remove") {
    // RFC 7644 §3.5.2.2: a remove without a path fails with noTarget.
    if (path === undefined)
      throw badRequest(
        "noTarget",
        `${where} is a "remove" without a "path"; name the attribute to remove, e.g. "path":"members[value eq \\"<id>\\"]"`,
      );
    const value = getProperty(raw, "value");
    // Entra removes members by value: {"op":"Remove","path":"members","value":[{"value":"<id>"}]}.
    if (value !== undefined) operation.value = value;
    return operation;
  }
  if (!hasMember(raw, "value")) {
    throw badRequest("invalidValue", `${where} is an "${op}" without a "value"; give the value to ${op === "add" ? "add" : "set"}`);
  }
  operation.value = getProperty(raw, "value");
  if (path === undefined && !isJsonObject(operation.value)) {
    throw badRequest("invalidValue", `${where} has no "path", so its "value" must be an object of attributes, e.g. {"active":false}`);
  }
  return operation;
}

/**
 * The operations of a PATCH body. Requires an `Operations` array (empty means nothing to do) of at most
 * SCIM_LIMITS.patchMaxOperations; when `schemas` is present it must list the PatchOp URN. Throws ScimError 400
 * (invalidSyntax, invalidPath, invalidValue, noTarget) with a detail that says which operation is wrong and how.
 */
export function parsePatchRequest(body: unknown): PatchOperation[] {
  if (!isJsonObject(body)) {
    throw badRequest("invalidSyntax", `A PATCH body must be a JSON object: {"schemas":["${PATCH_OP_URN}"],"Operations":[…]}`);
  }
  // Before anything walks the values: the engine's own walks are iterative, JSON.stringify (error details) is not.
  checkJsonDepth(body, "The PATCH body");
  checkSchemas(body);
  const operations = getProperty(body, "Operations");
  if (!Array.isArray(operations)) {
    const found = operations === undefined ? "has none" : `has ${JSON.stringify(operations)}`;
    throw badRequest("invalidSyntax", `A PATCH body needs an "Operations" array of {"op","path","value"} objects; this one ${found}`);
  }
  const max = SCIM_LIMITS.patchMaxOperations;
  if (operations.length > max) {
    throw badRequest(
      "invalidValue",
      `A PATCH request may carry at most ${max} operations; this one has ${operations.length}. Send the rest in further PATCH requests`,
    );
  }
  return operations.map(parseOperation);
}
