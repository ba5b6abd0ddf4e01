// The Group schema as attribute metadata, derived once from scimmy's declaration.
import { resourceSchemaFrom, type ResourceSchema } from "./attributes/schema-meta.js";
import { groupSchemaDefinition } from "./schemas.js";

export const groupSchema: ResourceSchema = resourceSchemaFrom(groupSchemaDefinition());
