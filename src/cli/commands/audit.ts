import type { Command } from "commander";
import type { AuditLog } from "../../sdk/index.js";
import { contextFor } from "../context.js";
import * as f from "../format.js";
import type { Column } from "../output.js";
import { collectList, parsePositiveInt, parseSince } from "../parse.js";
import { collect, examples, listEnvelope, pageSize } from "./shared.js";

const actor = (e: AuditLog): string => {
  const a = e.actor;
  if (!a) return "-";
  if (a.type === "session") return a.session?.user.email ?? "session";
  return a.api_key?.user?.email ?? a.api_key?.id ?? "api key";
};

const resource = (e: AuditLog): string => {
  const d = e[e.type];
  return typeof d === "object" && d !== null && typeof (d as { id?: unknown }).id === "string"
    ? String((d as { id: string }).id)
    : "-";
};

const columns: Column<AuditLog>[] = [
  { header: "TIME", value: (e) => f.date(e.effective_at) },
  { header: "EVENT", value: (e) => e.type, style: (e) => (e.type.endsWith("deleted") ? "red" : "cyan") },
  { header: "RESOURCE", value: resource },
  { header: "PROJECT", value: (e) => e.project?.id ?? "-" },
  { header: "ACTOR", value: actor },
];

interface AuditFlags {
  since?: number;
  until?: number;
  type?: string[];
  project?: string[];
  actor?: string[];
  resource?: string[];
  limit: number;
}

export const registerAuditCommand = (program: Command): void => {
  program
    .command("audit")
    .description("Read the audit log, newest first")
    .option("--since <time>", "from this time: 7d, 24h, 2026-01-31, Unix seconds", (v) => parseSince(v))
    .option("--until <time>", "up to this time", (v) => parseSince(v))
    .option("--type <types>", "event types, e.g. api_key.created (repeatable)", collectList)
    .option("-p, --project <ids>", "only these projects (repeatable)", collectList)
    .option("--actor <ids>", "only these actors: user, service account or key ids", collectList)
    .option("--resource <ids>", "only events about these objects, e.g. a key id", collectList)
    .option("-l, --limit <n>", "at most n events", parsePositiveInt, 50)
    .addHelpText(
      "after",
      examples(
        "keyplane audit --since 24h",
        "keyplane audit --type api_key.created,api_key.deleted --project proj_abc",
        "keyplane audit --resource key_abc --json",
      ),
    )
    .action(async (o: AuditFlags, cmd: Command) => {
      const ctx = contextFor(cmd);
      const effective_at = {
        ...(o.since !== undefined ? { gte: o.since } : {}),
        ...(o.until !== undefined ? { lte: o.until } : {}),
      };
      const pager = ctx.client().auditLogs.list({
        limit: pageSize(o.limit),
        ...(Object.keys(effective_at).length > 0 ? { effective_at } : {}),
        ...(o.type ? { event_types: o.type } : {}),
        ...(o.project ? { project_ids: o.project } : {}),
        ...(o.actor ? { actor_ids: o.actor } : {}),
        ...(o.resource ? { resource_ids: o.resource } : {}),
      });
      const { items, hasMore } = await collect(pager, o.limit);
      if (ctx.out.json) ctx.out.data(listEnvelope(items, hasMore));
      else ctx.out.table(items, columns, "(no events)");
    });
};
