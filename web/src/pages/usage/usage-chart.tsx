import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { Series } from "./usage-data";

const PALETTE = ["#3557d6", "#e0793b", "#2e9e6a", "#c2417c", "#7b5cd6", "#c9a227", "#2c9ab7", "#8a8f98"];

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
    const cumulative: number[][] = [];
    let running = new Array<number>(x.length).fill(0);
    for (const s of series) {
      running = running.map((v, i) => v + (s.values[i] ?? 0));
      cumulative.push(running);
    }
    const order = series.map((_, i) => i).reverse();
    const bars = uPlot.paths.bars?.({ size: [0.7, 64] });
    const opts: uPlot.Options = {
      width: Math.max(280, host.clientWidth),
      height: 280,
      scales: { x: { time: true } },
      axes: [{}, { label: unit, size: 60 }],
      legend: { live: false },
      series: [
        { label: hourly ? "Hour" : "Day" },
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
