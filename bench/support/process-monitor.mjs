// Preloaded into the app server by bench/load.ts (NODE_OPTIONS=--import): samples the event-loop
// delay and the resident set size and writes them to STUDIO_MONITOR_FILE, so the benchmark can
// report what the server itself experienced under load.
import { writeFile } from "node:fs";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";

const file = process.env.STUDIO_MONITOR_FILE;
if (file) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let rssPeak = 0;
  // The longest single stall of the loop and when it ended (ms after the last reset): is it start-up, load or the finish?
  let resetAt = performance.now();
  let lastTick = performance.now();
  let worstStall = { ms: 0, endedAtMs: 0 };
  const sample = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
    const now = performance.now();
    if (now - lastTick - 100 > worstStall.ms) worstStall = { ms: now - lastTick - 100, endedAtMs: now - resetAt };
    lastTick = now;
  }, 100);
  sample.unref();
  const write = () => {
    // Asynchronous: a synchronous write would stall the very loop it measures whenever the disk is slow.
    writeFile(
      file,
      JSON.stringify({
        rssPeak,
        loopDelayP50Ms: histogram.percentile(50) / 1e6,
        loopDelayP99Ms: histogram.percentile(99) / 1e6,
        loopDelayMaxMs: histogram.max / 1e6,
        worstStallMs: worstStall.ms,
        worstStallEndedAtMs: worstStall.endedAtMs,
      }),
      () => {},
    );
  };
  const flush = setInterval(write, 1000);
  flush.unref();
  process.on("SIGUSR2", () => {
    histogram.reset();
    rssPeak = process.memoryUsage.rss();
    resetAt = performance.now();
    lastTick = resetAt;
    worstStall = { ms: 0, endedAtMs: 0 };
    write();
  });
}
