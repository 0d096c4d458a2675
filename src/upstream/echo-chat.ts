import { nowSeconds } from "../domain/ids.js";
import { deltas, type EchoAnswer, echoAnswer, echoId } from "./echo-answer.js";

/** Chat Completions and legacy Completions in OpenAI's wire format, built from an EchoAnswer. */

type Json = Record<string, unknown>;

export interface EchoMeta {
  id: string;
  created: number;
  model: string;
}

const chatUsage = (a: EchoAnswer) => ({
  prompt_tokens: a.promptTokens,
  completion_tokens: a.completionTokens,
  total_tokens: a.promptTokens + a.completionTokens,
  prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
  completion_tokens_details: {
    reasoning_tokens: 0,
    audio_tokens: 0,
    accepted_prediction_tokens: 0,
    rejected_prediction_tokens: 0,
  },
});

const finishReason = (a: EchoAnswer): "stop" | "length" => (a.truncated ? "length" : "stop");

export const chatMeta = (model: string): EchoMeta => ({
  id: echoId("chatcmpl-"),
  created: nowSeconds(),
  model,
});
export const completionMeta = (model: string): EchoMeta => ({
  id: echoId("cmpl-"),
  created: nowSeconds(),
  model,
});

export const chatCompletion = (json: Json, meta: EchoMeta, a: EchoAnswer = echoAnswer("chat", json)) => ({
  id: meta.id,
  object: "chat.completion",
  created: meta.created,
  model: meta.model,
  choices: [
    {
      index: 0,
      message: { role: "assistant", content: a.text, refusal: null, annotations: [] },
      logprobs: null,
      finish_reason: finishReason(a),
    },
  ],
  usage: chatUsage(a),
  service_tier: "default",
  system_fingerprint: "fp_keyplane_echo",
});

const sse = (data: unknown): string => `data: ${JSON.stringify(data)}\n\n`;
export const SSE_DONE = "data: [DONE]\n\n";

/**
 * The SSE events of a streamed chat completion: role chunk, one chunk per word, finish chunk, the
 * usage chunk (`choices: []`) when `includeUsage`, then `[DONE]`. Each string is one whole event.
 */
export const chatStreamEvents = (
  json: Json,
  meta: EchoMeta,
  includeUsage: boolean,
  a: EchoAnswer = echoAnswer("chat", json),
): string[] => {
  const base = {
    id: meta.id,
    object: "chat.completion.chunk",
    created: meta.created,
    model: meta.model,
    service_tier: "default",
    system_fingerprint: "fp_keyplane_echo",
  };
  // With include_usage OpenAI sends `"usage": null` on every chunk but the last.
  const tail = includeUsage ? { usage: null } : {};
  const chunk = (delta: Json, finish: string | null) =>
    sse({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...tail });
  const out = [chunk({ role: "assistant", content: "", refusal: null }, null)];
  for (const d of deltas(a.text)) out.push(chunk({ content: d }, null));
  out.push(chunk({}, finishReason(a)));
  if (includeUsage) out.push(sse({ ...base, choices: [], usage: chatUsage(a) }));
  out.push(SSE_DONE);
  return out;
};

const completionUsage = (a: EchoAnswer) => ({
  prompt_tokens: a.promptTokens,
  completion_tokens: a.completionTokens,
  total_tokens: a.promptTokens + a.completionTokens,
});

export const textCompletion = (
  json: Json,
  meta: EchoMeta,
  a: EchoAnswer = echoAnswer("completions", json),
) => ({
  id: meta.id,
  object: "text_completion",
  created: meta.created,
  model: meta.model,
  choices: [{ text: a.text, index: 0, logprobs: null, finish_reason: finishReason(a) }],
  usage: completionUsage(a),
  system_fingerprint: "fp_keyplane_echo",
});

export const completionStreamEvents = (
  json: Json,
  meta: EchoMeta,
  includeUsage: boolean,
  a: EchoAnswer = echoAnswer("completions", json),
): string[] => {
  const base = { id: meta.id, object: "text_completion", created: meta.created, model: meta.model };
  const chunk = (text: string, finish: string | null) =>
    sse({ ...base, choices: [{ text, index: 0, logprobs: null, finish_reason: finish }] });
  const words = deltas(a.text);
  const out = words.map((w, i) => chunk(w, i === words.length - 1 ? finishReason(a) : null));
  if (includeUsage) out.push(sse({ ...base, choices: [], usage: completionUsage(a) }));
  out.push(SSE_DONE);
  return out;
};
