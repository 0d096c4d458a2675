import { orAbsent } from "../../api/client";
import type { ApiKey, Project } from "../../api/types";
import { costBuckets, listAll, usageBuckets } from "../../api/usage";

export type RangeId = "24h" | "7d" | "30d";
export type GroupBy = "model" | "api_key_id";
export type Metric = "requests" | "tokens" | "cost";

export const RANGES: Record<RangeId, { label: string; seconds: number; width: "1h" | "1d" }> = {
  "24h": { label: "Last 24 hours (hourly)", seconds: 86_400, width: "1h" },
  "7d": { label: "Last 7 days", seconds: 7 * 86_400, width: "1d" },
  "30d": { label: "Last 30 days", seconds: 30 * 86_400, width: "1d" },
};

export interface Series {
  label: string;
  values: number[];
  total: number;
}

export interface GroupTotals {
  label: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cost: number | null;
}

export interface UsageView {
  /** False when this server has no Usage API yet. */
  available: boolean;
  x: number[];
  series: Series[];
  totals: GroupTotals[];
  costAvailable: boolean;
}

const align = (t: number, width: number): number => Math.floor(t / width) * width;

/** Loads usage (and costs when the server has them) and pivots buckets into chart series. */
export const loadUsage = async (opts: {
  range: RangeId;
  groupBy: GroupBy;
  metric: Metric;
  projectIds: string[] | undefined;
  projects: Project[];
}): Promise<UsageView> => {
  const r = RANGES[opts.range];
  const width = opts.metric === "cost" ? 86_400 : r.width === "1h" ? 3600 : 86_400;
  const now = Math.floor(Date.now() / 1000);
  const start = align(now - r.seconds + width, width);
  const buckets = Math.ceil((now - start) / width);
  const common = { start_time: start, project_ids: opts.projectIds, limit: Math.min(buckets + 1, 168) };

  const [usage, costs, names] = await Promise.all([
    orAbsent(
      usageBuckets({
        ...common,
        bucket_width: r.width === "1h" && opts.metric !== "cost" ? "1h" : "1d",
        group_by: [opts.groupBy],
      }),
    ),
    costBuckets({
      ...common,
      limit: Math.min(Math.ceil((now - start) / 86_400) + 1, 180),
      bucket_width: "1d",
      group_by: [opts.groupBy === "model" ? "line_item" : "api_key_id"],
    }).catch(() => null),
    opts.groupBy === "api_key_id" ? keyNames(opts.projects) : Promise.resolve(new Map<string, string>()),
  ]);

  const labelOf = (id: string | null | undefined): string => (id ? (names.get(id) ?? id) : "(unknown)");
  const x = Array.from({ length: buckets }, (_, i) => start + i * width);
  const index = new Map(x.map((t, i) => [t, i]));
  const perGroup = new Map<string, number[]>();
  const totals = new Map<string, GroupTotals>();
  const totalOf = (label: string): GroupTotals => {
    let t = totals.get(label);
    if (!t) {
      t = { label, requests: 0, inputTokens: 0, outputTokens: 0, cost: costs ? 0 : null };
      totals.set(label, t);
    }
    return t;
  };
  const add = (label: string, t: number, v: number) => {
    const i = index.get(align(t, width));
    if (i === undefined) return;
    const arr = perGroup.get(label) ?? new Array<number>(x.length).fill(0);
    arr[i] = (arr[i] ?? 0) + v;
    perGroup.set(label, arr);
  };
  for (const b of usage ?? [])
    for (const u of b.results) {
      const label = labelOf(opts.groupBy === "model" ? u.model : u.api_key_id);
      const t = totalOf(label);
      t.requests += u.num_model_requests;
      t.inputTokens += u.input_tokens;
      t.outputTokens += u.output_tokens;
      if (opts.metric === "requests") add(label, b.start_time, u.num_model_requests);
      if (opts.metric === "tokens") add(label, b.start_time, u.input_tokens + u.output_tokens);
    }
  for (const b of costs ?? [])
    for (const c of b.results) {
      const raw = opts.groupBy === "model" ? (c.line_item ?? "").split(",")[0]?.trim() : c.api_key_id;
      const label = labelOf(raw);
      const v = Number(c.amount.value);
      const t = totalOf(label);
      t.cost = (t.cost ?? 0) + v;
      if (opts.metric === "cost") add(label, b.start_time, v);
    }
  const series = [...perGroup.entries()]
    .map(([label, values]) => ({ label, values, total: values.reduce((a, b) => a + b, 0) }))
    .sort((a, b) => b.total - a.total);
  return {
    available: usage !== null,
    x,
    series,
    totals: [...totals.values()].sort((a, b) => b.requests - a.requests),
    costAvailable: costs !== null,
  };
};

const keyNames = async (projects: Project[]): Promise<Map<string, string>> => {
  const m = new Map<string, string>();
  const lists = await Promise.all(
    projects.map((p) => listAll<ApiKey>(`/v1/organization/projects/${p.id}/api_keys`).catch(() => [])),
  );
  for (const list of lists) for (const k of list) m.set(k.id, `${k.name} (${k.redacted_value})`);
  return m;
};
