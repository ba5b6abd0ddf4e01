// Before → after of the attributes an action changed, from two SCIM views of a resource. Server-assigned
// attributes (id, meta, schemas) and read-only memberships are left out; a password is never kept, whatever it is.
import { isJsonObject, jsonEqual } from "../../scim/attributes/json.js";
import type { AuditChange, JsonObject } from "../../store/types.js";

const IGNORED = new Set(["id", "meta", "schemas", "groups"]);
const SECRET = /^password$/i;
export const REDACTED = "[redacted]";

/** A value with every password (at any depth) replaced by [redacted]. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (!isJsonObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, SECRET.test(key) ? REDACTED : redactSecrets(inner)]));
}

/** Top-level attributes, and one level into complex ones (name, the extensions), compared whole below that. */
export function attributeChanges(before: JsonObject | null, after: JsonObject | null): AuditChange[] {
  const changes: AuditChange[] = [];
  const visit = (prefix: string, a: JsonObject, b: JsonObject, depth: number): void => {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (depth === 0 && IGNORED.has(key)) continue;
      const path = prefix === "" ? key : prefix.startsWith("urn:") ? `${prefix}:${key}` : `${prefix}.${key}`;
      const was = a[key];
      const now = b[key];
      if (SECRET.test(key)) {
        if (was !== undefined || now !== undefined)
          changes.push({ attribute: path, before: was === undefined ? null : REDACTED, after: now === undefined ? null : REDACTED });
        continue;
      }
      if (depth === 0 && (isJsonObject(was) || isJsonObject(now)) && !Array.isArray(was) && !Array.isArray(now)) {
        visit(key, isJsonObject(was) ? was : {}, isJsonObject(now) ? now : {}, 1);
        continue;
      }
      if (jsonEqual(was ?? null, now ?? null)) continue;
      changes.push({ attribute: path, before: redactSecrets(was ?? null), after: redactSecrets(now ?? null) });
    }
  };
  visit("", before ?? {}, after ?? {}, 0);
  return changes;
}
