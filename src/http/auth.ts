// Bearer authentication: a token opens exactly the tenant it was configured for.
import type { RequestHandler } from "express";
import { tokenMatches } from "../config/token-hash.js";
import { ScimError } from "../scim/errors.js";
import { sendScimError } from "./errors.js";
import type { ServedTenant } from "./tenant-registry.js";

export function bearerAuth(): RequestHandler {
  return (req, res, next) => {
    const tenant = res.locals.tenant as ServedTenant | undefined;
    const header = req.get("authorization") ?? "";
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    // The token is hashed and compared for an unknown tenant too: no shortcut tells it apart by timing.
    const valid = match?.[1] !== undefined && tokenMatches(match[1], tenant?.bearerTokenHashes ?? []);
    if (!tenant || !valid) {
      const detail = header
        ? "The bearer token is not valid for this SCIM endpoint. Send the token configured for this tenant as 'Authorization: Bearer <token>'."
        : "Authentication required: send 'Authorization: Bearer <token>'.";
      sendScimError(res, new ScimError(401, undefined, detail));
      return;
    }
    next();
  };
}
