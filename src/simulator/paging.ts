// next_page_token: stateless, HMAC-signed cursors that expire (15 minutes by default), so that
// listing 100,000 users keeps no per-listing state. A reset changes the key: old tokens die.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { err } from "./errors.js";

export type PageKind = "users" | "groups" | "group-members" | "role-members";

export class PageTokens {
  private key = randomBytes(32);

  /** Invalidates every token issued so far. */
  rotate(): void {
    this.key = randomBytes(32);
  }

  issue(kind: PageKind, scope: string, cursor: number, now: number): string {
    const payload = Buffer.from(`${kind}|${scope}|${cursor}|${now}`).toString("base64url");
    return `${payload}.${this.sign(payload)}`;
  }

  /** The cursor inside `token`; 400/300 when it is forged, for another listing or expired. */
  read(token: string, kind: PageKind, scope: string, now: number, ttlMs: number): number {
    const dot = token.indexOf(".");
    if (dot <= 0) throw err.badPageToken();
    const payload = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1));
    const expected = Buffer.from(this.sign(payload));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw err.badPageToken();
    const parts = Buffer.from(payload, "base64url").toString("utf8").split("|");
    const issuedAt = Number(parts.pop());
    const cursor = Number(parts.pop());
    const tokenKind = parts.shift();
    if (tokenKind !== kind || parts.join("|") !== scope) throw err.badPageToken();
    if (!Number.isFinite(issuedAt) || !Number.isFinite(cursor) || now - issuedAt > ttlMs) throw err.badPageToken();
    return cursor;
  }

  private sign(payload: string): string {
    return createHmac("sha256", this.key).update(payload).digest("base64url").slice(0, 22);
  }
}
