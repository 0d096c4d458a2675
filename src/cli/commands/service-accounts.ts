import type { Command } from "commander";
import type { ServiceAccount } from "../../sdk/index.js";
import { contextFor } from "../context.js";
import { usageError } from "../exit.js";
import * as f from "../format.js";
import type { Column } from "../output.js";
import { oneOf, parseDuration } from "../parse.js";
import { collect, examples, listEnvelope, pageLimitOption, pageSize } from "./shared.js";

const columns: Column<ServiceAccount>[] = [
  { header: "ID", value: (s) => s.id, style: () => "cyan" },
  { header: "NAME", value: (s) => s.name },
  { header: "ROLE", value: (s) => s.role },
  { header: "CREATED", value: (s) => f.date(s.created_at) },
];

type P = { project: string };

export const registerServiceAccountCommands = (program: Command): void => {
  const sa = program
    .command("service-accounts")
    .alias("sa")
    .description("Manage a project's service accounts (keys not tied to a person)")
    .addHelpText(
      "after",
      examples(
        "keyplane service-accounts create deploy-bot --project proj_abc --quiet",
        "keyplane service-accounts list --project proj_abc",
        "keyplane service-accounts add-key svc_acct_abc --project proj_abc --name second",
        "keyplane service-accounts delete svc_acct_abc --project proj_abc",
      ),
    );
  const withProject = (c: Command) => c.requiredOption("-p, --project <id>", "project id (proj_…)");

  pageLimitOption(withProject(sa.command("list").description("List service accounts"))).action(
    async (o: P & { limit?: number }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const pager = ctx.client().serviceAccounts.list(o.project, { limit: pageSize(o.limit) });
      const { items, hasMore } = await collect(pager, o.limit);
      if (ctx.out.json) ctx.out.data(listEnvelope(items, hasMore));
      else ctx.out.table(items, columns, "(no service accounts)");
    },
  );

  withProject(sa.command("create").description("Create a service account and its first key (shown once)"))
    .argument("<name>")
    .option("--no-key", "create the account without a key")
    .option("-q, --quiet", "print only the key's secret")
    .action(async (name: string, o: P & { key: boolean; quiet?: boolean }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const r = await ctx
        .client()
        .serviceAccounts.create(o.project, { name, ...(o.key ? {} : { create_service_account_only: true }) });
      if (o.quiet) return ctx.out.line(r.api_key?.value ?? r.id);
      if (ctx.out.json) return ctx.out.data(r);
      ctx.out.success(`Created service account ${ctx.out.paint(r.id, "cyan")} "${r.name}"`);
      if (r.api_key) {
        ctx.out.fields([
          ["key id", r.api_key.id],
          ["secret", r.api_key.value],
        ]);
        ctx.out.line(ctx.out.paint("Store this secret now: it is shown only once.", "yellow"));
      }
    });

  withProject(sa.command("get").description("Show a service account"))
    .argument("<service_account_id>")
    .action(async (id: string, o: P, cmd: Command) => {
      const ctx = contextFor(cmd);
      const r = await ctx.client().serviceAccounts.retrieve(o.project, id);
      if (ctx.out.json) ctx.out.data(r);
      else ctx.out.table([r], columns);
    });

  withProject(sa.command("update").description("Rename a service account or change its role"))
    .argument("<service_account_id>")
    .option("-n, --name <name>", "new name")
    .option("--role <role>", "owner | member", oneOf(["owner", "member"] as const))
    .action(async (id: string, o: P & { name?: string; role?: "owner" | "member" }, cmd: Command) => {
      const ctx = contextFor(cmd);
      if (o.name === undefined && o.role === undefined)
        throw usageError("nothing to change; pass --name or --role.");
      const r = await ctx.client().serviceAccounts.update(o.project, id, {
        ...(o.name !== undefined ? { name: o.name } : {}),
        ...(o.role !== undefined ? { role: o.role } : {}),
      });
      if (ctx.out.json) ctx.out.data(r);
      else ctx.out.success(`Updated service account ${r.id} "${r.name}" (${r.role})`);
    });

  withProject(sa.command("delete").description("Delete a service account and revoke its keys"))
    .argument("<service_account_id>")
    .action(async (id: string, o: P, cmd: Command) => {
      const ctx = contextFor(cmd);
      const r = await ctx.client().serviceAccounts.delete(o.project, id);
      if (ctx.out.json) ctx.out.data(r);
      else ctx.out.success(`Deleted service account ${r.id}`);
    });

  withProject(sa.command("add-key").description("Mint another key for a service account (shown once)"))
    .argument("<service_account_id>")
    .option("-n, --name <name>", "key name")
    .option("--expires <duration>", "lifetime, e.g. 90d", parseDuration)
    .option("-q, --quiet", "print only the secret")
    .action(async (id: string, o: P & { name?: string; expires?: number; quiet?: boolean }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const k = await ctx.client().serviceAccounts.createKey(o.project, id, {
        ...(o.name ? { name: o.name } : {}),
        ...(o.expires ? { expires_in_seconds: o.expires } : {}),
      });
      if (o.quiet) return ctx.out.line(k.value);
      if (ctx.out.json) return ctx.out.data(k);
      ctx.out.success(`Created key ${k.id} "${k.name}" for ${id}`);
      ctx.out.line(`\n  ${ctx.out.paint(k.value, "bold")}\n`);
      ctx.out.line(ctx.out.paint("Store this secret now: it is shown only once.", "yellow"));
    });
};
