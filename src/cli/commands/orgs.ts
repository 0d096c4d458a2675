import type { Command } from "commander";
import type { Organization } from "../../sdk/index.js";
import { contextFor } from "../context.js";
import * as f from "../format.js";
import type { Column } from "../output.js";
import { collect, examples, listEnvelope, pageLimitOption, pageSize } from "./shared.js";

const columns: Column<Organization>[] = [
  { header: "ID", value: (o) => o.id, style: () => "cyan" },
  { header: "NAME", value: (o) => o.name },
  { header: "CREATED", value: (o) => f.date(o.created_at) },
];

export const registerOrgCommands = (program: Command): void => {
  const orgs = program
    .command("orgs")
    .description("Manage organizations (instance admin key)")
    .addHelpText(
      "after",
      examples(
        "keyplane orgs list",
        'keyplane orgs create "Acme" --owner-email ops@acme.test',
        'ACME_ADMIN_KEY=$(keyplane orgs create "Acme" --quiet)',
      ),
    );

  pageLimitOption(orgs.command("list").description("List every organization")).action(
    async (o: { limit?: number }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const { items, hasMore } = await collect(
        ctx.client().organizations.list({ limit: pageSize(o.limit) }),
        o.limit,
      );
      if (ctx.out.json) ctx.out.data(listEnvelope(items, hasMore));
      else ctx.out.table(items, columns, "(no organizations)");
    },
  );

  orgs
    .command("create")
    .description("Create an organization with its owner, a Default project and a first admin key")
    .argument("<name>")
    .option("--owner-email <email>", "the owner's email")
    .option("--owner-name <name>", "the owner's name")
    .option("--without-admin-key", "do not mint an admin key")
    .option("-q, --quiet", "print only the new admin key")
    .action(
      async (
        name: string,
        o: { ownerEmail?: string; ownerName?: string; withoutAdminKey?: boolean; quiet?: boolean },
        cmd: Command,
      ) => {
        const ctx = contextFor(cmd);
        const org = await ctx.client().organizations.create({
          name,
          create_admin_key: o.withoutAdminKey !== true,
          ...(o.ownerEmail ? { owner_email: o.ownerEmail } : {}),
          ...(o.ownerName ? { owner_name: o.ownerName } : {}),
        });
        if (o.quiet) {
          ctx.out.line(org.admin_key?.value ?? org.id);
          return;
        }
        if (ctx.out.json) return ctx.out.data(org);
        ctx.out.success(`Created organization ${ctx.out.paint(org.id, "cyan")} "${org.name}"`);
        ctx.out.fields([
          ["default project", org.default_project_id],
          ["owner", org.owner_user_id],
          ["admin key", org.admin_key ? org.admin_key.value : "-"],
        ]);
        if (org.admin_key)
          ctx.out.line(ctx.out.paint("Store the admin key now: it is shown only once.", "yellow"));
      },
    );

  orgs
    .command("get")
    .description("Show one organization")
    .argument("<organization_id>")
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = contextFor(cmd);
      const org = await ctx.client().organizations.retrieve(id);
      if (ctx.out.json) ctx.out.data(org);
      else
        ctx.out.fields([
          ["id", org.id],
          ["name", org.name],
          ["created", f.date(org.created_at)],
        ]);
    });
};
