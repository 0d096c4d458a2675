import parsePrometheusTextFormat, { type PromFamily } from "parse-prometheus-text-format";

/**
 * Parses /metrics twice: with the npm text-format parser (it throws on any malformed line, and
 * reads counters and gauges), and line by line here, because that parser folds labelled
 * histogram series into one. `value(name, labels)` sums every sample matching the labels.
 */
export interface Scrape {
  families: PromFamily[];
  value(name: string, labels?: Record<string, string>): number;
  series(name: string): { labels: Record<string, string>; value: number }[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export const parseMetrics = (text: string): Scrape => {
  const families = parsePrometheusTextFormat(text);
  const samples: { name: string; labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? "").matchAll(LABEL)) labels[l[1] ?? ""] = (l[2] ?? "").replace(/\\(.)/g, "$1");
    samples.push({ name: m[1] ?? "", labels, value: Number(m[3]) });
  }
  const matching = (name: string, want: Record<string, string>) =>
    samples.filter((s) => s.name === name && Object.entries(want).every(([k, v]) => s.labels[k] === v));
  return {
    families,
    value: (name, labels = {}) => matching(name, labels).reduce((n, s) => n + s.value, 0),
    series: (name) => matching(name, {}).map(({ labels, value }) => ({ labels, value })),
  };
};
