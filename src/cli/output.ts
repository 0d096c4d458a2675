/** Terminal output: aligned tables and colours on a TTY, plain text when piped, JSON on request. */

export interface Stream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface OutputOptions {
  json: boolean;
  /** undefined = decide from the TTY and NO_COLOR / FORCE_COLOR. */
  color?: boolean | undefined;
  stdout: Stream;
  stderr: Stream;
  env: Record<string, string | undefined>;
}

export interface Column<T> {
  header: string;
  value: (row: T) => string;
  /** Colour for the cell on a TTY. */
  style?: (row: T) => Style | undefined;
  align?: "left" | "right";
}

export type Style = "bold" | "dim" | "red" | "green" | "yellow" | "cyan";

const CODES: Record<Style, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
};

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");
const visibleWidth = (s: string): number => [...s.replace(ANSI, "")].length;

export const decideColor = (opts: Pick<OutputOptions, "color" | "stdout" | "env">): boolean => {
  if (opts.color === false) return false;
  if (opts.env.NO_COLOR !== undefined && opts.env.NO_COLOR !== "") return false;
  if (opts.color === true) return true;
  if (opts.env.FORCE_COLOR !== undefined && opts.env.FORCE_COLOR !== "0") return true;
  return opts.stdout.isTTY === true;
};

export class Output {
  readonly json: boolean;
  readonly color: boolean;
  readonly interactive: boolean;
  private readonly stdout: Stream;
  private readonly stderr: Stream;

  constructor(opts: OutputOptions) {
    this.json = opts.json;
    this.stdout = opts.stdout;
    this.stderr = opts.stderr;
    this.color = decideColor(opts);
    this.interactive = opts.stderr.isTTY === true;
  }

  paint(text: string, style: Style | undefined): string {
    if (!this.color || !style) return text;
    const [on, off] = CODES[style];
    return `\x1b[${on}m${text}\x1b[${off}m`;
  }

  line(text = ""): void {
    this.stdout.write(`${text}\n`);
  }

  /** Machine output: one JSON document on stdout. */
  data(value: unknown): void {
    this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** Human notes go to stderr so stdout stays clean for pipes. */
  note(text: string): void {
    this.stderr.write(`${text}\n`);
  }

  /** A progress line on stderr; on a terminal the next `progressDone` overwrites it. */
  progress(text: string): void {
    this.stderr.write(this.interactive ? `\r\x1b[2K${text}` : `${text}\n`);
  }

  progressDone(text: string): void {
    this.stderr.write(this.interactive ? `\r\x1b[2K${text}\n` : `${text}\n`);
  }

  warn(text: string): void {
    this.stderr.write(`${this.paintErr("warning:", "yellow")} ${text}\n`);
  }

  error(text: string): void {
    this.stderr.write(`${this.paintErr("keyplane:", "red")} ${text}\n`);
  }

  success(text: string): void {
    this.line(`${this.paint("✓", "green")} ${text}`);
  }

  private paintErr(text: string, style: Style): string {
    return this.color ? this.paint(text, style) : text;
  }

  table<T>(rows: readonly T[], columns: readonly Column<T>[], empty = "(none)"): void {
    if (rows.length === 0) {
      this.line(this.paint(empty, "dim"));
      return;
    }
    const cells = rows.map((r) => columns.map((c) => c.value(r)));
    const widths = columns.map((c, i) =>
      Math.max(visibleWidth(c.header), ...cells.map((row) => visibleWidth(row[i] ?? ""))),
    );
    const pad = (text: string, i: number, styled: string): string => {
      const gap = " ".repeat(Math.max(0, (widths[i] ?? 0) - visibleWidth(text)));
      return columns[i]?.align === "right" ? gap + styled : styled + gap;
    };
    const last = columns.length - 1;
    const render = (parts: string[]): string =>
      parts
        .map((p, i) => (i === last ? p : `${p}  `))
        .join("")
        .trimEnd();
    this.line(render(columns.map((c, i) => pad(c.header, i, this.paint(c.header, "bold")))));
    rows.forEach((row, r) => {
      const line = columns.map((c, i) => {
        const text = cells[r]?.[i] ?? "";
        return pad(text, i, this.paint(text, c.style?.(row)));
      });
      this.line(render(line));
    });
  }

  /** Aligned `label  value` lines for one object. */
  fields(pairs: readonly (readonly [string, string])[]): void {
    const width = Math.max(...pairs.map(([k]) => k.length));
    for (const [k, v] of pairs) this.line(`${this.paint(k.padEnd(width), "dim")}  ${v}`);
  }
}
