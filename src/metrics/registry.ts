import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";
import { FastHistogram, type HistogramSeries } from "./fast-histogram.js";

/**
 * Keyplane's Prometheus metrics, one Registry per instance (tests run several in a process).
 * The hot-path methods do a few Map lookups and number additions: the gateway request counter
 * lives in plain nested Maps copied into prom-client only when /metrics is scraped, and the
 * histogram and counter children are created once per label value and reused.
 */

export interface MetricsOptions {
  /** Process metrics (CPU, memory, event-loop lag, GC) under keyplane_process_*; default true. */
  defaultMetrics?: boolean;
  /** Distinct (route, status, model, project) series kept before new ones count as model/project "other". */
  maxSeries?: number;
}

/** Seconds. The gateway's own share is small; the upstream's is a model's response time. */
const GATEWAY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
const UPSTREAM_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
const HTTP_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

interface Cell {
  count: number;
}

type Nested = Map<string, Map<number, Map<string, Map<string, Cell>>>>;

const child = <V>(map: Map<string, V>, key: string, make: () => V): V => {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  return v;
};

/** One (route, method): its duration histogram and plain counts by status, read at scrape time. */
class HttpSeries {
  readonly byStatus = new Map<number, number>();

  constructor(private readonly time: HistogramSeries) {}

  record(status: number, seconds: number): void {
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
    this.time.observe(seconds);
  }
}

export class Metrics {
  readonly registry = new Registry();
  private readonly maxSeries: number;
  private series = 0;
  private readonly gatewayCounts: Nested = new Map();
  private readonly gatewayTime = new Map<string, HistogramSeries>();
  private readonly upstreamTime = new Map<string, HistogramSeries>();
  private readonly gatewayHist: FastHistogram;
  private readonly upstreamHist: FastHistogram;
  private readonly refusals: Counter<"kind">;
  private readonly refusalChildren = new Map<string, Counter.Internal>();
  private readonly upstreamErrors: Counter<"provider" | "kind">;
  private readonly upstreamErrorChildren = new Map<string, Counter.Internal>();
  private readonly retries: Counter<"provider">;
  private readonly retryChildren = new Map<string, Counter.Internal>();
  private readonly httpHist: FastHistogram;
  private readonly httpSeriesByRoute = new Map<string, Map<string, HttpSeries>>();
  private backlog: (() => number) | null = null;
  private cacheStats: (() => { hits: number; misses: number }) | null = null;

  constructor(opts: MetricsOptions = {}) {
    this.maxSeries = opts.maxSeries ?? 5000;
    const registers = [this.registry];
    const counts = this.gatewayCounts;
    new Counter({
      name: "keyplane_gateway_requests_total",
      help: "Gateway requests by route, status, model and project.",
      labelNames: ["route", "status", "model", "project"],
      registers,
      collect() {
        this.reset();
        for (const [route, byStatus] of counts)
          for (const [status, byModel] of byStatus)
            for (const [model, byProject] of byModel)
              for (const [project, cell] of byProject)
                this.inc({ route, status: String(status), model, project }, cell.count);
      },
    });
    this.gatewayHist = new FastHistogram(
      "keyplane_gateway_duration_seconds",
      "Time the gateway itself spent on a request (total minus upstream).",
      ["route"],
      GATEWAY_BUCKETS,
      this.registry,
    );
    this.upstreamHist = new FastHistogram(
      "keyplane_upstream_duration_seconds",
      "Time the upstream took to answer a forwarded request.",
      ["route"],
      UPSTREAM_BUCKETS,
      this.registry,
    );
    this.refusals = new Counter({
      name: "keyplane_refusals_total",
      help: "Requests refused before forwarding, by kind (rate_limit, budget, concurrency, ...).",
      labelNames: ["kind"],
      registers,
    });
    this.upstreamErrors = new Counter({
      name: "keyplane_upstream_errors_total",
      help: "Upstream failures by provider and kind (timeout, connect, status_5xx, ...).",
      labelNames: ["provider", "kind"],
      registers,
    });
    this.retries = new Counter({
      name: "keyplane_upstream_retries_total",
      help: "Upstream retries and fallbacks by provider.",
      labelNames: ["provider"],
      registers,
    });
    const httpSeries = this.httpSeriesByRoute;
    new Counter({
      name: "keyplane_http_requests_total",
      help: "Every HTTP request (admin and gateway) by route pattern, method and status.",
      labelNames: ["route", "method", "status"],
      registers,
      collect() {
        this.reset();
        for (const [route, byMethod] of httpSeries)
          for (const [method, series] of byMethod)
            for (const [status, count] of series.byStatus)
              this.inc({ route, method, status: String(status) }, count);
      },
    });
    this.httpHist = new FastHistogram(
      "keyplane_http_request_duration_seconds",
      "HTTP request duration by route pattern and method.",
      ["route", "method"],
      HTTP_BUCKETS,
      this.registry,
    );
    const self = this;
    new Gauge({
      name: "keyplane_journal_backlog",
      help: "Usage events journaled but not yet written to the store.",
      registers,
      collect() {
        this.set(self.backlog ? self.backlog() : 0);
      },
    });
    new Gauge({
      name: "keyplane_key_cache_hit_ratio",
      help: "Share of key verifications answered from the in-process cache since start.",
      registers,
      collect() {
        const s = self.cacheStats?.();
        const total = s ? s.hits + s.misses : 0;
        this.set(s && total > 0 ? s.hits / total : 0);
      },
    });
    new Counter({
      name: "keyplane_key_cache_lookups_total",
      help: "Key cache lookups by result.",
      labelNames: ["result"],
      registers,
      collect() {
        const s = self.cacheStats?.();
        this.reset();
        this.inc({ result: "hit" }, s?.hits ?? 0);
        this.inc({ result: "miss" }, s?.misses ?? 0);
      },
    });
    if (opts.defaultMetrics !== false)
      collectDefaultMetrics({ register: this.registry, prefix: "keyplane_" });
  }

  /** One gateway request, after its response. `upstreamMs` null when it never reached an upstream. */
  request(
    route: string,
    status: number,
    model: string,
    projectId: string,
    gatewayMs: number,
    upstreamMs: number | null,
  ): void {
    const byStatus = child(this.gatewayCounts, route, () => new Map());
    let byModel = byStatus.get(status);
    if (byModel === undefined) {
      byModel = new Map();
      byStatus.set(status, byModel);
    }
    let byProject = byModel.get(model);
    let cell = byProject?.get(projectId);
    if (cell === undefined) {
      if (this.series >= this.maxSeries) {
        byProject = child(byModel, "other", () => new Map());
        cell = child(byProject, "other", () => ({ count: 0 }));
      } else {
        this.series++;
        cell = child(
          child(byModel, model, () => new Map()),
          projectId,
          () => ({ count: 0 }),
        );
      }
    }
    cell.count++;
    child(this.gatewayTime, route, () => this.gatewayHist.child(route)).observe(gatewayMs / 1000);
    if (upstreamMs !== null)
      child(this.upstreamTime, route, () => this.upstreamHist.child(route)).observe(upstreamMs / 1000);
  }

  refusal(kind: string): void {
    child(this.refusalChildren, kind, () => this.refusals.labels(kind)).inc();
  }

  upstreamError(provider: string, kind: string): void {
    child(this.upstreamErrorChildren, `${provider}\u0000${kind}`, () =>
      this.upstreamErrors.labels(provider, kind),
    ).inc();
  }

  retry(provider: string, count = 1): void {
    child(this.retryChildren, provider, () => this.retries.labels(provider)).inc(count);
  }

  /** Every HTTP request; `route` is the route pattern (never the raw URL, which would explode cardinality). */
  http(route: string, method: string, status: number, seconds: number): void {
    this.httpSeries(route, method).record(status, seconds);
  }

  private httpSeries(route: string, method: string): HttpSeries {
    const byMethod = child(this.httpSeriesByRoute, route, () => new Map<string, HttpSeries>());
    return child(byMethod, method, () => new HttpSeries(this.httpHist.child(route, method)));
  }

  /** Read at scrape time: how many usage events wait in the journal. */
  journalBacklog(fn: () => number): void {
    this.backlog = fn;
  }

  /** Read at scrape time: cumulative key-cache hits and misses. */
  keyCache(fn: () => { hits: number; misses: number }): void {
    this.cacheStats = fn;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
