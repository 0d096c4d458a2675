import { eventData, scanEvents } from "./sse-scan.js";
import { tokensForChars } from "./tokens.js";
import type { Endpoint, StreamOutcome, Usage } from "./types.js";
import { objectEnd, objectValueAt, USAGE_KEY, usageAt, usageFromObject, usageInRange } from "./usage.js";

export interface SseScanOptions {
  endpoint: Endpoint;
  /**
   * Remove the usage-only chunk (`choices: []` + `usage`) because the gateway, not the client,
   * asked for it. Then only whole events are emitted; otherwise chunks pass through as they arrive.
   */
  dropUsageChunk: boolean;
  /**
   * Input side of an estimate when the stream ends without usage; a function is called only then
   * (walking the prompt again is wasted on the streams that report usage, nearly all of them).
   */
  promptTokensEstimate: number | (() => number);
}

/** Longest partial event held for scanning; usage events are small, text deltas smaller. */
const MAX_EVENT_BYTES = 1024 * 1024;

/** A `choices` array with at least one element; unescaped quotes make it a key, not content. */
const CHOICES_WITH_ITEMS = /"choices"\s*:\s*\[\s*[^\s\]]/;

const LF2 = Buffer.from("\n\n");
const DONE = Buffer.from("[DONE]");

/**
 * Complete events whose output characters are counted only when something asks for them: a
 * stream that reports usage (nearly all, since the gateway asks for it) never needs the count,
 * and counting means decoding and scanning every event. Past this many held bytes they are
 * counted and let go, so a long stream holds no more than this.
 */
const DEFER_BYTES = 16 * 1024;
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

const usageOf = (objectText: string): Usage | null => {
  const b = Buffer.from(objectText);
  return usageInRange(b, 0, b.length);
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
  private deferred: Buffer[] = [];
  private deferredBytes = 0;
  private sent = 0;
  private terminal = false;

  constructor(private readonly opts: SseScanOptions) {}

  /** Scans the complete events in `chunk`; returns the bytes to send now (null: none). */
  accept(chunk: Buffer): Buffer | null {
    const buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    const sep = this.separator ?? this.detectSeparator(buf);
    const last = sep ? buf.lastIndexOf(sep) : -1;
    // Complete events are decoded and scanned in one go: per-event decoding cost 3× more.
    const complete = last < 0 || !sep ? 0 : last + sep.length;
    const cut = complete > 0 ? this.scanRegion(buf, complete) : null;
    let ready = complete;
    this.pending = complete < buf.length ? buf.subarray(complete) : null;
    if (this.pending && this.pending.length > MAX_EVENT_BYTES) {
      // Not SSE as we know it (or an absurd event): stop holding it back.
      this.pending = null;
      ready = buf.length;
    }
    const out = this.toSend(chunk, buf, ready, cut);
    if (out) this.sent += out.length;
    return out;
  }

  private toSend(chunk: Buffer, buf: Buffer, ready: number, cut: [number, number] | null): Buffer | null {
    if (!this.opts.dropUsageChunk) return chunk;
    if (ready === 0) return null;
    if (!cut) return ready === buf.length ? buf : buf.subarray(0, ready);
    return Buffer.concat([buf.subarray(0, cut[0]), buf.subarray(cut[1], ready)]);
  }

  /** The body ended: scans an unterminated last event; returns bytes still to send. */
  end(): Buffer | null {
    const rest = this.pending;
    this.pending = null;
    if (!rest) return null;
    const isUsageChunk = this.scan(rest.toString("utf8"));
    const out = this.opts.dropUsageChunk && !isUsageChunk ? rest : null;
    if (out) this.sent += out.length;
    return out;
  }

  /** Reported usage, or an estimate from the output characters delivered. */
  outcome(): StreamOutcome {
    const { terminal: completed, sent: deliveredBytes } = this;
    if (this.usage !== null) return { usage: this.usage, completed, deliveredBytes, outputChars: null };
    const chars = this.outputChars();
    const estimate = this.opts.promptTokensEstimate;
    const usage: Usage = {
      inputTokens: typeof estimate === "function" ? estimate() : estimate,
      outputTokens: tokensForChars(chars),
      cachedInputTokens: 0,
      estimated: true,
    };
    return { usage, completed, deliveredBytes, outputChars: chars };
  }

  /** Output characters in everything accepted so far (counts what was deferred). */
  private outputChars(): number {
    const endpoint = this.opts.endpoint;
    for (const b of this.deferred) this.chars += scanEvents(endpoint, b.toString("utf8")).chars;
    this.deferred = [];
    this.deferredBytes = 0;
    return this.chars;
  }

  /**
   * Complete events (`[0, complete)` of `buf`): the terminal marker and usage now, output
   * characters later (see DEFER_BYTES). Responses streams mark their end with an event type, so
   * they are scanned whole. Returns the byte range of a usage-only chunk, as scanText does.
   */
  private scanRegion(buf: Buffer, complete: number): [number, number] | null {
    if (this.opts.endpoint === "responses") return this.scanText(buf.toString("utf8", 0, complete), complete);
    // [DONE] is the last event of a stream, so only the tail needs looking at.
    const done = buf.indexOf(DONE, Math.max(0, complete - 16));
    if (done >= 0 && done < complete) this.terminal = true;
    let cut: [number, number] | null = null;
    const sep = this.separator as Buffer;
    // Usage rides on the last events, so search from the end (a forward search for a key that
    // starts with a quote stops at every quote of the JSON) and stop at the last usage object.
    const key = USAGE_KEY.length;
    for (let at = complete >= key ? buf.lastIndexOf(USAGE_KEY, complete - key) : -1; at >= 0; ) {
      const brace = objectValueAt(buf, at + key, complete);
      if (brace >= 0) {
        const before = buf.lastIndexOf(sep, at);
        const start = before < 0 ? 0 : before + sep.length;
        const after = buf.indexOf(sep, at);
        const end = after < 0 || after >= complete ? complete : after + sep.length;
        const found = this.usageEvent(buf, start, end, brace);
        if (found === "usage-only") cut = [start, end];
        if (found !== null) break;
      }
      at = at > 0 ? buf.lastIndexOf(USAGE_KEY, at - 1) : -1;
    }
    if (this.usage !== null) {
      // Reported usage makes the count moot: let go of what was held for it, hold nothing more.
      this.deferred = [];
      this.deferredBytes = 0;
      return cut;
    }
    this.deferred.push(complete === buf.length ? buf : buf.subarray(0, complete));
    this.deferredBytes += complete;
    if (this.deferredBytes > DEFER_BYTES) this.outputChars();
    return cut;
  }

  /**
   * Reads usage from the event at bytes `[start, end)` whose usage object opens at byte `brace`,
   * in place. Null when that object does not close within the event or holds no usage.
   */
  private usageEvent(buf: Buffer, start: number, end: number, brace: number): "usage" | "usage-only" | null {
    const u = usageAt(buf, brace, end);
    if (!u) return null;
    this.usage = u;
    // Which kind it is matters only for dropping it: a client that asked for usage gets every
    // chunk as it came, so its stream skips decoding the event for the test.
    if (!this.opts.dropUsageChunk) return "usage";
    // The usage-only chunk has `choices: []` (some servers omit `choices` there altogether).
    return CHOICES_WITH_ITEMS.test(buf.toString("utf8", start, end)) ? "usage" : "usage-only";
  }

  /** The separator of the first complete event: CRLF pairs if its first line ends in one. */
  private detectSeparator(buf: Buffer): Buffer | null {
    const nl = buf.indexOf(10);
    if (nl < 0) return null;
    const sep = nl > 0 && buf[nl - 1] === 13 ? CRLF2 : LF2;
    if (buf.indexOf(sep, nl - (sep === CRLF2 ? 1 : 0)) < 0) return null;
    this.separator = sep;
    return sep;
  }

  /**
   * Scans whole events: output characters, the terminal marker, and usage. Returns the byte range
   * of the usage-only chunk when one is found (it is then the client's to drop or keep).
   */
  private scanText(text: string, bytes: number): [number, number] | null {
    const { endpoint } = this.opts;
    const { chars, marks } = scanEvents(endpoint, text);
    this.chars += chars;
    // [DONE] is the last event of a stream, so only the tail needs looking at.
    if (endpoint !== "responses" && text.indexOf("[DONE]", text.length - 16) >= 0) this.terminal = true;
    if (!marks) return null;
    let cut: [number, number] | null = null;
    for (const at of marks) {
      if (endpoint === "responses") {
        this.terminal = true;
        const ev = parse(eventData(this.eventAround(text, at).event) ?? "");
        const u = ev && isObject(ev.response) ? usageFromObject(ev.response.usage) : null;
        if (u) this.usage = u;
        continue;
      }
      // Parse only the usage object (the mark sits on `"usage": {`), not the whole chunk.
      const brace = text.indexOf("{", at);
      const close = objectEnd(text, brace);
      const u = brace >= 0 && close > 0 ? usageOf(text.slice(brace, close)) : null;
      if (!u) continue;
      this.usage = u;
      const { event, start, end } = this.eventAround(text, at);
      // The usage-only chunk has `choices: []` (some servers omit `choices` there altogether).
      if (!CHOICES_WITH_ITEMS.test(event)) {
        const ascii = text.length === bytes;
        cut = ascii
          ? [start, end]
          : [Buffer.byteLength(text.slice(0, start)), Buffer.byteLength(text.slice(0, end))];
      }
    }
    return cut;
  }

  /** The whole event (separator included) containing text index `at`. */
  private eventAround(text: string, at: number): { event: string; start: number; end: number } {
    const sep = this.separator === CRLF2 ? "\r\n\r\n" : "\n\n";
    const before = text.lastIndexOf(sep, at);
    const start = before < 0 ? 0 : before + sep.length;
    const after = text.indexOf(sep, at);
    const end = after < 0 ? text.length : after + sep.length;
    return { event: text.slice(start, end), start, end };
  }

  /** Scans one unterminated final event; returns true when it is the usage-only chunk. */
  private scan(event: string): boolean {
    return this.scanText(event, Buffer.byteLength(event)) !== null;
  }
}
