import { describe, expect, it } from "vitest";
import { estimateTokens, maxOutputTokens } from "./token-estimate.js";

const opts = { defaultMaxOutputTokens: 4096 };

describe("estimateTokens", () => {
  it("charges chat message characters / 4 plus max_tokens", () => {
    const body = {
      model: "gpt-4o",
      messages: [
        { role: "system", content: "You are terse." },
        { role: "user", content: "Say hello to the world, please." },
      ],
      max_tokens: 100,
    };
    expect(estimateTokens(body, opts)).toBe(Math.ceil((14 + 31) / 4) + 100);
  });

  it("reads content parts, tool calls and tools, but not images or base64 data", () => {
    const image = `data:image/png;base64,${"A".repeat(100_000)}`;
    const body = {
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "12345678" },
            { type: "image_url", image_url: { url: image, detail: "high" } },
          ],
        },
        {
          role: "assistant",
          tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: '{"a":1}' } }],
        },
      ],
      max_completion_tokens: 10,
    };
    // "12345678" + "c1" + "f" + '{"a":1}' = 8 + 2 + 1 + 7 chars; one image at a flat 85.
    expect(estimateTokens(body, opts)).toBe(Math.ceil(18 / 4) + 85 + 10);
  });

  it("uses the configured default output when the request names no max, times n", () => {
    expect(estimateTokens({ messages: [{ role: "user", content: "abcd" }] }, opts)).toBe(1 + 4096);
    expect(
      estimateTokens({ messages: [{ role: "user", content: "abcd" }], n: 3, max_tokens: 10 }, opts),
    ).toBe(1 + 30);
  });

  it("covers the responses, embeddings and completions shapes", () => {
    expect(estimateTokens({ input: "abcdefgh", instructions: "abcd", max_output_tokens: 7 }, opts)).toBe(
      3 + 7,
    );
    expect(estimateTokens({ input: ["abcd", "efgh"] }, { defaultMaxOutputTokens: 0 })).toBe(2);
    expect(estimateTokens({ input: [1, 2, 3, 4, 5] }, { defaultMaxOutputTokens: 0 })).toBe(5);
    expect(estimateTokens({ prompt: "a".repeat(401), max_tokens: 16 }, opts)).toBe(101 + 16);
  });

  it("ignores nonsense and never throws on odd bodies", () => {
    expect(estimateTokens(null, opts)).toBe(4096);
    expect(estimateTokens([1, 2], opts)).toBe(4096);
    expect(estimateTokens({ messages: "hi", max_tokens: -5 }, opts)).toBe(1 + 4096);
    expect(maxOutputTokens({ max_tokens: "12" }, 50)).toBe(50);
    const deep: Record<string, unknown> = {};
    let cur = deep;
    for (let i = 0; i < 100; i++) {
      const next: Record<string, unknown> = {};
      cur.x = next;
      cur = next;
    }
    cur.x = "abcd";
    expect(estimateTokens({ messages: [deep] }, opts)).toBe(4096);
  });
});
