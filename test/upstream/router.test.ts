import { inspect } from "node:util";
import { afterEach, describe, expect, test } from "vitest";
import { ConfigError } from "../../src/config/load.js";
import { configSchema } from "../../src/config/schema.js";
import { statusOf, toWire } from "../../src/http/errors.js";
import { createUpstreams, type Upstreams } from "../../src/upstream/index.js";

const opened: Upstreams[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((u) => u.close()));
});

const build = (raw: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): Upstreams => {
  const u = createUpstreams(configSchema.parse(raw), env);
  opened.push(u);
  return u;
};

const upstreams = [
  { name: "openai", baseUrl: "http://127.0.0.1:9/v1", apiKeyEnv: "OPENAI_KEY" },
  { name: "azure", baseUrl: "http://127.0.0.1:9/openai/" },
  { name: "local", type: "echo" },
];
const env = { OPENAI_KEY: "sk-upstream-very-secret" };

const names = (u: Upstreams, model: string): string[] => {
  const r = u.resolve(model);
  if (!r.ok) throw new Error(`unresolved ${model}`);
  return r.candidates.map((c) => `${c.provider.name}:${c.model}`);
};

describe("router", () => {
  test("exact match wins over an earlier pattern; patterns match in config order", () => {
    const u = build(
      {
        upstreams,
        routes: [
          { match: "gpt-*", upstream: "azure" },
          { match: "gpt-4o*", upstream: "openai" },
          { match: "gpt-4o", upstream: "local" },
          { match: "*", upstream: "openai" },
        ],
      },
      env,
    );
    expect(names(u, "gpt-4o")).toEqual(["local:gpt-4o"]);
    expect(names(u, "gpt-4o-mini")).toEqual(["azure:gpt-4o-mini"]);
    expect(names(u, "o3-mini")).toEqual(["openai:o3-mini"]);
  });

  test("aliases rewrite the upstream model; fallbacks keep their order and inherit or override the alias", () => {
    const u = build(
      {
        upstreams,
        routes: [
          {
            match: "fast",
            upstream: "openai",
            model: "gpt-4o-mini",
            fallbacks: ["azure", { upstream: "local", model: "echo-1" }],
          },
          { match: "claude-*", upstream: "azure", fallbacks: ["openai"] },
        ],
      },
      env,
    );
    expect(names(u, "fast")).toEqual(["openai:gpt-4o-mini", "azure:gpt-4o-mini", "local:echo-1"]);
    expect(names(u, "claude-3")).toEqual(["azure:claude-3", "openai:claude-3"]);
    const a = u.resolve("fast");
    const b = u.resolve("fast");
    expect(a.ok && b.ok && a.candidates === b.candidates).toBe(true);
  });

  test("no matching route is OpenAI's 404 model_not_found", () => {
    const u = build({ upstreams, routes: [{ match: "gpt-4o", upstream: "local" }] }, env);
    const r = u.resolve("gpt-5");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(statusOf(r.error)).toBe(404);
    expect(toWire(r.error)).toEqual({
      error: {
        message: "The model `gpt-5` does not exist or you do not have access to it.",
        type: "invalid_request_error",
        param: null,
        code: "model_not_found",
      },
    });
  });

  test("the defaults route every model to the built-in echo provider", () => {
    const u = build({});
    expect(names(u, "anything-at-all")).toEqual(["echo:anything-at-all"]);
    expect(u.providers.get("echo")?.pool).toBeNull();
  });

  test("the echo provider answers through send() without a network, usage exact", async () => {
    const u = build({});
    const json = { model: "gpt-4o", stream: true, messages: [{ role: "user", content: "ping" }] };
    const r = u.resolve("gpt-4o");
    if (!r.ok) throw r.error;
    const o = await u.send({
      path: "/chat/completions",
      method: "POST",
      headers: {},
      body: Buffer.from(JSON.stringify(json)),
      json,
      candidates: r.candidates,
    });
    if (!o.ok || o.response.kind !== "buffer") throw new Error("expected a buffered echo answer");
    expect(o.response.headers["content-type"]).toMatch(/^text\/event-stream/);
    const text = o.response.body.toString();
    expect(text).toContain('"content":"ping"');
    expect(text).not.toContain('"choices":[]');
    expect(text.endsWith("data: [DONE]\n\n")).toBe(true);
    expect(o.response.usage).toEqual({
      inputTokens: 3 + 3 + 1,
      outputTokens: 1,
      cachedInputTokens: 0,
      estimated: false,
    });
  });

  test("base URL splits into pool origin and path prefix", () => {
    const u = build({ upstreams, routes: [] }, env);
    expect(u.providers.get("azure")).toMatchObject({ origin: "http://127.0.0.1:9", basePath: "/openai" });
    expect(u.providers.get("openai")).toMatchObject({ basePath: "/v1" });
  });

  test("the upstream key is not reachable from the provider object", () => {
    const u = build({ upstreams, routes: [] }, env);
    const p = u.providers.get("openai");
    expect(inspect(p, { depth: 4 })).not.toContain(env.OPENAI_KEY);
    expect(
      Object.values(p ?? {})
        .map(String)
        .join(" "),
    ).not.toContain(env.OPENAI_KEY);
  });
});

describe("config problems fail fast, all listed", () => {
  test("unknown upstreams, missing key variable, missing base URL, star not at the end", () => {
    let err: unknown;
    try {
      build({
        upstreams: [
          { name: "a", baseUrl: "http://127.0.0.1:9/v1", apiKeyEnv: "MISSING_KEY" },
          { name: "b", type: "openai" },
        ],
        routes: [{ match: "x*y", upstream: "nope", fallbacks: ["ghost"] }],
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining("MISSING_KEY is not set"),
        expect.stringContaining("upstreams.b.baseUrl"),
      ]),
    );
    expect(() =>
      build({
        upstreams: [{ name: "e", type: "echo" }],
        routes: [{ match: "x*y", upstream: "nope", fallbacks: ["ghost"] }],
      }),
    ).toThrow(/"\*" is allowed only at the end[\s\S]*unknown upstream "nope"[\s\S]*unknown upstream "ghost"/);
  });
});
