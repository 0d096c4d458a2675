import { describe, expect, it } from "vitest";
import { statementChunks } from "./chunks.js";

describe("statementChunks", () => {
  it("keeps every item in order, in power-of-two sized chunks no larger than the maximum", () => {
    const sizes = new Set<number>();
    for (const n of [0, 1, 7, 256, 500, 1000, 1337]) {
      const items = Array.from({ length: n }, (_, i) => i);
      const chunks = statementChunks(items, 500);
      expect(chunks.flat()).toEqual(items);
      for (const c of chunks) {
        expect(c.length).toBeLessThanOrEqual(500);
        expect(Number.isInteger(Math.log2(c.length))).toBe(true);
        sizes.add(c.length);
      }
    }
    // Every row count from 1 to 500 is covered by 9 statement shapes.
    expect(sizes.size).toBeLessThanOrEqual(9);
  });
});
