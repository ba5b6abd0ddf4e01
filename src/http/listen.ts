// The HTTP server under the Express app. Requests Node cannot parse (malformed, headers over maxHeaderSize, a request
// line longer than that) never reach Express: they are answered here, still as SCIM errors, and the connection closed.
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { createServer, STATUS_CODES, type Server } from "node:http";
import type { Duplex } from "node:stream";
import type { Express } from "express";
import type { HttpLimits } from "../config/types.js";
import { ScimError } from "../scim/errors.js";
import { scimErrorBody, SCIM_CONTENT_TYPE } from "./errors.js";
import type { Logger } from "./logger.js";

interface ParserError extends Error {
  code?: string;
  /** What the parser was reading when it failed. */
  rawPacket?: Buffer;
}

/** A packet that starts a request line and holds no line end: the overflow is in the request target (414, not 431). */
function inRequestLine(packet: Buffer | undefined): boolean {
  if (!packet || packet.includes(0x0a)) return false;
  return /^[A-Z]{3,10} \S/.test(packet.subarray(0, 16).toString("latin1"));
}

/** The SCIM error for a request Node refused to parse. */
export function clientErrorAnswer(error: ParserError, limits: Pick<HttpLimits, "maxHeaderBytes" | "maxUrlBytes">): ScimError {
  switch (error.code) {
    case "HPE_HEADER_OVERFLOW":
      return inRequestLine(error.rawPacket)
        ? new ScimError(
            414,
            undefined,
            `The request URL is longer than ${limits.maxUrlBytes} bytes; send filters in the body of POST …/.search instead.`,
          )
        : new ScimError(431, undefined, `The request line and headers are larger than ${limits.maxHeaderBytes} bytes.`);
    case "HPE_CHUNK_EXTENSIONS_OVERFLOW":
      return new ScimError(413, undefined, "The request's chunk extensions are too large.");
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return new ScimError(408, undefined, "The request was not received in time.");
    default:
      return new ScimError(400, undefined, "The request is not valid HTTP/1.1.");
  }
}

function rawResponse(error: ScimError, requestId: string): string {
  const body = scimErrorBody(error);
  return [
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? "Error"}`,
    `Content-Type: ${SCIM_CONTENT_TYPE}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    `X-Request-Id: ${requestId}`,
    // As on every answer: no Zoom call was made.
    "X-Zoom-Calls: 0",
    "Connection: close",
    "",
    body,
  ].join("\r\n");
}

export interface ListenOptions {
  host: string;
  port: number;
  limits: HttpLimits;
  logger: Logger;
}

export async function listen(app: Express, options: ListenOptions): Promise<Server> {
  // A missing Host is answered by the app (as SCIM), not by Node's bare 400.
  const server = createServer({ maxHeaderSize: options.limits.maxHeaderBytes, requireHostHeader: false }, app);
  // Handled by the app: "100 Continue" is sent when a route reads the body, after authentication (see body.ts).
  server.on("checkContinue", (req, res) => app(req, res));
  server.on("clientError", (error: ParserError, socket: Duplex) => {
    // A peer that left, or a response already under way on this connection: nothing can be said any more.
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
    if (error.code === "ECONNRESET" || !socket.writable || inFlight) {
      socket.destroy();
      return;
    }
    const answer = clientErrorAnswer(error, options.limits);
    const requestId = randomUUID();
    options.logger.info({ requestId, status: answer.status, code: error.code }, "unparsable request refused");
    socket.end(rawResponse(answer, requestId), () => socket.destroy());
  });
  server.listen(options.port, options.host);
  await once(server, "listening");
  return server;
}
