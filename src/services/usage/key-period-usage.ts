import { calendarMonthPeriod } from "../../domain/budgets.js";
import type { StoreRepos } from "../../storage/store.js";
import type { KeyView } from "../keys/key-view.js";

/** A key's usage in the current budget period (the UTC calendar month), for key listings. */
export interface KeyPeriodUsage {
  /** The period's key, e.g. "2026-11". */
  period: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
}

/** Attaches period usage to a page of keys with one rollup query for the whole page. */
export const withPeriodUsage = async (
  repos: StoreRepos,
  orgId: string,
  views: KeyView[],
  nowSec: number,
): Promise<KeyView[]> => {
  const period = calendarMonthPeriod(nowSec * 1000);
  const totals = await repos.usage.totalsByKey(
    orgId,
    views.map((v) => v.key.id),
    period.startsAtMs / 1000,
    period.endsAtMs / 1000,
  );
  return views.map((v) => {
    const t = totals.get(v.key.id);
    return {
      ...v,
      usage: {
        period: period.key,
        requests: t?.requests ?? 0,
        inputTokens: t?.inputTokens ?? 0,
        outputTokens: t?.outputTokens ?? 0,
        costMicros: t?.costMicros ?? 0,
      },
    };
  });
};
