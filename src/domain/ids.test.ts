import { describe, expect, it } from "vitest";
import { newId, timeOrderedHex } from "./ids.js";

describe("request ids", () => {
  it("look like OpenAI's and never repeat, across pool refills", () => {
    const ids = Array.from({ length: 20_000 }, () => newId.requestId());
    for (const id of ids) expect(id).toMatch(/^req_[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("sort by the millisecond they were made in", () => {
    const t = 1_800_000_000_000;
    const earlier = Array.from({ length: 500 }, () => timeOrderedHex(t));
    const later = Array.from({ length: 500 }, () => timeOrderedHex(t + 1));
    for (const a of earlier) for (const b of later.slice(0, 5)) expect(a < b).toBe(true);
    expect(earlier[0]?.slice(0, 12)).toBe(t.toString(16).padStart(12, "0"));
    // The random part differs even within one millisecond.
    expect(new Set(earlier.map((h) => h.slice(12))).size).toBe(500);
  });
});
