import { describe, expect, it } from "vitest";
import type { UsageEventRecord } from "../storage/records.js";
import { decodeEvent, encodeEvent } from "./journal-line.js";

const event: UsageEventRecord = {
  id: "ue_1",
  orgId: "org-1",
  projectId: "proj_1",
  keyId: "key_1",
  model: "gpt-4o",
  endpoint: "/v1/embeddings",
  inputTokens: 7,
  cachedTokens: 0,
  outputTokens: 0,
  status: 200,
  latencyMs: 3,
  bytes: 10,
  estimated: true,
  costMicros: 18,
  createdAtMs: 1_700_000_000_123,
};

describe("journal line", () => {
  it.each(["plain-model_1.2:ft/x", 'q"', "b\\", "tab\t", "del\u007f", "é", "", " ~"])(
    "writes the string %j exactly as JSON.stringify would",
    (model) => {
      const line = encodeEvent({ ...event, model });
      expect(line).toContain(`,${JSON.stringify(model)},`);
      expect(decodeEvent(line.slice(0, -1))?.model).toBe(model);
    },
  );

  it("encodes repeated and long strings the same way every time, past the quoted-string memo's size", () => {
    const long = `${"m".repeat(150)}"x`;
    for (let i = 0; i < 2; i++)
      expect(encodeEvent({ ...event, model: long })).toContain(`,${JSON.stringify(long)},`);
    for (let i = 0; i < 10_050; i++) {
      const e = { ...event, keyId: `key_${i % 10_020}`, model: i % 2 ? 'm"1' : "m2" };
      expect(decodeEvent(encodeEvent(e).slice(0, -1))).toEqual(e);
    }
  });

  it("is one line of JSON that decodes to the same event", () => {
    const line = encodeEvent({ ...event, model: "a\nb\r\u2028\"'\\ü😀" });
    expect(line.endsWith("\n")).toBe(true);
    expect(line.indexOf("\n")).toBe(line.length - 1);
    expect(decodeEvent(line.slice(0, -1))).toEqual({ ...event, model: "a\nb\r\u2028\"'\\ü😀" });
  });

  it("journals non-finite numbers as 0 so the line stays readable", () => {
    const line = encodeEvent({ ...event, inputTokens: Number.NaN, costMicros: Number.POSITIVE_INFINITY });
    expect(decodeEvent(line.slice(0, -1))).toMatchObject({ inputTokens: 0, costMicros: 0 });
  });

  it("rejects lines that are not events of this format", () => {
    const good = JSON.parse(encodeEvent(event)) as unknown[];
    const variants: unknown[] = [
      [2, ...good.slice(1)],
      good.slice(0, 15),
      good.map((v, i) => (i === 1 ? "" : v)),
      good.map((v, i) => (i === 7 ? "7" : v)),
      good.map((v, i) => (i === 13 ? true : v)),
      good.map((v, i) => (i === 5 ? null : v)),
      { ...event },
    ];
    for (const v of variants) expect(decodeEvent(JSON.stringify(v))).toBeNull();
    expect(decodeEvent('[1,"ue_1"')).toBeNull();
    expect(decodeEvent("")).toBeNull();
  });
});
