// RFC 7644 §3.4.3: a POST …/.search body is a SearchRequest message, named by its schemas.
import { isJsonObject } from "./attributes/json.js";
import { badRequest } from "./errors.js";
import { SEARCH_REQUEST_URN } from "./schemas.js";

/** Refuses (400 invalidSyntax) a body that is not a SearchRequest. */
export function checkSearchRequest(body: unknown): void {
  if (!isJsonObject(body)) {
    throw badRequest("invalidSyntax", `A search takes a JSON object body with "schemas": ["${SEARCH_REQUEST_URN}"] (RFC 7644 §3.4.3).`);
  }
  const schemas = body.schemas;
  if (
    !Array.isArray(schemas) ||
    !schemas.some((urn) => typeof urn === "string" && urn.toLowerCase() === SEARCH_REQUEST_URN.toLowerCase())
  ) {
    throw badRequest(
      "invalidSyntax",
      `The search body's "schemas" must name ${SEARCH_REQUEST_URN} (RFC 7644 §3.4.3); send {"schemas": ["${SEARCH_REQUEST_URN}"], "filter": …}.`,
    );
  }
}
