import { DEFAULT_PRICES_USD } from "./price-defaults.js";

/**
 * Prices and costs in integer arithmetic.
 *
 * Unit: a price is integer micro-dollars per 1M tokens, which is the same number as pico-dollars
 * per token (1 USD / 1M tokens = 1 µ$ per token = 10^6 p$ per token). So `tokens × price` is an
 * exact integer count of pico-dollars; a cost sums its three terms in pico-dollars and divides by
 * 10^6 once. Rounding happens exactly once per cost:
 * - `costMicros` rounds half up to the nearest micro-dollar (error < 0.5 µ$ per request, unbiased
 *   enough for accounting; a 5-token gpt-5-nano call costs 0 µ$, a 10-token one 1 µ$);
 * - `maxCostMicros` rounds up, so a budget reservation always covers the settled cost of a request
 *   that used at most the reserved tokens.
 * Sums stay in `number` while they are exact (below 2^53 p$ ≈ $9,007) and switch to BigInt above.
 */

/** Config shape: USD per 1M tokens. `cachedInput` omitted = billed at the input rate. */
export interface UsdPrice {
  input: number;
  cachedInput?: number | undefined;
  output?: number | undefined;
}

/** Integer micro-dollars per 1M tokens. */
export interface ModelPrice {
  input: number;
  cachedInput: number;
  output: number;
}

export interface PriceTable {
  readonly models: ReadonlyMap<string, ModelPrice>;
  /** Names sorted longest first, for longest-prefix resolution. */
  readonly names: readonly string[];
  /** Price of models that match nothing (config key `"*"`); null = they cost 0. */
  readonly fallback: ModelPrice | null;
  /** Memo of resolved lookups; bounded because model names come from requests. */
  readonly memo: Map<string, ModelPrice | null>;
}

export interface TokenUsage {
  model: string;
  /** All prompt tokens, cached ones included (OpenAI's `prompt_tokens`). */
  inputTokens: number;
  /** The part of `inputTokens` served from the prompt cache; billed at the cached rate. */
  cachedTokens: number;
  outputTokens: number;
}

const MAX_USD_PER_1M = 1_000_000;
const MEMO_LIMIT = 1024;
const PICOS_PER_MICRO = 1_000_000;

/**
 * USD per 1M tokens → integer micro-dollars per 1M tokens, without float drift: `toFixed(6)`
 * prints the exact decimal of the double rounded at the 6th decimal, so 0.15 (stored as
 * 0.1499999…) becomes "0.150000" → 150000. Precision finer than 10^-6 USD per 1M tokens is rounded.
 */
export const usdPer1MToMicros = (usd: number): number => {
  if (!Number.isFinite(usd) || usd < 0 || usd > MAX_USD_PER_1M) {
    throw new RangeError(`price must be a number of USD per 1M tokens in [0, ${MAX_USD_PER_1M}], got ${usd}`);
  }
  const [whole = "0", frac = ""] = usd.toFixed(6).split(".");
  return Number(whole) * 1_000_000 + Number(frac.padEnd(6, "0"));
};

export const toModelPrice = (p: UsdPrice): ModelPrice => {
  const input = usdPer1MToMicros(p.input);
  return {
    input,
    cachedInput: p.cachedInput === undefined ? input : usdPer1MToMicros(p.cachedInput),
    output: usdPer1MToMicros(p.output ?? 0),
  };
};

/**
 * Builds the table from the defaults and config overrides (`config.prices`). An override replaces
 * the whole entry of its model. The key `"*"` is the fallback for models that match nothing.
 */
export const buildPriceTable = (
  overrides: Readonly<Record<string, UsdPrice>> = {},
  defaults: Readonly<Record<string, UsdPrice>> = DEFAULT_PRICES_USD,
): PriceTable => {
  const models = new Map<string, ModelPrice>();
  let fallback: ModelPrice | null = null;
  for (const [name, usd] of [...Object.entries(defaults), ...Object.entries(overrides)]) {
    if (name === "*") fallback = toModelPrice(usd);
    else models.set(name, toModelPrice(usd));
  }
  const names = [...models.keys()].sort((a, b) => b.length - a.length || a.localeCompare(b));
  return { models, names, fallback, memo: new Map() };
};

/**
 * Exact name, else the longest table name that is a prefix of `model` followed by "-"
 * (`gpt-4o-2024-08-06` → `gpt-4o`, `gpt-4o-mini-2024-07-18` → `gpt-4o-mini`, but `gpt-4o` is not
 * taken for `gpt-4`), else the fallback.
 */
export const resolvePrice = (table: PriceTable, model: string): ModelPrice | null => {
  const exact = table.models.get(model);
  if (exact) return exact;
  const memo = table.memo.get(model);
  if (memo !== undefined) return memo;
  let found: ModelPrice | null = table.fallback;
  for (const name of table.names) {
    if (model.length > name.length && model.charCodeAt(name.length) === 45 && model.startsWith(name)) {
      found = table.models.get(name) ?? null;
      break;
    }
  }
  if (table.memo.size >= MEMO_LIMIT) table.memo.clear();
  table.memo.set(model, found);
  return found;
};

const tokens = (n: number): number => (Number.isFinite(n) && n > 0 ? Math.floor(n) : 0);

/** Σ tokens × price (pico-dollars) → micro-dollars, rounded once. */
const picosToMicros = (t: readonly [number, number, number], p: ModelPrice, roundUp: boolean): number => {
  const picos = t[0] * p.input + t[1] * p.cachedInput + t[2] * p.output;
  // Every term is non-negative, so a float sum below 2^53 means every product and sum was exact.
  if (picos + PICOS_PER_MICRO <= Number.MAX_SAFE_INTEGER) {
    const rem = picos % PICOS_PER_MICRO;
    const whole = (picos - rem) / PICOS_PER_MICRO;
    return rem === 0 ? whole : whole + (roundUp || rem >= PICOS_PER_MICRO / 2 ? 1 : 0);
  }
  const big =
    BigInt(t[0]) * BigInt(p.input) + BigInt(t[1]) * BigInt(p.cachedInput) + BigInt(t[2]) * BigInt(p.output);
  const unit = BigInt(PICOS_PER_MICRO);
  const rem = big % unit;
  const whole = big / unit;
  return Number(rem === 0n ? whole : whole + (roundUp || rem >= unit / 2n ? 1n : 0n));
};

/**
 * Cost of a finished request in micro-dollars. Cached tokens are part of the input tokens and are
 * billed at the cached rate (a cached count above the input count is capped to it). Non-finite or
 * negative counts count as 0. Unpriced models cost the fallback price, or 0 without one.
 */
export const costMicros = (usage: TokenUsage, table: PriceTable): number => {
  const price = resolvePrice(table, usage.model);
  if (price === null) return 0;
  const input = tokens(usage.inputTokens);
  const cached = Math.min(tokens(usage.cachedTokens), input);
  return picosToMicros([input - cached, cached, tokens(usage.outputTokens)], price, false);
};

/**
 * Upper bound of a request's cost for budget reservation: every input token at the uncached rate
 * plus `maxOutputTokens` of output, rounded up. `costMicros` of any usage within these counts is
 * never larger (given a cached rate not above the input rate, as in every published price).
 */
export const maxCostMicros = (
  model: string,
  estimatedInputTokens: number,
  maxOutputTokens: number,
  table: PriceTable,
): number => {
  const price = resolvePrice(table, model);
  if (price === null) return 0;
  return picosToMicros([tokens(estimatedInputTokens), 0, tokens(maxOutputTokens)], price, true);
};
