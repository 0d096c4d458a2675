import { execFile } from "node:child_process";
import { createServer } from "node:net";
import { promisify } from "node:util";
import type { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProgram } from "../../src/cli/program.js";
import { startServer, type TestServer } from "../helpers/server.js";
import { cliFor, ensureBuilt, isOneLineError, runCli } from "./run-cli.js";

/** A port nothing listens on: bind one, then free it. */
const closedPort = async (): Promise<number> => {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const addr = srv.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;
  await new Promise((r) => srv.close(r));
  return port;
};

describe("errors: one line, what to do, an exit code a script can trust", () => {
  let s: TestServer;
  beforeAll(async () => {
    await ensureBuilt();
    s = await startServer();
  });
  afterAll(async () => {
    await s.close();
  });

  it("a wrong admin key → exit 3 and one line naming KEYPLANE_ADMIN_KEY", async () => {
    const r = await cliFor(s.url, "sk-admin-notarealkey0000000000000000000000")(["projects", "list"]);
    expect(r.code).toBe(3);
    expect(isOneLineError(r.stderr)).toBe(true);
    expect(r.stderr).toContain("KEYPLANE_ADMIN_KEY");
    expect(r.stderr).toMatch(/request req_[0-9a-f]{32}/);
    expect(r.stdout).toBe("");
  });

  it("an unreachable server → exit 5 and one line naming the URL", async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const r = await cliFor(url, s.adminKey)(["keys", "list", "--project", "proj_x"]);
    expect(r.code).toBe(5);
    expect(isOneLineError(r.stderr)).toBe(true);
    expect(r.stderr).toContain(url);
    expect(r.stderr).toContain("ECONNREFUSED");
  });

  it("bad flags → exit 2 and one line pointing at the command's --help", async () => {
    const kp = cliFor(s.url, s.adminKey);
    for (const args of [
      ["keys", "create", "--project", "p", "--name", "x", "--bogus"],
      ["keys", "create", "--project", "p", "--name", "x", "--rpm", "sixty"],
      ["keys", "create", "--project", "p", "--name", "x", "--expires", "soon"],
      ["keys", "create", "--project", "p", "--name", "x", "--permissions", "restricted"],
      ["keys", "create", "--project", "p"],
      ["keys", "rotate"],
      ["projects", "explode"],
      ["usage", "--bucket", "2d"],
    ]) {
      const r = await kp(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(isOneLineError(r.stderr), r.stderr).toBe(true);
    }
    const flag = await kp(["keys", "create", "--project", "p", "--name", "x", "--rpm", "sixty"]);
    expect(flag.stderr).toContain("see: keyplane keys create --help");
  });

  it("no admin key → exit 2 saying how to set one; --admin-key warns about shell history", async () => {
    const none = await runCli(["projects", "list"], { env: { KEYPLANE_URL: s.url } });
    expect(none.code).toBe(2);
    expect(isOneLineError(none.stderr)).toBe(true);
    expect(none.stderr).toContain("KEYPLANE_ADMIN_KEY");
    const flag = await runCli(["projects", "list", "--admin-key", s.adminKey, "--json"], {
      env: { KEYPLANE_URL: s.url },
    });
    expect(flag.code).toBe(0);
    expect(flag.stderr).toMatch(/^warning: --admin-key lands in your shell history/);
    expect(JSON.parse(flag.stdout).object).toBe("list");
    // A key pasted with its line break is named as such, not mistaken for a network error.
    const pasted = await runCli(["projects", "list"], {
      env: { KEYPLANE_URL: s.url, KEYPLANE_ADMIN_KEY: `${s.adminKey}\n` },
    });
    expect(pasted.code).toBe(2);
    expect(isOneLineError(pasted.stderr)).toBe(true);
    expect(pasted.stderr).toContain("line breaks");
  });

  it("a missing object → exit 4; an API refusal → exit 1; never a stack trace", async () => {
    const kp = cliFor(s.url, s.adminKey);
    const missing = await kp(["projects", "get", "proj_doesnotexist"]);
    expect(missing.code).toBe(4);
    expect(isOneLineError(missing.stderr)).toBe(true);
    const refused = await kp([
      "keys",
      "create",
      "--project",
      s.projectId,
      "--name",
      "x",
      "--permissions",
      "restricted",
      "--allow",
      "no.such.scope",
    ]);
    expect(refused.code).toBe(1);
    expect(isOneLineError(refused.stderr)).toBe(true);
    expect(refused.stderr).toContain("scope");
  });
});

const allCommands = (cmd: Command, path: string[] = []): { path: string[]; cmd: Command }[] =>
  cmd.commands.flatMap((c) => [
    { path: [...path, c.name()], cmd: c },
    ...allCommands(c, [...path, c.name()]),
  ]);

/** What `--help` prints after the options (commander emits addHelpText("after") as "afterHelp"). */
const afterHelp = (cmd: Command): string => {
  let text = "";
  const emitter = cmd as unknown as { listeners(e: string): ((ctx: unknown) => void)[] };
  for (const l of emitter.listeners("afterHelp"))
    l({ error: false, command: cmd, write: (t: string) => (text += t) });
  return text;
};

describe("help and completion", () => {
  it("keyplane --help shows the issue's examples and the exit codes", async () => {
    await ensureBuilt();
    const r = await runCli(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('keyplane projects create "Search team"');
    expect(r.stdout).toContain("keyplane usage --project proj_abc --since 7d --by model");
    expect(r.stdout).toContain("Exit codes:");
    const sub = await runCli(["keys", "create", "--help"]);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toMatch(/Examples:\n\s+keyplane keys create --project/);
    expect(sub.stdout).toContain("--json");
  });

  it("every command's help has examples that start with its own path", () => {
    const program = buildProgram();
    const missing = allCommands(program)
      .filter(({ cmd }) => cmd.name() !== "help")
      .filter(
        ({ path, cmd }) => !new RegExp(`Examples:\\n\\s+.*keyplane ${path.join(" ")}`).test(afterHelp(cmd)),
      )
      .map(({ path }) => path.join(" "));
    expect(missing).toEqual([]);
  });

  it("bash completion completes commands, subcommands, flags and flag values", async () => {
    const script = (await runCli(["completion", "bash"])).stdout;
    const complete = async (words: string[]): Promise<string[]> => {
      const cmd = `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _keyplane; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const { stdout } = await promisify(execFile)("bash", ["-c", cmd]);
      return stdout.split("\n").filter((l) => l !== "");
    };
    expect(await complete(["keyplane", "ke"])).toEqual(["keygen", "keys"]);
    expect(await complete(["keyplane", "keys", "r"])).toEqual(["rotate", "revoke"]);
    expect(await complete(["keyplane", "keys", "create", "--proj"])).toEqual(["--project"]);
    expect(await complete(["keyplane", "--json", "sa", "create", "--project", "p", "--q"])).toEqual([
      "--quiet",
    ]);
    expect(await complete(["keyplane", "keys", "create", "--permissions", ""])).toEqual([
      "all",
      "read",
      "read-only",
      "restricted",
    ]);
    expect(await complete(["keyplane", "usage", "--bucket", "1"])).toEqual(["1m", "1h", "1d"]);
  });

  it("zsh completion defines and registers _keyplane from the same command tree", async () => {
    const r = await runCli(["completion", "zsh"]);
    expect(r.stdout.startsWith("#compdef keyplane\n")).toBe(true);
    expect(r.stdout).toContain("compdef _keyplane keyplane");
    expect(r.stdout).toContain('"keys create") echo "');
    expect(r.stdout).toMatch(/"keys create\|--permissions"\) echo "all read read-only restricted"/);
    // bash parses the shared data functions too; the zsh-only driver is checked by shape above.
    const data = r.stdout.slice(0, r.stdout.indexOf("_keyplane() {"));
    await expect(promisify(execFile)("bash", ["-n", "-c", data])).resolves.toBeDefined();
    const bad = await runCli(["completion", "fish"]);
    expect(bad.code).toBe(2);
    expect(isOneLineError(bad.stderr)).toBe(true);
  });
});
