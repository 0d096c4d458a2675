import type { IncomingHttpHeaders } from "node:http";
import type { Readable, Writable } from "node:stream";
import type { Pool } from "undici";
import type { AppError } from "../domain/errors.js";
import type { CancelSignal } from "./cancel.js";

/** Which OpenAI endpoint a request targets; decides body rewriting and where usage lives. */
export type Endpoint = "chat" | "responses" | "completions" | "embeddings" | "models" | "other";

/**
 * One configured upstream. The API key is deliberately not a property: it lives in a module-private
 * map (see registry.ts) so logging or serialising a Provider can never reveal it.
 */
export interface Provider {
  readonly name: string;
  readonly type: "openai" | "echo";
  /** `https://host:port` — what the Pool connects to. Empty for echo. */
  readonly origin: string;
  /** Path prefix from the base URL without a trailing slash, e.g. `/v1`. */
  readonly basePath: string;
  /** Extra headers from config, sent on every request (after the client's, so they win). */
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /** Whether streams are made to report usage (see config `streamUsage`). */
  readonly streamUsage: boolean;
  /** One keep-alive pool per provider; null for echo. */
  readonly pool: Pool | null;
}

/** One place a model can be served: a provider and the model name to send it. */
export interface Candidate {
  readonly provider: Provider;
  /** The model name sent upstream (differs from the requested one for aliases). */
  readonly model: string;
}

export type ResolveOutcome = { ok: true; candidates: readonly Candidate[] } | { ok: false; error: AppError };

/** Token usage as metered. `estimated` = derived from character counts, not reported by the upstream. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  estimated: boolean;
}

/** How a streamed response ended and what it consumed. */
export interface StreamOutcome {
  usage: Usage;
  /** True when the upstream finished normally ([DONE] / response.completed / clean end). */
  completed: boolean;
  /**
   * Output characters delivered to the client, what an estimate is based on; null when they were
   * not counted: the upstream reported usage (nothing needs them then) or the body is not SSE.
   */
  outputChars: number | null;
  /** Bytes of the body delivered to the client (what the usage event records as `bytes`). */
  deliveredBytes: number;
}

/** Response headers to pass to the client (already filtered). */
export type PassHeaders = Record<string, string | string[]>;

interface ResponseBase {
  status: number;
  headers: PassHeaders;
  /** Provider that produced this response and the model name it was sent. */
  provider: string;
  model: string;
  /** Upstream attempts made over all candidates (1 = first try answered). */
  attempts: number;
  /** The upstream's own request id, for logs only (never sent to the client). */
  upstreamRequestId: string | null;
}

/** Whole body in memory: non-stream JSON, pass-through errors, echo answers. */
export interface BufferedResponse extends ResponseBase {
  kind: "buffer";
  body: Buffer;
  /** Usage read from the body; an estimate for a 2xx model answer without one; null for errors. */
  usage: Usage | null;
}

/**
 * A streamed body that can write itself into the client's response and answer for both ends: an
 * upstream failure destroys the response, the response closing early stops the upstream. False
 * when it cannot (it is already being read); pipe it then.
 */
export interface ClientRelay {
  relayTo(res: Writable): boolean;
}

export const isClientRelay = (body: object): body is ClientRelay =>
  typeof (body as Partial<ClientRelay>).relayTo === "function";

/** Body still arriving: SSE streams and large non-stream bodies. Pipe `body` to the client. */
export interface StreamedResponse extends ResponseBase {
  kind: "stream";
  body: Readable;
  /** Settles when the body ends, breaks, or the client goes away. Never rejects. */
  outcome: Promise<StreamOutcome>;
  /**
   * Runs `hook` with the outcome of a stream that completed, before the client's response is
   * ended (its last byte is held until the hook's promise settles, or sent at once when it returns
   * null; a rejection or a throw cuts the response instead). Returns false when this body cannot
   * hold its end; `outcome` is then the only signal.
   */
  beforeEnd?: (hook: EndHook) => boolean;
}

/** What a stream runs before its last byte: null when it finished synchronously. */
export type EndHook = (o: StreamOutcome) => Promise<void> | null;

export type UpstreamResponse = BufferedResponse | StreamedResponse;

export type SendOutcome = { ok: true; response: UpstreamResponse } | { ok: false; error: AppError };

/** What the gateway hands to `send`: the client's request as received, plus the routing decision. */
export interface SendRequest {
  /** Path after `/v1`, with query string, e.g. `/chat/completions`. */
  path: string;
  method: string;
  /** The client's headers; filtered before anything is sent upstream. */
  headers: IncomingHttpHeaders;
  /** Raw request body bytes as received (null for GET). Sent unchanged unless a rewrite is needed. */
  body: Buffer | null;
  /** The parsed body (the gateway parses it anyway); used for aliases, stream options and echo. */
  json: Record<string, unknown> | null;
  candidates: readonly Candidate[];
  /** Aborts upstream work when the client goes away before the response starts. */
  signal?: CancelSignal;
  /** Total time budget for getting response headers, retries and fallbacks included. */
  deadlineMs?: number;
  /** Prompt-token estimate used when a stream breaks before the upstream reports usage. */
  promptTokensEstimate?: number;
}
