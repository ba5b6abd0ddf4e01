import { createHash, timingSafeEqual } from "node:crypto";
import type { BearerToken } from "./types.js";

/** Bearer tokens are kept only as SHA-256 digests. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Constant-time comparison of a presented token against stored digests. */
export function tokenMatches(token: string, digests: readonly string[]): boolean {
  return matchingIndex(token, digests) !== -1;
}

/** The index of the digest the token matches, or -1; every digest is compared, so timing does not tell which. */
function matchingIndex(token: string, digests: readonly string[]): number {
  const presented = Buffer.from(hashToken(token), "hex");
  let match = -1;
  for (const [index, digest] of digests.entries()) {
    const stored = Buffer.from(digest, "hex");
    if (stored.length === presented.length && timingSafeEqual(stored, presented) && match === -1) match = index;
  }
  return match;
}

export type TokenVerdict = { valid: true; name: string } | { valid: false; expired: boolean };

/** Which named token `token` is, and whether it is still valid at `nowMs`. */
export function verifyToken(token: string, tokens: readonly BearerToken[], nowMs: number): TokenVerdict {
  const found =
    tokens[
      matchingIndex(
        token,
        tokens.map((t) => t.sha256),
      )
    ];
  if (!found) return { valid: false, expired: false };
  if (found.notAfterMs !== undefined && nowMs > found.notAfterMs) return { valid: false, expired: true };
  return { valid: true, name: found.name };
}
