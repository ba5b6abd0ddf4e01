import { createHash, timingSafeEqual } from "node:crypto";
import type { BearerToken } from "./types.js";

/** Bearer tokens are kept only as SHA-256 digests. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Digests of recently presented tokens (a client sends the same one on every request), least recently used first out. */
const PRESENTED_CACHE_SIZE = 64;
const presentedDigests = new Map<string, Buffer>();
/** Stored digests as bytes, by their hex form (the configured set is small and fixed). */
const STORED_CACHE_SIZE = 256;
const storedDigests = new Map<string, Buffer>();

function presentedDigest(token: string): Buffer {
  const cached = presentedDigests.get(token);
  if (cached !== undefined) {
    presentedDigests.delete(token);
    presentedDigests.set(token, cached);
    return cached;
  }
  const digest = createHash("sha256").update(token, "utf8").digest();
  if (presentedDigests.size >= PRESENTED_CACHE_SIZE) presentedDigests.delete(presentedDigests.keys().next().value as string);
  presentedDigests.set(token, digest);
  return digest;
}

function storedDigest(digest: string): Buffer {
  let bytes = storedDigests.get(digest);
  if (bytes === undefined) {
    bytes = Buffer.from(digest, "hex");
    if (storedDigests.size >= STORED_CACHE_SIZE) storedDigests.clear();
    storedDigests.set(digest, bytes);
  }
  return bytes;
}

/** Constant-time comparison of a presented token against stored digests. */
export function tokenMatches(token: string, digests: readonly string[]): boolean {
  return matchingIndex(token, digests) !== -1;
}

/** The index of the digest the token matches, or -1; every digest is compared, so timing does not tell which. */
function matchingIndex(token: string, digests: readonly string[]): number {
  const presented = presentedDigest(token);
  let match = -1;
  for (let index = 0; index < digests.length; index++) {
    const stored = storedDigest(digests[index] as string);
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
