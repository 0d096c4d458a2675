import type { Command } from "commander";
import type { ProjectRateLimit } from "../../sdk/index.js";
import { contextFor } from "../context.js";
import { CliError, EXIT, usageError } from "../exit.js";
import * as f from "../format.js";
import type { Column } from "../output.js";
import { parseNonNegativeInt } from "../parse.js";
import { collect, examples, listEnvelope } from "./shared.js";

const columns: Column<ProjectRateLimit>[] = [
  { header: "MODEL", value: (r) => r.model, style: () => "cyan" },
  { header: "RPM", value: (r) => f.int(r.max_requests_per_1_minute), align: "right" },
  { header: "TPM", value: (r) => f.int(r.max_tokens_per_1_minute), align: "right" },
  { header: "RPD", value: (r) => f.int(r.max_requests_per_1_day), align: "right" },
  { header: "IMAGES/MIN", value: (r) => f.int(r.max_images_per_1_minute), align: "right" },
  { header: "BATCH TPD", value: (r) => f.int(r.batch_1_day_max_input_tokens), align: "right" },
  { header: "ID", value: (r) => r.id, style: () => "dim" },
];

interface SetFlags {
  project: string;
  rpm?: number;
  tpm?: number;
  rpd?: number;
  imagesPerMinute?: number;
  audioMbPerMinute?: number;
  batchTpd?: number;
}

export const registerRateLimitCommands = (program: Command): void => {
  const rl = program
    .command("rate-limits")
    .description(
      "A project's per-model rate limits (OpenAI's project rate limits); per-key limits: keys update",
    )
    .addHelpText(
      "after",
      examples(
        "keyplane rate-limits list --project proj_abc",
        "keyplane rate-limits set gpt-4o --project proj_abc --rpm 500 --tpm 200000",
        "keyplane keys update key_abc --rpm 20 --max-concurrent 2",
      ),
    );

  rl.command("list")
    .description("Show the limits of every model")
    .requiredOption("-p, --project <id>", "project id")
    .action(async (o: { project: string }, cmd: Command) => {
      const ctx = contextFor(cmd);
      const { items, hasMore } = await collect(
        ctx.client().rateLimits.list(o.project, { limit: 100 }),
        undefined,
      );
      if (ctx.out.json) ctx.out.data(listEnvelope(items, hasMore));
      else ctx.out.table(items, columns, "(no rate limits)");
    });

  rl.command("set")
    .description("Change one model's limits (a project may only narrow the organization's)")
    .argument("<model>", "model name or rate limit id")
    .requiredOption("-p, --project <id>", "project id")
    .option("--rpm <n>", "max requests per minute", parseNonNegativeInt)
    .option("--tpm <n>", "max tokens per minute", parseNonNegativeInt)
    .option("--rpd <n>", "max requests per day", parseNonNegativeInt)
    .option("--images-per-minute <n>", "max images per minute", parseNonNegativeInt)
    .option("--audio-mb-per-minute <n>", "max audio megabytes per minute", parseNonNegativeInt)
    .option("--batch-tpd <n>", "max batch input tokens per day", parseNonNegativeInt)
    .action(async (model: string, o: SetFlags, cmd: Command) => {
      const ctx = contextFor(cmd);
      const body = {
        ...(o.rpm !== undefined ? { max_requests_per_1_minute: o.rpm } : {}),
        ...(o.tpm !== undefined ? { max_tokens_per_1_minute: o.tpm } : {}),
        ...(o.rpd !== undefined ? { max_requests_per_1_day: o.rpd } : {}),
        ...(o.imagesPerMinute !== undefined ? { max_images_per_1_minute: o.imagesPerMinute } : {}),
        ...(o.audioMbPerMinute !== undefined ? { max_audio_megabytes_per_1_minute: o.audioMbPerMinute } : {}),
        ...(o.batchTpd !== undefined ? { batch_1_day_max_input_tokens: o.batchTpd } : {}),
      };
      if (Object.keys(body).length === 0) throw usageError("nothing to change; pass --rpm, --tpm, --rpd, …");
      const client = ctx.client();
      let id: string | undefined;
      for await (const r of client.rateLimits.list(o.project, { limit: 100 })) {
        if (r.id === model || r.model === model) {
          id = r.id;
          break;
        }
      }
      if (!id)
        throw new CliError(
          `project ${o.project} has no rate limit for "${model}"; see \`keyplane rate-limits list --project ${o.project}\`.`,
          EXIT.notFound,
        );
      const r = await client.rateLimits.update(o.project, id, body);
      if (ctx.out.json) ctx.out.data(r);
      else {
        ctx.out.success(`Updated ${r.model} in ${o.project}`);
        ctx.out.table([r], columns);
      }
    });
};
