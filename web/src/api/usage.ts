import { get, isAbsentRoute, qs } from "./client";
import type { BucketPage, CostResult, List, UsageResult } from "./types";

/** Follows `next_page` through every page of an OpenAI usage/costs query. */
export const allBuckets = async <R>(
  path: string,
  params: Record<string, string | number | string[] | undefined>,
) => {
  const out: BucketPage<R>["data"] = [];
  let page: string | undefined;
  for (let i = 0; i < 50; i++) {
    const r = await get<BucketPage<R>>(`${path}${qs({ ...params, page })}`);
    out.push(...r.data);
    if (!r.has_more || !r.next_page) break;
    page = r.next_page;
  }
  return out;
};

export const usageBuckets = (params: Record<string, string | number | string[] | undefined>) =>
  allBuckets<UsageResult>("/v1/organization/usage/completions", params);

export const costBuckets = (params: Record<string, string | number | string[] | undefined>) =>
  allBuckets<CostResult>("/v1/organization/costs", params);

/** USD per api_key_id since `since`, or null when this server has no Costs API (yet). */
export const spendByKey = async (projectId: string, since: number): Promise<Map<string, number> | null> => {
  try {
    const days = Math.ceil((Date.now() / 1000 - since) / 86_400) + 1;
    const buckets = await costBuckets({
      start_time: since,
      bucket_width: "1d",
      group_by: ["api_key_id"],
      project_ids: [projectId],
      limit: Math.min(180, days),
    });
    const m = new Map<string, number>();
    for (const b of buckets)
      for (const r of b.results)
        if (r.api_key_id) m.set(r.api_key_id, (m.get(r.api_key_id) ?? 0) + Number(r.amount.value));
    return m;
  } catch (e) {
    if (isAbsentRoute(e)) return null;
    throw e;
  }
};

/** Every page of an OpenAI list endpoint. */
export const listAll = async <T extends { id: string }>(path: string, max = 1000): Promise<T[]> => {
  const out: T[] = [];
  let after: string | null = null;
  const sep = path.includes("?") ? "&" : "?";
  do {
    const page: List<T> = await get(
      `${path}${sep}limit=100${after ? `&after=${encodeURIComponent(after)}` : ""}`,
    );
    out.push(...page.data);
    after = page.has_more ? page.last_id : null;
  } while (after && out.length < max);
  return out;
};
