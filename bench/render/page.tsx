/**
 * Browser side of the render benchmark. The Node driver calls
 * window.renderBench.run(...) once per (renderer, mode, run); everything that
 * is timed happens inside the page so no CDP round-trips are measured.
 */
import { flushSync } from "react-dom";
import { createRoot, type Root } from "react-dom/client";
import type { RendererName } from "./renderer-names";
import { BenchRenderer } from "./renderers";

export type BenchMode = "max-rate" | "realistic";

export interface RunRequest {
  renderer: RendererName;
  mode: BenchMode;
  chunks: string[];
  /** realistic mode only: stream rate on the virtual clock. */
  chunksPerSecond: number;
  /**
   * max-rate only: render (and time) every Nth update. Only valid for a
   * stateless renderer (naive): its cost per update depends only on the text,
   * not on earlier updates, so a uniform sample × N estimates the total.
   */
  sampleEvery: number;
}

export interface RunResult {
  /** Per update (max-rate: per chunk; realistic: per frame) main-thread ms. */
  updateDurations: number[];
  /** Long tasks (> 50 ms) reported by PerformanceObserver during the run. */
  longTaskCount: number;
  longTaskTotalMs: number;
  /** Virtual stream duration (realistic) — how long the stream "took". */
  virtualDurationMs: number;
  finalRenderMs: number;
  headings: string[];
  codeBlockCount: number;
  finalHtml: string;
  /** The slowest updates with the text length at the time (for --verbose). */
  slowest: { ms: number; textLength: number }[];
}

const FRAME_MS = 1000 / 60;

/** Yield to the event loop (new task) so long tasks are attributed per update and the page can paint. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

function timedRender(root: Root, container: HTMLElement, renderer: RendererName, text: string, streaming: boolean, withLayout: boolean): number {
  const start = performance.now();
  flushSync(() => root.render(<BenchRenderer name={renderer} text={text} streaming={streaming} />));
  // Reading layout forces style + layout, part of what a real frame pays for the update.
  if (withLayout) void container.offsetHeight;
  return performance.now() - start;
}

async function run(request: RunRequest): Promise<RunResult> {
  const host = document.getElementById("bench-root");
  if (!host) throw new Error("missing #bench-root");
  host.replaceChildren();
  const container = document.createElement("div");
  host.append(container);
  const root = createRoot(container);

  const longTasks: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration);
  });
  observer.observe({ type: "longtask" });
  await nextTask();

  const { chunks, renderer } = request;
  const updateDurations: number[] = [];
  const textLengths: number[] = [];
  let text = "";
  let virtualNow = 0;

  if (request.mode === "max-rate") {
    // One React commit per chunk, as fast as the renderer can go.
    for (let i = 0; i < chunks.length; i++) {
      text += chunks[i];
      if ((i + 1) % request.sampleEvery !== 0 && i !== chunks.length - 1) continue;
      updateDurations.push(timedRender(root, container, renderer, text, true, false));
      textLengths.push(text.length);
      await nextTask();
    }
  } else {
    // Virtual clock: chunk i "arrives" at i / rate. Each frame commits everything that arrived
    // since the last frame (rAF coalescing). A frame that takes d ms occupies ceil(d / 16.7)
    // vsync intervals, so slow renderers get bigger batches exactly as in real time — but we
    // never sit idle waiting for the wall clock.
    const msPerChunk = 1000 / request.chunksPerSecond;
    let delivered = 0;
    while (delivered < chunks.length) {
      virtualNow += FRAME_MS;
      const arrived = Math.min(chunks.length, Math.floor(virtualNow / msPerChunk));
      if (arrived > delivered) {
        text += chunks.slice(delivered, arrived).join("");
        delivered = arrived;
        const duration = timedRender(root, container, renderer, text, true, true);
        updateDurations.push(duration);
        textLengths.push(text.length);
        virtualNow += Math.max(0, Math.ceil(duration / FRAME_MS) - 1) * FRAME_MS;
      }
      await nextTask();
    }
  }

  const finalRenderMs = timedRender(root, container, renderer, text, false, true);
  await nextTask();
  observer.disconnect();

  const headings = [...container.querySelectorAll("h1, h2, h3, h4, h5, h6")].map((h) => h.textContent?.trim() ?? "");
  const result: RunResult = {
    updateDurations,
    longTaskCount: longTasks.length,
    longTaskTotalMs: longTasks.reduce((a, b) => a + b, 0),
    virtualDurationMs: virtualNow,
    finalRenderMs,
    headings,
    codeBlockCount: container.querySelectorAll("pre").length,
    finalHtml: container.innerHTML,
    slowest: updateDurations
      .map((ms, i) => ({ ms, textLength: textLengths[i] ?? 0 }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 5),
  };
  root.unmount();
  return result;
}

declare global {
  interface Window {
    renderBench: { run: typeof run };
  }
}
window.renderBench = { run };
document.body.dataset.ready = "true";
