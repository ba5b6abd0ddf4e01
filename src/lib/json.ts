// The plain JSON shapes every layer passes around (SCIM resources, stored attributes, Zoom bodies).

export type JsonObject = Record<string, unknown>;
