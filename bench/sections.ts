/**
 * Section analyzer benchmark: incremental (streaming) vs full analysis.
 *
 * Run: npm run bench:sections
 *
 * Builds a deterministic ~60 KB design document (the compliant test fixture with each
 * section's body repeated, numbered sub-items renumbered), then measures in one run:
 *  - full: one analyzeSections(text, { final: true }) — median of several runs after warm-up;
 *    full and incremental runs are interleaved so machine load affects both alike;
 *  - incremental: the live sidebar's workload — push() every 4-character chunk, report()
 *    every 16 chunks (the UI reports at most once per animation frame, and a frame
 *    usually carries several chunks) and once at the end with final: true;
 *  - naive: re-running the full analysis on the growing text per chunk, estimated from
 *    a sample of prefixes (running all of it would take far too long).
 * Goal: incremental total ≤ 3× one full analysis. Exits non-zero when the final
 * incremental report differs from the full report.
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { isDeepStrictEqual } from "node:util";
import { toChunks } from "./support/measure";
import { analyzeSections, IncrementalSectionAnalyzer, type SectionReport } from "../lib/sections/analyzer";

const TARGET_BYTES = 60_000;
const CHUNK = 4;
const REPORT_EVERY = 16;
const GOAL_RATIO = 3;
const WARMUP_RUNS = 5;
const RUNS = 21;
const NAIVE_SAMPLES = 40;

function buildDocument(): string {
  const base = readFileSync(new URL("../tests/fixtures/sections/compliant.md", import.meta.url), "utf8");
  const parts = base.split(/^(?=## \d+\. )/m);
  const title = parts.shift() ?? "";
  const sections = parts.map((part) => {
    const newline = part.indexOf("\n");
    return { heading: part.slice(0, newline + 1), body: part.slice(newline + 1).trimEnd() + "\n\n" };
  });
  const repeats = sections.map(() => 1);
  const size = () => title.length + sections.reduce((sum, s, i) => sum + s.heading.length + s.body.length * (repeats[i] ?? 1), 0);
  // Round-robin so every section grows evenly until the target size is reached.
  for (let i = 0; size() < TARGET_BYTES; i = (i + 1) % sections.length) repeats[i] = (repeats[i] ?? 1) + 1;
  let counter = 0;
  const renumber = (text: string) =>
    text.replace(/(Incorrect Approach #|Foot-Gun #)(\d+)/g, (_m, label: string) => `${label}${++counter}`);
  return title + sections.map((s, i) => s.heading + renumber(s.body.repeat(repeats[i] ?? 1))).join("");
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function timeFullOnce(text: string): { ms: number; report: SectionReport } {
  const start = performance.now();
  const report = analyzeSections(text, { final: true });
  return { ms: performance.now() - start, report };
}

function runIncremental(chunks: readonly string[]): { ms: number; report: SectionReport; reports: number } {
  const start = performance.now();
  const analyzer = new IncrementalSectionAnalyzer();
  let reports = 0;
  let chunkIndex = 0;
  for (const chunk of chunks) {
    analyzer.push(chunk);
    if (++chunkIndex % REPORT_EVERY === 0) {
      analyzer.report();
      reports++;
    }
  }
  const report = analyzer.report({ final: true });
  return { ms: performance.now() - start, report, reports: reports + 1 };
}

/**
 * Full and incremental runs are interleaved (after warm-up) so that load from other
 * processes on the machine hits both alike; medians are compared.
 */
function measure(text: string) {
  const chunks = toChunks(text, CHUNK);
  for (let i = 0; i < WARMUP_RUNS; i++) {
    timeFullOnce(text);
    runIncremental(chunks);
  }
  const full: number[] = [];
  const incremental: number[] = [];
  let fullReport: SectionReport | null = null;
  let incrementalRun: ReturnType<typeof runIncremental> | null = null;
  for (let i = 0; i < RUNS; i++) {
    const f = timeFullOnce(text);
    full.push(f.ms);
    fullReport = f.report;
    incrementalRun = runIncremental(chunks);
    incremental.push(incrementalRun.ms);
  }
  if (!fullReport || !incrementalRun) throw new Error("no runs");
  return { full, incremental, fullReport, incrementalRun };
}

/** Mean cost of a full analysis of a prefix, sampled at evenly spaced lengths. */
function naivePerChunkEstimate(text: string): number {
  let total = 0;
  for (let i = 1; i <= NAIVE_SAMPLES; i++) {
    const prefix = text.slice(0, Math.floor((i * text.length) / NAIVE_SAMPLES));
    const start = performance.now();
    analyzeSections(prefix);
    total += performance.now() - start;
  }
  return total / NAIVE_SAMPLES;
}

const text = buildDocument();
const chunks = Math.ceil(text.length / CHUNK);
const { full, incremental, fullReport, incrementalRun } = measure(text);
const fullMs = median(full);
const incrementalMs = median(incremental);
const naiveMean = naivePerChunkEstimate(text);
const ratio = incrementalMs / fullMs;
const bestRatio = Math.min(...incremental) / Math.min(...full);
const same = isDeepStrictEqual(JSON.parse(JSON.stringify(incrementalRun.report)), JSON.parse(JSON.stringify(fullReport)));

const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
console.log(`Section analyzer benchmark`);
console.log(`  document:            ${text.length.toLocaleString("en-US")} chars, ${text.split("\n").length} lines, ${fullReport.satisfied}/${fullReport.total} sections satisfied`);
console.log(`  full analysis:       ${fmt(fullMs)} (median of ${RUNS}; best ${fmt(Math.min(...full))})`);
console.log(`  incremental total:   ${fmt(incrementalMs)} (median of ${RUNS}; best ${fmt(Math.min(...incremental))}) — ${chunks.toLocaleString("en-US")} pushes of ${CHUNK} chars, report() every ${REPORT_EVERY} chunks + final = ${incrementalRun.reports} reports`);
console.log(`  ratio:               ${ratio.toFixed(2)}× full (best-of ratio ${bestRatio.toFixed(2)}×) — goal ≤ ${GOAL_RATIO}×: ${ratio <= GOAL_RATIO ? "PASS" : "FAIL"}`);
console.log(`  naive re-analysis:   ~${fmt(naiveMean * chunks)} if re-run per chunk, ~${fmt((naiveMean * chunks) / REPORT_EVERY)} if per ${REPORT_EVERY} chunks (estimated from ${NAIVE_SAMPLES} prefixes, mean ${fmt(naiveMean)} each)`);
console.log(`  final incremental report equals full report: ${same ? "yes" : "NO"}`);

if (!same) {
  console.error("FAIL: incremental and full reports differ");
  process.exit(1);
}
