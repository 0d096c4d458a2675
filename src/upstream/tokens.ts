import type { Endpoint } from "./types.js";

/**
 * Token estimates: characters / 4, rounded up. Not a tokenizer — it is used only where the upstream
 * reports nothing (reservations, broken streams) and by the echo provider, which defines its own
 * token counts with it so they are deterministic. Pure and O(n) with no allocation.
 */
export const tokensForChars = (chars: number): number => Math.ceil(chars / 4);

export const estimateTokens = (text: string): number => tokensForChars(text.length);

/** Per-message framing tokens, as OpenAI counts them for chat models. */
const PER_MESSAGE = 3;
const REPLY_PRIMING = 3;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Text of a message `content`: a string, or the `text` of each part of a content array. */
export const textOf = (content: unknown): string => {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  let out = "";
  for (const part of content) {
    if (isObject(part) && typeof part.text === "string") out += part.text;
  }
  return out;
};

const messagesTokens = (messages: unknown): number => {
  if (!Array.isArray(messages)) return 0;
  let n = REPLY_PRIMING;
  for (const m of messages) {
    n += PER_MESSAGE;
    if (isObject(m)) n += estimateTokens(textOf(m.content));
  }
  return n;
};

/** Inputs of embeddings / legacy prompts: string, string[], token array, or array of token arrays. */
const inputTokens = (input: unknown): number => {
  if (typeof input === "string") return estimateTokens(input);
  if (!Array.isArray(input)) return 0;
  let n = 0;
  for (const item of input) {
    if (typeof item === "string") n += estimateTokens(item);
    else if (typeof item === "number") n += 1;
    else if (Array.isArray(item)) n += item.length;
  }
  return n;
};

const responsesTokens = (json: Json): number => {
  const instructions = typeof json.instructions === "string" ? estimateTokens(json.instructions) : 0;
  const input = json.input;
  if (typeof input === "string") return instructions + REPLY_PRIMING + PER_MESSAGE + estimateTokens(input);
  return instructions + messagesTokens(input);
};

/** Prompt-token estimate for a request body, consistent with what the echo provider reports. */
export const estimatePromptTokens = (endpoint: Endpoint, json: Json | null): number => {
  if (!json) return 0;
  switch (endpoint) {
    case "chat":
      return messagesTokens(json.messages);
    case "responses":
      return responsesTokens(json);
    case "completions":
      return inputTokens(json.prompt);
    case "embeddings":
      return inputTokens(json.input);
    default:
      return 0;
  }
};

/** The last user-authored text of a request: what the echo provider answers with. */
export const lastUserText = (endpoint: Endpoint, json: Json): string => {
  if (endpoint === "completions") {
    const p = json.prompt;
    if (typeof p === "string") return p;
    return Array.isArray(p) && typeof p[p.length - 1] === "string" ? String(p[p.length - 1]) : "";
  }
  const list = endpoint === "responses" ? json.input : json.messages;
  if (typeof list === "string") return list;
  if (!Array.isArray(list)) return "";
  for (let i = list.length - 1; i >= 0; i--) {
    const m: unknown = list[i];
    if (isObject(m) && m.role === "user") return textOf(m.content);
  }
  return "";
};
