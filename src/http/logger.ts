// Structured JSON logs (pino). Secrets are never passed to the logger; the redaction paths are a second line of defence.
import { pino } from "pino";

export type Logger = pino.Logger;

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "zoom-scim" },
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
    destination,
  );
}
