import type { Registry } from "prom-client";

interface Series {
  labels: Record<string, string>;
  /** Per-bucket (not cumulative) counts; the last slot is +Inf. */
  counts: Float64Array;
  sum: number;
  count: number;
}

/** One label set's histogram: observe() is a bucket search and three additions. */
export interface HistogramSeries {
  observe(value: number): void;
}

/**
 * A Prometheus histogram for the per-request hot path, registered in a prom-client Registry as a
 * custom metric (prom-client renders it like its own). prom-client's Histogram hashes the label
 * object on every observe, even through a cached child; at thousands of requests a second that
 * was a visible share of the gateway's CPU.
 */
export class FastHistogram {
  readonly type = "histogram";
  readonly aggregator = "sum";
  private readonly series = new Map<string, Series>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly string[],
    private readonly buckets: readonly number[],
    registry: Registry,
  ) {
    registry.registerMetric(this as never);
  }

  /** The series for these label values (in labelNames order), created once. */
  child(...values: string[]): HistogramSeries {
    const key = values.join("\u0000");
    let s = this.series.get(key);
    if (s === undefined) {
      const labels: Record<string, string> = {};
      this.labelNames.forEach((n, i) => {
        labels[n] = values[i] ?? "";
      });
      s = { labels, counts: new Float64Array(this.buckets.length + 1), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    const series = s;
    const buckets = this.buckets;
    return {
      observe(value: number) {
        let i = 0;
        while (i < buckets.length && value > (buckets[i] as number)) i++;
        series.counts[i] = (series.counts[i] ?? 0) + 1;
        series.sum += value;
        series.count++;
      },
    };
  }

  get(): { name: string; help: string; type: string; aggregator: string; values: object[] } {
    const values: object[] = [];
    for (const s of this.series.values()) {
      let cumulative = 0;
      for (let i = 0; i <= this.buckets.length; i++) {
        cumulative += s.counts[i] ?? 0;
        const le = i < this.buckets.length ? String(this.buckets[i]) : "+Inf";
        values.push({ metricName: `${this.name}_bucket`, labels: { le, ...s.labels }, value: cumulative });
      }
      values.push({ metricName: `${this.name}_sum`, labels: s.labels, value: s.sum });
      values.push({ metricName: `${this.name}_count`, labels: s.labels, value: s.count });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    this.series.clear();
  }
}
