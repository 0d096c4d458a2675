import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startServer, type TestServer } from "../helpers/server.js";

describe("secrets are never stored or logged in plain text", () => {
  let s: TestServer;
  const values: string[] = [];
  beforeAll(async () => {
    s = await startServer();
    values.push(s.adminKey);
    for (let i = 0; i < 5; i++) {
      const r = await call(s.url, "POST", `/v1/organizations/${s.orgId}/projects/${s.projectId}/apikeys`, {
        key: s.adminKey,
        body: { name: `k${i}` },
      });
      values.push(r.body.value);
      const rot = await call(
        s.url,
        "POST",
        `/v1/organizations/${s.orgId}/projects/${s.projectId}/apikeys/${r.body.id}/rotate`,
        {
          key: s.adminKey,
          body: { grace_period_seconds: 10 },
        },
      );
      values.push(rot.body.value);
    }
    const sa = await call(s.url, "POST", `/v1/organization/projects/${s.projectId}/service_accounts`, {
      key: s.adminKey,
      body: { name: "sa" },
    });
    values.push(sa.body.api_key.value);
    // Use every key once so the verification path runs too.
    for (const v of values) await call(s.url, "GET", "/v1/organization/projects", { key: v });
    await s.kp.store.close().catch(() => undefined);
  });
  afterAll(async () => {
    await s.close().catch(() => undefined);
  });

  it("no key value appears in the database files", () => {
    const files = readdirSync(s.dataDir).filter((f) => f.includes(".db"));
    expect(files.length).toBeGreaterThan(0);
    const bytes = files.map((f) => readFileSync(join(s.dataDir, f)).toString("latin1")).join("\n");
    expect(values.length).toBe(12);
    for (const v of values) {
      expect(bytes.includes(v)).toBe(false);
      // Not even the random part without its prefix.
      expect(bytes.includes(v.slice(-40))).toBe(false);
    }
  });

  it("no key value appears in the logs", () => {
    const logs = s.logs();
    for (const v of values) expect(logs.includes(v.slice(-40))).toBe(false);
  });
});
