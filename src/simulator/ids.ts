// Identifiers shaped like Zoom's: 22-character URL-safe ids, opaque tokens, tracking ids.
import { randomBytes, randomInt } from "node:crypto";

/** 16 random bytes in base64url: 22 URL-safe characters, like Zoom's user and group ids. */
export function newId(): string {
  return randomBytes(16).toString("base64url");
}

export function newOpaqueToken(bytes = 48): string {
  return randomBytes(bytes).toString("base64url");
}

/** A 10-digit personal meeting id. */
export function newPmi(): number {
  return randomInt(1_000_000_000, 9_999_999_999);
}

const trackingPrefix = `v=2.0;clid=sim;rid=WEB_${randomBytes(6).toString("hex")}`;
let trackingCounter = 0;

/** Value of the `x-zm-trackingid` header: unique per response, cheap to make. */
export function newTrackingId(): string {
  trackingCounter += 1;
  return trackingPrefix + trackingCounter.toString(16).padStart(8, "0");
}
