import type { Command } from "commander";
import type { AdminApiKey } from "../../sdk/index.js";
import { contextFor } from "../context.js";
import * as f from "../format.js";
import type { Column } from "../output.js";
import { parseDuration } from "../parse.js";
import { collect, examples, listEnvelope, pageLimitOption, pageSize } from "./shared.js";

const columns: Column<AdminApiKey>[] = [
  { header: "ID", value: (k) => k.id, style: () => "cyan" },
  { header: "NAME", value: (k) => k.name },
  { header: "ACCESS", value: (k) => (k.scopes.includes("api.management.read") ? "read-only" : "full") },
  { header: "CREATED", value: (k) => f.date(k.created_at) },
  { header: "EXPIRES", value: (k) => f.date(k.expires_at) },
  { header: "LAST USED", value: (k) => f.date(k.last_used_at), style: () => "dim" },
  { header: "REDACTED", value: (k) => k.redacted_value, style: () => "dim" },
];

export const registerAdminKeyCommands = (program: Command): void => {
  const admin = program
    .command("admin-keys")
    .description("Manage the organization's admin keys (sk-admin-…)")
    .addHelpText(
      "after",
      examples(
        "keyplane admin-keys create dashboards --read-only --expires 30d --quiet",
        "keyplane admin-keys list",
        "keyplane admin-keys delete key_abc",
      ),
    );

  pageLimitOption(admin.command("list").description("List admin keys")).action(
    async (o: { limit?: number }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const { items, hasMore } = await collect(
        ctx.client().adminKeys.list({ limit: pageSize(o.limit) }),
        o.limit,
      );
      if (ctx.out.json) ctx.out.data(listEnvelope(items, hasMore));
      else ctx.out.table(items, columns, "(no admin keys)");
    },
  );

  admin
    .command("create")
    .description("Create an admin key (shown once)")
    .argument("<name>")
    .option("--read-only", "may only read (api.management.read)")
    .option("--expires <duration>", "lifetime, e.g. 30d (max 365d)", parseDuration)
    .option("-q, --quiet", "print only the secret")
    .action(
      async (name: string, o: { readOnly?: boolean; expires?: number; quiet?: boolean }, cmd: Command) => {
        const ctx = contextFor(cmd);
        const k = await ctx.client().adminKeys.create({
          name,
          ...(o.readOnly ? { read_only: true } : {}),
          ...(o.expires ? { expires_in_seconds: o.expires } : {}),
        });
        if (o.quiet) return ctx.out.line(k.value);
        if (ctx.out.json) return ctx.out.data(k);
        ctx.out.success(`Created admin key ${k.id} "${k.name}"`);
        ctx.out.line(`\n  ${ctx.out.paint(k.value, "bold")}\n`);
        ctx.out.line(ctx.out.paint("Store this secret now: it is shown only once.", "yellow"));
      },
    );

  admin
    .command("get")
    .description("Show an admin key")
    .argument("<key_id>")
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = contextFor(cmd);
      const k = await ctx.client().adminKeys.retrieve(id);
      if (ctx.out.json) ctx.out.data(k);
      else ctx.out.table([k], columns);
    });

  admin
    .command("delete")
    .description("Revoke an admin key")
    .argument("<key_id>")
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = contextFor(cmd);
      const r = await ctx.client().adminKeys.delete(id);
      if (ctx.out.json) ctx.out.data(r);
      else ctx.out.success(`Deleted admin key ${r.id}`);
    });
};
