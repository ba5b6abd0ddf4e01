// The User schema as attribute metadata, derived once from scimmy's declaration.
import { resourceSchemaFrom, type ResourceSchema } from "./attributes/schema-meta.js";
import { userSchemaDefinition } from "./schemas.js";

export const userSchema: ResourceSchema = resourceSchemaFrom(userSchemaDefinition());
