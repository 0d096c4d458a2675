import type { Command } from "commander";
import { Option } from "commander";
import type {
  CompletionsUsageResult,
  CostResult,
  EmbeddingsUsageResult,
  ModerationsUsageResult,
  UsageBucket,
} from "../../sdk/index.js";
import { contextFor } from "../context.js";
import { usageError } from "../exit.js";
import * as f from "../format.js";
import type { Column } from "../output.js";
import { collectList, parseSince } from "../parse.js";
import { examples } from "./shared.js";

/** CLI names for OpenAI's group_by values. */
const GROUPS = { model: "model", project: "project_id", key: "api_key_id", user: "user_id" } as const;
const COST_GROUPS = { project: "project_id", key: "api_key_id", "line-item": "line_item" } as const;
type UsageResult = CompletionsUsageResult | EmbeddingsUsageResult | ModerationsUsageResult;
type Row<R> = R & { start_time: number };

const groupBy = <M extends Record<string, string>>(names: string[] | undefined, map: M): M[keyof M][] =>
  (names ?? []).map((n) => {
    const v = map[n as keyof M];
    if (!v) throw usageError(`--by must be one of ${Object.keys(map).join(", ")} (got "${n}").`);
    return v;
  });

const flatten = <R>(buckets: UsageBucket<R>[]): Row<R>[] =>
  buckets.flatMap((b) => b.results.map((r) => ({ ...r, start_time: b.start_time })));

const groupColumns = <R>(groups: string[]): Column<Row<R>>[] =>
  groups.map((g) => ({
    header: g.replace(/_id$/, "").replace("_", " ").toUpperCase(),
    value: (r) => String((r as Record<string, unknown>)[g] ?? "-"),
    style: () => "cyan" as const,
  }));

const page = <R>(buckets: UsageBucket<R>[]) => ({
  object: "page",
  data: buckets,
  has_more: false,
  next_page: null,
});

interface UsageFlags {
  project?: string[];
  key?: string[];
  model?: string[];
  since: number;
  until?: number;
  bucket: "1m" | "1h" | "1d";
  by?: string[];
  type: "completions" | "embeddings" | "moderations";
}

const since = (v: string) => parseSince(v);

export const registerUsageCommands = (program: Command): void => {
  program
    .command("usage")
    .description("Token and request usage (OpenAI's Usage API), per time bucket")
    .option("-p, --project <ids>", "only these projects (repeatable)", collectList)
    .option("-k, --key <ids>", "only these key ids (repeatable)", collectList)
    .option("-m, --model <models>", "only these models (repeatable)", collectList)
    .option("--since <time>", "start: 7d, 24h, 2026-01-31 or Unix seconds", since, since("7d"))
    .option("--until <time>", "end (default: now)", since)
    .addOption(new Option("--bucket <width>", "bucket width").choices(["1m", "1h", "1d"]).default("1d"))
    .option("--by <dimensions>", "group by model, project, key, user (comma-separated)", collectList)
    .addOption(
      new Option("--type <kind>", "usage kind")
        .choices(["completions", "embeddings", "moderations"])
        .default("completions"),
    )
    .addHelpText(
      "after",
      examples(
        "keyplane usage --project proj_abc --since 7d --by model",
        "keyplane usage --since 24h --bucket 1h --by key --json",
        "keyplane costs --since 30d --by project",
      ),
    )
    .action(async (o: UsageFlags, cmd: Command) => {
      const ctx = contextFor(cmd);
      const c = ctx.client();
      const groups = groupBy(o.by, GROUPS);
      const query = {
        start_time: o.since,
        bucket_width: o.bucket,
        ...(o.until !== undefined ? { end_time: o.until } : {}),
        ...(o.project ? { project_ids: o.project } : {}),
        ...(o.key ? { api_key_ids: o.key } : {}),
        ...(o.model ? { models: o.model } : {}),
        ...(groups.length > 0 ? { group_by: groups } : {}),
      };
      const fetchers = {
        completions: () => c.usage.completions(query).toArray(),
        embeddings: () => c.usage.embeddings(query).toArray(),
        moderations: () => c.usage.moderations(query).toArray(),
      };
      const buckets: UsageBucket<UsageResult>[] = await fetchers[o.type]();
      if (ctx.out.json) return ctx.out.data(page(buckets));
      const rows = flatten(buckets);
      const columns: Column<Row<UsageResult>>[] = [
        { header: "START", value: (r) => f.date(r.start_time) },
        ...groupColumns<UsageResult>(groups),
        { header: "REQUESTS", value: (r) => f.int(r.num_model_requests), align: "right" },
        { header: "INPUT TOKENS", value: (r) => f.int(r.input_tokens), align: "right" },
        {
          header: "OUTPUT TOKENS",
          value: (r) => ("output_tokens" in r ? f.int(r.output_tokens) : "-"),
          align: "right",
        },
      ];
      ctx.out.table(rows, columns, "(no usage in this period)");
      if (rows.length > 1) {
        const total = (pick: (r: Row<UsageResult>) => number) => f.int(rows.reduce((s, r) => s + pick(r), 0));
        ctx.out.line(
          ctx.out.paint(
            `total: ${total((r) => r.num_model_requests)} requests, ${total((r) => r.input_tokens)} input tokens, ${total((r) => ("output_tokens" in r ? r.output_tokens : 0))} output tokens`,
            "bold",
          ),
        );
      }
    });

  program
    .command("costs")
    .description("Spend in USD per day (OpenAI's Costs API)")
    .option("-p, --project <ids>", "only these projects (repeatable)", collectList)
    .option("-k, --key <ids>", "only these key ids (repeatable)", collectList)
    .option("--since <time>", "start: 30d, 2026-01-01 or Unix seconds", since, since("30d"))
    .option("--until <time>", "end (default: now)", since)
    .option("--by <dimensions>", "group by project, key, line-item", collectList)
    .addHelpText(
      "after",
      examples("keyplane costs --since 30d --by project", "keyplane costs --project proj_abc --json"),
    )
    .action(async (o: Omit<UsageFlags, "bucket" | "type" | "model">, cmd: Command) => {
      const ctx = contextFor(cmd);
      const groups = groupBy(o.by, COST_GROUPS);
      const buckets = await ctx
        .client()
        .costs.list({
          start_time: o.since,
          bucket_width: "1d",
          ...(o.until !== undefined ? { end_time: o.until } : {}),
          ...(o.project ? { project_ids: o.project } : {}),
          ...(o.key ? { api_key_ids: o.key } : {}),
          ...(groups.length > 0 ? { group_by: groups } : {}),
        })
        .toArray();
      if (ctx.out.json) return ctx.out.data(page(buckets));
      const rows = flatten(buckets);
      const columns: Column<Row<CostResult>>[] = [
        { header: "DAY", value: (r) => f.date(r.start_time).slice(0, 10) },
        ...groupColumns<CostResult>(groups),
        { header: "AMOUNT", value: (r) => f.usd(r.amount?.value ?? 0), align: "right" },
      ];
      ctx.out.table(rows, columns, "(no costs in this period)");
      const sum = rows.reduce((s, r) => s + (r.amount?.value ?? 0), 0);
      if (rows.length > 0) ctx.out.line(ctx.out.paint(`total: ${f.usd(sum)}`, "bold"));
    });
};
