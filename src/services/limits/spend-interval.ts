import type { SpendInterval } from "../../storage/records.js";

export const sameInterval = (a: SpendInterval, b: SpendInterval): boolean =>
  a.kind === b.kind && (a.kind === "month" || (b.kind === "days" && a.days === b.days));

/** OpenAI's `interval: "month"`, or our extension `interval: "days"` with `interval_days`. */
export const intervalWire = (
  i: SpendInterval,
): { interval: "month" } | { interval: "days"; interval_days: number } =>
  i.kind === "month" ? { interval: "month" } : { interval: "days", interval_days: i.days };
