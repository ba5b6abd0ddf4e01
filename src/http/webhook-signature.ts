// Zoom's webhook signatures (docs/zoom-behaviour.md §8): x-zm-signature = "v0=" + hex HMAC-SHA256(secret,
// "v0:" + x-zm-request-timestamp + ":" + raw body). Old timestamps are refused, and a signature is accepted once.
import { createHmac, timingSafeEqual } from "node:crypto";

/** How far a request's timestamp may be from our clock (Zoom's own guidance is five minutes). */
export const WEBHOOK_TOLERANCE_MS = 5 * 60_000;

export type SignatureVerdict = "ok" | "missing" | "stale" | "forged";

export interface SignedRequest {
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: Buffer;
}

export function verifyZoomSignature(secret: string, request: SignedRequest, nowMs: number = Date.now()): SignatureVerdict {
  const { timestamp, signature, rawBody } = request;
  if (!timestamp || !signature) return "missing";
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowMs - Number(timestamp) * 1000) > WEBHOOK_TOLERANCE_MS) return "stale";
  const expected = Buffer.from(`v0=${createHmac("sha256", secret).update(`v0:${timestamp}:`).update(rawBody).digest("hex")}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected) ? "ok" : "forged";
}

/** The answer to Zoom's `endpoint.url_validation` challenge. */
export function urlValidationAnswer(secret: string, plainToken: string): { plainToken: string; encryptedToken: string } {
  return { plainToken, encryptedToken: createHmac("sha256", secret).update(plainToken).digest("hex") };
}
