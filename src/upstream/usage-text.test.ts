import { describe, expect, it } from "vitest";
import { usageFromObject } from "./usage.js";
import { readUsageText } from "./usage-text.js";

const parsed = (text: string) => usageFromObject(JSON.parse(text));

describe("readUsageText", () => {
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
  ];
  it.each(agreeing)("reads %s exactly as JSON.parse + usageFromObject would", (text) => {
    const fast = readUsageText(text);
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
    "",
    "[]",
  ];
  it.each(declined)("declines %s", (text) => {
    expect(readUsageText(text)).toBeUndefined();
  });
});
