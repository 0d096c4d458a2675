import { Transform, type TransformCallback } from "node:stream";
import { eventData, hasObjectKey, isTerminalResponseEvent, outputChars } from "./sse-scan.js";
import { tokensForChars } from "./tokens.js";
import type { Endpoint, StreamOutcome, Usage } from "./types.js";
import { usageFromObject } from "./usage.js";

export interface SseTeeOptions {
  endpoint: Endpoint;
  /**
   * Remove the usage-only chunk (`choices: []` + `usage`) because the gateway, not the client,
   * asked for it. Then only whole events are emitted; otherwise chunks pass through as they arrive.
   */
  dropUsageChunk: boolean;
  /** Input side of an estimate when the stream ends without usage. */
  promptTokensEstimate: number;
}

const LF2 = Buffer.from("\n\n");
const CRLF2 = Buffer.from("\r\n\r\n");

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

const parse = (payload: string): Json | null => {
  try {
    const v: unknown = JSON.parse(payload);
    return isObject(v) ? v : null;
  } catch {
    return null;
  }
};

/**
 * Passes an upstream SSE body to the client byte for byte (with backpressure) while reading the
 * usage it reports and counting the output characters delivered, so a stream cut short by the
 * client or the upstream still yields an estimate. `outcome` settles exactly once, never rejects.
 */
export class SseTee extends Transform {
  readonly outcome: Promise<StreamOutcome>;
  private settle: (o: StreamOutcome) => void = () => {};
  private settled = false;
  private pending: Buffer | null = null;
  private separator: Buffer | null = null;
  private usage: Usage | null = null;
  private chars = 0;
  private terminal = false;

  constructor(private readonly opts: SseTeeOptions) {
    super();
    this.outcome = new Promise((resolve) => {
      this.settle = resolve;
    });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    const buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    const sep = this.separator ?? this.detectSeparator(buf);
    let start = 0;
    let emitFrom = 0;
    if (sep) {
      for (let idx = buf.indexOf(sep, start); idx >= 0; idx = buf.indexOf(sep, start)) {
        const end = idx + sep.length;
        if (this.scan(buf.toString("utf8", start, idx)) && this.opts.dropUsageChunk) {
          if (start > emitFrom) this.push(buf.subarray(emitFrom, start));
          emitFrom = end;
        }
        start = end;
      }
    }
    this.pending = start < buf.length ? buf.subarray(start) : null;
    if (!this.opts.dropUsageChunk) this.push(chunk);
    else if (start > emitFrom) this.push(buf.subarray(emitFrom, start));
    cb();
  }

  override _flush(cb: TransformCallback): void {
    const rest = this.pending;
    this.pending = null;
    if (rest) {
      const drop = this.scan(rest.toString("utf8"));
      if (this.opts.dropUsageChunk && !drop) this.push(rest);
    }
    this.finish();
    cb();
  }

  override _destroy(err: Error | null, cb: (error?: Error | null) => void): void {
    this.finish();
    cb(err);
  }

  private detectSeparator(buf: Buffer): Buffer | null {
    const lf = buf.indexOf(LF2);
    const crlf = buf.indexOf(CRLF2);
    if (lf < 0 && crlf < 0) return null;
    this.separator = crlf >= 0 && (lf < 0 || crlf < lf) ? CRLF2 : LF2;
    return this.separator;
  }

  /** Reads one complete event; returns true when it is the usage-only chunk. */
  private scan(event: string): boolean {
    const payload = eventData(event);
    if (payload === null) return false;
    const { endpoint } = this.opts;
    if (endpoint === "responses") {
      if (isTerminalResponseEvent(payload)) {
        const ev = parse(payload);
        const u = ev && isObject(ev.response) ? usageFromObject(ev.response.usage) : null;
        if (u) this.usage = u;
        this.terminal = true;
        return false;
      }
      this.chars += outputChars(endpoint, payload);
      return false;
    }
    if (payload === "[DONE]") {
      this.terminal = true;
      return false;
    }
    if (hasObjectKey(payload, '"usage"')) {
      const ev = parse(payload);
      const u = ev ? usageFromObject(ev.usage) : null;
      if (u) this.usage = u;
      if (u && Array.isArray(ev?.choices) && ev.choices.length === 0) return true;
    }
    this.chars += outputChars(endpoint, payload);
    return false;
  }

  private finish(): void {
    if (this.settled) return;
    this.settled = true;
    const usage: Usage = this.usage ?? {
      inputTokens: this.opts.promptTokensEstimate,
      outputTokens: tokensForChars(this.chars),
      cachedInputTokens: 0,
      estimated: true,
    };
    this.settle({ usage, completed: this.terminal, deliveredChars: this.chars });
  }
}
