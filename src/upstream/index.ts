import type { Config } from "../config/schema.js";
import { buildProviders, createRouter } from "./registry.js";
import { send } from "./send.js";
import type { Provider, ResolveOutcome, SendOutcome, SendRequest } from "./types.js";

export { modelList, modelObject } from "./echo-embeddings.js";
export { endpointOf } from "./endpoint.js";
export { prepareStreamBody } from "./request-body.js";
export { estimatePromptTokens, estimateTokens } from "./tokens.js";
export type {
  BufferedResponse,
  Candidate,
  ClientRelay,
  Endpoint,
  Provider,
  ResolveOutcome,
  SendOutcome,
  SendRequest,
  StreamedResponse,
  StreamOutcome,
  UpstreamResponse,
  Usage,
} from "./types.js";
export { isClientRelay } from "./types.js";

export interface Upstreams {
  /** Ordered candidates for a requested model, or OpenAI's 404 model_not_found as a value. */
  resolve(model: string): ResolveOutcome;
  /** Forwards (or echoes) one request over its candidates; never throws for upstream trouble. */
  send(req: SendRequest): Promise<SendOutcome>;
  readonly providers: ReadonlyMap<string, Provider>;
  /** Closes every provider's connection pool. */
  close(): Promise<void>;
}

export interface UpstreamsOptions {
  /** Jitter source for retry backoff (tests); defaults to Math.random. */
  random?: () => number;
}

/**
 * Builds the upstream layer once at start: providers (keys read from the environment now, never
 * later), one connection pool each, and the model router. Throws ConfigError listing every problem.
 */
export const createUpstreams = (
  config: Pick<Config, "upstreams" | "routes" | "models">,
  env: NodeJS.ProcessEnv,
  opts: UpstreamsOptions = {},
): Upstreams => {
  const providers = buildProviders(config.upstreams, env);
  let router: ReturnType<typeof createRouter>;
  try {
    router = createRouter(config.routes, providers);
  } catch (err) {
    for (const p of providers.values()) void p.pool?.destroy();
    throw err;
  }
  const ctx = { models: config.models, ...(opts.random ? { random: opts.random } : {}) };
  return {
    providers,
    resolve: (model) => router.resolve(model),
    send: (req) => send(req, ctx),
    async close() {
      await Promise.all([...providers.values()].map((p) => p.pool?.close()));
    },
  };
};
