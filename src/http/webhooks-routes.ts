// POST /webhooks/zoom (default tenant) and /{tenant}/webhooks/zoom: Zoom's event notifications. Each request is
// verified with the tenant's webhook secret token (signature, timestamp, once only); an event never carries
// state zoom-scim believes: `user.invitation_accepted` and `user.activated` only make it ask Zoom about that user.
import type { Express, Request, RequestHandler, Response } from "express";
import { ScimError } from "../scim/errors.js";
import { auditAcceptance } from "../provisioning/audit/background.js";
import { readDecodedBody } from "./body.js";
import { sendScimError } from "./errors.js";
import type { Logger } from "./logger.js";
import type { RequestContext } from "./request-context.js";
import { onlyMethods } from "./route-table.js";
import type { ServedTenant, TenantRegistry } from "./tenant-registry.js";
import { WEBHOOK_TOLERANCE_MS, urlValidationAnswer, verifyZoomSignature, type SignatureVerdict } from "./webhook-signature.js";

/** Events after which a pending user may have become active. */
const ACCEPTANCE_EVENTS = new Set(["user.invitation_accepted", "user.activated"]);

/** Work started by events and still running; the server waits for it before closing the store. */
export class BackgroundWork {
  private readonly tasks = new Set<Promise<unknown>>();

  run(task: Promise<unknown>): void {
    const tracked = task.finally(() => this.tasks.delete(tracked));
    this.tasks.add(tracked);
  }

  async idle(): Promise<void> {
    while (this.tasks.size > 0) await Promise.allSettled([...this.tasks]);
  }
}

interface ZoomEvent {
  event?: unknown;
  payload?: { plainToken?: unknown; object?: { id?: unknown } };
}

function parseEvent(raw: Buffer): ZoomEvent | undefined {
  try {
    const parsed: unknown = JSON.parse(raw.toString("utf8"));
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as ZoomEvent) : undefined;
  } catch {
    return undefined;
  }
}

function answer(res: Response, body: Record<string, unknown>): void {
  res.status(200).type("application/json").send(JSON.stringify(body));
}

function refuse(res: Response, verdict: Exclude<SignatureVerdict, "ok">): void {
  const why =
    verdict === "stale"
      ? "its timestamp is too old or too far ahead"
      : verdict === "missing"
        ? "x-zm-signature or x-zm-request-timestamp is missing"
        : "its signature does not match";
  sendScimError(
    res,
    new ScimError(
      401,
      undefined,
      `The event was not accepted: ${why}. Zoom signs events with the secret token of the tenant's Zoom app (ZOOM_WEBHOOK_SECRET_TOKEN, or webhookSecretToken in the tenants file).`,
    ),
  );
}

function handler(tenants: TenantRegistry, logger: Logger, work: BackgroundWork, maxBodyBytes: number, fixed?: string): RequestHandler {
  return async (req: Request, res: Response) => {
    const name = fixed ?? String(req.params.tenant ?? "");
    (res.locals.requestContext as RequestContext).tenant = name;
    const served: ServedTenant | undefined = tenants.get(name);
    const secret = served?.webhookSecretToken;
    const signature = req.get("x-zm-signature");
    const timestamp = req.get("x-zm-request-timestamp");
    if (!secret) {
      // An unknown tenant, or one without webhooks, is refused as a wrong signature is: an anonymous caller learns no
      // tenant names. The log says which it was, for the admin.
      logger.warn({ tenant: name, reason: served ? "no webhook secret token configured" : "no such tenant" }, "webhook refused");
      return refuse(res, signature && timestamp ? "forged" : "missing");
    }
    // Unsigned or stale requests are refused before their body is read; others are read up to a small bound.
    const early = verifyZoomSignature(secret, { timestamp, signature, rawBody: Buffer.alloc(0) });
    const rawBody = early === "missing" || early === "stale" ? Buffer.alloc(0) : await readDecodedBody(req, maxBodyBytes);
    const verdict = rawBody.length === 0 ? early : verifyZoomSignature(secret, { timestamp, signature, rawBody });
    if (verdict !== "ok") {
      logger.warn({ tenant: name, verdict }, "webhook refused");
      return refuse(res, verdict);
    }
    const event = parseEvent(rawBody);
    if (!event || typeof event.event !== "string")
      return sendScimError(res, new ScimError(400, "invalidSyntax", 'The event body is not a Zoom event (a JSON object with "event").'));
    // Zoom re-signs a retried delivery; the same signature again is a replay, and changes nothing, whichever replica
    // saw it first (the store remembers signatures for twice the timestamp tolerance: older ones are stale anyway).
    const now = Date.now();
    const first = await served.scim.store.coordination.firstDelivery(name, signature ?? "", now, now - 2 * WEBHOOK_TOLERANCE_MS);
    if (!first) return answer(res, { status: "duplicate" });

    if (event.event === "endpoint.url_validation") {
      const plainToken = event.payload?.plainToken;
      if (typeof plainToken !== "string" || plainToken === "")
        return sendScimError(res, new ScimError(400, "invalidValue", "endpoint.url_validation carries no payload.plainToken."));
      return answer(res, urlValidationAnswer(secret, plainToken));
    }
    const zoomId = event.payload?.object?.id;
    if (!ACCEPTANCE_EVENTS.has(event.event) || typeof zoomId !== "string" || zoomId === "") return answer(res, { status: "ignored" });
    // Zoom wants an answer within 3 seconds: the user's changes are applied after it.
    const tenant = served.scim;
    const requestId = (res.locals.requestContext as RequestContext).requestId;
    work.run(
      tenant.users
        .scimIdOf(zoomId)
        .then((id) =>
          auditAcceptance(tenant, id, { kind: "webhook", requestId, what: `Zoom event ${String(event.event)}` }, () =>
            tenant.users.noticeAcceptance(id),
          ),
        )
        .then(({ outcome, result }) => {
          if (outcome === "failed")
            logger.warn(
              { tenant: name, event: event.event, detail: result?.error?.detail },
              "deferred change not applied; retried with backoff",
            );
          else if (outcome !== "nothing to do") logger.info({ tenant: name, event: event.event, outcome }, "webhook handled");
        })
        .catch((error: unknown) =>
          logger.warn(
            { tenant: name, event: event.event, err: error instanceof Error ? error.message : String(error) },
            "webhook handling failed",
          ),
        ),
    );
    return answer(res, { status: "accepted" });
  };
}

/** The handler reads the body itself: the signature is over the raw bytes, and at most `maxBodyBytes` are read. */
export function mountWebhooks(app: Express, tenants: TenantRegistry, logger: Logger, work: BackgroundWork, maxBodyBytes: number): void {
  app.all("/webhooks/zoom", onlyMethods(["POST"], "/webhooks/zoom"), handler(tenants, logger, work, maxBodyBytes, "default"));
  app.all("/:tenant/webhooks/zoom", onlyMethods(["POST"], "/{tenant}/webhooks/zoom"), handler(tenants, logger, work, maxBodyBytes));
}
