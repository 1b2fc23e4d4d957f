// Preloaded into the app server by bench/load.ts (NODE_OPTIONS=--import): samples the event-loop
// delay and the resident set size and writes them to STUDIO_MONITOR_FILE, so the benchmark can
// report what the server itself experienced under load.
import { writeFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";

const file = process.env.STUDIO_MONITOR_FILE;
if (file) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let rssPeak = 0;
  const sample = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  }, 100);
  sample.unref();
  const write = () => {
    writeFileSync(
      file,
      JSON.stringify({
        rssPeak,
        loopDelayP50Ms: histogram.percentile(50) / 1e6,
        loopDelayP99Ms: histogram.percentile(99) / 1e6,
        loopDelayMaxMs: histogram.max / 1e6,
      }),
    );
  };
  const flush = setInterval(write, 1000);
  flush.unref();
  process.on("SIGUSR2", () => {
    histogram.reset();
    rssPeak = process.memoryUsage.rss();
    write();
  });
}
