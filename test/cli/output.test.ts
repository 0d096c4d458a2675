import { describe, expect, it } from "vitest";
import { decideColor, Output } from "../../src/cli/output.js";
import { parseDuration, parseSince, parseUsd } from "../../src/cli/parse.js";

const sink = (isTTY: boolean) => {
  let text = "";
  return { stream: { isTTY, write: (s: string) => (text += s) }, text: () => text };
};

describe("terminal output", () => {
  it("colours only a TTY, and honours NO_COLOR, FORCE_COLOR and --no-color", () => {
    const tty = { isTTY: true, write: () => true };
    const pipe = { isTTY: false, write: () => true };
    expect(decideColor({ stdout: tty, env: {} })).toBe(true);
    expect(decideColor({ stdout: pipe, env: {} })).toBe(false);
    expect(decideColor({ stdout: tty, env: { NO_COLOR: "1" } })).toBe(false);
    expect(decideColor({ stdout: pipe, env: { FORCE_COLOR: "1" } })).toBe(true);
    expect(decideColor({ stdout: tty, env: {}, color: false })).toBe(false);
  });

  it("aligns table columns by visible width even when cells are coloured", () => {
    const out = sink(true);
    const err = sink(true);
    const o = new Output({ json: false, stdout: out.stream, stderr: err.stream, env: {} });
    o.table(
      [
        { id: "key_a", n: 5 },
        { id: "key_longer", n: 12_000 },
      ],
      [
        { header: "ID", value: (r) => r.id, style: () => "cyan" },
        { header: "N", value: (r) => String(r.n), align: "right" },
      ],
    );
    const plain = out.text().replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g"), "");
    expect(out.text()).toContain("\x1b[36mkey_a\x1b[39m");
    expect(plain.split("\n")).toEqual(["ID              N", "key_a           5", "key_longer  12000", ""]);
  });
});

describe("flag values", () => {
  it("reads durations, times and dollars", () => {
    expect(parseDuration("90d")).toBe(7_776_000);
    expect(parseDuration("1h30m")).toBe(5400);
    expect(parseDuration("3600")).toBe(3600);
    expect(() => parseDuration("soon")).toThrow(/not a duration/);
    expect(() => parseDuration("5x")).toThrow();
    expect(parseSince("7d", 1_000_000)).toBe(1_000_000 - 7 * 86_400);
    expect(parseSince("2026-01-31T00:00:00Z")).toBe(Date.parse("2026-01-31T00:00:00Z") / 1000);
    expect(parseSince("1767225600")).toBe(1_767_225_600);
    expect(parseUsd("$19.99")).toBe(19.99);
    expect(() => parseUsd("0")).toThrow(/USD/);
  });
});
