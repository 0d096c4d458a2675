import pino, { type Logger } from "pino";

/** Every path that could carry a secret is censored before a line is written. */
export const REDACT_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  "req.headers['x-api-key']",
  "req.headers['x-csrf-token']",
  "headers['x-csrf-token']",
  "headers.authorization",
  "headers.cookie",
  "authorization",
  "cookie",
  "apiKey",
  "value",
  "secret",
  "password",
  "*.authorization",
  "*.apiKey",
  "*.value",
  "*.secret",
  "*.password",
];

export const createLogger = (level: string, destination?: NodeJS.WritableStream): Logger =>
  pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      base: { service: "keyplane" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination as pino.DestinationStream | undefined,
  );
