// Low-level HTTP helpers on node:http (no framework on the hot path).
import type { IncomingMessage, ServerResponse } from "node:http";
import { parseExactJson, stringifyExact } from "../lib/exact-json.js";

export type Headers = Record<string, string>;

const JSON_TYPE = "application/json;charset=UTF-8";
/** Request bodies larger than this are refused before parsing. */
export const MAX_BODY_BYTES = 1 << 20;

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Headers): void {
  // Plan codes past 2^53 are written as the exact digits Zoom sends.
  const text = stringifyExact(body);
  headers["content-type"] = JSON_TYPE;
  headers["content-length"] = String(Buffer.byteLength(text));
  res.writeHead(status, headers);
  res.end(text);
}

export function sendRaw(res: ServerResponse, status: number, text: string, contentType: string, headers: Headers): void {
  headers["content-type"] = contentType;
  headers["content-length"] = String(Buffer.byteLength(text));
  res.writeHead(status, headers);
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Headers): void {
  if (status !== 204) headers["content-length"] = "0";
  res.writeHead(status, headers);
  res.end();
}

export class BodyTooLarge extends Error {}

/** Reads the whole request body as text; rejects past MAX_BODY_BYTES. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge("request body too large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Splits a raw request URL into path and raw query without building a URL object. */
export function splitUrl(rawUrl: string): { path: string; query: string } {
  const q = rawUrl.indexOf("?");
  return q < 0 ? { path: rawUrl, query: "" } : { path: rawUrl.slice(0, q), query: rawUrl.slice(q + 1) };
}

/** Parses JSON that must be an object; `undefined` when it is not. */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = parseExactJson(text);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
