/**
 * npm run bench:load — N concurrent generations against the fake model server on loopback, each
 * with an event-stream reader attached, through the real production server (a child process).
 *
 * Prints: documents completed, characters lost (must be 0), server RSS peak, p50/p99 latency the
 * app adds over the fake model server (first byte and per chunk), and the server's event-loop
 * delay p99. Flags: --docs 200 --doc-kb 40 --chars-per-second 800 --port 3390 --cpu-prof
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";
import { buildDesignDoc } from "../tests/support/fake-openai/documents";
import { readDocumentEvents } from "../tests/support/sse";
import { percentile } from "./support/measure";
import { startStudioWithFakeModel } from "./support/studio-with-fake-model";

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
}

const DOCS = flag("docs", 200);
const DOC_KB = flag("doc-kb", 40);
const CHARS_PER_SECOND = flag("chars-per-second", 800);
const PORT = flag("port", 3390);
const CHUNK = 16;

function makeDocument(kb: number): string {
  let text = "";
  let round = 0;
  while (text.length < kb * 1024) text += buildDesignDoc(`Load Test Part ${++round}`);
  return text.slice(0, kb * 1024);
}

async function main() {
  const document = makeDocument(DOC_KB);
  const sentAt = new Map<number, Map<number, number>>(); // fake request id → served chars → time
  const monitorDirectory = mkdtempSync(path.join(tmpdir(), "studio-load-monitor-"));
  const monitorFile = path.join(monitorDirectory, "monitor.json");
  // --cpu-prof: write a V8 CPU profile of the server to bench/results/ (open it in Chrome DevTools).
  const profile = process.argv.includes("--cpu-prof") ? ["--cpu-prof", "--cpu-prof-dir=bench/results"] : [];
  const studio = await startStudioWithFakeModel({
    port: PORT,
    nodeArgs: profile,
    fake: {
      defaults: { document, chunkSize: CHUNK, delayMs: Math.round((CHUNK / CHARS_PER_SECOND) * 1000) },
      onChunk(request, served, time) {
        let times = sentAt.get(request.id);
        if (!times) sentAt.set(request.id, (times = new Map()));
        times.set(served, time);
      },
    },
    env: {
      MAX_CONCURRENT_GENERATIONS: String(DOCS + 10),
      RATE_LIMIT_PER_HOUR: String(DOCS * 10),
      STUDIO_MONITOR_FILE: monitorFile,
      NODE_OPTIONS: `--import ${pathToFileURL(path.resolve("bench/support/process-monitor.mjs")).href}`,
    },
  });
  const { fake, server } = studio;
  const base = server.url;
  try {
    server.process.kill("SIGUSR2"); // measure the load, not the start-up
    console.log(`bench:load — ${DOCS} concurrent documents of ${DOC_KB} KB at ${CHARS_PER_SECOND} chars/s (${CHUNK}-char chunks), server on ${base}`);

    const firstByteAdded: number[] = [];
    const chunkAdded: number[] = [];
    let completed = 0;
    let lost = 0;
    const started = performance.now();

    await Promise.all(
      Array.from({ length: DOCS }, async (_, index) => {
        const created = await fetch(`${base}/api/documents`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ topic: `Load Test ${index}`, fresh: true }),
        });
        if (created.status !== 201) throw new Error(`create ${index}: ${created.status} ${await created.text()}`);
        const { id } = (await created.json()) as { id: string };
        const response = await fetch(`${base}/api/documents/${id}/stream`);
        let text = "";
        let status = "";
        const arrivals: [number, number][] = [];
        for await (const event of readDocumentEvents(response.body!)) {
          if (event.type === "text") {
            text += event.delta;
            arrivals.push([event.offset, performance.now()]);
          } else if (event.type === "end") status = event.status;
        }
        const request = fake.requests.find((candidate) => JSON.stringify(candidate.body?.messages ?? "").includes(`TOPIC: Load Test ${index}\\n`));
        const times = request ? sentAt.get(request.id) : undefined;
        if (times) {
          // Each model chunk is delivered by the first event whose offset reaches its end
          // (the server may merge several chunks into one event).
          let next = 0;
          for (const [served, sent] of [...times].sort((a, b) => a[0] - b[0])) {
            while (next < arrivals.length && arrivals[next]![0] < served) next += 1;
            if (next === arrivals.length) break;
            chunkAdded.push(arrivals[next]![1] - sent);
          }
          const firstSent = times.get(Math.min(...times.keys()));
          if (firstSent !== undefined && arrivals[0]) firstByteAdded.push(arrivals[0][1] - firstSent);
        }
        if (status === "complete") completed += 1;
        // Characters of the document the reader did not receive intact (after the first divergence).
        let same = 0;
        while (same < text.length && text.charCodeAt(same) === document.charCodeAt(same)) same += 1;
        if (text !== document) lost += Math.max(1, document.length - same);
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const monitor = JSON.parse(readFileSync(monitorFile, "utf8")) as { rssPeak: number; loopDelayP99Ms: number; loopDelayMaxMs: number };

    const ms = (value: number) => `${value.toFixed(1)} ms`;
    console.log(`wall time                         ${seconds.toFixed(1)} s`);
    console.log(`documents completed               ${completed} / ${DOCS}`);
    console.log(`characters lost                   ${lost}${lost === 0 ? "" : "  <-- MUST BE 0"}`);
    console.log(`server RSS peak                   ${(monitor.rssPeak / 1024 / 1024).toFixed(0)} MiB`);
    console.log(`added latency, first byte         p50 ${ms(percentile(firstByteAdded, 50))}   p99 ${ms(percentile(firstByteAdded, 99))}   (n=${firstByteAdded.length})`);
    console.log(`added latency, per chunk          p50 ${ms(percentile(chunkAdded, 50))}   p99 ${ms(percentile(chunkAdded, 99))}   (n=${chunkAdded.length})`);
    console.log(`server event-loop delay           p99 ${ms(monitor.loopDelayP99Ms)}   max ${ms(monitor.loopDelayMaxMs)}`);
    if (lost !== 0 || completed !== DOCS) process.exitCode = 1;
  } finally {
    await studio.stop();
    rmSync(monitorDirectory, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
