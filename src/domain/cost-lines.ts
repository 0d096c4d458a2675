import type { ModelPrice } from "./pricing.js";

/**
 * Costs API line items, pure. The store keeps one cost per rollup row; a line-item view splits it
 * into input, cached input and output in proportion to what each part costs at list price, so
 * the line items of a row always add up to exactly the recorded micro-dollars.
 */

export type LineKind = "input" | "cached input" | "output";

export interface LineShare {
  kind: LineKind;
  tokens: number;
  costMicros: number;
}

export interface TokenCounts {
  inputTokens: number;
  cachedTokens: number;
  outputTokens: number;
}

/** OpenAI names a token line item "<model>, <kind>", e.g. "gpt-4o-mini, input". */
export const lineItemName = (model: string, kind: LineKind): string => `${model}, ${kind}`;

/**
 * Splits `costMicros` over the row's line items, weighted by the model's price (only the ratios
 * matter); items with neither tokens nor cost are left out.
 */
export const splitCost = (t: TokenCounts, costMicros: number, price: ModelPrice | undefined): LineShare[] => {
  const uncached = Math.max(0, t.inputTokens - t.cachedTokens);
  const kinds: LineKind[] = ["input", "cached input", "output"];
  const tokens = [uncached, t.cachedTokens, t.outputTokens];
  let weights = price
    ? [
        uncached * price.input,
        t.cachedTokens * (price.cachedInput ?? price.input),
        t.outputTokens * price.output,
      ]
    : tokens;
  let total = weights.reduce((a, b) => a + b, 0);
  if (total === 0) {
    // Unpriced (or free) model with a cost anyway: attribute by token counts, else all to input.
    weights = tokens.some((n) => n > 0) ? tokens : [1, 0, 0];
    total = weights.reduce((a, b) => a + b, 0);
  }
  const shares = weights.map((w) => Math.floor(costMicros * (w / total)));
  // Rounding leftovers go to the heaviest item, so the parts sum to the whole.
  let heaviest = 0;
  weights.forEach((w, i) => {
    if (w > (weights[heaviest] ?? 0)) heaviest = i;
  });
  shares[heaviest] = (shares[heaviest] ?? 0) + costMicros - shares.reduce((a, b) => a + b, 0);
  return kinds
    .map((kind, i) => ({ kind, tokens: tokens[i] ?? 0, costMicros: shares[i] ?? 0 }))
    .filter((s) => s.tokens > 0 || s.costMicros !== 0);
};

/** Micro-dollars to the wire's decimal USD (the only place money becomes a float). */
export const microsToUsd = (micros: number): number => micros / 1_000_000;
