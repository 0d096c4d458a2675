import type { IncomingHttpHeaders } from "node:http";
import type { Readable } from "node:stream";
import type { Dispatcher } from "undici";
import { BUFFER_LIMIT } from "./body-read.js";
import { type CancelSignal, waitUnlessCancelled } from "./cancel.js";
import { requestUpstream, type UpstreamAnswer } from "./dispatch.js";
import { readUpstreamHeaders, upstreamRequestHeaders } from "./headers.js";
import { providerAuth } from "./registry.js";
import { backoffMs, classifyFailure, type FailureKind, isRetryableStatus, retryAfterMs } from "./retry.js";
import type { Provider } from "./types.js";

export interface ForwardInput {
  provider: Provider;
  /** Path after `/v1`, with query string; appended to the provider's base path. */
  path: string;
  method: string;
  /** The client's headers; filtered here (its Authorization is never forwarded). */
  headers: IncomingHttpHeaders;
  body: Buffer | null;
  signal?: CancelSignal | undefined;
  /** Absolute time (Date.now() scale) by which response headers must have arrived. */
  deadline: number;
  /** Test seam for the jitter; defaults to Math.random. */
  random?: (() => number) | undefined;
}

export type ForwardOutcome =
  | {
      type: "response";
      status: number;
      /** Only the headers the gateway reads (readUpstreamHeaders). */
      headers: IncomingHttpHeaders;
      /** The whole body when it was small, else the unread stream: consume or destroy it. */
      body: Buffer | Readable;
      attempts: number;
      /** True when the status was retryable but retries ran out: the next candidate may do better. */
      retryable: boolean;
    }
  | { type: "failure"; kind: FailureKind; attempts: number };

/** Discards a body we will not forward: a small one is already read; a stream is aborted. */
export const discard = (body: Buffer | Readable): void => {
  if (!Buffer.isBuffer(body)) body.destroy();
};

/** undici's timers tick at ~1 s, so finer per-request values buy nothing. */
const TIMER_SLACK_MS = 1000;

/**
 * Sends one request to one provider, retrying connection failures, timeouts, 408/409/429 and 5xx
 * with exponential backoff and full jitter — or exactly the upstream's `retry-after(-ms)` — as long
 * as the wait fits before the deadline. Retries happen only here, before the caller has sent the
 * client anything. The body is sent as given, with its exact content-length.
 */
export const forward = async (input: ForwardInput): Promise<ForwardOutcome> => {
  const { provider, signal, deadline } = input;
  const pool = provider.pool;
  if (!pool) return { type: "failure", kind: "other", attempts: 0 };
  const headers = upstreamRequestHeaders(
    input.headers,
    providerAuth(provider),
    input.body ? input.body.length : null,
  );
  const path = provider.basePath + input.path;
  const random = input.random ?? Math.random;
  for (let attempt = 0; ; attempt++) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) return { type: "failure", kind: "timeout", attempts: attempt };
    let res: UpstreamAnswer;
    try {
      res = await requestUpstream(
        pool,
        {
          path,
          method: input.method as Dispatcher.HttpMethod,
          headers,
          body: input.body,
          signal,
          // The pool's default (the provider's timeoutMs) unless the deadline is tighter: undici
          // re-arms its parser timer whenever the value changes, so a per-request value on every
          // request costs a timer allocation each time. Short deadlines also have the caller's timer.
          headersTimeout: remaining < provider.timeoutMs - TIMER_SLACK_MS ? remaining : null,
          readHeaders: readUpstreamHeaders,
        },
        BUFFER_LIMIT,
      );
    } catch (err) {
      const kind = classifyFailure(err);
      const retry = kind === "timeout" || kind === "connect";
      const delay = backoffMs(attempt, provider.retryBaseMs, provider.retryMaxMs, random);
      if (!retry || attempt >= provider.maxRetries || Date.now() + delay >= deadline) {
        return { type: "failure", kind, attempts: attempt + 1 };
      }
      if (!(await waitUnlessCancelled(delay, signal)))
        return { type: "failure", kind: "aborted", attempts: attempt + 1 };
      continue;
    }
    const status = res.status;
    const answered = (retryable: boolean): ForwardOutcome => ({
      type: "response",
      status,
      headers: res.headers,
      body: res.body,
      attempts: attempt + 1,
      retryable,
    });
    if (!isRetryableStatus(status)) return answered(false);
    const delay =
      retryAfterMs(res.headers) ?? backoffMs(attempt, provider.retryBaseMs, provider.retryMaxMs, random);
    if (attempt >= provider.maxRetries || Date.now() + delay >= deadline) return answered(true);
    discard(res.body);
    if (!(await waitUnlessCancelled(delay, signal)))
      return { type: "failure", kind: "aborted", attempts: attempt + 1 };
  }
};
