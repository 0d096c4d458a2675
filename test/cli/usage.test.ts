import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startServer, type TestServer } from "../helpers/server.js";
import { validateAgainst } from "../helpers/spec.js";
import { type CliResult, cliFor, ensureBuilt } from "./run-cli.js";

const SPEC = "openai-admin-openapi.json";

interface Totals {
  requests: number;
  input: number;
  output: number;
}

/** Requests through the gateway, then `keyplane usage` and `keyplane costs` report exactly them. */
describe("keyplane usage and costs against a real server", () => {
  let s: TestServer;
  let kp: (args: string[]) => Promise<CliResult>;
  let project = "";
  const byModel = new Map<string, Totals>();
  const byKey = new Map<string, number>();

  beforeAll(async () => {
    await ensureBuilt();
    s = await startServer();
    kp = cliFor(s.url, s.adminKey);
    project = (await kp(["projects", "create", "metered", "--quiet"])).stdout.trim();
    const keys = await Promise.all(
      ["a", "b"].map(async (name) => {
        const r = await kp(["keys", "create", "--project", project, "--name", name, "--json"]);
        return JSON.parse(r.stdout) as { id: string; value: string };
      }),
    );
    const plan: [number, string][] = [
      [0, "gpt-4o-mini"],
      [0, "gpt-4o-mini"],
      [1, "gpt-4o-mini"],
      [1, "gpt-4o"],
      [0, "gpt-4o"],
    ];
    for (const [i, model] of plan) {
      const key = keys[i] as { id: string; value: string };
      const r = await call(s.url, "POST", "/v1/chat/completions", {
        key: key.value,
        body: { model, messages: [{ role: "user", content: `count these words please ${i}` }] },
      });
      expect(r.status).toBe(200);
      const t = byModel.get(model) ?? { requests: 0, input: 0, output: 0 };
      t.requests++;
      t.input += r.body.usage.prompt_tokens;
      t.output += r.body.usage.completion_tokens;
      byModel.set(model, t);
      byKey.set(key.id, (byKey.get(key.id) ?? 0) + 1);
    }
    await s.kp.meter.flush();
  });
  afterAll(async () => {
    await s.close();
  });

  it("usage --project … --since 7d --by model reports each model's requests and tokens", async () => {
    const json = JSON.parse(
      (await kp(["usage", "--project", project, "--since", "7d", "--by", "model", "--json"])).stdout,
    );
    expect(validateAgainst(SPEC, "UsageResponse", json).errors).toEqual([]);
    const seen = new Map<string, Totals>();
    for (const b of json.data)
      for (const r of b.results) {
        const t = seen.get(r.model) ?? { requests: 0, input: 0, output: 0 };
        t.requests += r.num_model_requests;
        t.input += r.input_tokens;
        t.output += r.output_tokens;
        seen.set(r.model, t);
      }
    expect(seen).toEqual(byModel);

    const table = await kp(["usage", "--project", project, "--since", "7d", "--by", "model"]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^START\s+MODEL\s+REQUESTS\s+INPUT TOKENS\s+OUTPUT TOKENS/);
    const mini = byModel.get("gpt-4o-mini") as Totals;
    expect(table.stdout).toMatch(
      new RegExp(`gpt-4o-mini\\s+${mini.requests}\\s+${mini.input}\\s+${mini.output}`),
    );
    const all = [...byModel.values()].reduce(
      (a, t) => ({
        requests: a.requests + t.requests,
        input: a.input + t.input,
        output: a.output + t.output,
      }),
      { requests: 0, input: 0, output: 0 },
    );
    expect(table.stdout).toContain(
      `total: ${all.requests} requests, ${all.input} input tokens, ${all.output} output tokens`,
    );
  });

  it("usage --by key in hourly buckets splits the same requests per key", async () => {
    const json = JSON.parse(
      (await kp(["usage", "--project", project, "--since", "1d", "--bucket", "1h", "--by", "key", "--json"]))
        .stdout,
    );
    const seen = new Map<string, number>();
    for (const b of json.data)
      for (const r of b.results) seen.set(r.api_key_id, (seen.get(r.api_key_id) ?? 0) + r.num_model_requests);
    expect(seen).toEqual(byKey);
  });

  it("costs --project … --by project prints the spend the same requests cost", async () => {
    const json = JSON.parse(
      (await kp(["costs", "--project", project, "--since", "30d", "--by", "project", "--json"])).stdout,
    );
    expect(validateAgainst(SPEC, "UsageResponse", json).errors).toEqual([]);
    const amounts: number[] = json.data.flatMap((b: { results: { amount: { value: number } }[] }) =>
      b.results.map((r) => r.amount.value),
    );
    const total = amounts.reduce((a, v) => a + v, 0);
    expect(total).toBeGreaterThan(0);
    const table = await kp(["costs", "--project", project, "--since", "30d", "--by", "project"]);
    expect(table.stdout).toMatch(new RegExp(`${project}\\s+\\$`));
    expect(table.stdout).toContain(`total: $${total.toFixed(total < 1 ? 4 : 2)}`);
  });
});
