import type { Command } from "commander";
import { type KeyplaneClient, NotFoundError, type SpendAlert, type SpendLimit } from "../../sdk/index.js";
import { contextFor } from "../context.js";
import * as f from "../format.js";
import type { Column, Output } from "../output.js";
import { collectList, parseUsd } from "../parse.js";
import { collect, examples, listEnvelope } from "./shared.js";

/** OpenAI counts spend limits and alerts in cents; the CLI speaks dollars. */
const cents = (usd: number): number => Math.round(usd * 100);
const dollars = (c: number): string => f.usd(c / 100);

const alertColumns: Column<SpendAlert>[] = [
  { header: "ID", value: (a) => a.id, style: () => "cyan" },
  { header: "THRESHOLD", value: (a) => dollars(a.threshold_amount), align: "right" },
  { header: "INTERVAL", value: (a) => a.interval },
  { header: "NOTIFY", value: (a) => a.notification_channel.recipients.join(",") },
];

type Scope = { project?: string };
const where = (o: Scope): string => (o.project ? `project ${o.project}` : "the organization");

const limitApi = (c: KeyplaneClient, project: string | undefined) => ({
  get: () => (project ? c.spendLimits.project.retrieve(project) : c.spendLimits.organization.retrieve()),
  set: (usd: number) => {
    const body = { threshold_amount: cents(usd), currency: "USD" as const, interval: "month" as const };
    return project ? c.spendLimits.project.update(project, body) : c.spendLimits.organization.update(body);
  },
  remove: () => (project ? c.spendLimits.project.delete(project) : c.spendLimits.organization.delete()),
});

const showLimit = (out: Output, l: SpendLimit, o: Scope): void => {
  const enforcing = l.enforcement.status === "enforcing";
  out.fields([
    ["scope", where(o)],
    ["hard limit", `${dollars(l.threshold_amount)} per ${l.interval}`],
    ["enforcement", out.paint(l.enforcement.status, enforcing ? "red" : "green")],
  ]);
};

export const registerBudgetCommands = (program: Command): void => {
  const budgets = program
    .command("budgets")
    .description("Hard monthly spend limits and spend alerts, for the organization or a project")
    .addHelpText(
      "after",
      examples(
        "keyplane budgets set 50 --project proj_abc",
        "keyplane budgets get --project proj_abc",
        "keyplane budgets alerts add 25 --project proj_abc --email finance@example.com",
        "keyplane keys update key_abc --budget 20     # a single key's cap",
      ),
    );
  const scoped = (c: Command) => c.option("-p, --project <id>", "a project (default: the organization)");

  scoped(budgets.command("get").description("Show the hard spend limit")).action(
    async (o: Scope, cmd: Command) => {
      const ctx = contextFor(cmd);
      try {
        const l = await limitApi(ctx.client(), o.project).get();
        if (ctx.out.json) ctx.out.data(l);
        else showLimit(ctx.out, l, o);
      } catch (err) {
        // A missing limit is a 404 about the limit, not about the project.
        if (!(err instanceof NotFoundError) || err.param === "project_id") throw err;
        if (ctx.out.json) ctx.out.data(null);
        else ctx.out.line(`No spend limit on ${where(o)}.`);
      }
    },
  );

  scoped(budgets.command("set").description("Set the hard spend limit per calendar month"))
    .argument("<usd>", "amount in USD, e.g. 50", parseUsd)
    .action(async (usd: number, o: Scope, cmd: Command) => {
      const ctx = contextFor(cmd);
      const l = await limitApi(ctx.client(), o.project).set(usd);
      if (ctx.out.json) ctx.out.data(l);
      else {
        ctx.out.success(`Spend limit on ${where(o)} set`);
        showLimit(ctx.out, l, o);
      }
    });

  scoped(budgets.command("remove").description("Remove the hard spend limit")).action(
    async (o: Scope, cmd: Command) => {
      const ctx = contextFor(cmd);
      const r = await limitApi(ctx.client(), o.project).remove();
      if (ctx.out.json) ctx.out.data(r);
      else ctx.out.success(`Removed the spend limit on ${where(o)}`);
    },
  );

  const alerts = budgets
    .command("alerts")
    .description("Spend alerts: notify when the month's spend passes an amount");
  scoped(alerts.command("list").description("List spend alerts")).action(async (o: Scope, cmd: Command) => {
    const ctx = contextFor(cmd);
    const c = ctx.client();
    const pager = o.project ? c.spendAlerts.project.list(o.project) : c.spendAlerts.organization.list();
    const { items, hasMore } = await collect(pager, undefined);
    if (ctx.out.json) ctx.out.data(listEnvelope(items, hasMore));
    else ctx.out.table(items, alertColumns, "(no alerts)");
  });

  scoped(alerts.command("add").description("Add a spend alert"))
    .argument("<usd>", "threshold in USD", parseUsd)
    .requiredOption("--email <addresses>", "who is notified (repeatable, comma-separated)", collectList)
    .option("--subject-prefix <text>", "prefix for the alert email's subject")
    .action(async (usd: number, o: Scope & { email: string[]; subjectPrefix?: string }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const c = ctx.client();
      const body = {
        threshold_amount: cents(usd),
        currency: "USD" as const,
        interval: "month" as const,
        notification_channel: {
          type: "email" as const,
          recipients: o.email,
          ...(o.subjectPrefix ? { subject_prefix: o.subjectPrefix } : {}),
        },
      };
      const a = o.project
        ? await c.spendAlerts.project.create(o.project, body)
        : await c.spendAlerts.organization.create(body);
      if (ctx.out.json) ctx.out.data(a);
      else ctx.out.success(`Alert ${a.id} at ${dollars(a.threshold_amount)} on ${where(o)}`);
    });

  scoped(alerts.command("remove").description("Delete a spend alert"))
    .argument("<alert_id>")
    .action(async (id: string, o: Scope, cmd: Command) => {
      const ctx = contextFor(cmd);
      const c = ctx.client();
      const r = o.project
        ? await c.spendAlerts.project.delete(o.project, id)
        : await c.spendAlerts.organization.delete(id);
      if (ctx.out.json) ctx.out.data(r);
      else ctx.out.success(`Deleted alert ${r.id}`);
    });
};
