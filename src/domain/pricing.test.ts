import { describe, expect, it } from "vitest";
import { DEFAULT_PRICES_USD } from "./price-defaults.js";
import { buildPriceTable, costMicros, maxCostMicros, resolvePrice, usdPer1MToMicros } from "./pricing.js";

const table = buildPriceTable();
const usage = (model: string, inputTokens: number, cachedTokens: number, outputTokens: number) => ({
  model,
  inputTokens,
  cachedTokens,
  outputTokens,
});

describe("usdPer1MToMicros", () => {
  it("converts decimal USD exactly, with no float drift", () => {
    expect(usdPer1MToMicros(0.15)).toBe(150_000);
    expect(usdPer1MToMicros(0.075)).toBe(75_000);
    expect(usdPer1MToMicros(0.005)).toBe(5_000);
    expect(usdPer1MToMicros(1.1)).toBe(1_100_000);
    expect(usdPer1MToMicros(4.4)).toBe(4_400_000);
    expect(usdPer1MToMicros(0.1 + 0.2)).toBe(300_000);
    expect(usdPer1MToMicros(600)).toBe(600_000_000);
    expect(usdPer1MToMicros(0)).toBe(0);
  });

  it("rounds precision below 10^-6 USD per 1M tokens", () => {
    expect(usdPer1MToMicros(0.0000004)).toBe(0);
    expect(usdPer1MToMicros(0.0000016)).toBe(2);
  });

  it("rejects negative, non-finite and absurd prices", () => {
    expect(() => usdPer1MToMicros(-1)).toThrow(RangeError);
    expect(() => usdPer1MToMicros(Number.NaN)).toThrow(RangeError);
    expect(() => usdPer1MToMicros(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => usdPer1MToMicros(2_000_000)).toThrow(RangeError);
  });
});

describe("price table", () => {
  it("has defaults for current OpenAI models", () => {
    for (const m of [
      "gpt-4o",
      "gpt-4o-mini",
      "gpt-4.1",
      "gpt-4.1-mini",
      "gpt-4.1-nano",
      "o1",
      "o3",
      "o3-mini",
      "o4-mini",
      "gpt-5",
      "gpt-5-mini",
      "gpt-5-nano",
      "text-embedding-3-small",
      "text-embedding-3-large",
      "text-embedding-ada-002",
    ]) {
      expect(DEFAULT_PRICES_USD[m], m).toBeDefined();
      expect(resolvePrice(table, m), m).not.toBeNull();
    }
    expect(resolvePrice(table, "gpt-4o-mini")).toEqual({
      input: 150_000,
      cachedInput: 75_000,
      output: 600_000,
    });
  });

  it("resolves dated snapshots to their base model by longest prefix", () => {
    expect(resolvePrice(table, "gpt-4o-2024-08-06")).toBe(table.models.get("gpt-4o"));
    expect(resolvePrice(table, "gpt-4o-mini-2024-07-18")).toBe(table.models.get("gpt-4o-mini"));
    expect(resolvePrice(table, "gpt-4.1-nano-2025-04-14")).toBe(table.models.get("gpt-4.1-nano"));
    expect(resolvePrice(table, "o3-mini-2025-01-31")).toBe(table.models.get("o3-mini"));
    expect(resolvePrice(table, "o3-2025-04-16")).toBe(table.models.get("o3"));
    expect(resolvePrice(table, "gpt-5-nano-2025-08-07")).toBe(table.models.get("gpt-5-nano"));
    // A snapshot priced differently from its alias keeps its own entry.
    expect(resolvePrice(table, "gpt-4o-2024-05-13")?.input).toBe(5_000_000);
  });

  it("matches prefixes only at a '-' boundary", () => {
    expect(resolvePrice(table, "gpt-4.7")).toBeNull();
    expect(resolvePrice(table, "o3x")).toBeNull();
    expect(resolvePrice(table, "gpt-4-0613")).toBe(table.models.get("gpt-4"));
    expect(resolvePrice(table, "unknown-model")).toBeNull();
    // Memoised answers stay correct on repeat.
    expect(resolvePrice(table, "unknown-model")).toBeNull();
    expect(resolvePrice(table, "gpt-4o-2024-08-06")).toBe(table.models.get("gpt-4o"));
  });

  it("applies config overrides, defaults cached input to the input rate, and honours '*'", () => {
    const t = buildPriceTable({
      "gpt-4o": { input: 3, output: 12 },
      "my-model": { input: 0.3, cachedInput: 0.03, output: 1.2 },
      "*": { input: 1, output: 2 },
    });
    expect(resolvePrice(t, "gpt-4o-2024-11-20")).toEqual({
      input: 3_000_000,
      cachedInput: 3_000_000,
      output: 12_000_000,
    });
    expect(resolvePrice(t, "my-model-v2")).toEqual({
      input: 300_000,
      cachedInput: 30_000,
      output: 1_200_000,
    });
    expect(resolvePrice(t, "mystery")).toEqual({
      input: 1_000_000,
      cachedInput: 1_000_000,
      output: 2_000_000,
    });
    // Other defaults survive an override.
    expect(resolvePrice(t, "gpt-4o-mini")?.input).toBe(150_000);
  });
});

describe("costMicros", () => {
  it("prices input, cached input and output separately (cached tokens are part of input)", () => {
    // gpt-4o: 2.50 / 1.25 / 10.00 USD per 1M → 1000 uncached × 2.5 + 1000 cached × 1.25 + 500 × 10
    expect(costMicros(usage("gpt-4o", 2000, 1000, 500), table)).toBe(2500 + 1250 + 5000);
    expect(costMicros(usage("gpt-4o", 1_000_000, 0, 1_000_000), table)).toBe(12_500_000);
    expect(costMicros(usage("gpt-4o", 1_000_000, 1_000_000, 0), table)).toBe(1_250_000);
  });

  it("sums in pico-dollars and rounds half up once", () => {
    // gpt-4o-mini input 0.15 µ$/token: 3 tokens = 0.45 µ$ → 0; 4 tokens = 0.6 µ$ → 1.
    expect(costMicros(usage("gpt-4o-mini", 3, 0, 0), table)).toBe(0);
    expect(costMicros(usage("gpt-4o-mini", 4, 0, 0), table)).toBe(1);
    // Exactly half rounds up: gpt-5-nano input 0.05 µ$/token × 10 = 0.5 µ$.
    expect(costMicros(usage("gpt-5-nano", 10, 0, 0), table)).toBe(1);
    // Rounding each term would give 0 + 0; one rounding of 3 × 0.15 + 1 × 0.075 = 0.525 gives 1.
    expect(costMicros(usage("gpt-4o-mini", 4, 1, 0), table)).toBe(1);
    // 0.15 × 3 + 0.075 × 3 + 0.6 × 1 = 0.45 + 0.225 + 0.6 = 1.275 → 1
    expect(costMicros(usage("gpt-4o-mini", 6, 3, 1), table)).toBe(1);
    // 1234 uncached × 0.15 + 512 × 0.075 + 345 × 0.6 = 185.1 + 38.4 + 207 = 430.5 → 431
    expect(costMicros(usage("gpt-4o-mini", 1746, 512, 345), table)).toBe(431);
  });

  it("caps cached tokens at input tokens and ignores invalid counts", () => {
    expect(costMicros(usage("gpt-4o", 100, 500, 0), table)).toBe(125);
    expect(costMicros(usage("gpt-4o", -5, 0, Number.NaN), table)).toBe(0);
    expect(costMicros(usage("gpt-4o", 1000.9, 0, 0), table)).toBe(2500);
  });

  it("costs unknown models 0 without a fallback, the fallback price with one", () => {
    expect(costMicros(usage("mystery", 1000, 0, 1000), table)).toBe(0);
    const t = buildPriceTable({ "*": { input: 1, output: 2 } });
    expect(costMicros(usage("mystery", 1000, 0, 1000), t)).toBe(3000);
  });

  it("stays exact beyond 2^53 pico-dollars", () => {
    // o1-pro output 600 USD/1M = 6e8 p$/token; 2e7 tokens → 1.2e16 p$ (> 2^53) = 12,000,000,000 µ$.
    expect(costMicros(usage("o1-pro", 0, 0, 20_000_000), table)).toBe(12_000_000_000);
    // 15,000,001 input tokens at 0.15 → 2,250,000.15 µ$, computed through BigInt with a large output term.
    const t = buildPriceTable({ big: { input: 0.15, output: 600 } });
    expect(costMicros(usage("big", 15_000_001, 0, 20_000_000), t)).toBe(12_002_250_000);
  });
});

describe("maxCostMicros", () => {
  it("reserves all input at the uncached rate plus max output, rounded up", () => {
    expect(maxCostMicros("gpt-4o", 1000, 500, table)).toBe(2500 + 5000);
    expect(maxCostMicros("gpt-4o-mini", 3, 0, table)).toBe(1);
    expect(maxCostMicros("gpt-4o-mini", 0, 0, table)).toBe(0);
    expect(maxCostMicros("mystery", 1000, 1000, table)).toBe(0);
  });

  it("is never below the settled cost of a request within the reserved counts", () => {
    for (const model of ["gpt-4o-mini", "gpt-5-nano", "o4-mini", "text-embedding-3-small"]) {
      for (let input = 0; input < 60; input += 7) {
        for (let out = 0; out < 40; out += 3) {
          const max = maxCostMicros(model, input, out, table);
          for (const cached of [0, Math.floor(input / 2), input]) {
            expect(costMicros(usage(model, input, cached, out), table)).toBeLessThanOrEqual(max);
          }
        }
      }
    }
  });
});
