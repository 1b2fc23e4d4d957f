/**
 * npm run bench:render [-- --quick] [--runs N] [--doc-kb KB] [--chunk-size N]
 *                       [--chunks-per-second N] [--modes max-rate,realistic]
 *
 * Streams a generated design doc in small chunks into three renderers in real
 * Chromium and reports main-thread render cost. Not a test: it prints numbers,
 * but exits non-zero if the renderers disagree on the final document.
 */
import { chromium } from "@playwright/test";
import { parseArgs } from "node:util";
import { buildBenchPage, distDir } from "./build";
import { generateDesignDoc } from "./generate-doc";
import type { BenchMode, RunRequest, RunResult } from "./page";
import { RENDERER_NAMES, type RendererName } from "./renderer-names";
import { toChunks } from "../support/measure";
import { serveDirectory } from "./serve";
import { formatRatio, formatTable, medianSummary, summarize, type RunSummary } from "./stats";

const { values: flags } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    runs: { type: "string" },
    "doc-kb": { type: "string" },
    "chunk-size": { type: "string", default: "4" },
    "chunks-per-second": { type: "string", default: "300" },
    modes: { type: "string", default: "max-rate,realistic" },
    "naive-sample-every": { type: "string" },
    verbose: { type: "boolean", default: false },
  },
});

const quick = flags.quick ?? false;
const runs = Number(flags.runs ?? (quick ? 1 : 3));
const docKb = Number(flags["doc-kb"] ?? (quick ? 8 : 60));
const chunkSize = Number(flags["chunk-size"]);
const chunksPerSecond = Number(flags["chunks-per-second"]);
// Naive max-rate re-renders the whole document per chunk: O(n^2), ~10 min per run at 60 KB. Sample it.
const NAIVE_MAX_RATE_SAMPLES = 400;
const modes = (flags.modes ?? "").split(",").filter((m): m is BenchMode => m === "max-rate" || m === "realistic");

const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

/** Alternate the order per run so warm-up / GC / thermal effects do not always favour the same renderer. */
function orderForRun(run: number): RendererName[] {
  const order = [...RENDERER_NAMES];
  for (let i = 0; i < run % order.length; i++) order.push(order.shift() as RendererName);
  return run % 2 === 1 ? order.reverse() : order;
}

function checkAgreement(mode: BenchMode, results: Map<RendererName, RunResult>, expected: { headings: readonly string[]; codeBlockCount: number }): string[] {
  const problems: string[] = [];
  for (const [name, result] of results) {
    if (JSON.stringify(result.headings) !== JSON.stringify(expected.headings)) {
      problems.push(`${mode}/${name}: headings differ: ${JSON.stringify(result.headings.slice(0, 4))}…`);
    }
    if (result.codeBlockCount !== expected.codeBlockCount) {
      problems.push(`${mode}/${name}: ${result.codeBlockCount} code blocks, expected ${expected.codeBlockCount}`);
    }
  }
  const ours = results.get("ours");
  const naive = results.get("naive");
  // Same options, so the final DOM must be byte-identical, not just similar.
  if (ours && naive && ours.finalHtml !== naive.finalHtml) problems.push(`${mode}: final DOM of ours differs from naive react-markdown`);
  return problems;
}

async function main(): Promise<void> {
  const doc = generateDesignDoc(docKb);
  const chunks = toChunks(doc.markdown, chunkSize);
  const naiveSampleEvery = Number(flags["naive-sample-every"] ?? Math.max(1, Math.ceil(chunks.length / NAIVE_MAX_RATE_SAMPLES)));
  console.log(
    `render bench: doc ${(doc.markdown.length / 1024).toFixed(1)} KiB (${doc.headings.length} headings, ${doc.codeBlockCount} code blocks), ` +
      `${chunks.length} chunks of ${chunkSize} chars, ${runs} run(s) per renderer, modes: ${modes.join(", ")}, realistic rate ${chunksPerSecond} chunks/s (virtual clock)` +
      (naiveSampleEvery > 1 ? `, naive max-rate sampled every ${naiveSampleEvery} updates (totals extrapolated)` : ""),
  );

  await buildBenchPage();
  const server = await serveDirectory(distDir);
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
  const problems: string[] = [];
  try {
    const page = await browser.newPage();
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    await page.goto(server.url);
    await page.waitForSelector("body[data-ready=true]", { state: "attached" });

    for (const mode of modes) {
      const summaries = new Map<RendererName, RunSummary[]>(RENDERER_NAMES.map((name) => [name, []]));
      for (let run = 0; run < runs; run++) {
        const results = new Map<RendererName, RunResult>();
        for (const renderer of orderForRun(run)) {
          const started = Date.now();
          const sampleEvery = mode === "max-rate" && renderer === "naive" ? naiveSampleEvery : 1;
          const request: RunRequest = { renderer, mode, chunks, chunksPerSecond, sampleEvery };
          const result = await page.evaluate((req) => window.renderBench.run(req), request);
          results.set(renderer, result);
          summaries.get(renderer)?.push(summarize(result.updateDurations, result.longTaskCount, result.finalRenderMs, sampleEvery));
          console.log(`  ${mode} run ${run + 1}/${runs} ${renderer.padEnd(10)} ${((Date.now() - started) / 1000).toFixed(1)} s wall`);
          if (flags.verbose) {
            const slowest = result.slowest.map((s) => `${s.ms.toFixed(1)} ms @ ${s.textLength} chars`).join(", ");
            console.log(`    slowest updates: ${slowest}`);
          }
        }
        problems.push(...checkAgreement(mode, results, doc));
      }
      const medians = RENDERER_NAMES.map((name) => [name, medianSummary(summaries.get(name) ?? [])] as [RendererName, RunSummary]);
      const label = (name: RendererName) => (name === "naive" && mode === "max-rate" && naiveSampleEvery > 1 ? `naive (1/${naiveSampleEvery} sampled)` : name);
      const byName = new Map(medians);
      console.log(`\n== ${mode} (median of ${runs} run(s); ${mode === "max-rate" ? "one flushSync commit per chunk, commit time" : "rAF-coalesced frames, commit + forced layout per frame"}) ==`);
      console.log(formatTable(medians.map(([name, summary]) => [label(name), summary])));
      const ours = byName.get("ours");
      const naive = byName.get("naive");
      const streamdown = byName.get("streamdown");
      if (ours && naive) console.log(formatRatio("ours/naive", ours, naive));
      if (ours && streamdown) console.log(formatRatio("ours/streamdown", ours, streamdown));
      console.log("");
    }
  } finally {
    await browser.close();
    await server.close();
  }

  console.log("note: streamdown 2.x does not syntax-highlight by default (needs @streamdown/code); naive and ours run rehype-highlight.");
  if (problems.length > 0) {
    console.error(`FAILED: renderers disagree on the final document:\n  ${[...new Set(problems)].join("\n  ")}`);
    process.exit(1);
  }
  console.log("final DOM check passed: same headings and code block count in all renderers; ours == naive byte-for-byte.");
}

await main();
