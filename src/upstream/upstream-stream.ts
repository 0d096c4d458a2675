import { Readable } from "node:stream";

/** Bytes an UpstreamStream holds before anyone reads it, past which the upstream is paused. */
const HOLD_LIMIT = 64 * 1024;

/** The transport side of an UpstreamStream: the request it reads. */
export interface StreamTransport {
  /** Lets a paused upstream send again. */
  resumeUpstream(): void;
  /** The stream was destroyed: stop the request unless its body already arrived. */
  abortUpstream(err: Error | null): void;
}

/** Where an UpstreamStream's bytes go once handed over (see takeOver). */
export interface DirectSink {
  /** False asks for a pause; the sink calls the `resume` takeOver gave it. */
  data(chunk: Buffer): boolean;
  end(): void;
}

/**
 * A streamed upstream body. Read as a Readable it is one; a relay that only forwards bytes can
 * instead take it over before it is read and get each chunk straight from the transport's
 * callback, skipping the Readable's buffer, flow ticks and listeners on every stream (the SSE
 * relay, see SseTee). Errors and destroy() behave the same either way.
 */
export class UpstreamStream extends Readable {
  private mode: "idle" | "readable" | "direct" = "idle";
  private held: Buffer[] = [];
  private heldBytes = 0;
  /** The transport was told to pause while chunks were held. */
  private heldPaused = false;
  private ended = false;
  private sink: DirectSink | null = null;

  constructor(private readonly transport: StreamTransport) {
    super();
  }

  private readonly resumeUpstream = (): void => this.transport.resumeUpstream();

  /** A chunk from the transport; false pauses the upstream until it is wanted again. */
  deliver(chunk: Buffer): boolean {
    // A destroyed stream takes nothing more, as a destroyed Readable would not emit it.
    if (this.destroyed) return false;
    if (this.mode === "direct") return (this.sink as DirectSink).data(chunk);
    if (this.mode === "readable") return this.push(chunk);
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    this.heldPaused = this.heldBytes >= HOLD_LIMIT;
    return !this.heldPaused;
  }

  /** The transport saw the whole body. */
  complete(): void {
    this.ended = true;
    if (this.destroyed) return;
    if (this.mode === "direct") (this.sink as DirectSink).end();
    else if (this.mode === "readable") this.push(null);
  }

  /** True once the whole body arrived (in either mode). */
  get bodyEnded(): boolean {
    return this.ended;
  }

  /**
   * Hands every chunk, held ones first, to `sink` instead of the Readable side; returns the
   * function that resumes a paused upstream, or null when the stream was already being read.
   */
  takeOver(sink: DirectSink): (() => void) | null {
    if (this.mode !== "idle" || this.destroyed) return null;
    this.mode = "direct";
    this.sink = sink;
    const held = this.takeHeld();
    let wanted = true;
    for (const c of held) wanted = sink.data(c);
    if (this.ended) sink.end();
    else if (this.heldPaused && wanted) this.resumeUpstream();
    return this.resumeUpstream;
  }

  override _read(): void {
    if (this.mode === "idle") {
      this.mode = "readable";
      for (const c of this.takeHeld()) this.push(c);
      if (this.ended) this.push(null);
      else if (this.heldPaused) this.resumeUpstream();
    } else this.resumeUpstream();
  }

  private takeHeld(): Buffer[] {
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    return held;
  }

  override _destroy(err: Error | null, cb: (error?: Error | null) => void): void {
    this.transport.abortUpstream(err);
    cb(err);
  }
}
