import { PassThrough, type Readable, Transform, type TransformCallback, type Writable } from "node:stream";
import type { StreamOutcome, Usage } from "./types.js";
import { usageFromTail } from "./usage.js";

/** Bodies up to this size are buffered (usage parsed once); larger ones stream through. */
export const BUFFER_LIMIT = 1024 * 1024;

const noop = (): void => {};

/**
 * `src.pipe(dest)` plus error and teardown propagation both ways. Not `stream.pipeline`: on Node 20
 * each pipeline() allocates an AbortController and aborts it on completion, building a
 * DOMException with a stack trace — measurable per request on the hot path.
 */
export const link = <T extends Writable>(src: Readable, dest: T): T => {
  src.on("error", (err) => dest.destroy(err));
  dest.once("close", () => {
    if (!src.readableEnded) src.destroy();
  });
  return src.pipe(dest);
};

export type Collected = { buffer: Buffer } | { stream: Readable };

/**
 * Reads a body whole when it is small. Once it passes `limit` it is handed back as a stream that
 * replays what was read, so a multi-megabyte body is never held in memory just to be forwarded.
 */
export const collect = (body: Readable, limit: number = BUFFER_LIMIT): Promise<Collected> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      body.off("data", onData);
      body.off("end", onEnd);
      body.off("error", onError);
    };
    const onData = (c: Buffer): void => {
      chunks.push(c);
      size += c.length;
      if (size <= limit) return;
      cleanup();
      body.pause();
      const out = new PassThrough();
      for (const ch of chunks) out.write(ch);
      link(body, out);
      resolve({ stream: out });
    };
    const onEnd = (): void => {
      cleanup();
      resolve({ buffer: chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks, size) });
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    body.on("data", onData);
    body.on("end", onEnd);
    body.on("error", onError);
  });

/** How much of a large body's end is kept to find `usage` (it is the last top-level key). */
const TAIL_BYTES = 16 * 1024;

/**
 * Passes a large non-stream JSON body through unchanged, keeping only its tail, and reads usage
 * from that tail when the body ends. `outcome` settles exactly once and never rejects.
 */
export class UsageTail extends Transform {
  readonly outcome: Promise<StreamOutcome>;
  private settle: (o: StreamOutcome) => void = noop;
  private settled = false;
  private tail: Buffer = Buffer.alloc(0);
  private bytes = 0;

  constructor(private readonly promptTokensEstimate: number | (() => number)) {
    super();
    this.outcome = new Promise((resolve) => {
      this.settle = resolve;
    });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    if (chunk.length >= TAIL_BYTES) this.tail = chunk.subarray(chunk.length - TAIL_BYTES);
    else {
      const joined = Buffer.concat([this.tail, chunk]);
      this.tail = joined.length > TAIL_BYTES ? joined.subarray(joined.length - TAIL_BYTES) : joined;
    }
    cb(null, chunk);
  }

  override _flush(cb: TransformCallback): void {
    this.finish(true);
    cb();
  }

  override _destroy(err: Error | null, cb: (error?: Error | null) => void): void {
    this.finish(false);
    cb(err);
  }

  private finish(completed: boolean): void {
    if (this.settled) return;
    this.settled = true;
    const found = completed ? usageFromTail(this.tail.toString("utf8")) : null;
    const usage: Usage = found ?? {
      inputTokens:
        typeof this.promptTokensEstimate === "function"
          ? this.promptTokensEstimate()
          : this.promptTokensEstimate,
      outputTokens: 0,
      cachedInputTokens: 0,
      estimated: true,
    };
    this.settle({ usage, completed, outputChars: null, deliveredBytes: this.bytes });
  }
}
