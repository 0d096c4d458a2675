import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const newest = (dir: string): number => {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
};

/** Builds the dashboard when web/dist is missing or older than its sources, so tests see the current UI. */
export default function setup(): void {
  const web = join(process.cwd(), "web");
  const index = join(web, "dist", "index.html");
  const sources = Math.max(newest(join(web, "src")), statSync(join(web, "index.html")).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  execFileSync(
    process.execPath,
    ["node_modules/vite/bin/vite.js", "build", "--config", "web/vite.config.ts"],
    {
      stdio: "inherit",
    },
  );
}
