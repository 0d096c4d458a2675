#!/usr/bin/env node
// Fixed-answer OpenAI-shaped upstream for benchmarks: as cheap as possible, so the numbers measure
// the gateway. Non-stream requests get a 477-byte chat.completion with usage; requests with
// `"stream": true` get a 12-event SSE stream (role, 8 content chunks, finish, usage, [DONE]).
//
//   node bench/fake-upstream.mjs [port]     prints "LISTENING <port>" once ready
//   env: MOCK_DELAY_MS (wait before answering), MOCK_CHUNK_GAP_MS (pause between SSE events)
//
// Also importable: `startFakeUpstream({ port, delayMs, chunkGapMs }) → Promise<{ port, close }>`.
import { createServer } from "node:http";
import { pathToFileURL } from "node:url";

const CREATED = 1741570283;
const ID = "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG";
const MODEL = "gpt-4o-mini";

export const CHAT_JSON = Buffer.from(
  JSON.stringify({
    id: ID,
    object: "chat.completion",
    created: CREATED,
    model: MODEL,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: "Hello! How can I help you today?",
          refusal: null,
          annotations: [],
        },
        logprobs: null,
        finish_reason: "stop",
      },
    ],
    usage: {
      prompt_tokens: 19,
      completion_tokens: 9,
      total_tokens: 28,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    },
    service_tier: "default",
  }),
);

const chunk = (delta, finish, extra = {}) =>
  `data: ${JSON.stringify({
    id: ID,
    object: "chat.completion.chunk",
    created: CREATED,
    model: MODEL,
    choices: delta === null ? [] : [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...extra,
  })}\n\n`;

const WORDS = ["Hello", "!", " How", " can", " I", " help", " you", " today?"];

export const SSE_EVENTS = [
  chunk({ role: "assistant", content: "", refusal: null }, null),
  ...WORDS.map((w) => chunk({ content: w }, null)),
  chunk({}, "stop"),
  chunk(null, null, { usage: { prompt_tokens: 19, completion_tokens: 9, total_tokens: 28 } }),
  "data: [DONE]\n\n",
].map((e) => Buffer.from(e));

const SSE_BODY = Buffer.concat(SSE_EVENTS);
const JSON_HEADERS = { "content-type": "application/json", "content-length": String(CHAT_JSON.length) };
const SSE_HEADERS = { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" };
const STREAM_RE = /"stream"\s*:\s*true/;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export const startFakeUpstream = ({ port = 0, host = "127.0.0.1", delayMs = 0, chunkGapMs = 0 } = {}) => {
  const answer = async (res, stream) => {
    if (delayMs > 0) await sleep(delayMs);
    if (!stream) {
      res.writeHead(200, JSON_HEADERS);
      res.end(CHAT_JSON);
      return;
    }
    res.writeHead(200, SSE_HEADERS);
    if (chunkGapMs <= 0) {
      res.write(SSE_BODY);
      res.end();
      return;
    }
    for (const e of SSE_EVENTS) {
      if (res.destroyed) return;
      res.write(e);
      await sleep(chunkGapMs);
    }
    res.end();
  };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      void answer(res, body.length > 0 && STREAM_RE.test(body.toString("latin1")));
    });
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) => {
    server.listen(port, host, () => {
      resolve({
        port: server.address().port,
        close: () =>
          new Promise((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { port } = await startFakeUpstream({
    port: Number(process.argv[2] ?? process.env.PORT ?? 0),
    delayMs: Number(process.env.MOCK_DELAY_MS ?? 0),
    chunkGapMs: Number(process.env.MOCK_CHUNK_GAP_MS ?? 0),
  });
  console.log(`LISTENING ${port}`);
}
