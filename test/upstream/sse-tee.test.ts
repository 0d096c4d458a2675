import { PassThrough, Writable } from "node:stream";
import { describe, expect, test } from "vitest";
import { chatMeta, chatStreamEvents } from "../../src/upstream/echo-chat.js";
import { responseMeta, responseStreamEvents } from "../../src/upstream/echo-responses.js";
import { prepareStreamBody } from "../../src/upstream/request-body.js";
import { eventData, outputChars } from "../../src/upstream/sse-scan.js";
import { SseTee, type SseTeeOptions } from "../../src/upstream/sse-tee.js";
import type { StreamOutcome } from "../../src/upstream/types.js";

const chatBody = {
  model: "gpt-4o",
  messages: [{ role: "user", content: "Ünïcode 😀 streams split anywhere" }],
};

const chatSse = (includeUsage: boolean): string =>
  chatStreamEvents(chatBody, chatMeta("gpt-4o"), includeUsage).join("");

/** Feeds `input` to a tee in the given byte pieces and collects what comes out. */
const run = async (input: Buffer, cuts: number[], opts: Partial<SseTeeOptions> = {}) => {
  const source = new PassThrough();
  const tee = new SseTee(source, {
    endpoint: "chat",
    dropUsageChunk: false,
    promptTokensEstimate: 7,
    ...opts,
  });
  const out: Buffer[] = [];
  tee.on("data", (c: Buffer) => out.push(c));
  let at = 0;
  for (const cut of [...cuts, input.length]) {
    if (cut > at) source.write(input.subarray(at, cut));
    at = Math.max(at, cut);
  }
  source.end();
  const outcome = await tee.outcome;
  return { output: Buffer.concat(out), outcome, pieces: out.length };
};

const everyCut = (len: number): number[][] => Array.from({ length: len - 1 }, (_, i) => [i + 1]);

describe("SSE tee", () => {
  test("passes bytes through unchanged at every split point and reads usage", async () => {
    const input = Buffer.from(chatSse(true));
    for (const cuts of [[], ...everyCut(input.length)]) {
      const { output, outcome } = await run(input, cuts);
      expect(output.equals(input)).toBe(true);
      expect(outcome.usage).toMatchObject({ inputTokens: 15, outputTokens: 9, estimated: false });
      expect(outcome.completed).toBe(true);
    }
  });

  test("drops the usage-only chunk when the client did not ask, at every split point", async () => {
    const text = chatSse(true);
    const withUsage = Buffer.from(text);
    const events = text.split(/(?<=\n\n)/);
    const expected = Buffer.from(events.filter((e) => !e.includes('"choices":[]')).join(""));
    expect(expected.length).toBeLessThan(withUsage.length);
    for (const cuts of [[], ...everyCut(withUsage.length).filter((_, i) => i % 3 === 0)]) {
      const { output, outcome } = await run(withUsage, cuts, { dropUsageChunk: true });
      expect(output.toString()).toBe(expected.toString());
      expect(outcome.usage.estimated).toBe(false);
      expect(outcome.usage.outputTokens).toBe(9);
    }
  });

  test("many small events in one chunk pass as that one chunk when nothing is dropped", async () => {
    const input = Buffer.from(chatSse(false));
    const { output, pieces, outcome } = await run(input, []);
    expect(pieces).toBe(1);
    expect(output.equals(input)).toBe(true);
    expect(outcome.usage).toMatchObject({ estimated: true, inputTokens: 7, outputTokens: 9 });
    expect(outcome.outputChars).toBe(33);
  });

  test("Responses streams: usage comes from response.completed", async () => {
    const input = Buffer.from(
      responseStreamEvents({ input: "hello responses" }, responseMeta("gpt-4.1")).join(""),
    );
    const { output, outcome } = await run(input, [100, 700, 1500], { endpoint: "responses" });
    expect(output.equals(input)).toBe(true);
    expect(outcome).toMatchObject({ completed: true, usage: { outputTokens: 4, estimated: false } });
  });

  test("CRLF framing and spaced JSON (Python-style upstreams) still yield usage and drop the chunk", async () => {
    const body =
      'data: {"choices": [{"index": 0, "delta": {"content": "hi"}}]}\r\n\r\n' +
      'data: {"choices": [], "usage": {"prompt_tokens": 3, "completion_tokens": 1, "prompt_tokens_details": {"cached_tokens": 2}}}\r\n\r\n' +
      "data: [DONE]\r\n\r\n";
    const { output, outcome } = await run(Buffer.from(body), [5, 40], { dropUsageChunk: true });
    expect(output.toString()).toBe(body.replace(/data: \{"choices": \[\], [^\r]*\r\n\r\n/, ""));
    expect(outcome.usage).toEqual({
      inputTokens: 3,
      outputTokens: 1,
      cachedInputTokens: 2,
      estimated: false,
    });
  });

  test("a usage chunk without `choices` counts as usage-only", async () => {
    const body =
      'data: {"choices":[{"delta":{"content":"hey"}}]}\n\ndata: {"usage":{"prompt_tokens":2,"completion_tokens":1}}\n\ndata: [DONE]\n\n';
    const { output, outcome } = await run(Buffer.from(body), [], { dropUsageChunk: true });
    expect(output.toString()).toBe('data: {"choices":[{"delta":{"content":"hey"}}]}\n\ndata: [DONE]\n\n');
    expect(outcome).toMatchObject({
      completed: true,
      outputChars: null,
      // What the client got: the usage-only chunk was dropped, so it is not counted.
      deliveredBytes: output.length,
      usage: { inputTokens: 2, outputTokens: 1 },
    });
  });

  test("a body that is not SSE passes through whole even when dropping", async () => {
    const blob = Buffer.alloc(1024 * 1024 + 10, 0x61);
    const { output, outcome } = await run(blob, [300_000, 900_000], { dropUsageChunk: true });
    expect(output.equals(blob)).toBe(true);
    expect(outcome.usage.estimated).toBe(true);
  });

  test("content that merely mentions usage is not mistaken for it", async () => {
    const tricky =
      'data: {"choices":[{"index":0,"delta":{"content":"\\"usage\\":{\\"prompt_tokens\\":1}"}}]}\n\n';
    const { output, outcome } = await run(Buffer.from(tricky), [], { dropUsageChunk: true });
    expect(output.toString()).toBe(tricky);
    expect(outcome.usage.estimated).toBe(true);
  });

  test("destroyed mid-stream (client gone): estimate from the characters delivered", async () => {
    const events = chatStreamEvents(chatBody, chatMeta("gpt-4o"), true);
    const source = new PassThrough();
    const tee = new SseTee(source, { endpoint: "chat", dropUsageChunk: false, promptTokensEstimate: 20 });
    tee.resume();
    source.write(Buffer.from(events.slice(0, 3).join("")));
    await new Promise((r) => setImmediate(r));
    tee.destroy();
    const outcome: StreamOutcome = await tee.outcome;
    expect(source.destroyed).toBe(true);
    const delivered = events
      .slice(0, 3)
      .map(
        (e) =>
          (JSON.parse(eventData(e) ?? "{}") as { choices: Array<{ delta: { content?: string } }> }).choices[0]
            ?.delta.content ?? "",
      )
      .join("");
    expect(outcome).toEqual({
      completed: false,
      outputChars: delivered.length,
      deliveredBytes: Buffer.byteLength(events.slice(0, 3).join("")),
      usage: {
        inputTokens: 20,
        outputTokens: Math.ceil(delivered.length / 4),
        cachedInputTokens: 0,
        estimated: true,
      },
    });
  });

  test("pipe() writes straight into the destination, with backpressure, and ends it", async () => {
    const input = Buffer.from(chatSse(true));
    const source = new PassThrough();
    const tee = new SseTee(source, { endpoint: "chat", dropUsageChunk: true, promptTokensEstimate: 1 });
    const got: Buffer[] = [];
    let release: (() => void) | null = null;
    const slow = new Writable({
      highWaterMark: 16,
      write(chunk: Buffer, _enc, cb) {
        got.push(chunk);
        release = cb;
      },
    });
    tee.pipe(slow);
    source.write(input.subarray(0, 1000));
    await new Promise((r) => setImmediate(r));
    expect(source.isPaused()).toBe(true);
    const drainAll = setInterval(() => {
      const cb = release;
      release = null;
      cb?.();
    }, 1);
    source.end(input.subarray(1000));
    await new Promise((r) => slow.on("finish", r));
    clearInterval(drainAll);
    expect(Buffer.concat(got).toString()).not.toContain('"choices":[]');
    expect(Buffer.concat(got).toString().endsWith("data: [DONE]\n\n")).toBe(true);
    expect(await tee.outcome).toMatchObject({
      completed: true,
      usage: { estimated: false, outputTokens: 9 },
    });
  });

  test("pipe(): the destination closing early destroys the upstream body", async () => {
    const source = new PassThrough();
    const tee = new SseTee(source, { endpoint: "chat", dropUsageChunk: false, promptTokensEstimate: 5 });
    const dest = new PassThrough();
    tee.pipe(dest);
    source.write('data: {"choices":[{"delta":{"content":"abcdefgh"}}]}\n\n');
    await new Promise((r) => setImmediate(r));
    dest.destroy();
    const outcome = await tee.outcome;
    expect(source.destroyed).toBe(true);
    expect(outcome).toEqual({
      completed: false,
      outputChars: 8,
      deliveredBytes: Buffer.byteLength('data: {"choices":[{"delta":{"content":"abcdefgh"}}]}\n\n'),
      usage: { inputTokens: 5, outputTokens: 2, cachedInputTokens: 0, estimated: true },
    });
  });

  test("relayTo(): writes and ends the response, and answers for both ends' failures", async () => {
    const input = Buffer.from(chatSse(true));
    const source = new PassThrough();
    const tee = new SseTee(source, { endpoint: "chat", dropUsageChunk: false, promptTokensEstimate: 1 });
    const events: string[] = [];
    for (const e of ["end", "error", "close"]) tee.on(e, () => events.push(e));
    const res = new PassThrough();
    const got: Buffer[] = [];
    res.on("data", (c: Buffer) => got.push(c));
    expect(tee.relayTo(res)).toBe(true);
    expect(tee.relayTo(new PassThrough())).toBe(false);
    source.end(input);
    await new Promise((r) => res.on("end", r));
    expect(Buffer.concat(got).equals(input)).toBe(true);
    expect(await tee.outcome).toMatchObject({ completed: true, usage: { estimated: false } });
    // The response is the only signal: the tee emits nothing a caller would have to listen for.
    await new Promise((r) => setImmediate(r));
    expect(events).toEqual([]);

    // An upstream failing mid-body destroys the response with its error, not the process.
    const broken = new PassThrough();
    const tee2 = new SseTee(broken, { endpoint: "chat", dropUsageChunk: false, promptTokensEstimate: 3 });
    const res2 = new PassThrough();
    tee2.relayTo(res2);
    broken.write('data: {"choices":[{"delta":{"content":"abcd"}}]}\n\n');
    await new Promise((r) => setImmediate(r));
    const failed = new Promise<Error>((r) => res2.on("error", r));
    broken.destroy(new Error("upstream reset"));
    expect((await failed).message).toBe("upstream reset");
    expect(await tee2.outcome).toMatchObject({ completed: false, outputChars: 4 });

    // The response closing early stops the upstream.
    const slow = new PassThrough();
    const tee3 = new SseTee(slow, { endpoint: "chat", dropUsageChunk: false, promptTokensEstimate: 3 });
    const res3 = new PassThrough();
    tee3.relayTo(res3);
    slow.write('data: {"choices":[{"delta":{"content":"ab"}}]}\n\n');
    await new Promise((r) => setImmediate(r));
    res3.destroy();
    expect(await tee3.outcome).toMatchObject({ completed: false, outputChars: 2 });
    expect(slow.destroyed).toBe(true);
  });

  test("output characters count escapes once and only output fields", () => {
    expect(outputChars("chat", '{"delta":{"content":"a\\nb\\u00e9","role":"assistant"}}')).toBe(4);
    expect(
      outputChars("chat", '{"delta":{"tool_calls":[{"function":{"name":"f","arguments":"{\\"x\\":1}"}}]}}'),
    ).toBe(7);
    expect(outputChars("responses", '{"type":"response.output_text.delta","delta":"abc"}')).toBe(3);
    expect(outputChars("responses", '{"type":"response.output_text.done","text":"abc"}')).toBe(0);
  });
});

describe("prepareStreamBody", () => {
  test("splices the usage option into the raw bytes when stream_options is absent", () => {
    const raw = Buffer.from('{ "model": "m",\n "stream": true }  \n');
    const { body, clientWantsUsage } = prepareStreamBody(
      raw,
      JSON.parse(raw.toString()) as Record<string, unknown>,
    );
    expect(clientWantsUsage).toBe(false);
    expect(body.toString()).toBe(
      '{ "model": "m",\n "stream": true ,"stream_options":{"include_usage":true}}  \n',
    );
    expect(JSON.parse(body.toString())).toEqual({
      model: "m",
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(prepareStreamBody(Buffer.from("{}"), {}).body.toString()).toBe(
      '{"stream_options":{"include_usage":true}}',
    );
  });

  test("keeps the client's bytes when it asked, re-serialises when it said no", () => {
    const asked = Buffer.from('{"stream":true,"stream_options":{"include_usage":true}}');
    const r = prepareStreamBody(asked, JSON.parse(asked.toString()) as Record<string, unknown>);
    expect(r).toEqual({ body: asked, clientWantsUsage: true });
    expect(r.body).toBe(asked);
    const no = { stream: true, stream_options: { include_usage: false, include_obfuscation: false } };
    const out = prepareStreamBody(Buffer.from(JSON.stringify(no)), no);
    expect(out.clientWantsUsage).toBe(false);
    expect(JSON.parse(out.body.toString())).toEqual({
      stream: true,
      stream_options: { include_usage: true, include_obfuscation: false },
    });
  });
});
