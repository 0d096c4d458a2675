import { describe, expect, it } from "vitest";
import { lineItemName, splitCost } from "./cost-lines.js";

describe("cost line items", () => {
  const t = { inputTokens: 1100, cachedTokens: 200, outputTokens: 550 };

  it("split at list price and add up to the recorded cost exactly", () => {
    const price = { input: 0.15, cachedInput: 0.075, output: 0.6 };
    expect(splitCost(t, 480, price)).toEqual([
      { kind: "input", tokens: 900, costMicros: 135 },
      { kind: "cached input", tokens: 200, costMicros: 15 },
      { kind: "output", tokens: 550, costMicros: 330 },
    ]);
    // A recorded cost off list price (a discount, a price change) keeps the proportions and the total.
    const off = splitCost(t, 1001, price);
    expect(off.reduce((n, s) => n + s.costMicros, 0)).toBe(1001);
    expect(off.map((s) => s.costMicros)).toEqual([281, 31, 689]);
  });

  it("split unpriced models by tokens, and cost without tokens to input", () => {
    expect(splitCost({ inputTokens: 2000, cachedTokens: 0, outputTokens: 1000 }, 25_000, undefined)).toEqual([
      { kind: "input", tokens: 2000, costMicros: 16_667 },
      { kind: "output", tokens: 1000, costMicros: 8333 },
    ]);
    expect(splitCost({ inputTokens: 0, cachedTokens: 0, outputTokens: 0 }, 7, undefined)).toEqual([
      { kind: "input", tokens: 0, costMicros: 7 },
    ]);
    expect(splitCost({ inputTokens: 0, cachedTokens: 0, outputTokens: 0 }, 0, undefined)).toEqual([]);
    // Integer micro-dollar prices (the price table's unit) split the same way as USD ones.
    const micros = { input: 1_000_000, cachedInput: 1_000_000, output: 2_000_000 };
    expect(splitCost({ inputTokens: 20, cachedTokens: 10, outputTokens: 0 }, 20, micros)).toEqual([
      { kind: "input", tokens: 10, costMicros: 10 },
      { kind: "cached input", tokens: 10, costMicros: 10 },
    ]);
  });

  it("names items like OpenAI", () => {
    expect(lineItemName("gpt-4o-mini", "cached input")).toBe("gpt-4o-mini, cached input");
  });
});
