import { eventData, hasObjectKey, isTerminalResponseEvent, outputChars } from "./sse-scan.js";
import { tokensForChars } from "./tokens.js";
import type { Endpoint, StreamOutcome, Usage } from "./types.js";
import { usageFromObject } from "./usage.js";

export interface SseScanOptions {
  endpoint: Endpoint;
  /**
   * Remove the usage-only chunk (`choices: []` + `usage`) because the gateway, not the client,
   * asked for it. Then only whole events are emitted; otherwise chunks pass through as they arrive.
   */
  dropUsageChunk: boolean;
  /** Input side of an estimate when the stream ends without usage. */
  promptTokensEstimate: number;
}

/** Longest partial event held for scanning; usage events are small, text deltas smaller. */
const MAX_EVENT_BYTES = 1024 * 1024;

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
 * The SSE tee's state machine, free of stream plumbing: fed the body's chunks in order, it says
 * which bytes go to the client (all of them, minus a gateway-requested usage chunk), reads the
 * usage the upstream reports, and counts output characters for an estimate when none comes.
 */
export class SseScanner {
  private pending: Buffer | null = null;
  private separator: Buffer | null = null;
  private usage: Usage | null = null;
  private chars = 0;
  private terminal = false;

  constructor(private readonly opts: SseScanOptions) {}

  /** Scans the complete events in `chunk`; returns the bytes to send now (null: none). */
  accept(chunk: Buffer): Buffer | null {
    const drop = this.opts.dropUsageChunk;
    const buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    const sep = this.separator ?? this.detectSeparator(buf);
    let start = 0;
    let emitFrom = 0;
    const kept: Buffer[] = [];
    if (sep) {
      for (let idx = buf.indexOf(sep, start); idx >= 0; idx = buf.indexOf(sep, start)) {
        const end = idx + sep.length;
        if (this.scan(buf.toString("utf8", start, idx)) && drop) {
          if (start > emitFrom) kept.push(buf.subarray(emitFrom, start));
          emitFrom = end;
        }
        start = end;
      }
    }
    let end = start;
    this.pending = start < buf.length ? buf.subarray(start) : null;
    if (this.pending && this.pending.length > MAX_EVENT_BYTES) {
      // Not SSE as we know it (or an absurd event): stop holding it back.
      this.pending = null;
      end = buf.length;
    }
    if (!drop) return chunk;
    if (end > emitFrom) kept.push(buf.subarray(emitFrom, end));
    return kept.length === 1 ? (kept[0] ?? null) : kept.length === 0 ? null : Buffer.concat(kept);
  }

  /** The body ended: scans an unterminated last event; returns bytes still to send. */
  end(): Buffer | null {
    const rest = this.pending;
    this.pending = null;
    if (!rest) return null;
    const isUsageChunk = this.scan(rest.toString("utf8"));
    return this.opts.dropUsageChunk && !isUsageChunk ? rest : null;
  }

  /** Reported usage, or an estimate from the characters seen so far. */
  outcome(): StreamOutcome {
    const usage: Usage = this.usage ?? {
      inputTokens: this.opts.promptTokensEstimate,
      outputTokens: tokensForChars(this.chars),
      cachedInputTokens: 0,
      estimated: true,
    };
    return { usage, completed: this.terminal, deliveredChars: this.chars };
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
      // The usage-only chunk has `choices: []` (some servers omit `choices` there altogether).
      if (u && (!Array.isArray(ev?.choices) || ev.choices.length === 0)) return true;
    }
    this.chars += outputChars(endpoint, payload);
    return false;
  }
}
