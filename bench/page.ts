/**
 * npm run bench:page — how busy the browser's main thread is while the whole document page
 * (stream handling + live preview + section sidebar) follows a document streaming at
 * ~300 chunks/s of 4 characters, in real Chromium against the production server.
 * Goal (issue: streaming preview): main thread under 15% busy, no long tasks from the page.
 * Flags: --file lib/examples/library/rate-limiting.md --chunk-size 4 --delay-ms 3 --port 3391 --cpu-prof
 */
import { readFileSync } from "node:fs";
import { chromium } from "@playwright/test";
import { startStudioWithFakeModel } from "./support/studio-with-fake-model";

const argument = (name: string, fallback: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1]!;
};
const FILE = argument("file", "lib/examples/library/rate-limiting.md");
const CHUNK = Number(argument("chunk-size", "4"));
const DELAY = Number(argument("delay-ms", "3"));
const PORT = Number(argument("port", "3391"));

async function main() {
  const document = readFileSync(FILE, "utf8");
  const studio = await startStudioWithFakeModel({ port: PORT, fake: { defaults: { document, chunkSize: CHUNK, delayMs: DELAY } } });
  const { server } = studio;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  try {
    const base = server.url;
    const created = await fetch(`${base}/api/documents`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ topic: "Page Benchmark", fresh: true }) });
    const { id } = (await created.json()) as { id: string };

    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    await page.addInitScript(() => {
      const state = { longTasks: [] as { start: number; duration: number }[] };
      (window as unknown as { __bench: typeof state }).__bench = state;
      new PerformanceObserver((list) => list.getEntries().forEach((entry) => state.longTasks.push({ start: entry.startTime, duration: entry.duration }))).observe({
        type: "longtask",
        buffered: true,
      });
    });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Performance.enable");
    const taskSeconds = async () => {
      const { metrics } = await cdp.send("Performance.getMetrics");
      return metrics.find((metric) => metric.name === "TaskDuration")?.value ?? 0;
    };

    await page.goto(`${base}/d/${id}`);
    await page.getByTestId("markdown-preview").waitFor();
    const startTask = await taskSeconds();
    const startPageTime = await page.evaluate(() => performance.now());
    const startWall = performance.now();
    const startChars = Number((await page.getByTestId("char-count").innerText()).replace(/,/g, ""));
    const profiling = process.argv.includes("--cpu-prof");
    if (profiling) {
      await cdp.send("Profiler.enable");
      await cdp.send("Profiler.start");
    }
    await page.getByTestId("document-status").filter({ hasText: "complete" }).waitFor({ timeout: 300_000 });
    if (profiling) {
      const { profile } = await cdp.send("Profiler.stop");
      const { mkdirSync, writeFileSync } = await import("node:fs");
      mkdirSync("bench/results", { recursive: true });
      writeFileSync("bench/results/page.cpuprofile", JSON.stringify(profile));
      console.log("CPU profile of the page: bench/results/page.cpuprofile");
    }
    const wallSeconds = (performance.now() - startWall) / 1000;
    const busySeconds = (await taskSeconds()) - startTask;
    const { longTasks: allLongTasks } = await page.evaluate(() => (window as unknown as { __bench: { longTasks: { start: number; duration: number }[] } }).__bench);
    // Loading and hydrating the page are not part of following the stream.
    const longTasks = allLongTasks.filter((task) => task.start >= startPageTime).map((task) => task.duration);
    const loadTasks = allLongTasks.length - longTasks.length;
    const streamed = document.length - startChars;

    const busy = (100 * busySeconds) / wallSeconds;
    console.log(`bench:page — ${FILE} (${(document.length / 1024).toFixed(1)} KB) in ${CHUNK}-char chunks every ${DELAY} ms`);
    console.log(`streamed while measured     ${streamed} chars in ${wallSeconds.toFixed(1)} s (${Math.round(streamed / CHUNK / wallSeconds)} chunks/s)`);
    console.log(`main thread busy            ${busySeconds.toFixed(2)} s = ${busy.toFixed(1)}% of the stream   goal < 15%: ${busy < 15 ? "PASS" : "FAIL"}`);
    console.log(`long tasks (> 50 ms)        ${longTasks.length} while streaming${longTasks.length ? ` (max ${Math.max(...longTasks).toFixed(0)} ms)` : ""}; ${loadTasks} while loading the page`);
    if (busy >= 15) process.exitCode = 1;
  } finally {
    await browser.close();
    await studio.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
