import type { Command } from "commander";
import { KeyplaneClient } from "../sdk/index.js";
import { usageError } from "./exit.js";
import { Output } from "./output.js";

/** Options every command accepts (declared once on the program). */
export interface GlobalOptions {
  json?: boolean;
  color?: boolean;
  url?: string;
  adminKey?: string;
  timeout?: number;
}

export const DEFAULT_URL = "http://127.0.0.1:8787";

export interface CommandContext {
  out: Output;
  opts: GlobalOptions;
  /** The admin API client; built on first use so local commands never need a key. */
  client(): KeyplaneClient;
  url(): string;
}

/** Lets the top-level error handler name the server it tried to reach. */
export const lastContext: { url?: string; out?: Output } = {};

export const contextFor = (cmd: Command): CommandContext => {
  const opts = cmd.optsWithGlobals<GlobalOptions>();
  const env = process.env;
  const out = new Output({
    json: opts.json === true,
    color: opts.color === false ? false : undefined,
    stdout: process.stdout,
    stderr: process.stderr,
    env,
  });
  lastContext.out = out;
  const url = () => opts.url ?? env.KEYPLANE_URL ?? DEFAULT_URL;
  let client: KeyplaneClient | undefined;
  return {
    out,
    opts,
    url,
    client() {
      if (client) return client;
      let adminKey = env.KEYPLANE_ADMIN_KEY;
      if (opts.adminKey) {
        out.warn("--admin-key lands in your shell history; prefer `export KEYPLANE_ADMIN_KEY=…`.");
        adminKey = opts.adminKey;
      }
      if (!adminKey)
        throw usageError(
          "no admin key: set KEYPLANE_ADMIN_KEY to an sk-admin-… key (`keyplane init` prints the first one).",
        );
      if (!/^[\x21-\x7e]+$/.test(adminKey))
        throw usageError(
          `the admin key ${opts.adminKey ? "given with --admin-key" : "in KEYPLANE_ADMIN_KEY"} contains spaces or line breaks; set it to the key alone.`,
        );
      const baseURL = url();
      try {
        new URL(baseURL);
      } catch {
        throw usageError(`"${baseURL}" is not a URL; set KEYPLANE_URL to e.g. ${DEFAULT_URL}.`);
      }
      lastContext.url = baseURL;
      client = new KeyplaneClient({
        baseURL,
        adminKey,
        ...(opts.timeout ? { timeoutMs: opts.timeout * 1000 } : {}),
        backoff: { initialDelayMs: 250, maxDelayMs: 4000 },
      });
      return client;
    },
  };
};
