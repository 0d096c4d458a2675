import type { Command } from "commander";
import { contextFor } from "../context.js";
import { examples } from "./shared.js";

export const configOption = (cmd: Command): Command =>
  cmd.option("-c, --config <file>", "config file (default: $KEYPLANE_CONFIG; env variables apply on top)");

export const registerMigrateCommand = (program: Command): void => {
  configOption(program.command("migrate"))
    .description("Apply pending database migrations (the server also runs them at start)")
    .addHelpText(
      "after",
      examples(
        "keyplane migrate",
        "KEYPLANE_DATABASE_URL=postgres://postgres@127.0.0.1/keyplane keyplane migrate",
      ),
    )
    .action(async (o: { config?: string }, cmd: Command) => {
      const ctx = contextFor(cmd);
      // Loaded on demand: remote commands should not pay for the database drivers.
      const { describeStore, loadCliConfig } = await import("../local/store-info.js");
      const { openStore } = await import("../../storage/open.js");
      const config = loadCliConfig(o.config);
      const where = describeStore(config.databaseUrl, config.dataDir);
      const out = ctx.out;
      if (!out.json) out.note(`Migrating ${where}`);
      const store = await openStore({ url: config.databaseUrl, dataDir: config.dataDir, migrate: false });
      const applied: { version: number; name: string; ms: number }[] = [];
      let started = 0;
      try {
        await store.migrate({
          onProgress: (p) => {
            const label = `[${p.index}/${p.total}] ${String(p.version).padStart(3, "0")} ${p.name}`;
            if (p.phase === "start") {
              started = performance.now();
              // On a terminal the "done" line replaces this one; in a log both stay.
              if (!out.json) out.progress(`${label} …`);
              return;
            }
            const ms = Math.round(performance.now() - started);
            applied.push({ version: p.version, name: p.name, ms });
            if (!out.json) out.progressDone(`${out.paint("✓", "green")} ${label} (${ms} ms)`);
          },
        });
      } finally {
        await store.close();
      }
      if (out.json) out.data({ store: where, applied });
      else if (applied.length === 0) out.success("Database is up to date; nothing to apply.");
      else out.success(`Applied ${applied.length} migration${applied.length === 1 ? "" : "s"}.`);
    });
};
