// Structured JSON logs (pino). Secrets are never passed to the logger; the redaction paths are a second line of defence.
import { pino } from "pino";
import { requestContext } from "./request-context.js";

export type Logger = pino.Logger;

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
    // Standard output is written asynchronously: lines that arrive while a write is in flight go out together, so a
    // busy server makes one write per batch instead of one blocking write per line (pino flushes it on exit).
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
