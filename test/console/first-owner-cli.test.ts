import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { consoleClient, PASSWORD } from "../helpers/console.js";

const BIN = join(process.cwd(), "bin", "keyplane.js");
const run = promisify(execFile);
const cwd = mkdtempSync(join(tmpdir(), "keyplane-owner-"));
let child: ChildProcess | undefined;

afterAll(() => {
  child?.kill("SIGKILL");
  rmSync(cwd, { recursive: true, force: true });
});

describe("the first owner's one-time link", () => {
  it("`keyplane init` prints it next to the admin key; the started server redeems it once", async () => {
    const { stdout } = await run(process.execPath, [BIN, "init"], {
      cwd,
      env: { ...process.env, KEYPLANE_PORT: "0" },
    });
    expect(stdout).toMatch(/\n\s+sk-admin-[0-9A-Za-z]{54}\n/);
    const token = /\/#\/set-password\/([A-Za-z0-9]{43})\n/.exec(stdout)?.[1];
    expect(token).toBeDefined();
    expect(stdout).toContain("owner@keyplane.local");

    const url = await new Promise<string>((resolve, reject) => {
      const c = spawn(process.execPath, [BIN, "serve"], { cwd, env: { ...process.env, KEYPLANE_PORT: "0" } });
      child = c;
      let out = "";
      const onData = (b: Buffer) => {
        out += b.toString();
        const m = /"url":"(http:\/\/[^"]+)".*keyplane listening/.exec(out);
        if (m?.[1]) resolve(m[1]);
      };
      c.stdout.on("data", onData);
      c.stderr.on("data", onData);
      c.on("exit", (code) => reject(new Error(`serve exited ${code}: ${out}`)));
    });
    const c = consoleClient(url);
    const ok = await c.req("POST", "/auth/set-password", { token, password: PASSWORD });
    expect(ok.status).toBe(200);
    expect(ok.body.user.email).toBe("owner@keyplane.local");
    const again = await consoleClient(url).req("POST", "/auth/set-password", { token, password: PASSWORD });
    expect(again.status).toBe(400);
    const signIn = await consoleClient(url).req("POST", "/auth/sign-in", {
      email: "owner@keyplane.local",
      password: PASSWORD,
    });
    expect(signIn.status).toBe(200);
  });
});
