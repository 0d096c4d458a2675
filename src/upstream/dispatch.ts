import type { IncomingHttpHeaders } from "node:http";
import { Readable } from "node:stream";
import { type Dispatcher, util } from "undici";
import type { CancelSignal } from "./cancel.js";

/** An upstream answer: a small complete body arrives as a Buffer, anything else as a stream. */
export interface UpstreamAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer | Readable;
}

export interface UpstreamCall {
  path: string;
  method: Dispatcher.HttpMethod;
  headers: Record<string, string>;
  body: Buffer | null;
  signal?: CancelSignal | undefined;
  headersTimeout?: number | null | undefined;
}

const aborted = (signal: CancelSignal | undefined): Error => {
  const reason = signal?.reason;
  if (reason instanceof Error) return reason;
  const e = new Error("The request was aborted.");
  e.name = "AbortError";
  return e;
};

/**
 * One request on an undici dispatcher, without undici's request() wrapper: that one builds an
 * AsyncResource and a body stream for every response, and most model answers are a few hundred
 * bytes read whole anyway. Bodies up to `bufferLimit` that are not SSE are collected here and
 * resolve as a Buffer once complete; SSE and larger bodies resolve at their headers as a Readable
 * with backpressure (destroying it aborts the request).
 */
export const requestUpstream = (
  pool: Dispatcher,
  call: UpstreamCall,
  bufferLimit: number,
): Promise<UpstreamAnswer> =>
  new Promise((resolve, reject) => {
    const signal = call.signal;
    if (signal?.aborted) {
      reject(aborted(signal));
      return;
    }
    let abort: ((err: Error) => void) | null = null;
    let status = 0;
    let headers: IncomingHttpHeaders = {};
    let chunks: Buffer[] | null = null;
    let size = 0;
    let stream: Readable | null = null;
    let resumeUpstream: (() => void) | null = null;
    let settled = false;
    let done = false;

    const onAbort = (): void => {
      const err = aborted(signal);
      if (stream) stream.destroy(err);
      else if (abort) abort(err);
      else fail(err);
    };
    const fail = (err: Error): void => {
      signal?.removeEventListener("abort", onAbort);
      if (!settled) {
        settled = true;
        reject(err);
      } else if (stream && !stream.destroyed) stream.destroy(err);
    };
    const toStream = (): Readable => {
      const s = new Readable({
        read() {
          resumeUpstream?.();
        },
        destroy(err, cb) {
          signal?.removeEventListener("abort", onAbort);
          if (!done) abort?.(err ?? aborted(undefined));
          cb(err);
        },
      });
      if (chunks) for (const c of chunks) s.push(c);
      chunks = null;
      stream = s;
      settled = true;
      resolve({ status, headers, body: s });
      return s;
    };

    signal?.addEventListener("abort", onAbort, { once: true });
    pool.dispatch(
      {
        path: call.path,
        method: call.method,
        headers: call.headers,
        body: call.body,
        headersTimeout: call.headersTimeout ?? null,
      },
      {
        onConnect(a: (err: Error) => void) {
          abort = a;
        },
        onHeaders(statusCode: number, raw: Buffer[], resume: () => void) {
          if (statusCode < 200) return true;
          status = statusCode;
          headers = util.parseHeaders(raw) as IncomingHttpHeaders;
          resumeUpstream = resume;
          const type = headers["content-type"];
          const length = Number(headers["content-length"]);
          if ((typeof type === "string" && type.startsWith("text/event-stream")) || length > bufferLimit)
            toStream();
          else chunks = [];
          return true;
        },
        onData(chunk: Buffer) {
          if (stream) return stream.push(chunk);
          chunks?.push(chunk);
          size += chunk.length;
          if (size > bufferLimit) toStream();
          return true;
        },
        onComplete() {
          done = true;
          signal?.removeEventListener("abort", onAbort);
          if (stream) {
            stream.push(null);
            return;
          }
          const c = chunks ?? [];
          settled = true;
          resolve({ status, headers, body: c.length === 1 && c[0] ? c[0] : Buffer.concat(c, size) });
        },
        onError(err: Error) {
          done = true;
          fail(err);
        },
      } as unknown as Dispatcher.DispatchHandler,
    );
  });
