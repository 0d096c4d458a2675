import { request } from "undici";
import { randomBase62 } from "../../domain/ids.js";
import { SIGNATURE_HEADER, signPayload } from "../../domain/webhook-signature.js";

export interface WebhookSenderOptions {
  /** The HMAC key; deliveries are refused (logged) without one, never sent unsigned. */
  secret: string | null;
  timeoutMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  logger: {
    warn(obj: Record<string, unknown>, msg: string): void;
    error(obj: Record<string, unknown>, msg: string): void;
  };
  now?: () => number;
}

const MAX_BACKOFF_MS = 10 * 60_000;

/** 2xx delivers; 408, 429 and 5xx (and network errors) are worth another attempt; other 4xx are not. */
const retryable = (status: number): boolean => status === 408 || status === 429 || status >= 500;

/**
 * Signed JSON POSTs with retries. Each attempt is signed afresh (`X-Keyplane-Signature:
 * t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`) and carries the same `X-Keyplane-Event-Id`, so a
 * receiver can drop duplicates when an attempt it answered is retried after a lost response.
 */
export class WebhookSender {
  private readonly tasks = new Set<Promise<void>>();
  private readonly stop = new AbortController();
  private readonly now: () => number;

  constructor(private readonly opts: WebhookSenderOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Fire and forget: returns at once; the delivery and its retries run in the background. */
  send(url: string, payload: { id?: string } & Record<string, unknown>): void {
    if (this.opts.secret === null) {
      this.opts.logger.error(
        { component: "webhooks", url: redactUrl(url) },
        "webhook not sent: no signing secret configured (webhooks.secretEnv)",
      );
      return;
    }
    const eventId = typeof payload.id === "string" ? payload.id : `evt_${randomBase62(24)}`;
    const task = this.deliver(this.opts.secret, url, eventId, JSON.stringify(payload));
    this.tasks.add(task);
    void task.finally(() => this.tasks.delete(task));
  }

  /** Resolves when every delivery started so far has finished or given up. */
  async drain(): Promise<void> {
    while (this.tasks.size > 0) await Promise.allSettled([...this.tasks]);
  }

  /** Stops waiting retries (they are dropped, logged) and waits for attempts in flight. */
  async close(): Promise<void> {
    this.stop.abort();
    await this.drain();
  }

  private async deliver(secret: string, url: string, eventId: string, body: string): Promise<void> {
    let last = "";
    for (let attempt = 1; attempt <= this.opts.maxAttempts; attempt++) {
      try {
        const res = await request(url, {
          method: "POST",
          body,
          headers: {
            "content-type": "application/json",
            "user-agent": "Keyplane-Webhooks/1",
            "x-keyplane-event-id": eventId,
            [SIGNATURE_HEADER]: signPayload(secret, body, Math.floor(this.now() / 1000)),
          },
          signal: AbortSignal.timeout(this.opts.timeoutMs),
        });
        await res.body.dump();
        if (res.statusCode >= 200 && res.statusCode < 300) return;
        last = `HTTP ${res.statusCode}`;
        if (!retryable(res.statusCode)) break;
      } catch (err) {
        last = err instanceof Error ? err.message : String(err);
      }
      if (attempt < this.opts.maxAttempts && !(await this.sleep(this.backoff(attempt)))) break;
    }
    this.opts.logger.error(
      { component: "webhooks", url: redactUrl(url), eventId, err: last },
      "webhook delivery failed; giving up",
    );
  }

  private backoff(attempt: number): number {
    return Math.min(MAX_BACKOFF_MS, this.opts.retryBaseMs * 2 ** (attempt - 1));
  }

  /** false when the sender was closed while waiting. */
  private sleep(ms: number): Promise<boolean> {
    const signal = this.stop.signal;
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        signal.removeEventListener("abort", onAbort);
        resolve(true);
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      // A pending retry must not keep a process alive that is otherwise done.
      timer.unref();
    });
  }
}

/** URLs may carry tokens in their path or query; logs keep the origin only. */
const redactUrl = (url: string): string => {
  try {
    return new URL(url).origin;
  } catch {
    return "(invalid url)";
  }
};
