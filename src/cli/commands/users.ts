import type { Command } from "commander";
import type { Invite, ProjectUser, User } from "../../sdk/index.js";
import { contextFor } from "../context.js";
import { usageError } from "../exit.js";
import * as f from "../format.js";
import type { Column } from "../output.js";
import { collectList, oneOf } from "../parse.js";
import { collect, examples, listEnvelope, pageLimitOption, pageSize } from "./shared.js";

const userColumns: Column<User | ProjectUser>[] = [
  { header: "ID", value: (u) => u.id, style: () => "cyan" },
  { header: "NAME", value: (u) => u.name },
  { header: "EMAIL", value: (u) => u.email },
  { header: "ROLE", value: (u) => u.role },
  { header: "ADDED", value: (u) => f.date(u.added_at) },
];

const inviteColumns: Column<Invite>[] = [
  { header: "ID", value: (i) => i.id, style: () => "cyan" },
  { header: "EMAIL", value: (i) => i.email },
  { header: "ROLE", value: (i) => i.role },
  { header: "STATUS", value: (i) => i.status, style: (i) => (i.status === "pending" ? "yellow" : undefined) },
  { header: "EXPIRES", value: (i) => f.date(i.expires_at) },
];

type Scope = { project?: string };
const ORG_ROLES = ["owner", "reader"] as const;
const PROJECT_ROLES = ["owner", "member"] as const;

export const registerUserCommands = (program: Command): void => {
  const users = program
    .command("users")
    .description("Organization members, or a project's members with --project")
    .addHelpText(
      "after",
      examples(
        "keyplane users list",
        "keyplane users list --project proj_abc",
        "keyplane users add user-abc --project proj_abc --role member",
        "keyplane users update user-abc --role reader",
        "keyplane users remove user-abc --project proj_abc",
      ),
    );
  const scoped = (c: Command) => c.option("-p, --project <id>", "act on this project's members");

  pageLimitOption(scoped(users.command("list").description("List members")))
    .option("--email <emails>", "only these emails (organization list)", collectList)
    .action(async (o: Scope & { limit?: number; email?: string[] }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const c = ctx.client();
      const limit = pageSize(o.limit);
      const pager = o.project
        ? c.projectUsers.list(o.project, { limit })
        : c.users.list({ limit, ...(o.email ? { emails: o.email } : {}) });
      const { items, hasMore } = await collect<User | ProjectUser>(pager, o.limit);
      if (ctx.out.json) ctx.out.data(listEnvelope(items, hasMore));
      else ctx.out.table(items, userColumns, "(no users)");
    });

  scoped(users.command("get").description("Show a member"))
    .argument("<user_id>")
    .action(async (id: string, o: Scope, cmd: Command) => {
      const ctx = contextFor(cmd);
      const c = ctx.client();
      const u = o.project ? await c.projectUsers.retrieve(o.project, id) : await c.users.retrieve(id);
      if (ctx.out.json) ctx.out.data(u);
      else ctx.out.table([u], userColumns);
    });

  users
    .command("add")
    .description("Add an organization member to a project")
    .argument("<user_id>")
    .requiredOption("-p, --project <id>", "project id")
    .option("--role <role>", "owner | member", oneOf(PROJECT_ROLES), "member")
    .action(async (id: string, o: { project: string; role: "owner" | "member" }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const u = await ctx.client().projectUsers.add(o.project, { user_id: id, role: o.role });
      if (ctx.out.json) ctx.out.data(u);
      else ctx.out.success(`Added ${u.email} to ${o.project} as ${u.role}`);
    });

  scoped(users.command("update").description("Change a member's role"))
    .argument("<user_id>")
    .requiredOption("--role <role>", "organization: owner | reader; project: owner | member")
    .action(async (id: string, o: Scope & { role: string }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const c = ctx.client();
      const u = o.project
        ? await c.projectUsers.update(o.project, id, { role: checkRole(o.role, PROJECT_ROLES) })
        : await c.users.update(id, { role: checkRole(o.role, ORG_ROLES) });
      if (ctx.out.json) ctx.out.data(u);
      else ctx.out.success(`${u.email} is now ${u.role}${o.project ? ` in ${o.project}` : ""}`);
    });

  scoped(users.command("remove").description("Remove a member from the organization or a project"))
    .argument("<user_id>")
    .action(async (id: string, o: Scope, cmd: Command) => {
      const ctx = contextFor(cmd);
      const c = ctx.client();
      const r = o.project ? await c.projectUsers.remove(o.project, id) : await c.users.delete(id);
      if (ctx.out.json) ctx.out.data(r);
      else ctx.out.success(`Removed ${r.id}${o.project ? ` from ${o.project}` : ""}`);
    });

  registerInviteCommands(program);
};

const checkRole = <T extends string>(role: string, allowed: readonly T[]): T => {
  if ((allowed as readonly string[]).includes(role)) return role as T;
  throw usageError(`--role must be one of ${allowed.join(", ")} here (got "${role}").`);
};

const registerInviteCommands = (program: Command): void => {
  const invites = program
    .command("invites")
    .description("Invite people to the organization")
    .addHelpText(
      "after",
      examples(
        "keyplane invites create ana@example.com --role reader --project proj_abc:member",
        "keyplane invites list",
        "keyplane invites delete invite-abc",
      ),
    );

  pageLimitOption(invites.command("list").description("List invites")).action(
    async (o: { limit?: number }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const { items, hasMore } = await collect(
        ctx.client().invites.list({ limit: pageSize(o.limit) }),
        o.limit,
      );
      if (ctx.out.json) ctx.out.data(listEnvelope(items, hasMore));
      else ctx.out.table(items, inviteColumns, "(no invites)");
    },
  );

  invites
    .command("create")
    .description("Invite someone by email")
    .argument("<email>")
    .option("--role <role>", "owner | reader", oneOf(ORG_ROLES), "reader")
    .option(
      "--project <id[:role]>",
      "also grant a project (repeatable); role member (default) or owner",
      collectList,
    )
    .action(async (email: string, o: { role: "owner" | "reader"; project?: string[] }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const projects = o.project?.map((p) => {
        const [id = "", role = "member"] = p.split(":");
        return { id, role: checkRole(role, PROJECT_ROLES) };
      });
      const inv = await ctx
        .client()
        .invites.create({ email, role: o.role, ...(projects ? { projects } : {}) });
      if (ctx.out.json) ctx.out.data(inv);
      else {
        ctx.out.success(`Invited ${inv.email} as ${inv.role} (${inv.id})`);
        // Keyplane sends no email: the single-use accept link is shown here, once.
        if (inv.accept_url) ctx.out.line(`Send them this one-time link: ${inv.accept_url}`);
      }
    });

  invites
    .command("get")
    .description("Show an invite")
    .argument("<invite_id>")
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = contextFor(cmd);
      const inv = await ctx.client().invites.retrieve(id);
      if (ctx.out.json) ctx.out.data(inv);
      else ctx.out.table([inv], inviteColumns);
    });

  invites
    .command("delete")
    .description("Withdraw a pending invite")
    .argument("<invite_id>")
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const ctx = contextFor(cmd);
      const r = await ctx.client().invites.delete(id);
      if (ctx.out.json) ctx.out.data(r);
      else ctx.out.success(`Deleted invite ${r.id}`);
    });
};
