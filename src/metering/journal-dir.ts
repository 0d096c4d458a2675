import { readdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { appendFile, rename, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";

/**
 * Layout of a journal directory (one per process data dir):
 *   seg-<start ms, 15 digits>-<pid>-<tag>-<seq>.jsonl   journal segments, oldest name first
 *   checkpoint.json                                      committed byte offset per segment
 *   LOCK                                                 pid of the process that owns the directory
 *   rejected.log                                         lines that could not be decoded
 */
/** What the meter knows about one segment file. */
export interface Segment {
  name: string;
  /** Bytes known complete: the file size for a segment of a previous process, bytes written for ours. */
  end: number;
  /** Bytes already handed to the sink (everything before is committed). */
  committed: number;
  /** Written by this process (counts towards backlog()). */
  own: boolean;
  /** No more writes will come; deleted once committed to its end. */
  sealed: boolean;
}

const SEGMENT_RE = /^seg-\d{15}-\d+-[0-9a-z]+-\d{6}\.jsonl$/;
const CHECKPOINT = "checkpoint.json";

export const segmentName = (startMs: number, tag: string, seq: number): string =>
  `seg-${String(startMs).padStart(15, "0")}-${process.pid}-${tag}-${String(seq).padStart(6, "0")}.jsonl`;

export const listSegments = (dir: string): string[] =>
  readdirSync(dir)
    .filter((f) => SEGMENT_RE.test(f))
    .sort();

const held = new Set<string>();

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
};

const errCode = (err: unknown): string | undefined => (err as NodeJS.ErrnoException).code;

/**
 * Claims the directory for this process so two live processes never replay the same segments.
 * A LOCK left by a dead process (crash, SIGKILL) is taken over. The check is by pid, so processes
 * in different pid namespaces must not share a directory; give each process its own data dir.
 * Returns the release function.
 */
export const lockDir = (dir: string): (() => void) => {
  const key = resolve(dir);
  if (held.has(key)) throw new Error(`journal directory ${dir} is already open in this process`);
  const lockPath = join(dir, "LOCK");
  try {
    writeFileSync(lockPath, String(process.pid), { flag: "wx" });
  } catch (err) {
    if (errCode(err) !== "EEXIST") throw err;
    const holder = Number(readFileSync(lockPath, "utf8").trim());
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
      throw new Error(
        `journal directory ${dir} is in use by process ${holder}; give each process its own data dir`,
      );
    }
    writeFileSync(lockPath, String(process.pid));
  }
  held.add(key);
  return () => {
    held.delete(key);
    try {
      unlinkSync(lockPath);
    } catch (err) {
      if (errCode(err) !== "ENOENT") throw err;
    }
  };
};

/** Committed offsets by segment name; a missing or unreadable checkpoint means "replay from 0". */
export const readCheckpoint = (dir: string): Map<string, number> => {
  const out = new Map<string, number>();
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(join(dir, CHECKPOINT), "utf8"));
  } catch {
    return out;
  }
  const segments = (parsed as { segments?: unknown } | null)?.segments;
  if (typeof segments !== "object" || segments === null) return out;
  for (const [name, offset] of Object.entries(segments)) {
    if (typeof offset === "number" && Number.isSafeInteger(offset) && offset > 0) out.set(name, offset);
  }
  return out;
};

/**
 * Atomic by rename: a crash leaves the old or the new checkpoint, never a torn one. Not fsynced:
 * a lost checkpoint only makes the next start re-send events the sink already has, which it ignores.
 */
export const writeCheckpoint = async (dir: string, offsets: ReadonlyMap<string, number>): Promise<void> => {
  const tmp = join(dir, `${CHECKPOINT}.tmp`);
  await writeFile(tmp, JSON.stringify({ v: 1, segments: Object.fromEntries(offsets) }));
  await rename(tmp, join(dir, CHECKPOINT));
};

/**
 * Keeps what could not be committed for an operator instead of dropping it silently, one line each:
 * `<segment>\t<reason>\t<journal line>`; reasons: undecodable, torn, refused (with the sink's error).
 */
export const quarantine = async (
  dir: string,
  segment: string,
  entries: readonly { reason: string; line: string }[],
): Promise<void> => {
  if (entries.length === 0) return;
  const text = entries.map((e) => `${segment}\t${e.reason.replace(/[\t\r\n]+/g, " ")}\t${e.line}\n`).join("");
  await appendFile(join(dir, "rejected.log"), text);
};
