import { randomBytes } from "node:crypto";
import { estimatePromptTokens, estimateTokens, lastUserText } from "./tokens.js";
import type { Endpoint } from "./types.js";

/** Longest answer the echo provider gives, so a large prompt cannot make a large response. */
export const MAX_ECHO_CHARS = 4096;
export const EMPTY_PROMPT_ANSWER = "Hello from the Keyplane echo provider.";

type Json = Record<string, unknown>;

export interface EchoAnswer {
  text: string;
  /** "length" when the request's output-token limit cut the answer. */
  truncated: boolean;
  promptTokens: number;
  completionTokens: number;
}

const maxOutputTokens = (endpoint: Endpoint, json: Json): number | null => {
  const v =
    endpoint === "responses"
      ? json.max_output_tokens
      : endpoint === "chat"
        ? (json.max_completion_tokens ?? json.max_tokens)
        : json.max_tokens;
  return typeof v === "number" && Number.isInteger(v) && v > 0 ? v : null;
};

/**
 * The echo provider's answer: the last user message, verbatim, at most MAX_ECHO_CHARS characters
 * and at most the requested output tokens (4 characters per token). Token counts use the same
 * estimator as the rest of Keyplane, so tests can predict them exactly.
 */
export const echoAnswer = (endpoint: Endpoint, json: Json): EchoAnswer => {
  let text = lastUserText(endpoint, json) || EMPTY_PROMPT_ANSWER;
  if (text.length > MAX_ECHO_CHARS) text = text.slice(0, MAX_ECHO_CHARS);
  const limit = maxOutputTokens(endpoint, json);
  const truncated = limit !== null && estimateTokens(text) > limit;
  if (truncated && limit !== null) text = text.slice(0, limit * 4);
  return {
    text,
    truncated,
    promptTokens: estimatePromptTokens(endpoint, json),
    completionTokens: estimateTokens(text),
  };
};

/** Splits an answer into word-sized stream deltas (each word keeps its trailing whitespace). */
export const deltas = (text: string): string[] => text.match(/\s*\S+\s*/g) ?? [text];

const PREFIX = randomBytes(6).toString("hex");
let counter = 0;

/** Unique ids without a syscall per request: a random process prefix plus a counter. */
export const echoId = (prefix: string): string => {
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  return `${prefix}${PREFIX}${counter.toString(36).padStart(8, "0")}`;
};
