// Request bodies: read only by routes that were authenticated first, never beyond the limit, and an unread
// body is drained (not kept) when an answer goes out early, so an anonymous upload costs no memory.
import type { IncomingMessage, ServerResponse } from "node:http";
import { promisify } from "node:util";
import zlib from "node:zlib";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { HttpLimits } from "../config/types.js";
import { ScimError } from "../scim/errors.js";
import { parseJsonBody } from "./limits.js";

/** A body is present when the request says so (Content-Length, even 0, or Transfer-Encoding). */
export function hasBody(req: IncomingMessage): boolean {
  return req.headers["transfer-encoding"] !== undefined || req.headers["content-length"] !== undefined;
}

const tooLarge = (max: number): ScimError =>
  new ScimError(413, undefined, `The request body is larger than ${max} bytes, the most zoom-scim accepts here.`);

const INFLATE: Readonly<Record<string, (buffer: Buffer, options: zlib.ZlibOptions & zlib.BrotliOptions) => Promise<Buffer>>> = {
  gzip: promisify(zlib.gunzip),
  "x-gzip": promisify(zlib.gunzip),
  deflate: promisify(zlib.inflate),
  br: promisify(zlib.brotliDecompress),
};

/** The raw bytes, at most `max`; more (declared or sent) is refused with 413 as soon as it is known. */
export function readRawBody(req: IncomingMessage, max: number): Promise<Buffer> {
  if (Number(req.headers["content-length"]) > max) return Promise.reject(tooLarge(max));
  // `Expect: 100-continue` is answered only now (the server does not do it by itself): a client that waits for it
  // sends no body to a request refused before this point.
  const res = (req as IncomingMessage & { res?: ServerResponse }).res;
  if (req.headers.expect?.toLowerCase() === "100-continue" && res && !res.headersSent) res.writeContinue();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (): void => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("close", onClose);
    };
    function onData(chunk: Buffer): void {
      size += chunk.length;
      if (size <= max) {
        chunks.push(chunk);
        return;
      }
      stop();
      req.pause();
      chunks.length = 0;
      reject(tooLarge(max));
    }
    function onEnd(): void {
      stop();
      resolve(Buffer.concat(chunks, size));
    }
    function onClose(): void {
      stop();
      reject(new ScimError(400, "invalidSyntax", "The request body ended before its declared length."));
    }
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("close", onClose);
  });
}

/** The body's bytes after Content-Encoding, inflated to at most `max` (a small gzip must not become gigabytes). */
export async function readDecodedBody(req: IncomingMessage, max: number): Promise<Buffer> {
  const encoding = String(req.headers["content-encoding"] ?? "identity")
    .trim()
    .toLowerCase();
  const raw = await readRawBody(req, max);
  if (encoding === "identity" || encoding === "") return raw;
  const inflate = INFLATE[encoding];
  if (!inflate)
    throw new ScimError(
      415,
      undefined,
      `Content-Encoding "${encoding}" is not supported; send the body uncompressed, or as gzip, deflate or br.`,
    );
  try {
    return await inflate(raw, { maxOutputLength: max });
  } catch (error) {
    if ((error as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE") throw tooLarge(max);
    throw new ScimError(400, "invalidSyntax", `The request body is not valid ${encoding} data.`);
  }
}

/** Parses the JSON body into req.body. Okta's own test sends no Content-Type: SCIM bodies are JSON whatever the header says. */
export function jsonBody(limits: HttpLimits): RequestHandler {
  const read = async (req: Request, next: NextFunction): Promise<void> => {
    req.body = parseJsonBody((await readDecodedBody(req, limits.maxBodyBytes)).toString("utf8"), limits);
    next();
  };
  // Without a body (every GET) nothing is read: no promise, straight on.
  return (req, _res, next) => (hasBody(req) ? read(req, next) : next());
}

/**
 * Called before an answer that did not read the body: the rest of the body is discarded as it arrives (keeping the
 * connection usable, so that the client sees the answer), and past as many bytes as a body may have the
 * connection is closed. A body declared too large closes the connection after the answer.
 */
export function releaseBody(res: Response, maxBytes: number): void {
  const req = res.req;
  if (req.complete || req.destroyed || req.listenerCount("data") > 0) return;
  if (Number(req.headers["content-length"]) > maxBytes && !res.headersSent) res.setHeader("Connection", "close");
  let discarded = 0;
  const onData = (chunk: Buffer): void => {
    discarded += chunk.length;
    if (discarded <= maxBytes) return;
    req.off("data", onData);
    req.pause();
    const close = (): void => void req.socket.destroy();
    if (res.writableFinished) close();
    else res.once("finish", close);
  };
  req.on("data", onData);
  req.resume();
}
