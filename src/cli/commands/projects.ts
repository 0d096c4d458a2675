import type { Command } from "commander";
import type { Project } from "../../sdk/index.js";
import { contextFor } from "../context.js";
import { usageError } from "../exit.js";
import * as f from "../format.js";
import type { Column, Output } from "../output.js";
import { collect, examples, listEnvelope, pageLimitOption, pageSize } from "./shared.js";

const columns: Column<Project>[] = [
  { header: "ID", value: (p) => p.id, style: () => "cyan" },
  { header: "NAME", value: (p) => p.name },
  { header: "STATUS", value: (p) => p.status, style: (p) => (p.status === "archived" ? "dim" : "green") },
  { header: "CREATED", value: (p) => f.date(p.created_at) },
];

const show = (out: Output, p: Project): void =>
  out.fields([
    ["id", out.paint(p.id, "cyan")],
    ["name", p.name],
    ["status", p.status],
    ["created", f.date(p.created_at)],
    ["archived", f.date(p.archived_at)],
    ["external key", p.external_key_id ?? "-"],
  ]);

export const registerProjectCommands = (program: Command): void => {
  const projects = program
    .command("projects")
    .description("Create, list, inspect, rename and archive projects")
    .addHelpText(
      "after",
      examples(
        'keyplane projects create "Search team"',
        "PROJECT=$(keyplane projects create ci --quiet)",
        "keyplane projects list --include-archived",
        "keyplane projects archive proj_abc",
      ),
    );

  pageLimitOption(projects.command("list").description("List projects"))
    .option("-a, --include-archived", "include archived projects")
    .action(async (o: { limit?: number; includeArchived?: boolean }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const pager = ctx
        .client()
        .projects.list({ limit: pageSize(o.limit), include_archived: o.includeArchived === true });
      const { items, hasMore } = await collect(pager, o.limit);
      if (ctx.out.json) ctx.out.data(listEnvelope(items, hasMore));
      else ctx.out.table(items, columns, "(no projects)");
    });

  projects
    .command("create")
    .description("Create a project")
    .argument("<name>", "project name")
    .option("--external-key-id <id>", "customer-managed encryption key id (stored, shown back)")
    .option("-q, --quiet", "print only the new project's id")
    .action(async (name: string, o: { externalKeyId?: string; quiet?: boolean }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const p = await ctx
        .client()
        .projects.create({ name, ...(o.externalKeyId ? { external_key_id: o.externalKeyId } : {}) });
      if (o.quiet) ctx.out.line(p.id);
      else if (ctx.out.json) ctx.out.data(p);
      else ctx.out.success(`Created project ${ctx.out.paint(p.id, "cyan")} "${p.name}"`);
    });

  projects
    .command("get")
    .description("Show one project")
    .argument("<project_id>")
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = contextFor(cmd);
      const p = await ctx.client().projects.retrieve(id);
      if (ctx.out.json) ctx.out.data(p);
      else show(ctx.out, p);
    });

  projects
    .command("update")
    .description("Rename a project or change its external key id")
    .argument("<project_id>")
    .option("-n, --name <name>", "new name")
    .option("--external-key-id <id>", "new external key id")
    .action(async (id: string, o: { name?: string; externalKeyId?: string }, cmd: Command) => {
      const ctx = contextFor(cmd);
      if (o.name === undefined && o.externalKeyId === undefined)
        throw usageError("nothing to change; pass --name or --external-key-id.");
      const p = await ctx.client().projects.update(id, {
        ...(o.name !== undefined ? { name: o.name } : {}),
        ...(o.externalKeyId !== undefined ? { external_key_id: o.externalKeyId } : {}),
      });
      if (ctx.out.json) ctx.out.data(p);
      else ctx.out.success(`Updated project ${p.id} "${p.name}"`);
    });

  projects
    .command("archive")
    .description("Archive a project: cannot be undone, and its keys stop working at once")
    .argument("<project_id>")
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = contextFor(cmd);
      const p = await ctx.client().projects.archive(id);
      if (ctx.out.json) ctx.out.data(p);
      else ctx.out.success(`Archived project ${p.id} "${p.name}"`);
    });
};
