import { Pool } from "undici";
import { ConfigError, readUpstreamKey } from "../config/load.js";
import type { RouteConfig, UpstreamConfig } from "../config/schema.js";
import { AppError } from "../domain/errors.js";
import type { UpstreamAuth } from "./headers.js";
import type { Candidate, Provider, ResolveOutcome } from "./types.js";

/**
 * Upstream keys, kept off the Provider objects so that logging or serialising a provider can never
 * print one. Filled once at start from the environment variable each upstream names.
 */
const secrets = new WeakMap<Provider, string>();

export const providerAuth = (p: Provider): UpstreamAuth => ({
  authorization: secrets.get(p) ?? null,
  extra: p.headers,
});

const toProvider = (u: UpstreamConfig, problems: string[]): Provider | null => {
  const base = {
    name: u.name,
    type: u.type,
    headers: Object.freeze({ ...u.headers }),
    timeoutMs: u.timeoutMs,
    maxRetries: u.maxRetries,
    retryBaseMs: u.retryBaseMs,
    retryMaxMs: u.retryMaxMs,
    streamUsage: u.streamUsage,
  };
  if (u.type === "echo") return Object.freeze({ ...base, origin: "", basePath: "", pool: null });
  if (!u.baseUrl) {
    problems.push(`upstreams.${u.name}.baseUrl: required for type "openai"`);
    return null;
  }
  const url = new URL(u.baseUrl);
  const pool = new Pool(url.origin, {
    connections: u.connections,
    pipelining: 1,
    connect: { timeout: u.connectTimeoutMs },
    headersTimeout: u.timeoutMs,
    bodyTimeout: u.timeoutMs,
  });
  return Object.freeze({ ...base, origin: url.origin, basePath: url.pathname.replace(/\/+$/, ""), pool });
};

/**
 * Builds one Provider (and one keep-alive Pool) per configured upstream. Fails listing every
 * problem: a missing base URL, a named key variable that is unset, a duplicate name.
 */
export const buildProviders = (
  upstreams: readonly UpstreamConfig[],
  env: NodeJS.ProcessEnv,
): Map<string, Provider> => {
  const problems: string[] = [];
  const out = new Map<string, Provider>();
  for (const u of upstreams) {
    if (out.has(u.name)) problems.push(`upstreams.${u.name}: duplicate upstream name`);
    const key = readUpstreamKey(u.apiKeyEnv, env);
    if (u.apiKeyEnv && !key)
      problems.push(`upstreams.${u.name}.apiKeyEnv: environment variable ${u.apiKeyEnv} is not set`);
    const p = toProvider(u, problems);
    if (!p) continue;
    if (key) secrets.set(p, `Bearer ${key}`);
    out.set(u.name, p);
  }
  if (problems.length > 0) {
    for (const p of out.values()) void p.pool?.destroy();
    throw new ConfigError(problems);
  }
  return out;
};

export const modelNotFound = (model: string): AppError =>
  new AppError("model_not_found", {
    message: `The model \`${model}\` does not exist or you do not have access to it.`,
    wireCode: "model_not_found",
  });

interface Target {
  provider: Provider;
  /** Model name to send; undefined = the requested name. */
  model: string | undefined;
}

interface CompiledRoute {
  prefix: string;
  targets: Target[];
}

export interface Router {
  /** Ordered candidates for a model, or OpenAI's model_not_found when no route matches. */
  resolve(model: string): ResolveOutcome;
}

/** Bound on memoised resolutions; clients choose model names, so the memo must not grow freely. */
const MEMO_LIMIT = 10_000;

/**
 * Routes a model to candidates: exact `match` first, then patterns ending in `*` in config order
 * (first match wins). A route's `model` aliases the name sent upstream; string fallbacks inherit
 * it, object fallbacks may name their own.
 */
export const createRouter = (
  routes: readonly RouteConfig[],
  providers: ReadonlyMap<string, Provider>,
): Router => {
  const problems: string[] = [];
  const exact = new Map<string, CompiledRoute>();
  const patterns: CompiledRoute[] = [];
  const lookup = (name: string, where: string): Provider | null => {
    const p = providers.get(name);
    if (!p) problems.push(`${where}: unknown upstream "${name}"`);
    return p ?? null;
  };
  routes.forEach((r, i) => {
    const star = r.match.indexOf("*");
    if (star >= 0 && star !== r.match.length - 1)
      problems.push(`routes.${i}.match: "*" is allowed only at the end`);
    const targets: Target[] = [];
    const primary = lookup(r.upstream, `routes.${i}.upstream`);
    if (primary) targets.push({ provider: primary, model: r.model });
    r.fallbacks.forEach((f, j) => {
      const name = typeof f === "string" ? f : f.upstream;
      const p = lookup(name, `routes.${i}.fallbacks.${j}`);
      if (p) targets.push({ provider: p, model: (typeof f === "string" ? undefined : f.model) ?? r.model });
    });
    const compiled = { prefix: star >= 0 ? r.match.slice(0, -1) : r.match, targets };
    if (star < 0) {
      if (!exact.has(r.match)) exact.set(r.match, compiled);
    } else patterns.push(compiled);
  });
  if (problems.length > 0) throw new ConfigError(problems);

  const memo = new Map<string, ResolveOutcome>();
  const compute = (model: string): ResolveOutcome => {
    const route = exact.get(model) ?? patterns.find((p) => model.startsWith(p.prefix));
    if (!route) return { ok: false, error: modelNotFound(model) };
    const candidates: Candidate[] = route.targets.map((t) =>
      Object.freeze({ provider: t.provider, model: t.model ?? model }),
    );
    return { ok: true, candidates: Object.freeze(candidates) };
  };
  return {
    resolve(model) {
      let out = memo.get(model);
      if (out) return out;
      out = compute(model);
      // Misses are not memoised: unknown names are the ones a client can vary without bound.
      if (!out.ok) return out;
      if (memo.size >= MEMO_LIMIT) memo.clear();
      memo.set(model, out);
      return out;
    },
  };
};
