import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { usageEvent } from "../storage/contract/fixtures.js";
import type { UsageEventRecord } from "../storage/records.js";
import { commitRange, SegmentReaders } from "./commit-range.js";
import { encodeEvent } from "./journal-line.js";

const dir = mkdtempSync(join(tmpdir(), "keyplane-commit-range-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const collect = () => {
  const seen: string[] = [];
  return {
    seen,
    insert: async (events: UsageEventRecord[]) => {
      for (const e of events) seen.push(e.id);
      return events.length;
    },
  };
};

describe("commitRange with shared SegmentReaders", () => {
  it("keeps a growing segment open, reads what was appended, and closes at a sealed end", async () => {
    const path = join(dir, "a.jsonl");
    const evs = Array.from({ length: 6 }, (_, i) => usageEvent("org-a", { id: `req_${i}` }));
    writeFileSync(path, evs.slice(0, 3).map(encodeEvent).join(""));
    const readers = new SegmentReaders();
    const sink = collect();
    let end = Buffer.byteLength(evs.slice(0, 3).map(encodeEvent).join(""));

    const first = await commitRange({ path, from: 0, end, max: 10, sealed: false }, sink.insert, readers);
    expect(first).toMatchObject({ events: 3, next: end });
    expect(readers.openPath).toBe(path);

    // Appended after the first batch: the descriptor held open sees it.
    const more = evs.slice(3).map(encodeEvent).join("");
    appendFileSync(path, more);
    end += Buffer.byteLength(more);
    const second = await commitRange(
      { path, from: first.next, end, max: 2, sealed: true },
      sink.insert,
      readers,
    );
    expect(second).toMatchObject({ events: 2 });
    expect(readers.openPath).toBe(path);
    const last = await commitRange(
      { path, from: second.next, end, max: 10, sealed: true },
      sink.insert,
      readers,
    );
    expect(last).toMatchObject({ events: 1, next: end });
    expect(readers.openPath).toBeNull();
    expect(sink.seen).toEqual(evs.map((e) => e.id));
  });

  it("moves to the next segment, and closes after a failed insert", async () => {
    const a = join(dir, "b1.jsonl");
    const b = join(dir, "b2.jsonl");
    const line = encodeEvent(usageEvent("org-b", { id: "req_b" }));
    writeFileSync(a, line);
    writeFileSync(b, line);
    const readers = new SegmentReaders();
    const sink = collect();
    const end = Buffer.byteLength(line);
    await commitRange({ path: a, from: 0, end, max: 10, sealed: false }, sink.insert, readers);
    await commitRange({ path: b, from: 0, end, max: 10, sealed: false }, sink.insert, readers);
    expect(readers.openPath).toBe(b);
    const failing = async (): Promise<number> => {
      throw new Error("store refused");
    };
    await expect(
      commitRange({ path: b, from: 0, end, max: 10, sealed: false }, failing, readers),
    ).rejects.toThrow("store refused");
    expect(readers.openPath).toBeNull();
    expect(sink.seen).toEqual(["req_b", "req_b"]);
  });
});
