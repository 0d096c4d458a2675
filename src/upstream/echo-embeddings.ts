import { estimatePromptTokens } from "./tokens.js";

/** Deterministic embeddings and the model objects of the echo provider. */

type Json = Record<string, unknown>;

const MAX_DIMENSIONS = 8192;

/** 32-bit FNV-1a of a string: the seed of an input's vector, so equal inputs embed equally. */
const fnv1a = (s: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
};

/** mulberry32: tiny, fast, good enough to spread vector components. */
const rng = (seed: number): (() => number) => {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** A unit-length float32 vector for `text`. */
export const embedText = (text: string, dimensions: number): Float32Array => {
  const next = rng(fnv1a(text));
  const v = new Float32Array(dimensions);
  let norm = 0;
  for (let i = 0; i < dimensions; i++) {
    const x = next() * 2 - 1;
    v[i] = x;
    norm += x * x;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < dimensions; i++) v[i] = (v[i] ?? 0) * scale;
  return v;
};

const dimensionsFor = (json: Json, model: string): number => {
  const d = json.dimensions;
  if (typeof d === "number" && Number.isInteger(d) && d > 0) return Math.min(d, MAX_DIMENSIONS);
  return model.includes("large") ? 3072 : 1536;
};

/** Inputs as strings: token arrays are embedded by their decimal text so they stay deterministic. */
const inputTexts = (input: unknown): string[] => {
  if (typeof input === "string") return [input];
  if (!Array.isArray(input)) return [];
  if (input.every((x) => typeof x === "number")) return [input.join(",")];
  return input.map((x) => (Array.isArray(x) ? x.join(",") : String(x)));
};

/** JSON floats at 8 significant decimals: OpenAI-like size instead of 17-digit doubles. */
const round = (x: number): number => Math.round(x * 1e8) / 1e8;

export const embeddingList = (json: Json, model: string) => {
  const dims = dimensionsFor(json, model);
  const base64 = json.encoding_format === "base64";
  const data = inputTexts(json.input).map((text, index) => {
    const v = embedText(text, dims);
    const embedding = base64
      ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64")
      : Array.from(v, round);
    return { object: "embedding", index, embedding };
  });
  const tokens = estimatePromptTokens("embeddings", json);
  return { object: "list", data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } };
};

/** Fixed creation time: model objects must be identical across calls and instances. */
const MODEL_CREATED = 1_700_000_000;

export const modelObject = (id: string) => ({
  id,
  object: "model",
  created: MODEL_CREATED,
  owned_by: "keyplane",
});

export const modelList = (ids: readonly string[]) => ({ object: "list", data: ids.map(modelObject) });
