// Schema-aware attribute helpers: metadata, path resolution, value locations and normalisation.
export * from "./schema-meta.js";
export * from "./json.js";
export * from "./values.js";
