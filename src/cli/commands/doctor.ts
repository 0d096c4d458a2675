import type { Command } from "commander";
import { contextFor } from "../context.js";
import { EXIT } from "../exit.js";
import type { Check } from "../local/doctor-checks.js";
import type { Column } from "../output.js";
import { configOption } from "./migrate.js";
import { examples } from "./shared.js";

const MARK = { ok: ["✓", "green"], warn: ["!", "yellow"], fail: ["✗", "red"] } as const;

export const registerDoctorCommand = (program: Command): void => {
  configOption(program.command("doctor"))
    .description(
      "Check the config, the store, Redis, every upstream and (with KEYPLANE_URL) a running server",
    )
    .addHelpText("after", examples("keyplane doctor", "keyplane doctor --config keyplane.json --json"))
    .action(async (o: { config?: string }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const { runChecks } = await import("../local/doctor-checks.js");
      const checks = await runChecks(
        o.config ?? process.env.KEYPLANE_CONFIG,
        ctx.opts.url ?? process.env.KEYPLANE_URL,
      );
      const failed = checks.filter((c) => c.status === "fail").length;
      if (ctx.out.json) ctx.out.data({ ok: failed === 0, checks });
      else {
        const columns: Column<Check>[] = [
          { header: "", value: (c) => MARK[c.status][0], style: (c) => MARK[c.status][1] },
          { header: "CHECK", value: (c) => c.name },
          { header: "DETAIL", value: (c) => c.detail },
        ];
        ctx.out.table(checks, columns);
      }
      if (failed > 0) process.exitCode = EXIT.failed;
    });
};
