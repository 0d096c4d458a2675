import type { Insertable, Selectable, Updateable } from "kysely";
import type { RateLimitRecord } from "../../records.js";
import type { RateLimitPatch, StoreRepos } from "../../store.js";
import { patchColumns } from "../codec.js";
import { finishPage, planPage } from "../page.js";
import type { RateLimitsTable } from "../schema.js";
import type { RepoCtx } from "./types.js";

const toLimit = (r: Selectable<RateLimitsTable>): RateLimitRecord => ({
  id: r.id,
  projectId: r.project_id,
  model: r.model,
  maxRequestsPer1Minute: r.max_requests_per_1_minute,
  maxTokensPer1Minute: r.max_tokens_per_1_minute,
  maxRequestsPer1Day: r.max_requests_per_1_day,
  maxImagesPer1Minute: r.max_images_per_1_minute,
  maxAudioMegabytesPer1Minute: r.max_audio_megabytes_per_1_minute,
  batch1DayMaxInputTokens: r.batch_1_day_max_input_tokens,
});

const toRow = (l: RateLimitRecord): Insertable<RateLimitsTable> => ({
  id: l.id,
  project_id: l.projectId,
  model: l.model,
  max_requests_per_1_minute: l.maxRequestsPer1Minute,
  max_tokens_per_1_minute: l.maxTokensPer1Minute,
  max_requests_per_1_day: l.maxRequestsPer1Day,
  max_images_per_1_minute: l.maxImagesPer1Minute,
  max_audio_megabytes_per_1_minute: l.maxAudioMegabytesPer1Minute,
  batch_1_day_max_input_tokens: l.batch1DayMaxInputTokens,
});

const CHUNK = 500;

export function rateLimitsRepo({ db }: RepoCtx): StoreRepos["rateLimits"] {
  const get = async (projectId: string, id: string): Promise<RateLimitRecord | null> => {
    const r = await db
      .selectFrom("rate_limits")
      .selectAll()
      .where("id", "=", id)
      .where("project_id", "=", projectId)
      .executeTakeFirst();
    return r ? toLimit(r) : null;
  };
  return {
    async ensure(records) {
      for (let i = 0; i < records.length; i += CHUNK) {
        await db
          .insertInto("rate_limits")
          .values(records.slice(i, i + CHUNK).map(toRow))
          .onConflict((oc) => oc.columns(["project_id", "model"]).doNothing())
          .execute();
      }
    },
    get,
    async list(projectId, q) {
      const p = planPage(q);
      // Ids repeat across projects (`rl-<model>`), so the cursor is looked up within the project.
      const cursor = (id: string) =>
        db.selectFrom("rate_limits").select("seq").where("project_id", "=", projectId).where("id", "=", id);
      let qb = db.selectFrom("rate_limits").selectAll().where("project_id", "=", projectId);
      if (q.after !== undefined) qb = qb.where("seq", p.afterOp, cursor(q.after));
      if (q.before !== undefined) qb = qb.where("seq", p.beforeOp, cursor(q.before));
      const rows = await qb.orderBy("seq", p.dir).limit(p.fetch).execute();
      return finishPage(rows, p, toLimit);
    },
    async update(projectId, id, patch) {
      const set = patchColumns<RateLimitPatch, Updateable<RateLimitsTable>>(patch, {
        maxRequestsPer1Minute: (v) => ({ max_requests_per_1_minute: v }),
        maxTokensPer1Minute: (v) => ({ max_tokens_per_1_minute: v }),
        maxRequestsPer1Day: (v) => ({ max_requests_per_1_day: v }),
        maxImagesPer1Minute: (v) => ({ max_images_per_1_minute: v }),
        maxAudioMegabytesPer1Minute: (v) => ({ max_audio_megabytes_per_1_minute: v }),
        batch1DayMaxInputTokens: (v) => ({ batch_1_day_max_input_tokens: v }),
      });
      if (Object.keys(set).length === 0) return get(projectId, id);
      const r = await db
        .updateTable("rate_limits")
        .set(set)
        .where("id", "=", id)
        .where("project_id", "=", projectId)
        .returningAll()
        .executeTakeFirst();
      return r ? toLimit(r) : null;
    },
  };
}
