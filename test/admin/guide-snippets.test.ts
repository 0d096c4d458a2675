import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startServer, type TestServer } from "../helpers/server.js";

const run = promisify(execFile);

/** The product guide's own snippets, run literally with real ids against a fresh server. */
describe("product guide snippets", () => {
  let s: TestServer;
  let keyId: string;
  beforeAll(async () => {
    s = await startServer();
    keyId = (
      await call(s.url, "POST", `/v1/organizations/${s.orgId}/projects/${s.projectId}/apikeys`, {
        key: s.adminKey,
        body: { name: "guide" },
      })
    ).body.id;
  });
  afterAll(async () => {
    await s.close();
  });

  it("the curl line returns the project's keys", async () => {
    const script = `curl -s -H "Authorization: Bearer $KEYPLANE_ADMIN_KEY" \\
     ${s.url}/v1/organizations/${s.orgId}/projects/${s.projectId}/apikeys`;
    const { stdout } = await run("bash", ["-c", script], {
      env: { ...process.env, KEYPLANE_ADMIN_KEY: s.adminKey },
    });
    const body = JSON.parse(stdout);
    expect(body.object).toBe("list");
    expect(body.data.map((k: { id: string }) => k.id)).toContain(keyId);
  });

  it("the Python requests snippet returns the project's keys", async () => {
    const py = `import requests

headers = {
    "Authorization": "Bearer ${s.adminKey}"
}

response = requests.get("${s.url}/v1/organizations/${s.orgId}/projects/${s.projectId}/apikeys", headers=headers)

print(response.json())
`;
    let out = "";
    for (const bin of ["python3", "/usr/bin/python3"]) {
      try {
        out = (
          await run(bin, [
            "-c",
            `import json, builtins\n_p = builtins.print\nbuiltins.print = lambda x: _p(json.dumps(x))\n${py}`,
          ])
        ).stdout;
        break;
      } catch (err) {
        if (bin === "/usr/bin/python3") throw err;
      }
    }
    const body = JSON.parse(out.trim());
    expect(body.data.map((k: { id: string }) => k.id)).toContain(keyId);
  });
});
