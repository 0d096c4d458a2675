import { nowSeconds } from "../domain/ids.js";
import { deltas, type EchoAnswer, echoAnswer, echoId } from "./echo-answer.js";

/** Responses API objects and its streaming event sequence, built from an EchoAnswer. */

type Json = Record<string, unknown>;

export interface ResponseMeta {
  id: string;
  messageId: string;
  createdAt: number;
  model: string;
}

export const responseMeta = (model: string): ResponseMeta => ({
  id: echoId("resp_"),
  messageId: echoId("msg_"),
  createdAt: nowSeconds(),
  model,
});

const stringMap = (v: unknown): Record<string, string> => {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) if (typeof val === "string") out[k] = val;
  return out;
};

const textPart = (text: string) => ({ type: "output_text", annotations: [], logprobs: [], text });

const message = (meta: ResponseMeta, status: string, content: unknown[]) => ({
  id: meta.messageId,
  type: "message",
  status,
  role: "assistant",
  content,
});

/** The `response` object; `a === null` renders it in progress (no output, no usage yet). */
const responseObject = (json: Json, meta: ResponseMeta, a: EchoAnswer | null) => {
  const status = a === null ? "in_progress" : a.truncated ? "incomplete" : "completed";
  return {
    id: meta.id,
    object: "response",
    created_at: meta.createdAt,
    status,
    background: false,
    completed_at: status === "completed" ? nowSeconds() : null,
    error: null,
    incomplete_details: a?.truncated ? { reason: "max_output_tokens" } : null,
    instructions: typeof json.instructions === "string" ? json.instructions : null,
    max_output_tokens: typeof json.max_output_tokens === "number" ? json.max_output_tokens : null,
    max_tool_calls: null,
    model: meta.model,
    output: a === null ? [] : [message(meta, a.truncated ? "incomplete" : "completed", [textPart(a.text)])],
    parallel_tool_calls: true,
    previous_response_id: typeof json.previous_response_id === "string" ? json.previous_response_id : null,
    prompt_cache_key: null,
    reasoning: { effort: null, summary: null },
    safety_identifier: null,
    service_tier: "default",
    store: json.store !== false,
    temperature: typeof json.temperature === "number" ? json.temperature : 1,
    text: { format: { type: "text" }, verbosity: "medium" },
    tool_choice: "auto",
    tools: [],
    top_logprobs: 0,
    top_p: typeof json.top_p === "number" ? json.top_p : 1,
    truncation: "disabled",
    // The spec types `usage` and `user` as non-null, so in-progress responses omit them.
    ...(a === null
      ? {}
      : {
          usage: {
            input_tokens: a.promptTokens,
            input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
            output_tokens: a.completionTokens,
            output_tokens_details: { reasoning_tokens: 0 },
            total_tokens: a.promptTokens + a.completionTokens,
          },
        }),
    metadata: stringMap(json.metadata),
  };
};

export const responseCompleted = (
  json: Json,
  meta: ResponseMeta,
  a: EchoAnswer = echoAnswer("responses", json),
) => responseObject(json, meta, a);

/**
 * The streaming sequence: response.created, response.in_progress, output_item.added,
 * content_part.added, output_text.delta per word, output_text.done, content_part.done,
 * output_item.done, then response.completed (or response.incomplete). One string per SSE event.
 */
export const responseStreamEvents = (
  json: Json,
  meta: ResponseMeta,
  a: EchoAnswer = echoAnswer("responses", json),
): string[] => {
  let seq = 0;
  const ev = (type: string, body: Json) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, ...body, sequence_number: seq++ })}\n\n`;
  const at = { item_id: meta.messageId, output_index: 0, content_index: 0 };
  const pending = responseObject(json, meta, null);
  const itemStatus = a.truncated ? "incomplete" : "completed";
  const out = [
    ev("response.created", { response: pending }),
    ev("response.in_progress", { response: pending }),
    ev("response.output_item.added", { output_index: 0, item: message(meta, "in_progress", []) }),
    ev("response.content_part.added", { ...at, part: textPart("") }),
  ];
  for (const delta of deltas(a.text))
    out.push(ev("response.output_text.delta", { ...at, delta, logprobs: [] }));
  out.push(
    ev("response.output_text.done", { ...at, text: a.text, logprobs: [] }),
    ev("response.content_part.done", { ...at, part: textPart(a.text) }),
    ev("response.output_item.done", { output_index: 0, item: message(meta, itemStatus, [textPart(a.text)]) }),
    ev(a.truncated ? "response.incomplete" : "response.completed", {
      response: responseObject(json, meta, a),
    }),
  );
  return out;
};
