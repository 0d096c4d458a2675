import { describe, expect, it } from "vitest";
import { usageFromBody } from "./usage.js";

const body = (v: unknown) => Buffer.from(JSON.stringify(v));

describe("usageFromBody", () => {
  it("reads the top-level usage of chat and Responses answers", () => {
    expect(
      usageFromBody(
        body({
          id: "chatcmpl-1",
          choices: [{ message: { content: 'say "usage": {"prompt_tokens": 999}' } }],
          usage: { prompt_tokens: 19, completion_tokens: 9, prompt_tokens_details: { cached_tokens: 4 } },
          service_tier: "default",
          system_fingerprint: "fp_1",
        }),
      ),
    ).toEqual({ inputTokens: 19, outputTokens: 9, cachedInputTokens: 4, estimated: false });
    expect(
      usageFromBody(
        body({
          object: "response",
          usage: { input_tokens: 7, output_tokens: 3 },
          metadata: { a: [1, { b: 2 }] },
        }),
      ),
    ).toEqual({ inputTokens: 7, outputTokens: 3, cachedInputTokens: 0, estimated: false });
  });

  it("ignores a usage key nested after the top-level one", () => {
    const b = body({
      usage: { prompt_tokens: 5, completion_tokens: 1 },
      extra: { usage: { prompt_tokens: 500, completion_tokens: 100 } },
    });
    expect(usageFromBody(b)).toEqual({
      inputTokens: 5,
      outputTokens: 1,
      cachedInputTokens: 0,
      estimated: false,
    });
    expect(usageFromBody(body({ extra: { usage: { prompt_tokens: 5 } } }))).toBeNull();
  });

  it("finds usage far from the end, and survives non-JSON", () => {
    const b = body({ usage: { prompt_tokens: 2, completion_tokens: 2 }, pad: "é".repeat(5000) });
    expect(usageFromBody(b)?.inputTokens).toBe(2);
    expect(usageFromBody(Buffer.from("not json"))).toBeNull();
  });
});
