import { type ChildProcess, execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { BIN, spawnServer } from "../helpers/child-server.js";

const run = promisify(execFile);
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const c of children.splice(0)) c.kill("SIGKILL");
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), "keyplane-cli-"));
  dirs.push(d);
  return d;
};

/** Starts `keyplane serve` in `cwd` and resolves once it listens, with everything it printed. */
const serve = async (
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ out: string; url: string }> => {
  const c = await spawnServer(cwd, env);
  children.push(c.child);
  return { out: c.out(), url: c.url };
};

const listKeys = async (url: string, key: string, out: string) => {
  const org = /organization: (org-\S+)/.exec(out)?.[1];
  const proj = /project:\s+(proj_\S+)/.exec(out)?.[1];
  return fetch(`${url}/v1/organizations/${org}/projects/${proj}/apikeys`, {
    headers: { authorization: `Bearer ${key}` },
  });
};

describe("keyplane serve / init / keygen", () => {
  it("first start creates ./data, prints the admin key once; a restart prints none and the key still works", async () => {
    const cwd = tempDir();
    const first = await serve(cwd);
    const key = /\n\s+(sk-admin-[0-9A-Za-z]+)\n/.exec(first.out)?.[1];
    expect(key).toBeDefined();
    expect((await listKeys(first.url, key as string, first.out)).status).toBe(200);
    children.pop()?.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 300));
    const second = await serve(cwd);
    expect(second.out).not.toContain("sk-admin-");
    const res = await fetch(`${second.url}/v1/organization/projects`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(res.status).toBe(200);
  });

  it("adopts KEYPLANE_ADMIN_KEY from `keyplane keygen admin` and never prints it", async () => {
    const { stdout } = await run(process.execPath, [BIN, "keygen", "admin"]);
    const key = stdout.trim();
    expect(key).toMatch(/^sk-admin-[0-9A-Za-z]{54}$/);
    const started = await serve(tempDir(), { KEYPLANE_ADMIN_KEY: key });
    expect(started.out).not.toContain(key);
    expect((await listKeys(started.url, key, started.out)).status).toBe(200);
  });

  it("a malformed KEYPLANE_ADMIN_KEY stops the start with one line", async () => {
    const err = await run(process.execPath, [BIN, "init"], {
      cwd: tempDir(),
      env: { ...process.env, KEYPLANE_ADMIN_KEY: "sk-admin-nope" },
    }).catch((e: { code: number; stderr: string }) => e);
    expect((err as { code: number }).code).not.toBe(0);
    expect((err as { stderr: string }).stderr.trim().split("\n")).toHaveLength(1);
    expect((err as { stderr: string }).stderr).toContain("keygen admin");
  });

  it("reads a config file from KEYPLANE_CONFIG and reports every problem in a bad one", async () => {
    const cwd = tempDir();
    const good = join(cwd, "keyplane.json");
    writeFileSync(good, JSON.stringify({ dataDir: join(cwd, "elsewhere"), logLevel: "warn" }));
    const { stdout } = await run(process.execPath, [BIN, "init"], {
      cwd,
      env: { ...process.env, KEYPLANE_CONFIG: good },
    });
    expect(stdout).toContain("sk-admin-");
    const bad = join(cwd, "bad.json");
    writeFileSync(bad, JSON.stringify({ port: "x", bodyLimitBytes: -1, upstreams: [{ name: "" }] }));
    const err = await run(process.execPath, [BIN, "init"], {
      cwd,
      env: { ...process.env, KEYPLANE_CONFIG: bad },
    }).catch((e: { stderr: string }) => e);
    const text = (err as { stderr: string }).stderr;
    expect(text).toContain("port");
    expect(text).toContain("bodyLimitBytes");
    expect(text).toContain("upstreams.0.name");
  });
});
