import { describe, expect, it } from "vitest";
import { GroupCommit } from "./group-commit.js";

/** A sender whose batches the test answers by hand, in order. */
const manual = () => {
  const batches: { items: number[]; answer: (r: number[] | Error) => void }[] = [];
  const send = (items: number[]) =>
    new Promise<number[]>((resolve, reject) => {
      batches.push({ items, answer: (r) => (r instanceof Error ? reject(r) : resolve(r)) });
    });
  return { batches, send };
};

const tick = () => new Promise((r) => setImmediate(r));

describe("GroupCommit", () => {
  it("sends an item at once when its group is idle, and what arrives meanwhile as the next batch", async () => {
    const m = manual();
    const gc = new GroupCommit(m.send);
    const first = gc.submit("a", 1);
    expect(m.batches.map((b) => b.items)).toEqual([[1]]);
    const later = [gc.submit("a", 2), gc.submit("a", 3)];
    const other = gc.submit("b", 9);
    // Group b was idle, so its item went out at once; group a's wait for its batch in flight.
    expect(m.batches.map((b) => b.items)).toEqual([[1], [9]]);
    m.batches[0]?.answer([10]);
    expect(await first).toBe(10);
    await tick();
    expect(m.batches[2]?.items).toEqual([2, 3]);
    m.batches[2]?.answer([20, 30]);
    m.batches[1]?.answer([90]);
    expect(await Promise.all([...later, other])).toEqual([20, 30, 90]);
  });

  it("caps a batch and sends the rest after it", async () => {
    const m = manual();
    const gc = new GroupCommit(m.send, 2);
    const all = [1, 2, 3, 4, 5].map((n) => gc.submit("a", n));
    m.batches[0]?.answer([1]);
    await tick();
    m.batches[1]?.answer([2, 3]);
    await tick();
    m.batches[2]?.answer([4, 5]);
    expect(await Promise.all(all)).toEqual([1, 2, 3, 4, 5]);
    expect(m.batches.map((b) => b.items)).toEqual([[1], [2, 3], [4, 5]]);
  });

  it("fails every item of a failed batch, and goes on with the next", async () => {
    const m = manual();
    const gc = new GroupCommit(m.send);
    const a = gc.submit("a", 1);
    const b = [gc.submit("a", 2), gc.submit("a", 3)];
    m.batches[0]?.answer(new Error("down"));
    await expect(a).rejects.toThrow("down");
    await tick();
    m.batches[1]?.answer([2]);
    for (const p of b) await expect(p).rejects.toThrow("one result per item");
    const c = gc.submit("a", 4);
    await tick();
    m.batches[2]?.answer([40]);
    expect(await c).toBe(40);
  });

  it("fails the batch when the sender throws instead of rejecting", async () => {
    const gc = new GroupCommit<number, number>(() => {
      throw new Error("bad args");
    });
    await expect(gc.submit("a", 1)).rejects.toThrow("bad args");
  });
});
