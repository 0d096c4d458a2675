import {
  AbortError,
  ConnectionError,
  errorBodyOf,
  errorForStatus,
  type KeyplaneError,
  TimeoutError,
} from "./errors.js";
import type { Body, Params, Query, ResponseOf, RouteKey } from "./operations.js";
import { encodeQuery, fillPath } from "./query.js";
import { type BackoffOptions, DEFAULT_BACKOFF, isRetryableStatus, retryDelay } from "./retry.js";

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface ClientOptions {
  /** Server base URL, e.g. http://127.0.0.1:8787 (no /v1). */
  baseURL: string;
  /** An sk-admin-… key. */
  adminKey: string;
  /** Retries after the first attempt (default 2). */
  maxRetries?: number;
  /** Per-attempt timeout in ms (default 60 000). */
  timeoutMs?: number;
  backoff?: Partial<BackoffOptions>;
  /** Defaults to the global fetch (Node ≥ 18, Deno, Bun, browsers). */
  fetch?: FetchLike;
  headers?: Record<string, string>;
  /** Called before each attempt (telemetry, tests). */
  onRequest?: (event: RequestEvent) => void;
  /** Called before each retry with the wait chosen. */
  onRetry?: (event: RetryEvent) => void;
  /** Source of jitter in [0, 1); injectable for deterministic tests. */
  random?: () => number;
}

export interface RequestOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  maxRetries?: number;
}

export interface RequestEvent {
  route: RouteKey;
  method: string;
  url: string;
  attempt: number;
}

export interface RetryEvent {
  route: RouteKey;
  attempt: number;
  delayMs: number;
  error: KeyplaneError;
}

export interface CallArgs<K extends RouteKey> {
  params?: Params<K>;
  query?: Query<K>;
  body?: Body<K>;
}

const TIMED_OUT = Symbol("timeout");

const sleep = (ms: number, signal: AbortSignal | undefined): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });

const parseJson = (text: string): unknown => {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

type Attempt = { ok: true; value: unknown } | { ok: false; error: KeyplaneError; retryable: boolean };

/** HTTP core: one place for auth, timeouts, retries and error mapping. Web-standard APIs only. */
export class Transport {
  readonly baseURL: string;
  private readonly adminKey: string;
  private readonly maxRetries: number;
  private readonly timeoutMs: number;
  private readonly backoff: BackoffOptions;
  private readonly fetchImpl: FetchLike;
  private readonly opts: ClientOptions;
  private readonly random: () => number;

  constructor(opts: ClientOptions) {
    if (!opts.baseURL) throw new TypeError("baseURL is required (e.g. http://127.0.0.1:8787)");
    if (!opts.adminKey) throw new TypeError("adminKey is required (an sk-admin-… key)");
    // A pasted key with a line break or space would fail inside fetch, looking like a network error.
    if (!/^[\x21-\x7e]+$/.test(opts.adminKey))
      throw new TypeError("adminKey contains spaces, line breaks or other characters a key never has");
    this.baseURL = opts.baseURL.replace(/\/+$/, "").replace(/\/v1$/, "");
    this.adminKey = opts.adminKey;
    this.maxRetries = opts.maxRetries ?? 2;
    this.timeoutMs = opts.timeoutMs ?? 60_000;
    this.backoff = { ...DEFAULT_BACKOFF, ...opts.backoff };
    this.fetchImpl = opts.fetch ?? ((input, init) => fetch(input, init));
    this.random = opts.random ?? Math.random;
    this.opts = opts;
  }

  async call<K extends RouteKey>(
    route: K,
    args: CallArgs<K> = {},
    ro: RequestOptions = {},
  ): Promise<ResponseOf<K>> {
    const space = route.indexOf(" ");
    const method = route.slice(0, space);
    const path = fillPath(route.slice(space + 1), args.params as Record<string, string> | undefined);
    const url = `${this.baseURL}${path}${encodeQuery(args.query as Record<string, unknown> | undefined)}`;
    const headers: Record<string, string> = {
      accept: "application/json",
      ...this.opts.headers,
      authorization: `Bearer ${this.adminKey}`,
    };
    const init: RequestInit = { method, headers };
    if (args.body !== undefined) {
      headers["content-type"] = "application/json";
      init.body = JSON.stringify(args.body);
    } else if (method === "POST") {
      // OpenAI's POST routes without a body (archive) still expect JSON.
      headers["content-type"] = "application/json";
      init.body = "{}";
    }
    const maxRetries = ro.maxRetries ?? this.maxRetries;
    for (let attempt = 0; ; attempt++) {
      this.opts.onRequest?.({ route, method, url, attempt });
      const r = await this.attempt(url, init, ro);
      if (r.ok) return r.value as ResponseOf<K>;
      if (!r.retryable || attempt >= maxRetries) throw r.error;
      const delayMs = retryDelay(attempt, r.error.headers, this.backoff, Date.now(), this.random);
      this.opts.onRetry?.({ route, attempt: attempt + 1, delayMs, error: r.error });
      try {
        await sleep(delayMs, ro.signal);
      } catch (reason) {
        throw new AbortError("request aborted by the caller", { status: null, cause: reason });
      }
    }
  }

  private async attempt(url: string, init: RequestInit, ro: RequestOptions): Promise<Attempt> {
    const controller = new AbortController();
    const timeoutMs = ro.timeoutMs ?? this.timeoutMs;
    const timer = setTimeout(() => controller.abort(TIMED_OUT), timeoutMs);
    const onAbort = () => controller.abort(ro.signal?.reason);
    if (ro.signal?.aborted) onAbort();
    ro.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const res = await this.fetchImpl(url, { ...init, signal: controller.signal });
      const parsed = parseJson(await res.text());
      if (res.ok) return { ok: true, value: parsed };
      const error = errorForStatus(
        res.status,
        errorBodyOf(parsed),
        res.headers.get("x-request-id"),
        res.headers,
      );
      return { ok: false, error, retryable: isRetryableStatus(res.status, res.headers) };
    } catch (cause) {
      if (controller.signal.aborted && controller.signal.reason === TIMED_OUT) {
        const error = new TimeoutError(`request timed out after ${timeoutMs} ms`, { status: null, cause });
        return { ok: false, error, retryable: true };
      }
      if (ro.signal?.aborted)
        return {
          ok: false,
          error: new AbortError("request aborted by the caller", { status: null, cause }),
          retryable: false,
        };
      const error = new ConnectionError(`cannot reach ${new URL(url).origin}: ${describe(cause)}`, {
        status: null,
        cause,
      });
      return { ok: false, error, retryable: true };
    } finally {
      clearTimeout(timer);
      ro.signal?.removeEventListener("abort", onAbort);
    }
  }
}

/** fetch wraps the socket error in `cause`; surface its code (ECONNREFUSED, ENOTFOUND…). */
const describe = (err: unknown): string => {
  const cause = err instanceof Error ? (err as Error & { cause?: unknown }).cause : undefined;
  if (typeof cause === "object" && cause !== null) {
    const { code, message } = cause as { code?: unknown; message?: unknown };
    if (typeof code === "string") return code;
    if (typeof message === "string" && message !== "") return message;
  }
  return err instanceof Error ? err.message : String(err);
};
