// What zoom-scim accepts from one request, so a hostile client cannot make a filter, a PATCH or a JSON walk cost more
// than a few milliseconds. Exported so the HTTP layer can advertise them (ServiceProviderConfig, docs) and enforce
// JSON depth before parsing.

export const SCIM_LIMITS = Object.freeze({
  /** Characters in a filter (or a PATCH path); checked before tokenising. */
  filterMaxLength: 10_000,
  /** Comparisons (`attr op value`, `attr pr`) in one filter. */
  filterMaxComparisons: 200,
  /** Nesting of parentheses, value-filter brackets and `not` in one filter. */
  filterMaxDepth: 16,
  /** Operations in one PATCH request. */
  patchMaxOperations: 1_000,
  /** Nesting of objects and arrays in client JSON that our own code walks. */
  jsonMaxDepth: 64,
  /** Advertised as filter.maxResults; the largest page a list answers. */
  maxResults: 1_000,
});

export type ScimLimits = typeof SCIM_LIMITS;
