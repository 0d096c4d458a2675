import { describe, expect, it } from "vitest";
import { SseScanner } from "../../src/upstream/sse-scanner.js";

const event = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;
const content = (text: string) => event({ choices: [{ index: 0, delta: { content: text } }] });
const usageOnly = event({ choices: [], usage: { prompt_tokens: 7, completion_tokens: 3 } });

describe("SseScanner", () => {
  it("counts the output of a long stream it was never asked about, past the deferred-bytes bound", () => {
    const s = new SseScanner({ endpoint: "chat", dropUsageChunk: false, promptTokensEstimate: () => 11 });
    // 600 events of ~60 bytes each: well past the deferred-bytes bound, in chunks of 10 events.
    for (let i = 0; i < 60; i++) s.accept(Buffer.from(content("abcd").repeat(10)));
    const o = s.outcome();
    expect(o.outputChars).toBe(2400);
    expect(o.deliveredBytes).toBe(Buffer.byteLength(content("abcd")) * 600);
    expect(o.usage).toEqual({ inputTokens: 11, outputTokens: 600, cachedInputTokens: 0, estimated: true });
    expect(o.completed).toBe(false);
  });

  it("cuts the usage-only chunk by byte offsets behind multi-byte text in the same chunk", () => {
    const s = new SseScanner({ endpoint: "chat", dropUsageChunk: true, promptTokensEstimate: 1 });
    const before = content("héllo wörld — ✓");
    const sent = s.accept(Buffer.from(`${before + usageOnly}data: [DONE]\n\n`));
    expect(sent?.toString()).toBe(`${before}data: [DONE]\n\n`);
    const o = s.outcome();
    expect(o).toMatchObject({ completed: true, deliveredBytes: sent?.length });
    expect(o.usage).toEqual({ inputTokens: 7, outputTokens: 3, cachedInputTokens: 0, estimated: false });
    expect(o.outputChars).toBeNull();
  });

  it("keeps usage that rides on a content chunk, and that chunk", () => {
    const s = new SseScanner({ endpoint: "chat", dropUsageChunk: true, promptTokensEstimate: 1 });
    const both = event({
      choices: [{ index: 0, delta: { content: "hi" } }],
      usage: { prompt_tokens: 2, completion_tokens: 1 },
    });
    expect(s.accept(Buffer.from(both))?.toString()).toBe(both);
    expect(s.outcome()).toMatchObject({ outputChars: null, usage: { inputTokens: 2, outputTokens: 1 } });
  });

  it("reads the last usage object past `usage: null` on every chunk (vLLM-style), in any chunking", () => {
    const nullUsage = (text: string) =>
      event({ choices: [{ index: 0, delta: { content: text } }], usage: null });
    const body = Buffer.from(
      `${nullUsage("ab") + nullUsage("cd") + usageOnly.replace('"usage":', '"usage" : ')}data: [DONE]\n\n`,
    );
    for (const cut of [0, 10, 60, body.length - 20]) {
      const s = new SseScanner({ endpoint: "chat", dropUsageChunk: true, promptTokensEstimate: 1 });
      const sent = Buffer.concat(
        [cut > 0 ? s.accept(body.subarray(0, cut)) : null, s.accept(body.subarray(cut)), s.end()].filter(
          (b): b is Buffer => b !== null,
        ),
      );
      expect(sent.toString()).toBe(`${nullUsage("ab")}${nullUsage("cd")}data: [DONE]\n\n`);
      expect(s.outcome()).toMatchObject({
        completed: true,
        outputChars: null,
        usage: { inputTokens: 7, outputTokens: 3, estimated: false },
      });
    }
  });

  it("estimates from every character when only `usage: null` ever comes", () => {
    const s = new SseScanner({ endpoint: "chat", dropUsageChunk: false, promptTokensEstimate: 4 });
    const nulls = event({ choices: [{ index: 0, delta: { content: "abcdef" } }], usage: null });
    s.accept(Buffer.from(nulls + nulls));
    s.accept(Buffer.from(`${nulls}data: [DONE]\n\n`));
    expect(s.outcome()).toMatchObject({
      completed: true,
      outputChars: 18,
      usage: { inputTokens: 4, outputTokens: 5, estimated: true },
    });
  });
});
