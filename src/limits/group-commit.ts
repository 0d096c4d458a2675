/** Decisions batch per tenant (one Redis Cluster slot) and clock override (tests pass one). */
export const batchGroup = (tenant: string, nowMs: number | undefined): string =>
  nowMs === undefined ? tenant : `${tenant}\n${nowMs}`;

interface Waiter<T, R> {
  item: T;
  resolve: (r: R) => void;
  reject: (err: unknown) => void;
}

interface Lane<T, R> {
  busy: boolean;
  queue: Waiter<T, R>[];
}

/**
 * Group commit: per group, one batch in flight at a time. An item that finds its group idle goes
 * out at once, alone (no added latency when lightly loaded); items that arrive while a batch is out
 * wait for it and then go together as the next batch. Under load, batches grow with the load and
 * each round trip carries many decisions.
 */
export class GroupCommit<T, R> {
  private readonly lanes = new Map<string, Lane<T, R>>();

  /** `send` answers a batch in order: one result per item. */
  constructor(
    private readonly send: (items: T[]) => Promise<R[]>,
    private readonly maxBatch = 64,
  ) {}

  submit(group: string, item: T): Promise<R> {
    let lane = this.lanes.get(group);
    if (lane === undefined) {
      lane = { busy: false, queue: [] };
      this.lanes.set(group, lane);
    }
    const l = lane;
    return new Promise<R>((resolve, reject) => {
      l.queue.push({ item, resolve, reject });
      if (!l.busy) this.next(group, l);
    });
  }

  private next(group: string, lane: Lane<T, R>): void {
    if (lane.queue.length === 0) {
      lane.busy = false;
      this.lanes.delete(group);
      return;
    }
    lane.busy = true;
    const batch = lane.queue.splice(0, this.maxBatch);
    let sent: Promise<R[]>;
    try {
      sent = this.send(batch.map((w) => w.item));
    } catch (err) {
      sent = Promise.reject(err);
    }
    sent
      .then((results) => {
        if (results.length !== batch.length) throw new Error("group commit: one result per item expected");
        for (let i = 0; i < batch.length; i++) batch[i]?.resolve(results[i] as R);
      })
      .catch((err: unknown) => {
        for (const w of batch) w.reject(err);
      })
      .finally(() => this.next(group, lane));
  }
}
