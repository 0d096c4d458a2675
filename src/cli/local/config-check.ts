import { z } from "zod";
import { ConfigError, loadConfig, readConfigFile } from "../../config/load.js";
import { configSchema } from "../../config/schema.js";
import { parseStoreUrl } from "../../storage/open.js";

export interface Problem {
  severity: "error" | "warning";
  path: string;
  message: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/** Settings the schema does not know are silently dropped at start; a typo deserves a warning. */
const unknownKeys = (value: unknown, schema: unknown, path: string, out: Problem[]): void => {
  if (!isObject(schema)) return;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) unknownKeys(v, schema.items, `${path}[${i}]`, out);
    return;
  }
  if (!isObject(value) || !isObject(schema.properties)) return;
  const props = schema.properties;
  for (const [k, v] of Object.entries(value)) {
    const at = path ? `${path}.${k}` : k;
    if (!(k in props)) {
      if (schema.additionalProperties === undefined || schema.additionalProperties === false)
        out.push({ severity: "warning", path: at, message: "unknown setting (ignored); check the spelling" });
      continue;
    }
    unknownKeys(v, props[k], at, out);
  }
};

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** Cross-references the schema cannot express: routes must name defined upstreams, and so on. */
const crossChecks = (raw: Json, env: Record<string, string | undefined>, out: Problem[]): void => {
  const upstreams = Array.isArray(raw.upstreams)
    ? raw.upstreams.filter(isObject)
    : [{ name: "echo", type: "echo" }];
  const names = new Set<string>();
  upstreams.forEach((u, i) => {
    const name = str(u.name);
    if (name && names.has(name))
      out.push({
        severity: "error",
        path: `upstreams[${i}].name`,
        message: `duplicate upstream name "${name}"`,
      });
    if (name) names.add(name);
    if ((u.type ?? "openai") === "openai" && !str(u.baseUrl))
      out.push({
        severity: "error",
        path: `upstreams[${i}].baseUrl`,
        message: "an openai upstream needs a baseUrl",
      });
    const keyEnv = str(u.apiKeyEnv);
    if (keyEnv && !env[keyEnv])
      out.push({
        severity: "warning",
        path: `upstreams[${i}].apiKeyEnv`,
        message: `${keyEnv} is not set in this environment; requests to ${name ?? "it"} will lack a key`,
      });
  });
  const routes = Array.isArray(raw.routes) ? raw.routes.filter(isObject) : [];
  const known = [...names].join(", ") || "(none)";
  routes.forEach((r, i) => {
    const targets = [str(r.upstream), ...(Array.isArray(r.fallbacks) ? r.fallbacks.map(str) : [])];
    targets.forEach((t, j) => {
      if (t !== undefined && !names.has(t))
        out.push({
          severity: "error",
          path: j === 0 ? `routes[${i}].upstream` : `routes[${i}].fallbacks[${j - 1}]`,
          message: `unknown upstream "${t}"; defined: ${known}`,
        });
    });
  });
  const dbUrl = str(env.KEYPLANE_DATABASE_URL) ?? str(raw.databaseUrl);
  try {
    parseStoreUrl(dbUrl, ".");
  } catch (err) {
    out.push({ severity: "error", path: "databaseUrl", message: (err as Error).message });
  }
  const redisUrl = str(env.KEYPLANE_REDIS_URL) ?? str(raw.redisUrl);
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl))
    out.push({ severity: "error", path: "redisUrl", message: "must start with redis:// or rediss://" });
};

/** zod's "upstreams.0.baseUrl" → "upstreams[0].baseUrl", to match the other problems. */
const tidyPath = (p: string): string => p.replace(/\.(\d+)(?=\.|$)/g, "[$1]");

/** Validates a config file plus the environment, collecting every problem instead of stopping at one. */
export const checkConfig = (
  file: string | undefined,
  env: Record<string, string | undefined>,
): { file: string | undefined; problems: Problem[] } => {
  const problems: Problem[] = [];
  let raw: Json = {};
  if (file) {
    try {
      raw = readConfigFile(file);
    } catch (err) {
      const msg = err instanceof ConfigError ? (err.problems[0] ?? err.message) : String(err);
      return { file, problems: [{ severity: "error", path: "(file)", message: msg }] };
    }
  }
  try {
    loadConfig({ env: { ...env, KEYPLANE_CONFIG: file } });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const p of err.problems) {
      const i = p.indexOf(": ");
      problems.push({
        severity: "error",
        path: i > 0 ? tidyPath(p.slice(0, i)) : "(root)",
        message: i > 0 ? p.slice(i + 2) : p,
      });
    }
  }
  unknownKeys(raw, z.toJSONSchema(configSchema, { io: "input", unrepresentable: "any" }), "", problems);
  crossChecks(raw, env, problems);
  return { file, problems };
};
