import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

export const BIN = join(process.cwd(), "bin", "keyplane.js");

export interface ChildServer {
  child: ChildProcess;
  url: string;
  /** Everything the process printed so far. */
  out: () => string;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
}

/** Runs `keyplane serve` (the built CLI) as a real child process; resolves once it listens. */
export const spawnServer = (cwd: string, env: Record<string, string> = {}): Promise<ChildServer> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "serve"], {
      cwd,
      env: { ...process.env, KEYPLANE_PORT: "0", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let done = false;
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /"url":"(http:\/\/[^"]+)".*keyplane listening/.exec(out);
      if (m?.[1] && !done) {
        done = true;
        resolve({ child, url: m[1], out: () => out, exited });
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    void exited.then((code) => {
      if (!done) reject(new Error(`serve exited ${code}: ${out}`));
    });
  });
