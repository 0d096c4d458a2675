import { Readable } from "node:stream";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Bucketed, Render } from "./usage-objects.js";

/** CSV when asked with `format=csv` or an Accept header naming text/csv. */
export const wantsCsv = (req: FastifyRequest, format: string | undefined): boolean => {
  if (format !== undefined) return format === "csv";
  const accept = req.headers.accept;
  return typeof accept === "string" && /\btext\/csv\b/i.test(accept);
};

/**
 * One cell. Text that a spreadsheet would run as a formula (model names come from callers) gets
 * a leading apostrophe; quotes, commas and line breaks are quoted per RFC 4180.
 */
export const csvCell = (v: unknown): string => {
  if (v === null || v === undefined) return "";
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Flattens a result object one level: `amount: {value, currency}` → amount_value, amount_currency. */
const flatten = (o: Record<string, unknown>): [string, unknown][] =>
  Object.entries(o).flatMap(([k, v]): [string, unknown][] =>
    k === "object"
      ? []
      : typeof v === "object" && v !== null
        ? Object.entries(v).map(([k2, v2]): [string, unknown] => [`${k}_${k2}`, v2])
        : [[k, v]],
  );

/**
 * Streams buckets as CSV: a header row (from the renderer applied to a zero row, so it always
 * matches the data), then one line per result; buckets without results write no lines.
 */
export const sendCsv = <R>(
  reply: FastifyReply,
  filename: string,
  pages: AsyncIterable<Bucketed<R>[]>,
  render: Render<R>,
  zero: R,
): FastifyReply => {
  const columns = flatten(render(zero)).map(([k]) => k);
  async function* lines(): AsyncGenerator<string> {
    yield `${["start_time", "end_time", "start_time_iso", ...columns].join(",")}\r\n`;
    for await (const buckets of pages) {
      let chunk = "";
      for (const b of buckets) {
        const iso = new Date(b.start * 1000).toISOString();
        for (const row of b.rows) {
          const cells = new Map(flatten(render(row)));
          chunk += `${[b.start, b.end, iso, ...columns.map((c) => cells.get(c))].map(csvCell).join(",")}\r\n`;
        }
      }
      if (chunk !== "") yield chunk;
    }
  }
  return reply
    .header("content-type", "text/csv; charset=utf-8")
    .header("content-disposition", `attachment; filename="${filename}"`)
    .send(Readable.from(lines()));
};
