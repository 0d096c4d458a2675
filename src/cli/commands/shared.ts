import type { Command } from "commander";
import type { ListPage } from "../../sdk/index.js";
import { parsePositiveInt } from "../parse.js";

/** `--limit n`: stop after n items (lists otherwise follow every page). */
export const pageLimitOption = (cmd: Command): Command =>
  cmd.option("-l, --limit <n>", "show at most n items (default: all)", parsePositiveInt);

/** Walks a paginated list, stopping after `limit` items; `hasMore` says whether any were left. */
export const collect = async <T>(
  pager: AsyncIterable<T>,
  limit: number | undefined,
): Promise<{ items: T[]; hasMore: boolean }> => {
  const items: T[] = [];
  for await (const item of pager) {
    if (limit !== undefined && items.length >= limit) return { items, hasMore: true };
    items.push(item);
  }
  return { items, hasMore: false };
};

/** `--json` of a list is the API's own envelope, so scripts can reuse the API's schema. */
export const listEnvelope = <T extends { id: string }>(items: T[], hasMore: boolean): ListPage<T> => ({
  object: "list",
  data: items,
  first_id: items[0]?.id ?? null,
  last_id: items[items.length - 1]?.id ?? null,
  has_more: hasMore,
});

/** Page size for the walk: the whole limit when it fits in one request. */
export const pageSize = (limit: number | undefined): number => Math.min(limit ?? 100, 100);

export const examples = (...lines: string[]): string =>
  `\nExamples:\n${lines.map((l) => `  ${l}`).join("\n")}`;
