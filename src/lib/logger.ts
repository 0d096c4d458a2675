import pino, { type Logger } from "pino";

/** Every path that could carry a secret is censored before a line is written. */
export const REDACT_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  "req.headers['x-api-key']",
  "req.headers['api-key']",
  "req.headers['proxy-authorization']",
  "headers.authorization",
  "headers.cookie",
  "headers['set-cookie']",
  "headers['x-api-key']",
  "headers['api-key']",
  "headers['proxy-authorization']",
  "*.headers.authorization",
  "*.headers.cookie",
  "*.headers['x-api-key']",
  "*.headers['api-key']",
  "authorization",
  "cookie",
  "apiKey",
  "upstreamKey",
  "value",
  "secret",
  "password",
  "*.authorization",
  "*.apiKey",
  "*.upstreamKey",
  "*.value",
  "*.secret",
  "*.password",
];

/**
 * Last line of defence, applied to every serialised line: anything shaped like an OpenAI-style
 * key (ours are sk-proj-/sk-svcacct-/sk-admin-; most upstreams' are sk-…) and any bearer token
 * is masked wherever it appears (a URL's query string, an error message), plus every literal
 * secret registered with addLogSecret (upstream keys that are not sk- shaped).
 */
const KEY_SHAPE = /\bsk-[A-Za-z0-9_-]{8,}/g;
const BEARER = /\b(Bearer\s+)[^\s"',;]+/gi;
const literals = new Set<string>();

/** Registers a secret value (e.g. an upstream key read from the environment) to mask in every log line. */
export const addLogSecret = (value: string): void => {
  // Very short values would mask ordinary words; they are not credentials worth the name either.
  if (value.length >= 8) literals.add(value);
};

export const scrubSecrets = (line: string): string => {
  let out = line.replace(KEY_SHAPE, "sk-[redacted]").replace(BEARER, "$1[redacted]");
  for (const s of literals) if (out.includes(s)) out = out.split(s).join("[redacted]");
  return out;
};

export const createLogger = (level: string, destination?: NodeJS.WritableStream): Logger =>
  pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      base: { service: "keyplane" },
      timestamp: pino.stdTimeFunctions.isoTime,
      hooks: { streamWrite: scrubSecrets },
    },
    destination as pino.DestinationStream | undefined,
  );
