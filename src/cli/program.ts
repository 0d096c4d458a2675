import type { EventEmitter } from "node:events";
import { Command, Option } from "commander";
import { registerAdminKeyCommands } from "./commands/admin-keys.js";
import { registerAuditCommand } from "./commands/audit.js";
import { registerBudgetCommands } from "./commands/budgets.js";
import { registerConfigCommands } from "./commands/config.js";
import { registerDoctorCommand } from "./commands/doctor.js";
import { registerKeyCommands } from "./commands/keys.js";
import { registerMigrateCommand } from "./commands/migrate.js";
import { registerOrgCommands } from "./commands/orgs.js";
import { registerProjectCommands } from "./commands/projects.js";
import { registerRateLimitCommands } from "./commands/rate-limits.js";
import { registerServiceAccountCommands } from "./commands/service-accounts.js";
import { registerUsageCommands } from "./commands/usage.js";
import { registerUserCommands } from "./commands/users.js";
import { bashCompletion, zshCompletion } from "./completion.js";
import { EXIT_CODES_HELP } from "./exit.js";
import { parsePositiveInt } from "./parse.js";
import { registerServerCommands } from "./server-commands.js";

export const VERSION = "0.1.0";

const TOP_EXAMPLES = `
Examples:
  export KEYPLANE_URL=http://127.0.0.1:8787 KEYPLANE_ADMIN_KEY=sk-admin-...
  keyplane projects create "Search team"
  keyplane keys create --project proj_abc --name ci-bot --permissions restricted \\
      --allow model.request --models gpt-4o-mini --rpm 60 --budget 20 --expires 90d
  keyplane keys list --project proj_abc
  keyplane keys rotate key_abc --grace 24h
  keyplane keys revoke key_abc
  keyplane usage --project proj_abc --since 7d --by model

Environment:
  KEYPLANE_URL        server for remote commands (default http://127.0.0.1:8787)
  KEYPLANE_ADMIN_KEY  admin key for remote commands (sk-admin-…)
  KEYPLANE_CONFIG     config file for serve, init, migrate, doctor, config check
  NO_COLOR            disable colours`;

/** The text a command's `addHelpText("after", …)` added (commander emits it as "afterHelp"). */
const afterHelp = (cmd: Command): string => {
  let text = "";
  // Command is an EventEmitter at run time; its typings leave that out.
  for (const listener of (cmd as unknown as EventEmitter).listeners("afterHelp"))
    listener({ error: false, command: cmd, write: (s: string) => (text += s) });
  return text;
};

const exampleLines = (text: string): string[] | undefined => {
  const at = text.indexOf("Examples:\n");
  if (at < 0) return undefined;
  const lines: string[] = [];
  for (const l of text.slice(at + 10).split("\n")) {
    if (!l.startsWith("  ")) break;
    lines.push(l.trim());
  }
  return lines;
};

/** Every command shows examples: its own, its parent's that start with its path, or its usage line. */
const ensureExamples = (cmd: Command, path: string, inherited: string[]): void => {
  let mine = exampleLines(afterHelp(cmd));
  if (!mine && path !== "") {
    const fromParent = inherited.filter((l) => l.startsWith(`keyplane ${path} `) || l === `keyplane ${path}`);
    mine =
      fromParent.length > 0 ? fromParent : [`keyplane ${path} ${cmd.usage()}`.replace(/\s+/g, " ").trim()];
    cmd.addHelpText("after", `\nExamples:\n${mine.map((l) => `  ${l}`).join("\n")}`);
  }
  for (const c of cmd.commands) ensureExamples(c, path ? `${path} ${c.name()}` : c.name(), mine ?? inherited);
};

const COMPLETION_EXAMPLES = [
  "",
  "Examples:",
  "  source <(keyplane completion bash)",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a zsh expansion in the example
  '  keyplane completion zsh > "${fpath[1]}/_keyplane"',
].join("\n");

export const buildProgram = (): Command => {
  const program = new Command()
    .name("keyplane")
    .description("Self-hosted, OpenAI-compatible API key platform: server and admin command line")
    .version(VERSION, "-V, --version")
    .option("--json", "machine-readable JSON on stdout")
    .option("--url <url>", "server URL (default: $KEYPLANE_URL or http://127.0.0.1:8787)")
    .option("--admin-key <key>", "admin key (default: $KEYPLANE_ADMIN_KEY; a flag lands in shell history)")
    .addOption(new Option("--timeout <seconds>", "per-request timeout").argParser(parsePositiveInt))
    .option("--no-color", "plain output even on a terminal")
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .showSuggestionAfterError(true)
    .addHelpText("after", `${TOP_EXAMPLES}\n${EXIT_CODES_HELP}`);

  registerServerCommands(program);
  registerMigrateCommand(program);
  registerOrgCommands(program);
  registerProjectCommands(program);
  registerKeyCommands(program);
  registerServiceAccountCommands(program);
  registerUserCommands(program);
  registerAdminKeyCommands(program);
  registerRateLimitCommands(program);
  registerBudgetCommands(program);
  registerUsageCommands(program);
  registerAuditCommand(program);
  registerConfigCommands(program);
  registerDoctorCommand(program);

  program
    .command("completion")
    .description("Print a shell completion script")
    .argument("<shell>", "bash | zsh")
    .addHelpText("after", COMPLETION_EXAMPLES)
    .action((shell: string) => {
      if (shell !== "bash" && shell !== "zsh") {
        program.error(`unknown shell "${shell}"; use bash or zsh`, {
          exitCode: 2,
          code: "keyplane.badShell",
        });
      }
      process.stdout.write(shell === "bash" ? bashCompletion(program) : zshCompletion(program));
    });

  ensureExamples(program, "", []);
  return program;
};
