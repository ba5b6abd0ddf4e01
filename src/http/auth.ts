// Bearer authentication: a token opens exactly the tenant it was configured for. The token's name (never the
// token) becomes the request's actor, for logs and the audit trail.
import type { RequestHandler } from "express";
import { verifyToken } from "../config/token-hash.js";
import { ScimError } from "../scim/errors.js";
import { sendScimError } from "./errors.js";
import type { RequestContext } from "./request-context.js";
import type { ServedTenant } from "./tenant-registry.js";

export function bearerAuth(): RequestHandler {
  return (req, res, next) => {
    const tenant = res.locals.tenant as ServedTenant | undefined;
    const header = req.get("authorization") ?? "";
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    // The token is hashed and compared for an unknown tenant too: no shortcut tells it apart by timing.
    const verdict = match?.[1] !== undefined ? verifyToken(match[1], tenant?.bearerTokens ?? [], Date.now()) : undefined;
    if (!tenant || !verdict?.valid) {
      // An expired token is told so (its holder knows it was once valid); which one, or since when, is not said.
      const detail =
        verdict && !verdict.valid && verdict.expired
          ? "The bearer token has expired. Send a current token of this tenant as 'Authorization: Bearer <token>'."
          : header
            ? "The bearer token is not valid for this SCIM endpoint. Send the token configured for this tenant as 'Authorization: Bearer <token>'."
            : "Authentication required: send 'Authorization: Bearer <token>'.";
      sendScimError(res, new ScimError(401, undefined, detail));
      return;
    }
    (res.locals.requestContext as RequestContext).actor = verdict.name;
    next();
  };
}
