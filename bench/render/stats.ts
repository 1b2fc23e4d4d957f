/** Aggregation and table formatting for the render benchmark. */
import { percentile } from "../support/measure";

export interface RunSummary {
  totalMs: number;
  updates: number;
  p50: number;
  p99: number;
  max: number;
  longTasks: number;
  over33ms: number;
  finalRenderMs: number;
}

const percentileOrZero = (values: readonly number[], p: number) => (values.length ? percentile(values, p) : 0);

/**
 * `sampleEvery` > 1: durations are a uniform 1-in-N sample of the updates;
 * counts and totals are scaled by N (percentiles need no scaling).
 */
export function summarize(durations: readonly number[], longTasks: number, finalRenderMs: number, sampleEvery = 1): RunSummary {
  const sorted = [...durations].sort((a, b) => a - b);
  return {
    totalMs: durations.reduce((a, b) => a + b, 0) * sampleEvery,
    updates: durations.length * sampleEvery,
    p50: percentileOrZero(sorted, 50),
    p99: percentileOrZero(sorted, 99),
    max: sorted[sorted.length - 1] ?? 0,
    longTasks: longTasks * sampleEvery,
    over33ms: durations.filter((d) => d > 33).length * sampleEvery,
    finalRenderMs,
  };
}

/** Median of each field across runs (robust against one noisy run). */
export function medianSummary(runs: readonly RunSummary[]): RunSummary {
  const median = (pick: (s: RunSummary) => number) => {
    const values = runs.map(pick).sort((a, b) => a - b);
    return values[Math.floor((values.length - 1) / 2)] ?? 0;
  };
  return {
    totalMs: median((s) => s.totalMs),
    updates: median((s) => s.updates),
    p50: median((s) => s.p50),
    p99: median((s) => s.p99),
    max: median((s) => s.max),
    longTasks: median((s) => s.longTasks),
    over33ms: median((s) => s.over33ms),
    finalRenderMs: median((s) => s.finalRenderMs),
  };
}

const COLUMNS: [string, (s: RunSummary) => string][] = [
  ["total ms", (s) => s.totalMs.toFixed(0)],
  ["updates", (s) => String(s.updates)],
  ["p50 ms", (s) => s.p50.toFixed(2)],
  ["p99 ms", (s) => s.p99.toFixed(2)],
  ["max ms", (s) => s.max.toFixed(1)],
  ["long tasks >50ms", (s) => String(s.longTasks)],
  ["updates >33ms", (s) => String(s.over33ms)],
  ["final render ms", (s) => s.finalRenderMs.toFixed(1)],
];

export function formatTable(rows: readonly [string, RunSummary][]): string {
  const header = ["renderer", ...COLUMNS.map(([name]) => name)];
  const body = rows.map(([name, summary]) => [name, ...COLUMNS.map(([, format]) => format(summary))]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}

export function formatRatio(label: string, ours: RunSummary, other: RunSummary): string {
  const ratio = (a: number, b: number) => (b === 0 ? "n/a" : `${(a / b).toFixed(3)}x`);
  return `${label}: total ${ratio(ours.totalMs, other.totalMs)}, p50 ${ratio(ours.p50, other.p50)}, p99 ${ratio(ours.p99, other.p99)}, max ${ratio(ours.max, other.max)}`;
}
