import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { Series } from "./usage-data";

const PALETTE = ["#3557d6", "#e0793b", "#2e9e6a", "#c2417c", "#7b5cd6", "#c9a227", "#2c9ab7", "#8a8f98"];

const dayFmt = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", timeZone: "UTC" });
const hourFmt = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });

/**
 * Stacked bars: each series is drawn at its cumulative height, tallest first, so every later
 * (shorter) bar covers the lower part of the one before — the visible band is that series' share.
 */
export const UsageChart = ({
  x,
  series,
  unit,
  hourly,
}: {
  x: number[];
  series: Series[];
  unit: string;
  hourly: boolean;
}) => {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const host = el.current;
    if (!host) return;
    const cumulative: (number | null)[][] = [];
    let running = new Array<number>(x.length).fill(0);
    for (const s of series) {
      running = running.map((v, i) => v + (s.values[i] ?? 0));
      // Empty buckets draw nothing rather than a zero-height sliver.
      cumulative.push(running.map((v) => (v > 0 ? v : null)));
    }
    const order = series.map((_, i) => i).reverse();
    const bars = uPlot.paths.bars?.({ size: [0.7, 64] });
    const step = hourly ? 3600 : 86_400;
    const first = x[0] ?? 0;
    const last = x[x.length - 1] ?? first;
    const opts: uPlot.Options = {
      width: Math.max(280, host.clientWidth),
      height: 280,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
      scales: {
        x: { time: true, range: () => [first - step / 2, last + step / 2] },
        // Bars stand on zero, whatever the smallest value is.
        y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
      },
      axes: [
        {
          incrs: hourly ? [3600, 2 * 3600, 3 * 3600, 6 * 3600] : [86_400, 2 * 86_400, 7 * 86_400],
          values: (_u, splits) => splits.map((t) => (hourly ? hourFmt : dayFmt).format(t * 1000)),
        },
        { label: unit, size: 60 },
      ],
      legend: { live: false },
      series: [
        { label: hourly ? "Hour (UTC)" : "Day (UTC)" },
        ...order.map((i) => ({
          label: series[i]?.label ?? "",
          fill: PALETTE[i % PALETTE.length],
          stroke: PALETTE[i % PALETTE.length],
          ...(bars ? { paths: bars } : {}),
          points: { show: false },
        })),
      ],
    };
    const data: uPlot.AlignedData = [x, ...order.map((i) => cumulative[i] ?? [])];
    const chart = new uPlot(opts, data, host);
    const ro = new ResizeObserver(() =>
      chart.setSize({ width: Math.max(280, host.clientWidth), height: 280 }),
    );
    ro.observe(host);
    return () => {
      ro.disconnect();
      chart.destroy();
    };
  }, [x, series, unit, hourly]);
  return (
    <div
      ref={el}
      class="chart"
      role="img"
      aria-label={`Stacked ${unit} per ${hourly ? "hour" : "day"}; the table below has the same numbers.`}
    />
  );
};
