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
    expect(o.deliveredChars).toBe(2400);
    expect(o.deliveredBytes).toBe(Buffer.byteLength(content("abcd")) * 600);
    expect(o.usage).toEqual({ inputTokens: 11, outputTokens: 600, cachedInputTokens: 0, estimated: true });
    expect(o.completed).toBe(false);
  });

  it("cuts the usage-only chunk by byte offsets behind multi-byte text in the same chunk", () => {
    const s = new SseScanner({ endpoint: "chat", dropUsageChunk: true, promptTokensEstimate: 1 });
    const before = content("héllo wörld — ✓");
    const sent = s.accept(Buffer.from(before + usageOnly + "data: [DONE]\n\n"));
    expect(sent?.toString()).toBe(`${before}data: [DONE]\n\n`);
    const o = s.outcome();
    expect(o).toMatchObject({ completed: true, deliveredBytes: sent?.length });
    expect(o.usage).toEqual({ inputTokens: 7, outputTokens: 3, cachedInputTokens: 0, estimated: false });
    expect(o.deliveredChars).toBe("héllo wörld — ✓".length);
  });

  it("keeps usage that rides on a content chunk, and that chunk", () => {
    const s = new SseScanner({ endpoint: "chat", dropUsageChunk: true, promptTokensEstimate: 1 });
    const both = event({
      choices: [{ index: 0, delta: { content: "hi" } }],
      usage: { prompt_tokens: 2, completion_tokens: 1 },
    });
    expect(s.accept(Buffer.from(both))?.toString()).toBe(both);
    expect(s.outcome()).toMatchObject({ deliveredChars: 2, usage: { inputTokens: 2, outputTokens: 1 } });
  });
});
