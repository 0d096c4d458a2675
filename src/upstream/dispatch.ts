import type { IncomingHttpHeaders } from "node:http";
import type { Readable } from "node:stream";
import { type Dispatcher, util } from "undici";
import type { CancelSignal } from "./cancel.js";
import type { HeaderPicker } from "./headers.js";
import { type StreamTransport, UpstreamStream } from "./upstream-stream.js";

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
  /** Decodes the response headers the caller reads (headers.ts); all of them when absent. */
  readHeaders?: HeaderPicker | undefined;
}

const aborted = (signal: CancelSignal | undefined): Error => {
  const reason = signal?.reason;
  if (reason instanceof Error) return reason;
  const e = new Error("The request was aborted.");
  e.name = "AbortError";
  return e;
};

/**
 * One request's undici handler and its state, in one object: the closures it replaces (a handler
 * literal's five methods, abort, fail, toStream, the stream's two callbacks) were allocated for
 * every request and lived as long as it did, which the young-generation GC pays for.
 */
class UpstreamCallState implements StreamTransport {
  private abort: ((err: Error) => void) | null = null;
  private status = 0;
  private headers: IncomingHttpHeaders = {};
  private chunks: Buffer[] | null = null;
  private size = 0;
  private stream: UpstreamStream | null = null;
  private resume: (() => void) | null = null;
  private settled = false;
  private done = false;
  /** The listener identity for the caller's signal. */
  readonly onAbort = (): void => {
    const err = aborted(this.call.signal);
    if (this.stream) this.stream.destroy(err);
    else if (this.abort) this.abort(err);
    else this.fail(err);
  };

  constructor(
    private readonly call: UpstreamCall,
    private readonly bufferLimit: number,
    private readonly resolve: (a: UpstreamAnswer) => void,
    private readonly reject: (err: Error) => void,
  ) {}

  resumeUpstream(): void {
    this.resume?.();
  }

  abortUpstream(err: Error | null): void {
    this.call.signal?.removeEventListener("abort", this.onAbort);
    if (!this.done) this.abort?.(err ?? aborted(undefined));
  }

  private fail(err: Error): void {
    this.call.signal?.removeEventListener("abort", this.onAbort);
    if (!this.settled) {
      this.settled = true;
      this.reject(err);
    } else if (this.stream && !this.stream.destroyed) this.stream.destroy(err);
  }

  private toStream(): void {
    const s = new UpstreamStream(this);
    if (this.chunks) for (const c of this.chunks) s.deliver(c);
    this.chunks = null;
    this.stream = s;
    this.settled = true;
    this.resolve({ status: this.status, headers: this.headers, body: s });
  }

  // undici's DispatchHandler (the legacy callbacks, which it calls as methods of this object).
  onConnect(abort: (err: Error) => void): void {
    this.abort = abort;
  }

  onHeaders(statusCode: number, raw: Buffer[], resume: () => void): boolean {
    if (statusCode < 200) return true;
    this.status = statusCode;
    const read = this.call.readHeaders;
    const headers = read ? read(raw) : (util.parseHeaders(raw) as IncomingHttpHeaders);
    this.headers = headers;
    this.resume = resume;
    const type = headers["content-type"];
    const length = Number(headers["content-length"]);
    if ((typeof type === "string" && type.startsWith("text/event-stream")) || length > this.bufferLimit)
      this.toStream();
    else this.chunks = [];
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.stream) return this.stream.deliver(chunk);
    this.chunks?.push(chunk);
    this.size += chunk.length;
    if (this.size > this.bufferLimit) this.toStream();
    return true;
  }

  onComplete(): void {
    this.done = true;
    this.call.signal?.removeEventListener("abort", this.onAbort);
    if (this.stream) {
      this.stream.complete();
      return;
    }
    const c = this.chunks ?? [];
    this.settled = true;
    this.resolve({
      status: this.status,
      headers: this.headers,
      body: c.length === 1 && c[0] ? c[0] : Buffer.concat(c, this.size),
    });
  }

  onError(err: Error): void {
    this.done = true;
    this.fail(err);
  }
}

/**
 * One request on an undici dispatcher, without undici's request() wrapper: that one builds an
 * AsyncResource and a body stream for every response, and most model answers are a few hundred
 * bytes read whole anyway. Bodies up to `bufferLimit` that are not SSE are collected here and
 * resolve as a Buffer once complete; SSE and larger bodies resolve at their headers as an
 * UpstreamStream with backpressure (destroying it aborts the request).
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
    const state = new UpstreamCallState(call, bufferLimit, resolve, reject);
    signal?.addEventListener("abort", state.onAbort, { once: true });
    pool.dispatch(
      {
        path: call.path,
        method: call.method,
        headers: call.headers,
        body: call.body,
        headersTimeout: call.headersTimeout ?? null,
      },
      state as unknown as Dispatcher.DispatchHandler,
    );
  });
