import { type EchoAnswer, echoAnswer } from "./echo-answer.js";
import {
  chatCompletion,
  chatMeta,
  chatStreamEvents,
  completionMeta,
  completionStreamEvents,
  textCompletion,
} from "./echo-chat.js";
import { embeddingList, modelList, modelObject } from "./echo-embeddings.js";
import { responseCompleted, responseMeta, responseStreamEvents } from "./echo-responses.js";
import { endpointOf } from "./endpoint.js";
import type { Usage } from "./types.js";

/**
 * The built-in `echo` provider: answers any model offline, in OpenAI's wire format, without
 * touching the network. Answers echo the last user message (see echo-answer.ts), so tests and
 * first-run users can predict them; usage is exact by definition (`estimated: false`).
 */

type Json = Record<string, unknown>;

export interface EchoRequest {
  /** Path after `/v1`, e.g. `/chat/completions`. */
  path: string;
  method: string;
  json: Json | null;
  /** Model name to answer as (the candidate's, after aliasing). */
  model: string;
  /** Only for streams: whether to emit the usage chunk (chat/completions). */
  clientWantsUsage: boolean;
  /** What `GET /models` lists. */
  models?: readonly string[];
}

export interface EchoResult {
  status: number;
  contentType: string;
  body: Buffer;
  usage: Usage | null;
}

export const JSON_TYPE = "application/json";
export const SSE_TYPE = "text/event-stream; charset=utf-8";

const json = (status: number, value: unknown, usage: Usage | null = null): EchoResult => ({
  status,
  contentType: JSON_TYPE,
  body: Buffer.from(JSON.stringify(value)),
  usage,
});

const sse = (events: string[], usage: Usage): EchoResult => ({
  status: 200,
  contentType: SSE_TYPE,
  body: Buffer.from(events.join("")),
  usage,
});

export const openAiError = (message: string, param: string | null = null, code: string | null = null) => ({
  error: { message, type: "invalid_request_error", param, code },
});

const missing = (param: string): EchoResult =>
  json(400, openAiError(`Missing required parameter: '${param}'.`, param, "missing_required_parameter"));

const usageOf = (a: EchoAnswer): Usage => ({
  inputTokens: a.promptTokens,
  outputTokens: a.completionTokens,
  cachedInputTokens: 0,
  estimated: false,
});

export const echoRespond = (req: EchoRequest): EchoResult => {
  const endpoint = endpointOf(req.path);
  const body = req.json ?? {};
  const stream = body.stream === true;
  if (endpoint === "models" && req.method === "GET") {
    const id = req.path.split("?")[0]?.slice("/models/".length) ?? "";
    return req.path.startsWith("/models/")
      ? json(200, modelObject(decodeURIComponent(id)))
      : json(200, modelList(req.models ?? [req.model]));
  }
  if (req.method !== "POST" || endpoint === "models" || endpoint === "other") {
    return json(404, openAiError(`Invalid URL (${req.method} /v1${req.path.split("?")[0] ?? ""})`));
  }
  switch (endpoint) {
    case "chat": {
      if (!Array.isArray(body.messages)) return missing("messages");
      const a = echoAnswer("chat", body);
      const meta = chatMeta(req.model);
      if (stream) return sse(chatStreamEvents(body, meta, req.clientWantsUsage, a), usageOf(a));
      return json(200, chatCompletion(body, meta, a), usageOf(a));
    }
    case "completions": {
      if (body.prompt === undefined) return missing("prompt");
      const a = echoAnswer("completions", body);
      const meta = completionMeta(req.model);
      if (stream) return sse(completionStreamEvents(body, meta, req.clientWantsUsage, a), usageOf(a));
      return json(200, textCompletion(body, meta, a), usageOf(a));
    }
    case "responses": {
      const a = echoAnswer("responses", body);
      const meta = responseMeta(req.model);
      if (stream) return sse(responseStreamEvents(body, meta, a), usageOf(a));
      return json(200, responseCompleted(body, meta, a), usageOf(a));
    }
    case "embeddings": {
      if (body.input === undefined) return missing("input");
      const list = embeddingList(body, req.model);
      const tokens = list.usage.prompt_tokens;
      return json(200, list, {
        inputTokens: tokens,
        outputTokens: 0,
        cachedInputTokens: 0,
        estimated: false,
      });
    }
  }
};
