// A logger whose lines a test reads back: every line zoom-scim logs, as written (JSON text).
import { Writable } from "node:stream";
import { createLogger, type Logger } from "../../src/http/logger.js";

export function capturedLogger(level: string): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString("utf8"));
      done();
    },
  });
  return { logger: createLogger(level, sink), lines };
}
