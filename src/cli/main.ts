#!/usr/bin/env node
import { Command } from "commander";
import { registerServerCommands } from "./server-commands.js";

/** `keyplane` command tree. Remote commands (keys, projects, …) talk to the admin API through the SDK. */
export const buildProgram = (): Command => {
  const program = new Command()
    .name("keyplane")
    .description("Self-hosted, OpenAI-compatible API key platform")
    .version("0.1.0")
    .showHelpAfterError("(run with --help for usage)");
  registerServerCommands(program);
  return program;
};

buildProgram()
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    console.error(`keyplane: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
