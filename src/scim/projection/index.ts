// Partial resource representations (RFC 7644 §3.4.2.5): which attributes an answer carries.
export { parseAttributeList } from "./attribute-list.js";
export { projectResource, requestedAttributes } from "./project.js";
export type { ProjectionOptions } from "./project.js";
