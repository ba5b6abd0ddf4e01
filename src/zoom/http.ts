// One HTTP attempt over node:http(s), with no policy: no retries, no redirects followed, no error mapping beyond
// telling transport failures apart. (It replaced got, whose per-request machinery cost about 1 ms of CPU a call.)

import http from "node:http";
import https from "node:https";
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
  /** Names the host and the failure, never headers. */
  message: string;
}

export type HttpOutcome = { ok: true; response: HttpResponse } | { ok: false; failure: TransportFailure };

// Failures that happen before a single byte of the request is written.
const NEVER_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL"]);

export interface HttpTransport {
  send(request: HttpRequest): Promise<HttpOutcome>;
  close(): void;
}

/** A failure of one attempt, with where it happened: before the connection was made, or after. */
class AttemptError extends Error {
  constructor(
    message: string,
    readonly kind: TransportFailure["kind"],
    readonly connected: boolean,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

export function createHttpTransport(options: { timeoutMs: number }): HttpTransport {
  // Keep-alive: a SCIM request often makes several Zoom calls in a row.
  const agents = {
    http: new http.Agent({ keepAlive: true, maxSockets: 64 }),
    https: new https.Agent({ keepAlive: true, maxSockets: 64 }),
  };
  // The connect budget is the smaller one so that a stalled connect is reported as such (provably never sent).
  const connectMs = Math.min(options.timeoutMs, 10_000);

  const attempt = (request: HttpRequest): Promise<HttpResponse> =>
    new Promise((resolve, reject) => {
      const url = new URL(request.url);
      for (const [name, value] of Object.entries(request.searchParams ?? {})) url.searchParams.append(name, value);
      const secure = url.protocol === "https:";
      const headers: Record<string, string> = { "user-agent": USER_AGENT, ...request.headers };
      if (request.body !== undefined) headers["content-length"] = String(Buffer.byteLength(request.body));
      let connected = false;
      let settled = false;
      const fail = (error: AttemptError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(connectTimer);
        clearTimeout(requestTimer);
        req.destroy();
        reject(error);
      };
      const req = (secure ? https : http).request(
        url,
        { method: request.method, headers, agent: secure ? agents.https : agents.http },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("error", (error: NodeJS.ErrnoException) => fail(new AttemptError(error.message, "network", true, error.code)));
          res.on("end", () => {
            if (settled) return;
            settled = true;
            clearTimeout(requestTimer);
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") });
          });
        },
      );
      const connectTimer = setTimeout(
        () => fail(new AttemptError(`Timeout awaiting 'connect' for ${connectMs}ms (${url.host})`, "timeout", false, "ETIMEDOUT")),
        connectMs,
      );
      const requestTimer = setTimeout(
        () =>
          fail(new AttemptError(`Timeout awaiting 'request' for ${options.timeoutMs}ms (${url.host})`, "timeout", connected, "ETIMEDOUT")),
        options.timeoutMs,
      );
      req.on("socket", (socket) => {
        // A kept-alive socket is connected already; a new one says so when it is.
        const onConnect = (): void => {
          connected = true;
          clearTimeout(connectTimer);
        };
        if (socket.connecting) socket.once(secure ? "secureConnect" : "connect", onConnect);
        else onConnect();
      });
      req.on("error", (error: NodeJS.ErrnoException) =>
        fail(new AttemptError(`${error.message} (${url.host})`, "network", connected, error.code)),
      );
      req.end(request.body);
    });

  return {
    async send(request: HttpRequest): Promise<HttpOutcome> {
      try {
        return { ok: true, response: await attempt(request) };
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
  if (error instanceof AttemptError) {
    // Refused, unresolvable, unreachable, or not connected within the budget: not one byte of the request left.
    const neverSent = !error.connected && (error.kind === "timeout" || NEVER_SENT_CODES.has(error.code ?? ""));
    return { kind: error.kind, neverSent, code: error.code, message: error.message };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { kind: "network", neverSent: false, code: undefined, message };
}

export function headerValue(headers: HttpResponse["headers"], name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
