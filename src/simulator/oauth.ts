// Server-to-Server OAuth (docs/zoom-behaviour.md §1): `POST /oauth/token` with Basic client credentials and the
// form body `grant_type=account_credentials&account_id=…`, and the tokens it hands out.
import { newOpaqueToken } from "./ids.js";
import type { SimConfig } from "./options.js";

export interface IssuedToken {
  value: string;
  clientId: string;
  issuedAt: number;
  expiresAt: number;
  scopes: Set<string>;
  revoked: boolean;
}

export type TokenCheck = { ok: true; token: IssuedToken } | { ok: false; reason: "invalid" | "expired" };

/** Expired tokens are remembered this long, so they answer "expired" rather than "invalid". */
const REMEMBER_EXPIRED_MS = 24 * 3600 * 1000;

export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>();
  /** Valid tokens per app, oldest first, for the concurrent-token cap. */
  private readonly perApp = new Map<string, IssuedToken[]>();

  issue(clientId: string, scopes: string[], ttlSeconds: number, maxPerApp: number | undefined, now: number): IssuedToken {
    this.sweep(now);
    const token: IssuedToken = {
      value: newOpaqueToken(),
      clientId,
      issuedAt: now,
      expiresAt: now + ttlSeconds * 1000,
      scopes: new Set(scopes),
      revoked: false,
    };
    const live = (this.perApp.get(clientId) ?? []).filter((t) => !t.revoked && t.expiresAt > now);
    if (maxPerApp !== undefined) {
      while (live.length >= maxPerApp) {
        const oldest = live.shift();
        if (oldest) oldest.revoked = true;
      }
    }
    live.push(token);
    this.perApp.set(clientId, live);
    this.tokens.set(token.value, token);
    return token;
  }

  check(value: string, now: number): TokenCheck {
    const token = this.tokens.get(value);
    if (!token || token.revoked) return { ok: false, reason: "invalid" };
    if (token.expiresAt <= now) return { ok: false, reason: "expired" };
    return { ok: true, token };
  }

  revokeAll(): number {
    let n = 0;
    for (const token of this.tokens.values()) {
      if (!token.revoked) n += 1;
      token.revoked = true;
    }
    this.perApp.clear();
    return n;
  }

  liveCount(now: number): number {
    let n = 0;
    for (const token of this.tokens.values()) if (!token.revoked && token.expiresAt > now) n += 1;
    return n;
  }

  clear(): void {
    this.tokens.clear();
    this.perApp.clear();
  }

  private sweep(now: number): void {
    if (this.tokens.size < 10_000) return;
    for (const [value, token] of this.tokens) {
      if (token.revoked || token.expiresAt + REMEMBER_EXPIRED_MS < now) this.tokens.delete(value);
    }
  }
}

export interface OAuthAnswer {
  status: number;
  body: Record<string, unknown>;
}

function oauthError(reason: string, error: string): OAuthAnswer {
  return { status: 400, body: { reason, error } };
}

function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  if (!header) return undefined;
  const match = /^Basic\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/**
 * Answers a token request. Only the form body counts: parameters in the query string are
 * ignored, as recent reports say of Zoom. Order of checks: client, grant type, account.
 */
export function answerTokenRequest(
  config: SimConfig,
  store: TokenStore,
  apiBase: string,
  authorization: string | undefined,
  formBody: string,
  now: number,
): OAuthAnswer {
  const client = basicCredentials(authorization);
  if (!client || client.id !== config.clientId || client.secret !== config.clientSecret) {
    return oauthError("Invalid client_id or client_secret", "invalid_client");
  }
  const form = new URLSearchParams(formBody);
  if (form.get("grant_type") !== "account_credentials") {
    return oauthError("unsupported grant type", "unsupported_grant_type");
  }
  const accountId = form.get("account_id");
  if (!accountId) return oauthError("Missing account_id", "invalid_request");
  if (accountId !== config.accountId) return oauthError("Invalid account_id", "invalid_request");
  const token = store.issue(config.clientId, config.scopes, config.tokenTtlSeconds, config.maxTokensPerApp, now);
  return {
    status: 200,
    body: {
      access_token: token.value,
      token_type: "bearer",
      expires_in: config.tokenTtlSeconds,
      scope: [...token.scopes].join(" "),
      api_url: apiBase,
    },
  };
}
