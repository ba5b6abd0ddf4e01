// HTTP clients for the hardening tests, below fetch: raw bytes on a socket (malformed requests, header overflow),
// node:http with any Host and X-Forwarded-* header, and bodies streamed in pieces.
import { request } from "node:http";
import { connect } from "node:net";
import { setTimeout as delay } from "node:timers/promises";

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
  body: Record<string, unknown>;
}

function parseJson(text: string): Record<string, unknown> {
  try {
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Parses one HTTP/1.1 answer once it is complete (Content-Length bytes of body); undefined until then. */
function parseAnswer(bytes: Buffer): RawAnswer | undefined {
  const end = bytes.indexOf("\r\n\r\n");
  if (end < 0) return undefined;
  const [statusLine = "", ...lines] = bytes.subarray(0, end).toString("latin1").split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers["content-length"] ?? 0);
  if (bytes.length < end + 4 + length) return undefined;
  const text = bytes.subarray(end + 4, end + 4 + length).toString("utf8");
  return { status: Number(statusLine.split(" ")[1]), headers, text, body: parseJson(text) };
}

/** Writes `data` on a new connection and reads one answer. */
export function rawExchange(port: number, data: string | Buffer): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, "127.0.0.1", () => socket.write(data));
    const settle = (): boolean => {
      const answer = parseAnswer(Buffer.concat(chunks));
      if (answer) {
        socket.destroy();
        resolve(answer);
      }
      return answer !== undefined;
    };
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      settle();
    });
    // The server may close (even reset) right after its answer.
    const ended = (): void =>
      void (
        settle() ||
        reject(new Error(`connection closed without a complete answer: ${Buffer.concat(chunks).toString("latin1").slice(0, 200)}`))
      );
    socket.on("end", ended);
    socket.on("error", ended);
  });
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** One request over node:http, which sends Host and X-Forwarded-* as given. */
export function httpRequest(url: string, options: RequestOptions = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? "GET", headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) headers[name] = Array.isArray(value) ? value.join(", ") : String(value);
        resolve({ status: res.statusCode ?? 0, headers, text, body: parseJson(text) });
      });
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

export interface StreamOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Bytes of body to send (spaces: JSON whitespace, never a valid body on its own). */
  size: number;
  /** Declare the size in Content-Length (else the body is chunked). */
  declare?: boolean;
  /** Send one piece, then nothing more until the answer has arrived: proof that the server did not wait for the body. */
  answerFirst?: boolean;
}

export interface StreamResult {
  answer: RawAnswer;
  /** Body bytes written before the answer arrived. */
  sentBeforeAnswer: number;
  /** After the whole body, GET /healthz on the same connection answered 200: the server drained the body. */
  reused: boolean;
}

const PIECE = Buffer.alloc(64 * 1024, " ");

/**
 * Streams a large body in 64 KiB pieces on a raw connection (respecting backpressure), reading the answer whenever it
 * comes. A server that closes the connection after answering ends the stream; that is not a failure.
 */
export function streamBody(port: number, path: string, options: StreamOptions): Promise<StreamResult> {
  return new Promise((resolve, reject) => {
    const declare = options.declare ?? true;
    const head = [
      `${options.method ?? "POST"} ${path} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      ...Object.entries(options.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
      declare ? `Content-Length: ${options.size}` : "Transfer-Encoding: chunked",
      "",
      "",
    ].join("\r\n");
    let received = Buffer.alloc(0);
    let answer: RawAnswer | undefined;
    let sentBeforeAnswer = 0;
    let sent = 0;
    let closed = false;
    let onAnswer: () => void = () => undefined;
    let onChange: () => void = () => undefined;
    const answered = new Promise<void>((done) => (onAnswer = done));
    const socket = connect(port, "127.0.0.1");
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      onChange();
      if (answer) return;
      answer = parseAnswer(received);
      if (answer) {
        sentBeforeAnswer = sent;
        const length = Number(answer.headers["content-length"] ?? 0);
        received = received.subarray(received.indexOf("\r\n\r\n") + 4 + length);
        onAnswer();
      }
    });
    const gone = (): void => {
      closed = true;
      onAnswer();
      onChange();
    };
    socket.on("close", gone);
    socket.on("error", gone);
    const write = async (data: Buffer | string): Promise<void> => {
      if (closed) return;
      if (!socket.write(data)) await new Promise((drained) => socket.once("drain", drained).once("close", drained));
    };
    void (async () => {
      await new Promise((connected) => socket.once("connect", connected));
      await write(head);
      while (sent < options.size && !closed) {
        const piece = PIECE.subarray(0, Math.min(PIECE.length, options.size - sent));
        sent += piece.length;
        await write(declare ? piece : Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from("\r\n")]));
        // Not forever: a server that waits for the body then gets the rest, and sentBeforeAnswer shows it.
        if (options.answerFirst && sent === piece.length) await Promise.race([answered, delay(10_000)]);
      }
      if (!declare) await write("0\r\n\r\n");
      await answered;
      let reused = false;
      if (!closed && answer) {
        const health = new Promise<boolean>((done) => {
          const check = (): void => {
            const next = parseAnswer(received);
            if (next) done(next.status === 200);
            else if (closed) done(false);
          };
          onChange = check;
          check();
        });
        await write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
        reused = await health;
      }
      socket.destroy();
      if (answer) resolve({ answer, sentBeforeAnswer, reused });
      else reject(new Error(`connection closed after ${sent} bytes without an answer`));
    })();
  });
}

/** A request with `Expect: 100-continue`: the body is sent only once the server says "100 Continue". */
export function expectContinue(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ continued: boolean; answer: RawAnswer }> {
  return new Promise((resolve, reject) => {
    let continued = false;
    const req = request(
      url,
      { method: "POST", headers: { ...headers, expect: "100-continue", "content-length": String(Buffer.byteLength(body)) }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({
            continued,
            answer: { status: res.statusCode ?? 0, headers: res.headers as Record<string, string>, text, body: parseJson(text) },
          });
        });
      },
    );
    req.on("continue", () => {
      continued = true;
      req.end(body);
    });
    req.on("error", reject);
    req.flushHeaders();
  });
}
