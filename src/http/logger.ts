// Structured JSON logs (pino). Secrets are never passed to the logger; the redaction paths are a second line of defence.
import { pino } from "pino";
import { requestContext } from "./request-context.js";

export type Logger = pino.Logger;

const LOG_BATCH_BYTES = 4096;
const LOG_FLUSH_MS = 100;

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "zoom-scim" },
      // Every line logged while a request is handled (the Zoom client's too) names it, so they can be joined.
      mixin: () => {
        const context = requestContext.getStore();
        return context ? { requestId: context.requestId } : {};
      },
      redact: {
        paths: [
          "authorization",
          "*.authorization",
          "headers.authorization",
          "clientSecret",
          "*.clientSecret",
          "token",
          "*.token",
          "access_token",
          "*.access_token",
        ],
        censor: "[redacted]",
      },
    },
    // Standard output is written asynchronously and in batches of up to 4 KiB, flushed at least every 100 ms (and
    // on exit): a write per line cost a busy server more CPU than a read of one user. At rest a line shows within
    // 100 ms.
    destination ?? pino.destination({ dest: 1, sync: false, minLength: LOG_BATCH_BYTES, periodicFlush: LOG_FLUSH_MS }),
  );
}
