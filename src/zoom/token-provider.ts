// Server-to-Server OAuth tokens, cached per Zoom app and shared by every client of the process: Zoom may cap the
// number of valid tokens per app, and has revoked older tokens when a new one was issued.

import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";

export interface IssuedToken {
  accessToken: string;
  expiresInSeconds: number;
}

interface CachedToken {
  value: string;
  expiresAt: number;
  renewAt: number;
}

/** Renew 60 s before expiry, or halfway through the life of a short-lived token. */
export function renewalSchedule(issuedAtMs: number, expiresInSeconds: number): { expiresAt: number; renewAt: number } {
  const lifetimeMs = Math.max(0, expiresInSeconds) * 1000;
  const expiresAt = issuedAtMs + lifetimeMs;
  return { expiresAt, renewAt: expiresAt - Math.min(60_000, lifetimeMs / 2) };
}

/**
 * The cache key of a Zoom app. The secret enters only as a digest: a client configured with a wrong or rotated
 * secret must not ride on a token another client obtained with the right one.
 */
export function appKey(app: { oauthUrl: string; accountId: string; clientId: string; clientSecret: string }): string {
  const secretDigest = createHash("sha256").update(app.clientSecret).digest("base64url").slice(0, 16);
  return [app.oauthUrl, app.accountId, app.clientId, secretDigest].join("\n");
}

const tokens = new LRUCache<string, CachedToken>({ max: 1000 });
const renewals = new Map<string, Promise<CachedToken>>();

export class TokenProvider {
  constructor(
    private readonly key: string,
    private readonly issue: () => Promise<IssuedToken>,
    private readonly now: () => number = Date.now,
  ) {}

  /** A valid access token, renewed when due; at most one renewal per app runs at a time. */
  async getToken(): Promise<string> {
    const cached = tokens.get(this.key);
    if (cached && this.now() < cached.renewAt) return cached.value;
    return (await this.renew()).value;
  }

  /** Zoom refused `token` (401/124): forget it, unless a newer one has already replaced it. */
  invalidate(token: string): void {
    if (tokens.get(this.key)?.value === token) tokens.delete(this.key);
  }

  private renew(): Promise<CachedToken> {
    const pending = renewals.get(this.key);
    if (pending) return pending;
    const renewal = (async () => {
      const issued = await this.issue();
      const { expiresAt, renewAt } = renewalSchedule(this.now(), issued.expiresInSeconds);
      const token = { value: issued.accessToken, expiresAt, renewAt };
      // The cache drops the entry once it has expired, even if nobody asks again.
      tokens.set(this.key, token, { ttl: Math.max(1, expiresAt - this.now()) });
      return token;
    })().finally(() => renewals.delete(this.key));
    renewals.set(this.key, renewal);
    return renewal;
  }
}
