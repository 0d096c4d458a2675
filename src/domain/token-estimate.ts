/**
 * The token cost a request reserves before it runs: prompt characters / 4 (OpenAI estimates its
 * own rate-limit charge from characters, not a tokenizer) plus the most output it may produce.
 * Settling with the real usage corrects the estimate afterwards.
 */
export interface TokenEstimateOptions {
  /** Output reserved when the request names no max (`max_tokens` and friends); 0 for embeddings. */
  defaultMaxOutputTokens: number;
}

/** Text fields that hold the prompt, per endpoint: chat `messages`, responses/embeddings `input`, completions `prompt`. */
const PROMPT_FIELDS = ["messages", "input", "prompt", "instructions", "tools", "functions"] as const;

/** Binary payloads (base64 images, audio, files) are not text and would swamp the character count. */
const SKIPPED_KEYS = new Set([
  "image_url",
  "input_audio",
  "file",
  "file_data",
  "audio",
  "type",
  "role",
  "detail",
]);

/** Flat charge for an image or audio part, roughly OpenAI's low-detail image cost. */
const MEDIA_PART_TOKENS = 85;
const MAX_DEPTH = 16;

interface Tally {
  chars: number;
  tokens: number;
}

const walk = (value: unknown, depth: number, tally: Tally): void => {
  if (typeof value === "string") {
    tally.chars += value.length;
    return;
  }
  // Embeddings and completions accept pre-tokenized prompts: arrays of token ids.
  if (typeof value === "number") {
    tally.tokens += 1;
    return;
  }
  if (depth >= MAX_DEPTH || value === null || typeof value !== "object") return;
  if (Array.isArray(value)) {
    for (const item of value) walk(item, depth + 1, tally);
    return;
  }
  // for…in, not Object.entries: no pair arrays per key (parsed JSON has only own keys).
  const obj = value as Record<string, unknown>;
  for (const k in obj) {
    if (SKIPPED_KEYS.has(k)) {
      if (k !== "type" && k !== "role" && k !== "detail") tally.tokens += MEDIA_PART_TOKENS;
      continue;
    }
    walk(obj[k], depth + 1, tally);
  }
};

const positiveInt = (v: unknown): number | null =>
  typeof v === "number" && Number.isFinite(v) && v > 0 ? Math.floor(v) : null;

/** The most output tokens the request may produce, times `n` choices. */
export const maxOutputTokens = (body: Record<string, unknown>, fallback: number): number => {
  const max =
    positiveInt(body.max_completion_tokens) ??
    positiveInt(body.max_tokens) ??
    positiveInt(body.max_output_tokens) ??
    fallback;
  return max * (positiveInt(body.n) ?? 1);
};

export const estimateTokens = (body: unknown, opts: TokenEstimateOptions): number => {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return opts.defaultMaxOutputTokens;
  const record = body as Record<string, unknown>;
  const tally: Tally = { chars: 0, tokens: 0 };
  for (const field of PROMPT_FIELDS) walk(record[field], 0, tally);
  return Math.ceil(tally.chars / 4) + tally.tokens + maxOutputTokens(record, opts.defaultMaxOutputTokens);
};
