import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";

/**
 * Runs the real `keyplane` binary (bin/keyplane.js → dist/) as a child process, the way users and
 * CI scripts do. `npm test` builds dist/ first; when a source file is newer than dist/ (a bare
 * `vitest run` after an edit), the first CLI test file rebuilds it once under a lock.
 */
const ROOT = process.cwd();
const BIN = join(ROOT, "bin", "keyplane.js");
const DIST_MAIN = join(ROOT, "dist", "cli", "main.js");
const LOCK = join(ROOT, ".tmp", "cli-build.lock");

const newestSource = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((max, e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return Math.max(max, newestSource(p));
    return e.name.endsWith(".ts") ? Math.max(max, statSync(p).mtimeMs) : max;
  }, 0);

const distTime = (): number => {
  try {
    return statSync(DIST_MAIN).mtimeMs;
  } catch {
    return 0;
  }
};

export const ensureBuilt = async (): Promise<void> => {
  if (distTime() >= newestSource(join(ROOT, "src"))) return;
  mkdirSync(join(ROOT, ".tmp"), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
      if (distTime() >= newestSource(join(ROOT, "src"))) return;
    }
  }
  try {
    if (distTime() < newestSource(join(ROOT, "src")))
      execFileSync(process.execPath, [
        join(ROOT, "node_modules/typescript/bin/tsc"),
        "-p",
        "tsconfig.build.json",
      ]);
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
};

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A clean environment: nothing from the developer's shell (KEYPLANE_*, colours) leaks into tests. */
const baseEnv = (): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const k of ["PATH", "HOME", "TMPDIR", "LANG"]) {
    const v = process.env[k];
    if (v !== undefined) env[k] = v;
  }
  return env;
};

export const runCli = (
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<CliResult> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...baseEnv(), ...opts.env }, cwd: opts.cwd ?? ROOT, timeout: opts.timeoutMs ?? 20_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });

/** A CLI bound to one server and admin key through the environment, as the examples use it. */
export const cliFor =
  (url: string, adminKey: string) =>
  (args: string[], env: Record<string, string> = {}): Promise<CliResult> =>
    runCli(args, { env: { KEYPLANE_URL: url, KEYPLANE_ADMIN_KEY: adminKey, ...env } });

/** The one-line error contract: exactly one line on stderr, no stack trace. */
export const isOneLineError = (stderr: string): boolean => {
  const lines = stderr.trimEnd().split("\n");
  return lines.length === 1 && lines[0]?.startsWith("keyplane: ") === true && !/\n\s+at /.test(stderr);
};
