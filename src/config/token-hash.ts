import { createHash, timingSafeEqual } from "node:crypto";

/** Bearer tokens are kept only as SHA-256 digests. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Constant-time comparison of a presented token against stored digests. */
export function tokenMatches(token: string, digests: readonly string[]): boolean {
  const presented = Buffer.from(hashToken(token), "hex");
  let match = false;
  for (const digest of digests) {
    const stored = Buffer.from(digest, "hex");
    // Every digest is compared, so timing does not reveal which one matched.
    if (stored.length === presented.length && timingSafeEqual(stored, presented)) match = true;
  }
  return match;
}
