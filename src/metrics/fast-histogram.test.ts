import { Histogram, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { FastHistogram } from "./fast-histogram.js";

describe("FastHistogram", () => {
  it("renders exactly what prom-client's Histogram renders for the same observations", async () => {
    const buckets = [0.001, 0.01, 0.1, 1];
    const ours = new Registry();
    const theirs = new Registry();
    const fast = new FastHistogram("t_seconds", "help text", ["route", "method"], buckets, ours);
    const reference = new Histogram({
      name: "t_seconds",
      help: "help text",
      labelNames: ["route", "method"],
      buckets,
      registers: [theirs],
    });
    const samples: [string, string, number][] = [
      ["/a", "GET", 0.0005],
      ["/a", "GET", 0.001],
      ["/a", "GET", 0.5],
      ["/a", "GET", 7],
      ["/b", "POST", 0.02],
    ];
    for (const [route, method, v] of samples) {
      fast.child(route, method).observe(v);
      reference.labels(route, method).observe(v);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
    fast.reset();
    expect(await ours.metrics()).not.toContain("t_seconds_count");
  });
});
