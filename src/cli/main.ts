#!/usr/bin/env node
import { CommanderError } from "commander";
import { lastContext } from "./context.js";
import { describeError, EXIT } from "./exit.js";
import { Output } from "./output.js";
import { buildProgram } from "./program.js";

/** Names the command being parsed, so a usage error can point at the right --help. */
const commandPath: string[] = [];

const run = async (): Promise<void> => {
  const program = buildProgram();
  const track = (cmd: typeof program): void => {
    cmd.exitOverride();
    // Commander's own two-line error (message + help hint) is replaced by one line below.
    cmd.configureOutput({ outputError: () => {} });
    cmd.hook("preSubcommand", (_parent, sub) => {
      commandPath.push(sub.name());
    });
    for (const c of cmd.commands) track(c);
  };
  track(program);
  await program.parseAsync(process.argv);
};

run().catch((err: unknown) => {
  if (err instanceof CommanderError && (err.exitCode === 0 || err.code === "commander.helpDisplayed")) {
    process.exitCode = EXIT.ok;
    return;
  }
  // A group without its subcommand ("keyplane keys"): commander already printed the group's help.
  if (err instanceof CommanderError && err.code === "commander.help") {
    process.exitCode = EXIT.usage;
    return;
  }
  const out =
    lastContext.out ??
    new Output({ json: false, stdout: process.stdout, stderr: process.stderr, env: process.env });
  const { message, code } = describeError(err, { ...(lastContext.url ? { url: lastContext.url } : {}) });
  const help =
    err instanceof CommanderError ? ` (see: keyplane ${[...commandPath, "--help"].join(" ")})` : "";
  out.error(`${message}${help}`);
  if (process.env.KEYPLANE_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  process.exitCode = code;
});
