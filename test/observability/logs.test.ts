import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addLogSecret, createLogger, scrubSecrets } from "../../src/lib/logger.js";
import { call, startServer, type TestServer } from "../helpers/server.js";

const KEY_SHAPED = /sk-(proj|admin|svcacct)-[A-Za-z0-9]{12,}/;

describe("logs of a full run", () => {
  let s: TestServer;
  const secrets: string[] = [];
  beforeAll(async () => {
    s = await startServer({ config: { metricsToken: "metrics-token-abcdefghijkl" } });
    secrets.push(s.adminKey);
    const admin = (method: string, path: string, body?: unknown) =>
      call(s.url, method, path, { key: s.adminKey, body });
    const pk = await admin("POST", `/v1/organization/projects/${s.projectId}/api_keys`, { name: "p" });
    const sa = await admin("POST", `/v1/organization/projects/${s.projectId}/service_accounts`, {
      name: "sa",
    });
    const ak = await admin("POST", "/v1/organization/admin_api_keys", { name: "a" });
    const rotated = await admin(
      "POST",
      `/v1/organization/projects/${s.projectId}/api_keys/${pk.body.id}/rotate`,
      {},
    );
    const org = await admin("POST", "/v1/organizations", { name: "Other" });
    secrets.push(pk.body.value, sa.body.api_key.value, ak.body.value, org.body.admin_key.value);
    if (rotated.status === 200) secrets.push(rotated.body.value);
    for (const v of secrets) expect(v).toMatch(KEY_SHAPED);

    // Every way a key can travel: Authorization, x-api-key, cookies, the query string, a body.
    await call(s.url, "GET", "/v1/organization/projects", { key: ak.body.value });
    await call(s.url, "GET", "/v1/organization/projects", { headers: { "x-api-key": pk.body.value } });
    await call(s.url, "GET", "/v1/organization/projects", {
      key: s.adminKey,
      headers: { cookie: `session=${sa.body.api_key.value}` },
    });
    await call(s.url, "GET", `/v1/organization/projects?api_key=${encodeURIComponent(pk.body.value)}`);
    await call(s.url, "GET", `/v1/organization/usage/completions?start_time=1&page=${pk.body.value}`, {
      key: s.adminKey,
    });
    await call(s.url, "POST", "/v1/organization/projects", {
      key: s.adminKey,
      body: { name: pk.body.value },
    });
    await call(s.url, "POST", "/v1/organization/projects", {
      key: s.adminKey,
      rawBody: `{"name": "${ak.body.value}`,
    });
    // A key with one character changed (fails the checksum), and a project key on an admin route.
    await call(s.url, "GET", "/v1/organization/projects", { key: `${s.adminKey.slice(0, -1)}x` });
    await call(s.url, "GET", "/v1/organization/projects", { key: pk.body.value });
    await call(s.url, "GET", "/metrics", { key: "metrics-token-abcdefghijkl" });
    await call(s.url, "GET", "/nope", { key: sa.body.api_key.value });
  });
  afterAll(async () => {
    await s.close();
  });

  it("no line carries a key, in full or key-shaped", () => {
    const logs = s.logs();
    expect(logs.length).toBeGreaterThan(1000);
    for (const v of secrets) {
      expect(logs.includes(v)).toBe(false);
      // The random part alone must not leak either (e.g. URL-encoded or split differently).
      expect(logs.includes(v.slice(-24))).toBe(false);
    }
    expect(KEY_SHAPED.test(logs)).toBe(false);
    expect(logs.includes("metrics-token-abcdefghijkl")).toBe(false);
  });

  it("every line is JSON, and every request line names its request id", () => {
    const lines = s.logs().trimEnd().split("\n");
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const requestLines = parsed.filter((l) => l.msg === "request");
    expect(requestLines.length).toBeGreaterThanOrEqual(15);
    for (const l of requestLines) {
      expect(l.reqId).toMatch(/^req_[0-9a-f]{32}$/);
      expect((l.headers as Record<string, unknown> | undefined)?.authorization ?? "[redacted]").toBe(
        "[redacted]",
      );
    }
    // Lines logged through a request's logger carry its id too (Fastify binds it).
    for (const l of parsed.filter((x) => "url" in x || "err" in x)) expect(l.reqId).toBeTruthy();
  });
});

describe("secret scrubbing", () => {
  it("masks key-shaped strings, bearer tokens and registered literals anywhere in a line", () => {
    expect(scrubSecrets('{"msg":"got sk-proj-abcDEF123456789 from x"}')).toBe(
      '{"msg":"got sk-[redacted] from x"}',
    );
    expect(scrubSecrets("Authorization: Bearer abc.def-ghi")).toBe("Authorization: Bearer [redacted]");
    addLogSecret("up-xyz-0123456789-secret");
    addLogSecret("short");
    expect(scrubSecrets("upstream key up-xyz-0123456789-secret failed; short")).toBe(
      "upstream key [redacted] failed; short",
    );
  });

  it("applies to whatever the logger writes, redacted paths included", async () => {
    let out = "";
    const sink = new Writable({
      write(chunk, _e, cb) {
        out += String(chunk);
        cb();
      },
    });
    const log = createLogger("info", sink);
    addLogSecret("anthropic-style-secret-9876543210");
    log.info(
      {
        upstream: { headers: { authorization: "Bearer up-1", "api-key": "azure-key-1" } },
        upstreamKey: "raw-upstream-key-1",
        err: new Error("upstream said: invalid key anthropic-style-secret-9876543210"),
      },
      "upstream failed for sk-svcacct-AAAAAAAAAAAAAAAAAAAA",
    );
    expect(out).not.toMatch(/up-1|azure-key-1|raw-upstream-key-1|anthropic-style-secret|sk-svcacct-A/);
    expect(JSON.parse(out).upstreamKey).toBe("[redacted]");
  });
});
