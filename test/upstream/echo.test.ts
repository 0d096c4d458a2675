import { describe, expect, test } from "vitest";
import { echoRespond } from "../../src/upstream/echo.js";
import { EMPTY_PROMPT_ANSWER, MAX_ECHO_CHARS } from "../../src/upstream/echo-answer.js";
import { embedText } from "../../src/upstream/echo-embeddings.js";
import { estimateTokens } from "../../src/upstream/tokens.js";
import { validateAgainst } from "../helpers/spec.js";

const SPEC = "openai-dataplane-openapi.json";

type Json = Record<string, unknown>;

const expectValid = (schema: string, value: unknown): void => {
  const r = validateAgainst(SPEC, schema, value);
  expect(r.errors, `${schema}: ${JSON.stringify(value).slice(0, 300)}`).toEqual([]);
};

const call = (
  path: string,
  json: Json | null,
  opts: { method?: string; wantsUsage?: boolean; model?: string } = {},
) =>
  echoRespond({
    path,
    method: opts.method ?? "POST",
    json,
    model: opts.model ?? "gpt-4o-mini",
    clientWantsUsage: opts.wantsUsage ?? false,
    models: ["gpt-4o", "gpt-4o-mini"],
  });

const parseJson = (body: Buffer): Json => JSON.parse(body.toString("utf8")) as Json;

/** Splits an SSE body into events: `[eventName | null, data]`. */
const sseEvents = (body: Buffer): Array<[string | null, string]> =>
  body
    .toString("utf8")
    .split("\n\n")
    .filter((e) => e !== "")
    .map((e) => {
      const name = /^event: (.*)$/m.exec(e)?.[1] ?? null;
      const data = /^data: (.*)$/m.exec(e)?.[1] ?? "";
      return [name, data];
    });

const chat = {
  model: "gpt-4o-mini",
  messages: [
    { role: "system", content: "Be terse." },
    { role: "user", content: "Hello there, echo!" },
  ],
};
// 3 priming + (3 + ceil(10/4)=3) + (3 + ceil(18/4)=5)
const CHAT_PROMPT_TOKENS = 3 + 6 + 8;

describe("echo chat completions", () => {
  test("non-stream answer echoes the last user message with exact usage", () => {
    const r = call("/chat/completions", chat);
    expect(r.status).toBe(200);
    expect(r.contentType).toBe("application/json");
    const body = parseJson(r.body);
    expectValid("CreateChatCompletionResponse", body);
    expect(body).toMatchObject({
      object: "chat.completion",
      model: "gpt-4o-mini",
      choices: [{ message: { role: "assistant", content: "Hello there, echo!" }, finish_reason: "stop" }],
      usage: {
        prompt_tokens: CHAT_PROMPT_TOKENS,
        completion_tokens: 5,
        total_tokens: CHAT_PROMPT_TOKENS + 5,
      },
    });
    expect(r.usage).toEqual({
      inputTokens: CHAT_PROMPT_TOKENS,
      outputTokens: 5,
      cachedInputTokens: 0,
      estimated: false,
    });
  });

  test("content parts, empty prompt, max_tokens truncation and the length bound", () => {
    const parts = call("/chat/completions", {
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "a" },
            { type: "text", text: "b" },
          ],
        },
      ],
    });
    expect(parseJson(parts.body)).toMatchObject({ choices: [{ message: { content: "ab" } }] });
    const empty = parseJson(call("/chat/completions", { messages: [] }).body);
    expect(empty).toMatchObject({ choices: [{ message: { content: EMPTY_PROMPT_ANSWER } }] });
    const cut = parseJson(
      call("/chat/completions", { messages: [{ role: "user", content: "x".repeat(100) }], max_tokens: 3 })
        .body,
    );
    expectValid("CreateChatCompletionResponse", cut);
    expect(cut).toMatchObject({
      choices: [{ message: { content: "x".repeat(12) }, finish_reason: "length" }],
      usage: { completion_tokens: 3 },
    });
    const long = parseJson(
      call("/chat/completions", { messages: [{ role: "user", content: "y".repeat(10_000) }] }).body,
    );
    expect(long).toMatchObject({ usage: { completion_tokens: MAX_ECHO_CHARS / 4 } });
  });

  test("stream: role, content, finish, usage when asked, [DONE]; every chunk valid", () => {
    for (const wantsUsage of [true, false]) {
      const r = call("/chat/completions", { ...chat, stream: true }, { wantsUsage });
      expect(r.contentType).toMatch(/^text\/event-stream/);
      const events = sseEvents(r.body);
      expect(events.at(-1)).toEqual([null, "[DONE]"]);
      const chunks = events.slice(0, -1).map(([, d]) => JSON.parse(d) as Json);
      for (const c of chunks) expectValid("CreateChatCompletionStreamResponse", c);
      expect(chunks[0]).toMatchObject({ choices: [{ delta: { role: "assistant" } }] });
      const text = chunks
        .map((c) => (c.choices as Array<{ delta: { content?: string } }>)[0]?.delta.content ?? "")
        .join("");
      expect(text).toBe("Hello there, echo!");
      const usageChunks = chunks.filter((c) => Array.isArray(c.choices) && c.choices.length === 0);
      expect(usageChunks.length).toBe(wantsUsage ? 1 : 0);
      if (wantsUsage)
        expect(usageChunks[0]).toMatchObject({
          usage: { prompt_tokens: CHAT_PROMPT_TOKENS, completion_tokens: 5 },
        });
      expect(r.usage).toMatchObject({ inputTokens: CHAT_PROMPT_TOKENS, outputTokens: 5, estimated: false });
    }
  });

  test("missing messages is OpenAI's 400", () => {
    const r = call("/chat/completions", { model: "x" });
    expect(r.status).toBe(400);
    expect(parseJson(r.body)).toEqual({
      error: {
        message: "Missing required parameter: 'messages'.",
        type: "invalid_request_error",
        param: "messages",
        code: "missing_required_parameter",
      },
    });
  });
});

const EVENT_SCHEMA: Record<string, string> = {
  "response.created": "ResponseCreatedEvent",
  "response.in_progress": "ResponseInProgressEvent",
  "response.output_item.added": "ResponseOutputItemAddedEvent",
  "response.content_part.added": "ResponseContentPartAddedEvent",
  "response.output_text.delta": "ResponseTextDeltaEvent",
  "response.output_text.done": "ResponseTextDoneEvent",
  "response.content_part.done": "ResponseContentPartDoneEvent",
  "response.output_item.done": "ResponseOutputItemDoneEvent",
  "response.completed": "ResponseCompletedEvent",
};

describe("echo responses", () => {
  const req = { model: "gpt-4.1", input: "Tell me a story", instructions: "Short.", metadata: { k: "v" } };

  test("non-stream Response object", () => {
    const r = call("/responses", req, { model: "gpt-4.1" });
    const body = parseJson(r.body);
    expectValid("Response", body);
    expect(body).toMatchObject({
      object: "response",
      status: "completed",
      model: "gpt-4.1",
      instructions: "Short.",
      metadata: { k: "v" },
      output: [
        { type: "message", role: "assistant", content: [{ type: "output_text", text: "Tell me a story" }] },
      ],
      usage: { input_tokens: 2 + 3 + 3 + 4, output_tokens: 4, total_tokens: 16 },
    });
  });

  test("message-array input and max_output_tokens make an incomplete response", () => {
    const body = parseJson(
      call("/responses", {
        input: [{ role: "user", content: [{ type: "input_text", text: "abcdefghijkl" }] }],
        max_output_tokens: 2,
      }).body,
    );
    expectValid("Response", body);
    expect(body).toMatchObject({
      status: "incomplete",
      incomplete_details: { reason: "max_output_tokens" },
      usage: { output_tokens: 2 },
    });
  });

  test("stream event sequence, each event valid, usage on response.completed", () => {
    const r = call("/responses", { ...req, stream: true }, { model: "gpt-4.1" });
    const events = sseEvents(r.body);
    const names = events.map(([n]) => n);
    expect(names.slice(0, 4)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
    ]);
    expect(names.slice(-4)).toEqual([
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    const parsed = events.map(([n, d]) => {
      const ev = JSON.parse(d) as Json;
      expect(ev.type).toBe(n);
      expectValid(EVENT_SCHEMA[String(n)] ?? "missing", ev);
      expect(validateAgainst(SPEC, "ResponseStreamEvent", ev).valid).toBe(true);
      return ev;
    });
    expect(parsed.map((e) => e.sequence_number)).toEqual(parsed.map((_, i) => i));
    const text = parsed
      .filter((e) => e.type === "response.output_text.delta")
      .map((e) => e.delta)
      .join("");
    expect(text).toBe("Tell me a story");
    expect(parsed.at(-1)).toMatchObject({ response: { status: "completed", usage: { output_tokens: 4 } } });
    expect(r.usage).toMatchObject({ outputTokens: 4, estimated: false });
  });
});

describe("echo completions, embeddings, models", () => {
  test("legacy completion and its stream", () => {
    const r = parseJson(call("/completions", { prompt: "Say this", max_tokens: 50 }).body);
    expect(r).toMatchObject({
      object: "text_completion",
      choices: [{ text: "Say this", finish_reason: "stop" }],
      usage: { prompt_tokens: 2, completion_tokens: 2 },
    });
    const s = sseEvents(
      call("/completions", { prompt: "Say this", stream: true }, { wantsUsage: true }).body,
    );
    expect(s.at(-1)).toEqual([null, "[DONE]"]);
    const chunks = s.slice(0, -1).map(([, d]) => JSON.parse(d) as Json);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { completion_tokens: 2 } });
    expect(
      chunks
        .slice(0, -1)
        .map((c) => (c.choices as Array<{ text: string }>)[0]?.text)
        .join(""),
    ).toBe("Say this");
  });

  test("embeddings are deterministic unit vectors, float or base64", () => {
    const r = call(
      "/embeddings",
      { model: "text-embedding-3-small", input: ["hello", "world"] },
      { model: "text-embedding-3-small" },
    );
    const body = parseJson(r.body);
    expectValid("CreateEmbeddingResponse", body);
    const data = body.data as Array<{ embedding: number[]; index: number }>;
    expect(data.map((d) => d.index)).toEqual([0, 1]);
    expect(data[0]?.embedding.length).toBe(1536);
    const norm = Math.sqrt((data[0]?.embedding ?? []).reduce((s, x) => s + x * x, 0));
    expect(norm).toBeCloseTo(1, 5);
    const again = parseJson(call("/embeddings", { input: "hello" }).body).data as Array<{
      embedding: number[];
    }>;
    expect(again[0]?.embedding).toEqual(data[0]?.embedding);
    expect(data[1]?.embedding).not.toEqual(data[0]?.embedding);
    expect(body.usage).toEqual({ prompt_tokens: 4, total_tokens: 4 });

    const b64 = parseJson(
      call("/embeddings", { input: "hello", encoding_format: "base64", dimensions: 8 }).body,
    );
    const raw = Buffer.from((b64.data as Array<{ embedding: string }>)[0]?.embedding ?? "", "base64");
    const floats = Array.from({ length: raw.length / 4 }, (_, i) => raw.readFloatLE(i * 4));
    expect(floats).toEqual(Array.from(embedText("hello", 8)));
    expect(
      parseJson(call("/embeddings", { input: "x" }, { model: "text-embedding-3-large" }).body),
    ).toMatchObject({
      data: [{ embedding: expect.any(Array) }],
    });
    expect(
      (
        parseJson(call("/embeddings", { input: "x" }, { model: "text-embedding-3-large" }).body)
          .data as Array<{ embedding: number[] }>
      )[0]?.embedding.length,
    ).toBe(3072);
  });

  test("models list and retrieve validate", () => {
    const list = parseJson(call("/models", null, { method: "GET" }).body);
    expectValid("ListModelsResponse", list);
    expect((list.data as Array<{ id: string }>).map((m) => m.id)).toEqual(["gpt-4o", "gpt-4o-mini"]);
    const one = parseJson(call("/models/gpt-4o", null, { method: "GET" }).body);
    expectValid("Model", one);
    expect(one.id).toBe("gpt-4o");
  });

  test("unknown path is OpenAI's 404", () => {
    const r = call("/files", {});
    expect(r.status).toBe(404);
    expect(parseJson(r.body)).toMatchObject({ error: { message: "Invalid URL (POST /v1/files)" } });
    expect(estimateTokens("abcde")).toBe(2);
  });
});
