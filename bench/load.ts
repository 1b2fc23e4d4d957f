/**
 * npm run bench:load — N concurrent generations against the fake model server on loopback, each
 * with an event-stream reader attached, through the real production server (a child process).
 *
 * Prints: documents completed, characters lost (must be 0), server RSS peak, p50/p99 latency the
 * app adds over the fake model server (first byte and per chunk), and the server's event-loop
 * delay p99. Flags: --docs 200 --doc-kb 40 --chars-per-second 800 --port 3390 --cpu-prof
 *
 * --instances N (default 1): with N > 1 (or --redis), N instances behind nginx on PostgreSQL and
 * Redis (scripts/cluster/start-cluster.ts), the load sent through nginx; each instance runs at most
 * ceil(docs / N) generations (WORKER_CONCURRENCY), and RSS and event-loop delay are per instance.
 * Needs POSTGRES_TEST_URL's server and REDIS_URL (the test defaults).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";
import { startCluster, type Cluster } from "../scripts/cluster/start-cluster";
import { buildDesignDoc } from "../tests/support/fake-openai/documents";
import { startFakeOpenAI, type FakeOpenAI, type StartFakeOpenAIOptions } from "../tests/support/fake-openai/server";
import { REDIS_URL } from "../tests/support/redis";
import { createTestDatabase } from "../tests/support/test-database";
import { readDocumentEvents } from "../tests/support/sse";
import { cpuSnapshot, cpuUsedBetween } from "./support/cpu-by-process";
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
const INSTANCES = flag("instances", 1);
const CLUSTER = INSTANCES > 1 || process.argv.includes("--redis");
const CHUNK = 16;

interface Deployment {
  fake: FakeOpenAI;
  base: string;
  /** Each instance's process and the file its monitor writes. */
  instances: { id: string; process: import("node:child_process").ChildProcess; monitorFile: string }[];
  stop(): Promise<void>;
}

/** The embedded default (one process, SQLite, no services), or N instances behind nginx on PostgreSQL and Redis. */
async function deploy(fakeOptions: StartFakeOpenAIOptions, env: Record<string, string>, monitorDirectory: string, nodeArgs: string[]): Promise<Deployment> {
  const monitorFile = (index: number) => path.join(monitorDirectory, `monitor-${index}.json`);
  const monitor = `--import ${pathToFileURL(path.resolve("bench/support/process-monitor.mjs")).href}`;
  if (!CLUSTER) {
    const studio = await startStudioWithFakeModel({ port: PORT, nodeArgs, fake: fakeOptions, env: { ...env, STUDIO_MONITOR_FILE: monitorFile(0), NODE_OPTIONS: monitor } });
    return { fake: studio.fake, base: studio.server.url, instances: [{ id: "studio", process: studio.server.process, monitorFile: monitorFile(0) }], stop: () => studio.stop() };
  }
  const fake = await startFakeOpenAI(fakeOptions);
  const database = await createTestDatabase("postgres");
  let cluster: Cluster;
  try {
    cluster = await startCluster({
      instances: INSTANCES,
      nodeArgs,
      idPrefix: "bench",
      env: {
        ...env,
        OPENAI_BASE_URL: fake.url,
        OPENAI_MODEL: "fake-model",
        OPENAI_API_KEY: "",
        DATABASE_URL: database.url,
        REDIS_URL,
        REDIS_PREFIX: `ddsbench-load-${process.pid}`,
        WORKER_CONCURRENCY: String(Math.ceil(DOCS / INSTANCES)),
        NODE_OPTIONS: monitor,
      },
      envFor: (index) => ({ STUDIO_MONITOR_FILE: monitorFile(index) }),
      onOutput: (id, line) => {
        if (/error|lost/i.test(line)) console.log(`[${id}] ${line}`);
      },
    });
  } catch (error) {
    await fake.close();
    await database.drop();
    throw error;
  }
  return {
    fake,
    base: cluster.url,
    instances: cluster.instances.map((instance, index) => ({ id: instance.id, process: instance.process, monitorFile: monitorFile(index) })),
    async stop() {
      await cluster.stop();
      await fake.close();
      await database.drop();
    },
  };
}

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
  // --cpu-prof: write a V8 CPU profile of the server to bench/results/ (open it in Chrome DevTools).
  const profile = process.argv.includes("--cpu-prof") ? ["--cpu-prof", "--cpu-prof-dir=bench/results"] : [];
  const deployment = await deploy(
    {
      defaults: { document, documentsByTopic: { "Warm Up": document.slice(0, 2_000) }, chunkSize: CHUNK, delayMs: Math.round((CHUNK / CHARS_PER_SECOND) * 1000) },
      onChunk(request, served, time) {
        let times = sentAt.get(request.id);
        if (!times) sentAt.set(request.id, (times = new Map()));
        times.set(served, time);
      },
    },
    { MAX_CONCURRENT_GENERATIONS: String(DOCS + 10), RATE_LIMIT_PER_HOUR: String(DOCS * 10 + 100) },
    monitorDirectory,
    profile,
  );
  const { fake, base } = deployment;
  try {
    // Measure the load, not the start-up: every route and the generation path loaded first (a few short documents per instance).
    await Promise.all(
      Array.from({ length: deployment.instances.length * 2 }, async (_, index) => {
        const created = await fetch(`${base}/api/documents`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ topic: `Warm Up ${index}`, fresh: true }),
        });
        const { id } = (await created.json()) as { id: string };
        for await (const event of readDocumentEvents((await fetch(`${base}/api/documents/${id}/stream`)).body!)) if (event.type === "end") break;
      }),
    );
    for (const instance of deployment.instances) instance.process.kill("SIGUSR2");
    console.log(
      `bench:load — ${DOCS} concurrent documents of ${DOC_KB} KB at ${CHARS_PER_SECOND} chars/s (${CHUNK}-char chunks), ` +
        (CLUSTER ? `${INSTANCES} instance(s) behind nginx on PostgreSQL and Redis, ${base}` : `one instance (SQLite, in-process), ${base}`),
    );

    const pids = Object.fromEntries(deployment.instances.map((instance) => [instance.id, instance.process.pid!]));
    const services = CLUSTER ? ["postgres", "redis-server", "nginx"] : [];
    const cpuBefore = cpuSnapshot(pids, services);
    const benchCpuBefore = process.cpuUsage();
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
    const cpuUsed = cpuUsedBetween(cpuBefore, cpuSnapshot(pids, services));
    const benchCpu = process.cpuUsage(benchCpuBefore);
    cpuUsed.unshift(["bench (model + readers)", (benchCpu.user + benchCpu.system) / 1e6]);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const monitors = deployment.instances.map((instance) => ({
      id: instance.id,
      ...(JSON.parse(readFileSync(instance.monitorFile, "utf8")) as { rssPeak: number; loopDelayP99Ms: number; loopDelayMaxMs: number; worstStallMs: number; worstStallEndedAtMs: number }),
    }));

    const ms = (value: number) => `${value.toFixed(1)} ms`;
    console.log(`wall time                         ${seconds.toFixed(1)} s`);
    console.log(`documents completed               ${completed} / ${DOCS}`);
    console.log(`characters lost                   ${lost}${lost === 0 ? "" : "  <-- MUST BE 0"}`);
    console.log(`model chunks delivered            ${chunkAdded.length} (${(chunkAdded.length / seconds).toFixed(0)} per second)`);
    console.log(`added latency, first byte         p50 ${ms(percentile(firstByteAdded, 50))}   p99 ${ms(percentile(firstByteAdded, 99))}   (n=${firstByteAdded.length})`);
    console.log(`added latency, per chunk          p50 ${ms(percentile(chunkAdded, 50))}   p99 ${ms(percentile(chunkAdded, 99))}   (n=${chunkAdded.length})`);
    const cpuTotal = cpuUsed.reduce((sum, [, used]) => sum + used, 0);
    console.log(`CPU used during the load          ${cpuTotal.toFixed(1)} s of ${(seconds * 2).toFixed(1)} s available on 2 cores: ${cpuUsed.map(([name, used]) => `${name} ${used.toFixed(1)} s`).join(", ")}`);
    for (const monitor of monitors) {
      console.log(`${monitor.id.padEnd(12)} RSS peak ${(monitor.rssPeak / 1024 / 1024).toFixed(0)} MiB   event-loop delay p99 ${ms(monitor.loopDelayP99Ms)}   max ${ms(monitor.loopDelayMaxMs)} (the longest stall ended ${(monitor.worstStallEndedAtMs / 1000).toFixed(1)} s into the load)`);
    }
    if (lost !== 0 || completed !== DOCS) process.exitCode = 1;
  } finally {
    await deployment.stop();
    rmSync(monitorDirectory, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
