// Each /Bulk operation is an entry of its own (one per SCIM write), with the bulk request's id, actor and client;
// the /Bulk request's own entry then says how many operations it held.
import type { Tenant } from "../tenant.js";
import { auditError } from "./recorder.js";
import { AuditScope, currentAuditScope, runInAuditScope } from "./scope.js";

export interface AuditedOperation {
  method: string;
  resourceType: string;
  /** The resource's id; undefined for a POST. */
  id: string | undefined;
}

export async function auditOperation<T>(tenant: Tenant, op: AuditedOperation, work: () => Promise<T>): Promise<T> {
  const parent = currentAuditScope();
  if (!parent?.init.records) return work();
  parent.childEntries += 1;
  const scope = new AuditScope({
    ...parent.init,
    method: op.method,
    route: `/${op.resourceType}${op.id === undefined ? "" : "/:id"}`,
    resourceType: op.resourceType === "Groups" ? "Group" : "User",
    resourceId: op.id ?? null,
    userName: null,
  });
  let result: T;
  try {
    result = await runInAuditScope(scope, work);
  } catch (error) {
    const scimError = auditError(error, `the /Bulk operation ${op.method} /${op.resourceType}`);
    await tenant.audit.write(scope.entry(scimError.status < 500 || scope.refused ? "refused" : "failed", scimError));
    throw error;
  }
  await tenant.audit.write(scope.entry(scope.deferred ? "deferred" : scope.planned ? "planned" : "applied", null));
  return result;
}
