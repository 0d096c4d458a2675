import { loadConfig } from "../../config/load.js";
import { parseStoreUrl } from "../../storage/open.js";

/** Where the store lives, without credentials. */
export const describeStore = (url: string | undefined, dataDir: string): string => {
  const t = parseStoreUrl(url, dataDir);
  if (t.kind === "sqlite") return `SQLite ${t.path}`;
  const u = new URL(t.connectionString);
  u.password = "";
  return `PostgreSQL ${u.host}${u.pathname}${t.schema ? ` (schema ${t.schema})` : ""}`;
};

/** The config a local command runs with: the file (flag or $KEYPLANE_CONFIG), then the environment. */
export const loadCliConfig = (file: string | undefined) =>
  loadConfig({
    env: file ? { ...process.env, KEYPLANE_CONFIG: file } : process.env,
    overrides: { logLevel: "warn" },
  });
