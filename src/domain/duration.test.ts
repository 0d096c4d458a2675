import { describe, expect, it } from "vitest";
import { formatDuration } from "./duration.js";

describe("formatDuration (Go time.Duration.String, as OpenAI's reset headers)", () => {
  it.each([
    [0, "0s"],
    [12, "12ms"],
    [9, "9ms"],
    [0.5, "0.5ms"],
    [8.64, "8.64ms"],
    [999.9994, "999.999ms"],
    [999.9996, "1s"],
    [1000, "1s"],
    [9816, "9.816s"],
    [8640, "8.64s"],
    [59_999, "59.999s"],
    [60_000, "1m0s"],
    [90_000, "1m30s"],
    [360_000, "6m0s"],
    [3_599_000, "59m59s"],
    [3_600_000, "1h0m0s"],
    [86_400_000, "24h0m0s"],
    [90_061_500, "25h1m1.5s"],
    [1000.0005, "1.000001s"],
  ])("%s ms → %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it("handles negative and non-finite input without throwing", () => {
    expect(formatDuration(-1500)).toBe("-1.5s");
    expect(formatDuration(Number.NaN)).toBe("0s");
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe("0s");
  });
});
