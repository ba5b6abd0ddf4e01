// One HTTP attempt over got, with no policy: no retries, no error mapping beyond telling transport failures apart.
// got's own retry is off so the caller's policy is the only one.

import http, { type IncomingMessage } from "node:http";
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
    // got's stream interface: the promise interface's extra machinery (cancelable promise, response buffering and
    // parsing) costs more CPU than the rest of a SCIM read, and a JSON body is parsed by the caller anyway.
    send(request: HttpRequest): Promise<HttpOutcome> {
      return new Promise((resolve) => {
        const stream = client.stream(request.url, {
          method: request.method,
          headers: request.headers,
          ...(request.searchParams === undefined ? {} : { searchParams: request.searchParams }),
          ...(request.body === undefined ? {} : { body: request.body }),
        });
        let answered: Omit<HttpResponse, "body"> | undefined;
        const chunks: Buffer[] = [];
        stream.once("response", (response: IncomingMessage) => {
          answered = { status: response.statusCode ?? 0, headers: response.headers };
        });
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.once("end", () => {
          if (answered) resolve({ ok: true, response: { ...answered, body: Buffer.concat(chunks).toString("utf8") } });
          else resolve({ ok: false, failure: { kind: "network", neverSent: false, code: undefined, message: "no response" } });
        });
        // `on`, not `once`: a second error event without a listener would throw out of the process.
        stream.on("error", (error: unknown) => resolve({ ok: false, failure: describeFailure(error) }));
        // A bodiless write is ended here: in stream mode got waits for a body to be piped in (GET ends by itself).
        if (request.body === undefined && request.method !== "GET") stream.end();
      });
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
