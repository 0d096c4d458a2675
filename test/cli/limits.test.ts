import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startServer, type TestServer } from "../helpers/server.js";
import { validateAgainst } from "../helpers/spec.js";
import { type CliResult, cliFor, ensureBuilt } from "./run-cli.js";

const SPEC = "openai-admin-openapi.json";

/** rate-limits and budgets against a real server: what the CLI sets, the gateway enforces. */
describe("keyplane rate-limits and budgets", () => {
  let s: TestServer;
  let kp: (args: string[]) => Promise<CliResult>;
  let project = "";
  let secret = "";
  beforeAll(async () => {
    await ensureBuilt();
    s = await startServer();
    kp = cliFor(s.url, s.adminKey);
    project = (await kp(["projects", "create", "limited", "--quiet"])).stdout.trim();
    secret = (await kp(["keys", "create", "--project", project, "--name", "k", "--quiet"])).stdout.trim();
  });
  afterAll(async () => {
    await s.close();
  });

  const chat = (model = "gpt-4o-mini") =>
    call(s.url, "POST", "/v1/chat/completions", {
      key: secret,
      body: { model, messages: [{ role: "user", content: "hi" }] },
    });

  it("rate-limits list shows one record per model; --json is OpenAI's list", async () => {
    const r = await kp(["rate-limits", "list", "--project", project]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^MODEL\s+RPM\s+TPM/);
    expect(r.stdout).toMatch(/gpt-4o-mini\s+[\d,]+\s+[\d,]+/);
    const json = JSON.parse((await kp(["rate-limits", "list", "--project", project, "--json"])).stdout);
    expect(validateAgainst(SPEC, "ProjectRateLimitListResponse", json).errors).toEqual([]);
    expect(json.data.map((l: { model: string }) => l.model)).toContain("gpt-4o");
  });

  it("rate-limits set narrows a model's limit, which the gateway then enforces; widening is refused", async () => {
    const r = await kp([
      "rate-limits",
      "set",
      "gpt-4o-mini",
      "--project",
      project,
      "--rpm",
      "1",
      "--tpm",
      "90000",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/gpt-4o-mini\s+1\s+90,000/);
    expect((await chat()).status).toBe(200);
    const limited = await chat();
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe("rate_limit_exceeded");
    const wider = await kp(["rate-limits", "set", "gpt-4o", "--project", project, "--rpm", "999999999"]);
    expect(wider.code).toBe(1);
    expect(wider.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(wider.stderr).toContain("max_requests_per_1_minute");
    const unknown = await kp(["rate-limits", "set", "no-such-model", "--project", project, "--rpm", "1"]);
    expect(unknown.code).toBe(4);
  });

  it("budgets set/get/remove speak dollars; a tiny budget stops requests with insufficient_quota", async () => {
    expect((await kp(["budgets", "get", "--project", project])).stdout).toContain(
      `No spend limit on project ${project}`,
    );
    const set = await kp(["budgets", "set", "0.01", "--project", project]);
    expect(set.code).toBe(0);
    expect(set.stdout).toMatch(/hard limit\s+\$0\.01\d* per month/);
    const got = JSON.parse((await kp(["budgets", "get", "--project", project, "--json"])).stdout);
    expect(validateAgainst(SPEC, "ProjectSpendLimitResource", got).errors).toEqual([]);
    expect(got.threshold_amount).toBe(1);
    const refused = await chat("gpt-4o");
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("insufficient_quota");
    expect((await kp(["budgets", "remove", "--project", project])).code).toBe(0);
    expect((await kp(["budgets", "get", "--project", project])).stdout).toContain("No spend limit");
    expect((await chat("gpt-4o")).status).toBe(200);
  });

  it("budgets set without --project caps the organization; alerts add/list/remove", async () => {
    const org = await kp(["budgets", "set", "1000"]);
    expect(org.stdout).toMatch(/scope\s+the organization/);
    const added = await kp([
      "budgets",
      "alerts",
      "add",
      "25",
      "--project",
      project,
      "--email",
      "fin@example.com",
    ]);
    expect(added.code).toBe(0);
    const list = JSON.parse((await kp(["budgets", "alerts", "list", "--project", project, "--json"])).stdout);
    expect(list.data).toHaveLength(1);
    expect(list.data[0]).toMatchObject({
      threshold_amount: 2500,
      notification_channel: { recipients: ["fin@example.com"] },
    });
    expect((await kp(["budgets", "alerts", "list", "--project", project])).stdout).toMatch(
      /\$25\.00\s+month\s+fin@example\.com/,
    );
    expect((await kp(["budgets", "alerts", "remove", list.data[0].id, "--project", project])).code).toBe(0);
    const after = JSON.parse(
      (await kp(["budgets", "alerts", "list", "--project", project, "--json"])).stdout,
    );
    expect(after.data).toEqual([]);
  });
});
