import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startServer, type TestServer } from "../helpers/server.js";

describe("bad input gets OpenAI's 400, never a 500, and changes nothing", () => {
  let s: TestServer;
  let before: string;
  beforeAll(async () => {
    s = await startServer({ config: { bodyLimitBytes: 64 * 1024 } });
    before = JSON.stringify(
      (await call(s.url, "GET", "/v1/organization/projects?limit=100", { key: s.adminKey })).body,
    );
  });
  afterAll(async () => {
    await s.close();
  });

  const post = (path: string, opts: { body?: unknown; rawBody?: string; headers?: Record<string, string> }) =>
    call(s.url, "POST", path, { key: s.adminKey, ...opts });
  const expect400 = (r: { status: number; body: any }, param: string | null) => {
    expect(r.status).toBe(400);
    expect(Object.keys(r.body.error).sort()).toEqual(["code", "message", "param", "type"]);
    expect(r.body.error.type).toBe("invalid_request_error");
    expect(r.body.error.param).toBe(param);
  };

  it("malformed JSON", async () => {
    expect400(await post("/v1/organization/projects", { rawBody: '{"name": "x",' }), null);
  });
  it("a body that is not an object", async () => {
    expect400(await post("/v1/organization/projects", { rawBody: "[1,2]" }), null);
  });
  it("wrong types name the field", async () => {
    expect400(await post("/v1/organization/projects", { body: { name: 42 } }), "name");
    expect400(
      await post(`/v1/organization/projects/${s.projectId}/api_keys`, {
        body: { name: "k", scopes: "model.request" },
      }),
      "scopes",
    );
    expect400(
      await post(`/v1/organization/projects/${s.projectId}/api_keys`, {
        body: { name: "k", expires_in_seconds: -5 },
      }),
      "expires_in_seconds",
    );
  });
  it("unknown fields are refused", async () => {
    const r = await post("/v1/organization/projects", { body: { name: "x", colour: "red" } });
    expect400(r, "colour");
    expect(r.body.error.message).toContain("colour");
  });
  it("unknown scopes are refused", async () => {
    expect400(
      await post(`/v1/organization/projects/${s.projectId}/api_keys`, {
        body: { name: "k", scopes: ["api.everything"] },
      }),
      "scopes",
    );
  });
  it("oversized fields", async () => {
    expect400(await post("/v1/organization/projects", { body: { name: "x".repeat(300) } }), "name");
  });
  it("out-of-range limit", async () => {
    for (const limit of ["0", "101", "abc", "1.5"]) {
      const r = await call(s.url, "GET", `/v1/organization/projects?limit=${limit}`, { key: s.adminKey });
      expect400(r, "limit");
    }
  });
  it("bad ids answer 404, not 500", async () => {
    const r = await call(s.url, "GET", "/v1/organization/projects/proj_%00%27%22;drop", { key: s.adminKey });
    expect(r.status).toBe(404);
    const r2 = await call(s.url, "GET", `/v1/organization/projects/${"p".repeat(500)}`, { key: s.adminKey });
    expect(r2.status).toBe(400);
    expect(r2.body.error.param).toBe("project_id");
  });
  it("a body over the size limit", async () => {
    const r = await post("/v1/organization/projects", {
      body: { name: "x", external_key_id: "y".repeat(70 * 1024) },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/too large/i);
  });
  it("the gateway's own transport: an oversized body (declared or chunked) and bad JSON", async () => {
    const keyed = await post(`/v1/organization/projects/${s.projectId}/api_keys`, { body: { name: "gw" } });
    const key = keyed.body.value as string;
    const big = JSON.stringify({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "y".repeat(70 * 1024) }],
    });
    const declared = await fetch(`${s.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: big,
    });
    expect(declared.status).toBe(400);
    expect(declared.headers.get("x-request-id")).toMatch(/^req_[0-9a-f]{32}$/);
    expect((await declared.json()).error).toMatchObject({
      message: "Request body is too large.",
      param: null,
    });
    // No content-length: the limit holds while the body streams in.
    const chunked = await fetch(`${s.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: new Blob([big]).stream(),
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(400);
    expect((await chunked.json()).error.message).toBe("Request body is too large.");
    const bad = await fetch(`${s.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: '{"model": "gpt-4o-mini",',
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/We could not parse the JSON body/);
  });
  it("an unknown route answers OpenAI's 404 body", async () => {
    const r = await call(s.url, "POST", "/v1/chat/completions/chat/completions", {
      key: s.adminKey,
      body: {},
    });
    expect(r.status).toBe(404);
    expect(r.body.error.message).toBe("Invalid URL (POST /v1/chat/completions/chat/completions)");
  });
  it("left the data unchanged", async () => {
    const after = JSON.stringify(
      (await call(s.url, "GET", "/v1/organization/projects?limit=100", { key: s.adminKey })).body,
    );
    expect(after).toBe(before);
  });
});
