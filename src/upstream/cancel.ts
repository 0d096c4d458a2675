/**
 * What the upstream layer needs of a cancellation signal. An AbortSignal fits; so does
 * ClientCancel, and undici accepts either (it only reads `aborted`/`reason` and adds a listener).
 */
export interface CancelSignal {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: "abort", listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

/**
 * The client-went-away signal of one gateway request. An AbortController builds an EventTarget
 * per request, which costs several microseconds on the hot path; this costs one small object.
 */
export class ClientCancel implements CancelSignal {
  aborted = false;
  reason: Error | undefined;
  private listeners: (() => void)[] | null = null;

  addEventListener(_type: "abort", listener: () => void): void {
    if (this.listeners === null) this.listeners = [listener];
    else this.listeners.push(listener);
  }

  removeEventListener(_type: "abort", listener: () => void): void {
    const i = this.listeners?.indexOf(listener) ?? -1;
    if (i >= 0) this.listeners?.splice(i, 1);
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const e = new Error("The client closed the connection.");
    e.name = "AbortError";
    this.reason = e;
    const listeners = this.listeners;
    this.listeners = null;
    if (listeners) for (const l of listeners) l();
  }
}

/** Waits `ms`; false when the signal fired first. */
export const waitUnlessCancelled = (ms: number, signal: CancelSignal | undefined): Promise<boolean> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
