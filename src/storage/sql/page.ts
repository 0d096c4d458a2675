import type { Page, PageQuery } from "../store.js";

/**
 * How to fetch one page ordered by `seq`. `after` continues past the cursor in list order;
 * `before` (audit logs) returns the page that precedes the cursor, so rows are fetched in the
 * opposite direction and flipped back.
 */
export interface PagePlan {
  afterOp: ">" | "<";
  beforeOp: ">" | "<";
  /** Direction of the SQL ORDER BY. */
  dir: "asc" | "desc";
  reverse: boolean;
  /** limit + 1: the extra row tells whether there is another page. */
  fetch: number;
  limit: number;
}

export function planPage(q: PageQuery & { before?: string | undefined }): PagePlan {
  const desc = q.order === "desc";
  const reverse = q.before !== undefined && q.after === undefined;
  const listDir = desc ? "desc" : "asc";
  const flipped = desc ? "asc" : "desc";
  const limit = Math.max(0, Math.floor(q.limit));
  return {
    afterOp: desc ? "<" : ">",
    beforeOp: desc ? ">" : "<",
    dir: reverse ? flipped : listDir,
    reverse,
    fetch: limit + 1,
    limit,
  };
}

export function finishPage<R, T>(rows: R[], plan: PagePlan, map: (r: R) => T): Page<T> {
  const hasMore = rows.length > plan.limit;
  const kept = rows.slice(0, plan.limit);
  if (plan.reverse) kept.reverse();
  return { data: kept.map(map), hasMore };
}
