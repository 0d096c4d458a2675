import { CommanderError } from "commander";
import {
  AuthenticationError,
  ConnectionError,
  KeyplaneError,
  NotFoundError,
  PermissionDeniedError,
  TimeoutError,
} from "../sdk/index.js";

/** Exit codes a script can rely on (also printed by `keyplane --help`). */
export const EXIT = {
  ok: 0,
  /** The server refused or failed the request, or a check (doctor, config check) found problems. */
  failed: 1,
  /** Bad command line: unknown command or flag, invalid value, missing KEYPLANE_ADMIN_KEY. */
  usage: 2,
  /** The admin key was rejected (401/403). */
  auth: 3,
  /** The object does not exist (404). */
  notFound: 4,
  /** The server could not be reached or did not answer in time. */
  unreachable: 5,
} as const;

export const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  the server refused or failed the request, or a check found problems
  2  bad usage: unknown command or flag, invalid value, missing admin key
  3  the admin key was rejected (401/403)
  4  not found (404)
  5  the server could not be reached or timed out`;

/** An error whose message is already the one line to show. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
    this.name = "CliError";
  }
}

export const usageError = (message: string): CliError => new CliError(message, EXIT.usage);

const withRequestId = (msg: string, e: KeyplaneError): string =>
  e.requestId ? `${msg} (request ${e.requestId})` : msg;

const oneLine = (s: string): string => s.replace(/\s*\n\s*/g, " ").trim();

/** Maps any failure to one line saying what to do, and an exit code. Never a stack trace. */
export const describeError = (
  err: unknown,
  context: { url?: string } = {},
): { message: string; code: number } => {
  if (err instanceof CliError) return { message: err.message, code: err.exitCode };
  if (err instanceof CommanderError) {
    return { message: oneLine(err.message.replace(/^error:\s*/, "")), code: EXIT.usage };
  }
  // Matched by name: importing config/load here would load zod for every command.
  if (err instanceof Error && err.name === "ConfigError") return { message: err.message, code: EXIT.failed };
  if (err instanceof TimeoutError) {
    return {
      message: `${context.url ?? "the server"} did not answer in time; check that it is healthy or raise --timeout.`,
      code: EXIT.unreachable,
    };
  }
  if (err instanceof ConnectionError) {
    const why = err.message.replace(/^cannot reach [^:]+:\/\/[^:]+(:\d+)?: /, "");
    return {
      message: `cannot reach ${context.url ?? "the server"} (${why}); is it running? Set KEYPLANE_URL or --url.`,
      code: EXIT.unreachable,
    };
  }
  if (err instanceof AuthenticationError || err instanceof PermissionDeniedError) {
    const detail = oneLine(err.error?.message ?? err.message).split(". ")[0];
    return {
      message: withRequestId(
        `the admin key was rejected: ${detail}. Set KEYPLANE_ADMIN_KEY to a valid sk-admin-… key.`,
        err,
      ),
      code: EXIT.auth,
    };
  }
  if (err instanceof NotFoundError) {
    if (err.message.startsWith("Invalid URL"))
      return {
        message: `this server does not offer that route yet: ${err.message}; upgrade the Keyplane server.`,
        code: EXIT.failed,
      };
    return { message: withRequestId(oneLine(err.message), err), code: EXIT.notFound };
  }
  if (err instanceof KeyplaneError) {
    const param = err.param ? ` [${err.param}]` : "";
    const hint = err.status !== null && err.status >= 500 ? "; the server logs have the details" : "";
    return { message: withRequestId(`${oneLine(err.message)}${param}${hint}`, err), code: EXIT.failed };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { message: oneLine(message), code: EXIT.failed };
};
