// SCIM PATCH (RFC 7644 §3.5.2): read a PatchOp body, apply its operations to a resource.
export { parsePatchRequest } from "./request.js";
export type { PatchOperation, PatchOpName } from "./request.js";
export { applyPatch } from "./apply.js";
export { equalityTemplate } from "./targets.js";
