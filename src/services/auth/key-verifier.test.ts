import { describe, expect, it } from "vitest";
import { KeyVerifier } from "./key-verifier.js";

describe("KeyVerifier.bearer", () => {
  // The fast path and the regex behind it must answer alike for every shape of header.
  it.each([
    ["Bearer sk-proj-abc_DEF-123", "sk-proj-abc_DEF-123"],
    ["bearer sk-abc", "sk-abc"],
    ["BEARER sk-abc", "sk-abc"],
    ["Bearer   sk-abc", "sk-abc"],
    ["Bearer\tsk-abc", "sk-abc"],
    ["Bearer sk-abc  ", "sk-abc"],
    ["Bearer sk-abc\t", "sk-abc"],
    ["Bearer sk-a bc", null],
    ["Bearer ", null],
    ["Bearer", null],
    ["Basic sk-abc", null],
    ["sk-abc", null],
    ["Bearer sk-é", "sk-é"],
    ["Bearer sk-a\u00a0", "sk-a"],
    ["", null],
    [undefined, null],
  ])("%j → %j", (header, token) => {
    expect(KeyVerifier.bearer(header)).toBe(token);
  });
});
