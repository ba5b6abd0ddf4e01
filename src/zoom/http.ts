// One HTTP attempt over got, with no policy: no retries, no error mapping beyond telling transport failures apart.
// got's own retry is off so the caller's policy is the only one.

import http from "node:http";
import https from "node:https";
import got, { RequestError, type Got } from "got";
import type { HttpMethod } from "./retry.js";

export const USER_AGENT = "zoom-scim/0.1";

export interface HttpRequest {
  method: HttpMethod;
  url: string;
  headers: Record<string, string>;
  searchParams?: Record<string, string>;
  body?: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface TransportFailure {
  kind: "timeout" | "network";
  /** The request provably never reached the server. */
  neverSent: boolean;
  /** Node's error code (ECONNREFUSED, ETIMEDOUT …). */
  code: string | undefined;
  /** got's message: names the host and the failure, never headers. */
  message: string;
}

export type HttpOutcome = { ok: true; response: HttpResponse } | { ok: false; failure: TransportFailure };

// Failures that happen before a single byte of the request is written.
const NEVER_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL"]);
const NEVER_SENT_TIMEOUT_EVENTS = new Set(["lookup", "connect", "secureConnect"]);

export interface HttpTransport {
  send(request: HttpRequest): Promise<HttpOutcome>;
  close(): void;
}

export function createHttpTransport(options: { timeoutMs: number }): HttpTransport {
  // Keep-alive: a SCIM request often makes several Zoom calls in a row.
  const agents = {
    http: new http.Agent({ keepAlive: true, maxSockets: 64 }),
    https: new https.Agent({ keepAlive: true, maxSockets: 64 }),
  };
  const client: Got = got.extend({
    agent: agents,
    retry: { limit: 0 },
    throwHttpErrors: false,
    followRedirect: false,
    responseType: "text",
    // The connect budget is the smaller one so that a stalled connect is reported as such (provably never sent).
    timeout: { connect: Math.min(options.timeoutMs, 10_000), request: options.timeoutMs },
    headers: { "user-agent": USER_AGENT },
  });

  return {
    async send(request: HttpRequest): Promise<HttpOutcome> {
      try {
        const response = await client(request.url, {
          method: request.method,
          headers: request.headers,
          ...(request.searchParams === undefined ? {} : { searchParams: request.searchParams }),
          ...(request.body === undefined ? {} : { body: request.body }),
        });
        return { ok: true, response: { status: response.statusCode, headers: response.headers, body: response.body } };
      } catch (error) {
        return { ok: false, failure: describeFailure(error) };
      }
    },
    close(): void {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}

function describeFailure(error: unknown): TransportFailure {
  if (error instanceof RequestError) {
    if (error.name === "TimeoutError") {
      const event = "event" in error && typeof error.event === "string" ? error.event : "";
      return { kind: "timeout", neverSent: NEVER_SENT_TIMEOUT_EVENTS.has(event), code: error.code, message: error.message };
    }
    return { kind: "network", neverSent: NEVER_SENT_CODES.has(error.code), code: error.code, message: error.message };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { kind: "network", neverSent: false, code: undefined, message };
}

export function headerValue(headers: HttpResponse["headers"], name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
