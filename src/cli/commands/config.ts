import type { Command } from "commander";
import { contextFor } from "../context.js";
import { EXIT } from "../exit.js";
import type { Problem } from "../local/config-check.js";
import { examples } from "./shared.js";

export const registerConfigCommands = (program: Command): void => {
  const config = program.command("config").description("Inspect Keyplane's configuration");
  config
    .command("check")
    .description("Validate a config file plus the environment, reporting every problem at once")
    .argument("[file]", "config file (default: $KEYPLANE_CONFIG)")
    .addHelpText(
      "after",
      examples(
        "keyplane config check keyplane.json",
        "KEYPLANE_CONFIG=prod.json keyplane config check --json",
      ),
    )
    .action(async (file: string | undefined, _o: unknown, cmd: Command) => {
      const ctx = contextFor(cmd);
      const { checkConfig } = await import("../local/config-check.js");
      const target = file ?? process.env.KEYPLANE_CONFIG;
      const { problems } = checkConfig(target, process.env);
      const errors = problems.filter((p) => p.severity === "error").length;
      const warnings = problems.length - errors;
      if (ctx.out.json) ctx.out.data({ file: target ?? null, ok: errors === 0, problems });
      else {
        const out = ctx.out;
        out.line(`Checked ${target ?? "defaults"} + environment`);
        const mark = (p: Problem) =>
          p.severity === "error" ? out.paint("✗", "red") : out.paint("!", "yellow");
        for (const p of problems) out.line(`${mark(p)} ${out.paint(p.path, "bold")}: ${p.message}`);
        if (problems.length === 0) out.success("configuration is valid");
        else
          out.line(
            `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`,
          );
      }
      if (errors > 0) process.exitCode = EXIT.failed;
    });
};
