import { describe, expect, it } from "vitest";
import { hex12, intString } from "./int-format.js";

describe("intString", () => {
  it("writes every integer as String() does, past 2^30 included", () => {
    const values = [0, 7, 999_999_999, 1e9, 1e9 + 1, 2 ** 31, 10_000_000_000 - 1, 1e12, 1_234_567_890_123];
    for (const v of [...values, 2 ** 53 - 1, 2 ** 53, 1e21, 12.5]) expect(intString(v)).toBe(String(v));
  });
});

describe("hex12", () => {
  it("writes what toString(16).padStart(12, '0') does, at both halves' edges", () => {
    const now = Date.now();
    const values = [0, 1, 2 ** 24 - 1, 2 ** 24, 2 ** 24 + 1, now, now + 2 ** 24, 2 ** 48 - 1];
    for (const v of values) expect(hex12(v)).toBe(v.toString(16).padStart(12, "0"));
  });

  it("falls back to toString for values it does not split", () => {
    for (const v of [2 ** 48, 12.5]) expect(hex12(v)).toBe(v.toString(16).padStart(12, "0"));
  });
});
