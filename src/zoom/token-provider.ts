// Server-to-Server OAuth tokens, cached per Zoom app and shared by every client of the process, and, given a
// SharedTokens, by every replica: Zoom may cap the number of valid tokens per app, and has revoked older tokens
// when a new one was issued. Across replicas one renews (under the shared lock), the others read its token.

import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { LRUCache } from "lru-cache";

export interface IssuedToken {
  accessToken: string;
  expiresInSeconds: number;
}

interface CachedToken {
  value: string;
  expiresAt: number;
  renewAt: number;
  /** As shared with the other replicas. */
  sealed?: string;
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

/** A token as replicas share it: sealed (AES-256-GCM, key from the app's secret), so the store never holds it plain. */
export interface SharedToken {
  sealed: string;
  expiresAt: number;
  renewAt: number;
}

/** Where replicas keep the app's token (implemented over the store, injected by the composition root). */
export interface SharedTokens {
  get(key: string): Promise<SharedToken | undefined>;
  put(key: string, token: SharedToken): Promise<void>;
  /** Drops the token only while it is still `sealed`. */
  drop(key: string, sealed: string): Promise<void>;
  /** Runs `work` as the only renewal of `key` across replicas (the others wait, then read what it left). */
  exclusive<T>(key: string, work: () => Promise<T>): Promise<T>;
}

function sealingKey(secret: string): Buffer {
  return createHash("sha256").update(`zoom-scim token seal\n${secret}`).digest();
}

export function sealToken(secret: string, value: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", sealingKey(secret), iv);
  const body = Buffer.concat([cipher.update(value, "utf8"), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((part) => part.toString("base64url")).join(".");
}

/** The token, or undefined when it was not sealed with this secret (a rotated one). */
export function openToken(secret: string, sealed: string): string | undefined {
  const [iv, tag, body] = sealed.split(".").map((part) => Buffer.from(part, "base64url"));
  if (!iv || !tag || !body) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", sealingKey(secret), iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
  } catch {
    return undefined;
  }
}

const tokens = new LRUCache<string, CachedToken>({ max: 1000 });
const renewals = new Map<string, Promise<CachedToken>>();

export interface SharingOptions {
  shared: SharedTokens;
  /** The app's secret, to seal and open the shared token. */
  secret: string;
}

export class TokenProvider {
  constructor(
    private readonly key: string,
    private readonly issue: () => Promise<IssuedToken>,
    private readonly now: () => number = Date.now,
    private readonly sharing?: SharingOptions,
  ) {}

  /** The last token Zoom refused. */
  private refused: string | undefined;

  /** A valid access token, renewed when due; at most one renewal per app runs at a time (across replicas too). */
  async getToken(): Promise<string> {
    const cached = tokens.get(this.key);
    if (cached && this.now() < cached.renewAt) return cached.value;
    return (await this.renew()).value;
  }

  /** Zoom refused `token` (401/124): forget it, unless a newer one has already replaced it. */
  invalidate(token: string): void {
    const cached = tokens.get(this.key);
    if (cached?.value !== token) return;
    tokens.delete(this.key);
    // Until the drop below lands, the store may still hand it out: the renewal must not take it back.
    this.refused = token;
    // The other replicas must not keep handing it out either.
    if (this.sharing && cached.sealed) void this.sharing.shared.drop(this.key, cached.sealed).catch(() => undefined);
  }

  private renew(): Promise<CachedToken> {
    const pending = renewals.get(this.key);
    if (pending) return pending;
    const renewal = (this.sharing ? this.renewShared(this.sharing) : this.renewHere())
      .then((token) => {
        // The cache drops the entry once it has expired, even if nobody asks again.
        tokens.set(this.key, token, { ttl: Math.max(1, token.expiresAt - this.now()) });
        return token;
      })
      .finally(() => renewals.delete(this.key));
    renewals.set(this.key, renewal);
    return renewal;
  }

  private async renewHere(): Promise<CachedToken> {
    const issued = await this.issue();
    return { value: issued.accessToken, ...renewalSchedule(this.now(), issued.expiresInSeconds) };
  }

  /** Another replica's token while it is fresh; else one renewal under the shared lock, which re-reads first. */
  private async renewShared({ shared, secret }: SharingOptions): Promise<CachedToken> {
    const fresh = async (): Promise<CachedToken | undefined> => {
      const found = await shared.get(this.key);
      const value = found && this.now() < found.renewAt ? openToken(secret, found.sealed) : undefined;
      return found && value !== undefined && value !== this.refused
        ? { value, expiresAt: found.expiresAt, renewAt: found.renewAt, sealed: found.sealed }
        : undefined;
    };
    const known = await fresh();
    if (known) return known;
    return shared.exclusive(this.key, async () => {
      const renewed = await fresh();
      if (renewed) return renewed;
      const token = { ...(await this.renewHere()) };
      const sealed = sealToken(secret, token.value);
      await shared.put(this.key, { sealed, expiresAt: token.expiresAt, renewAt: token.renewAt });
      return { ...token, sealed };
    });
  }
}
