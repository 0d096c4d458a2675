import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateAgainst } from "../helpers/spec.js";
import { type CliResult, cliFor, ensureBuilt } from "./run-cli.js";

/**
 * A stand-in that answers exactly as OpenAI's spec does and records what the CLI sent; every
 * answer validates against the spec first. Invites are not served by Keyplane yet; usage and costs
 * are (usage.test.ts), and here they also get a multi-page answer to follow.
 */
const SPEC = "openai-admin-openapi.json";
const P = "proj_usage";
const DAY = 86_400;

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

const readBody = async (req: IncomingMessage): Promise<unknown> => {
  let text = "";
  for await (const chunk of req) text += String(chunk);
  return text ? JSON.parse(text) : undefined;
};

describe("invites, usage and costs against a spec stand-in", () => {
  let server: Server;
  let kp: (args: string[]) => Promise<CliResult>;
  const seen: Seen[] = [];

  const answer = (s: Seen): { status: number; body: unknown; schema?: string } => {
    const { method, path, query } = s;
    if (path === "/v1/organization/invites" && method === "POST") {
      const b = s.body as { email: string; role: string; projects?: unknown[] };
      const inv = {
        object: "organization.invite",
        id: "invite-1",
        email: b.email,
        role: b.role,
        status: "pending",
        created_at: 1,
        expires_at: 2,
        accepted_at: null,
        projects: b.projects ?? [],
      };
      return { status: 200, schema: "Invite", body: inv };
    }
    if (path === "/v1/organization/invites" && method === "GET")
      return {
        status: 200,
        schema: "InviteListResponse",
        body: { object: "list", data: [], first_id: null, last_id: null, has_more: false },
      };
    if (path === "/v1/organization/invites/invite-1" && method === "DELETE")
      return {
        status: 200,
        schema: "InviteDeleteResponse",
        body: { object: "organization.invite.deleted", id: "invite-1", deleted: true },
      };
    if (path === "/v1/organization/usage/completions") {
      const start = Number(query.get("start_time"));
      const second = query.get("page") === "page_2";
      const result = (model: string, n: number) => ({
        object: "organization.usage.completions.result",
        input_tokens: 100 * n,
        output_tokens: 10 * n,
        num_model_requests: n,
        model,
        project_id: null,
        user_id: null,
        api_key_id: null,
        batch: null,
      });
      const bucket = (i: number, results: unknown[]) => ({
        object: "bucket",
        start_time: start + i * DAY,
        end_time: start + (i + 1) * DAY,
        results,
      });
      return {
        status: 200,
        schema: "UsageResponse",
        body: second
          ? { object: "page", data: [bucket(1, [result("gpt-4o", 1)])], has_more: false, next_page: null }
          : {
              object: "page",
              data: [bucket(0, [result("gpt-4o-mini", 3), result("gpt-4o", 2)])],
              has_more: true,
              next_page: "page_2",
            },
      };
    }
    if (path === "/v1/organization/costs") {
      const start = Number(query.get("start_time"));
      const cost = (project: string, value: number) => ({
        object: "organization.costs.result",
        amount: { value, currency: "usd" },
        line_item: null,
        project_id: project,
      });
      return {
        status: 200,
        schema: "UsageResponse",
        body: {
          object: "page",
          data: [
            {
              object: "bucket",
              start_time: start,
              end_time: start + DAY,
              results: [cost(P, 1.25), cost("proj_b", 0.5)],
            },
          ],
          has_more: false,
          next_page: null,
        },
      };
    }
    return {
      status: 404,
      body: {
        error: {
          message: `Invalid URL (${method} ${path})`,
          type: "invalid_request_error",
          param: null,
          code: null,
        },
      },
    };
  };

  beforeAll(async () => {
    await ensureBuilt();
    server = createServer(async (req, res) => {
      const url = new URL(req.url ?? "/", "http://x");
      const s: Seen = {
        method: req.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        body: await readBody(req),
      };
      seen.push(s);
      const { status, body, schema } = answer(s);
      // The stand-in must itself speak the spec, or the test proves nothing.
      if (schema) expect(validateAgainst(SPEC, schema, body).errors).toEqual([]);
      res.writeHead(status, { "content-type": "application/json", "x-request-id": "req_fake" });
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    kp = cliFor(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, "sk-admin-fake");
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });
  const last = () => seen[seen.length - 1] as Seen;

  it("usage --project … --since 7d --by model follows every page, groups by model and totals", async () => {
    const before = Math.floor(Date.now() / 1000);
    const r = await kp(["usage", "--project", P, "--since", "7d", "--by", "model"]);
    expect(r.code).toBe(0);
    const calls = seen.filter((x) => x.path === "/v1/organization/usage/completions");
    expect(calls).toHaveLength(2);
    const q = calls[0]?.query as URLSearchParams;
    expect(q.getAll("project_ids[]")).toEqual([P]);
    expect(q.getAll("group_by[]")).toEqual(["model"]);
    expect(q.get("bucket_width")).toBe("1d");
    expect(Math.abs(Number(q.get("start_time")) - (before - 7 * DAY))).toBeLessThan(60);
    expect(calls[1]?.query.get("page")).toBe("page_2");
    expect(r.stdout).toMatch(/^START\s+MODEL\s+REQUESTS\s+INPUT TOKENS\s+OUTPUT TOKENS/);
    expect(r.stdout).toMatch(/gpt-4o-mini\s+3\s+300\s+30/);
    expect(r.stdout).toContain("total: 6 requests, 600 input tokens, 60 output tokens");
    const json = JSON.parse(
      (await kp(["usage", "--project", P, "--since", "7d", "--by", "model", "--json"])).stdout,
    );
    expect(validateAgainst(SPEC, "UsageResponse", json).errors).toEqual([]);
    expect(json.data).toHaveLength(2);
  });

  it("invites create/list/delete send OpenAI's invite body", async () => {
    const r = await kp([
      "invites",
      "create",
      "ana@example.com",
      "--role",
      "reader",
      "--project",
      `${P}:owner`,
      "--project",
      "proj_b",
    ]);
    expect(r.code).toBe(0);
    expect(last().body).toEqual({
      email: "ana@example.com",
      role: "reader",
      projects: [
        { id: P, role: "owner" },
        { id: "proj_b", role: "member" },
      ],
    });
    expect(r.stdout).toContain("Invited ana@example.com as reader (invite-1)");
    expect((await kp(["invites", "list"])).stdout).toContain("(no invites)");
    expect((await kp(["invites", "delete", "invite-1"])).code).toBe(0);
  });

  it("costs --by project prints amounts and their total", async () => {
    const r = await kp(["costs", "--since", "30d", "--by", "project"]);
    expect(r.code).toBe(0);
    expect(last().query.getAll("group_by[]")).toEqual(["project_id"]);
    expect(last().query.get("bucket_width")).toBe("1d");
    expect(r.stdout).toMatch(new RegExp(`${P}\\s+\\$1\\.25`));
    expect(r.stdout).toContain("total: $1.75");
    const bad = await kp(["costs", "--by", "model"]);
    expect(bad.code).toBe(2);
  });
});
