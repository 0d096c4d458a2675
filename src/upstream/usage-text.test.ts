import { describe, expect, it } from "vitest";
import { usageFromObject } from "./usage.js";
import { readUsageJson } from "./usage-text.js";

const parsed = (text: string) => usageFromObject(JSON.parse(text));

describe("readUsageJson", () => {
  const agreeing = [
    '{"prompt_tokens":19,"completion_tokens":9,"total_tokens":28}',
    '{"prompt_tokens": 19, "completion_tokens": 9, "total_tokens": 28, "prompt_tokens_details": {"cached_tokens": 7, "audio_tokens": 0}, "completion_tokens_details": {"reasoning_tokens": 3, "accepted_prediction_tokens": 0}}',
    '{"input_tokens":36,"input_tokens_details":{"cached_tokens":4},"output_tokens":87,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":123}',
    '{"prompt_tokens":8,"total_tokens":8}',
    '{"completion_tokens":5}',
    '{"output_tokens":5,"input_tokens":null}',
    '{"prompt_tokens":3,"completion_tokens":2,"prompt_tokens_details":null}',
    '{"prompt_tokens":3,"prompt_tokens_details":{"cached_tokens":null}}',
    '{"prompt_tokens":1,"prompt_tokens":2}',
    "{}",
    '{"total_tokens":5}',
    ' \n{ "prompt_tokens" : 0 ,\t"completion_tokens":0 } \n',
    '{"prompt_tokens":1,"input_tokens":2,"output_tokens":3,"completion_tokens":4}',
    '{"prompt_tokens":3,"prompt_tokens_details":{}}',
    '{"prompt_tokens":3,"prompt_tokens_details":{"cached_tokens":2},"prompt_tokens_details":null}',
    '{"prompt_tokens":3,"prompt_tokens_details":{"cached_tokens":2},"prompt_tokens_details":7}',
    '{"prompt_tokens":3,"prompt_tokens_details":{"cached_tokens":2,"cached_tokens":null}}',
    '{"input_tokens":3,"input_tokens_details":{"cached_tokens":2},"input_tokens_details":{}}',
    '{"prompt_tokens":0,"completion_tokens":10,"other_details":{"a":1,"b":null}}',
    '{"input":5,"prompt":6,"cached_tokens":9}',
  ];
  it.each(agreeing)("reads %s exactly as JSON.parse + usageFromObject would", (text) => {
    const fast = readUsageJson(Buffer.from(text));
    expect(fast).not.toBeUndefined();
    expect(fast).toEqual(parsed(text));
  });

  // Shapes it leaves to JSON.parse: the caller then parses, so the answer never differs.
  const declined = [
    '{"prompt_tokens":1.5}',
    '{"prompt_tokens":-3}',
    '{"prompt_tokens":1e3}',
    '{"prompt_tokens":01}',
    '{"prompt_tokens":"12"}',
    '{"prompt_\\u0074okens":12}',
    '{"prompt_tokens":12,"x":{"y":{"z":1}}}',
    '{"prompt_tokens":12,"note":"hi"}',
    '{"prompt_tokens":12,"flags":[1]}',
    '{"prompt_tokens":12,}',
    '{"prompt_tokens":12',
    '{"prompt_tokens":12} x',
    '{"prompt_tokens":99999999999999999999}',
    '{"prompt_tokens":00}',
    '{"prompt_tokens":-0}',
    '{"prompt_tokens":nul}',
    '{"prompt_tokens":true}',
    '{"prompt\ttokens":1}',
    '{"a":{"b":1}}x',
    '{"prompt_tokens":1}}',
    "",
    "[]",
  ];
  it.each(declined)("declines %s", (text) => {
    expect(readUsageJson(Buffer.from(text))).toBeUndefined();
  });
});

describe("readUsageJson within a larger buffer", () => {
  it("reads only the bytes it is given", () => {
    const body = Buffer.from('{"usage":{"prompt_tokens":4,"completion_tokens":1},"x":1}');
    const start = body.indexOf("{", 1);
    const end = body.indexOf("}") + 1;
    expect(readUsageJson(body, start, end)).toEqual(parsed(body.toString("utf8", start, end)));
    expect(readUsageJson(body, start, end - 1)).toBeUndefined();
  });
});

describe("readUsageJson against JSON.parse on generated texts", () => {
  // A seeded generator of usage-like texts and their near misses: whatever the fast reader
  // answers must be what JSON.parse + usageFromObject answers.
  let seed = 42;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const keys = [
    "prompt_tokens",
    "completion_tokens",
    "input_tokens",
    "output_tokens",
    "total_tokens",
    "cached_tokens",
    "prompt_tokens_details",
    "input_tokens_details",
    "x",
  ];
  const values = ["0", "7", "123", "null", "1.5", "-2", '"s"', "[]", "01", "true", "1e2"];
  const ws = ["", " ", "\n", "\t "];
  const object = (depth: number): string => {
    const n = rnd(4);
    const parts: string[] = [];
    for (let k = 0; k < n; k++) {
      const key = keys[rnd(keys.length)] as string;
      const v =
        depth === 0 && rnd(3) === 0
          ? object(1)
          : depth < 2 && rnd(12) === 0
            ? object(depth + 1)
            : values[rnd(values.length)];
      parts.push(`${ws[rnd(4)]}"${key}"${ws[rnd(4)]}:${ws[rnd(4)]}${v}`);
    }
    return `{${parts.join(",")}${ws[rnd(4)]}}`;
  };
  const mutate = (t: string): string => {
    const at = rnd(t.length + 1);
    switch (rnd(4)) {
      case 0:
        return t.slice(0, at) + t.slice(at + 1);
      case 1:
        return t.slice(0, at) + ',}{":0n'.charAt(rnd(7)) + t.slice(at);
      default:
        return t;
    }
  };
  it("never differs from the slow path", () => {
    let read = 0;
    for (let n = 0; n < 5000; n++) {
      const text = mutate(object(0));
      let slow: unknown;
      try {
        slow = usageFromObject(JSON.parse(text));
      } catch {
        slow = "invalid";
      }
      const fast = readUsageJson(Buffer.from(text));
      if (fast === undefined) continue;
      read++;
      expect({ text, usage: fast }).toEqual({ text, usage: slow });
    }
    // The generator must exercise the fast path, not only its refusals.
    expect(read).toBeGreaterThan(1000);
  });
});
