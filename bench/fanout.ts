/**
 * npm run bench:fanout — the live fan-out candidates under the same load, on the real Redis:
 *
 * - **redis-streams**: the studio's implementation (lib/cluster/redis): the owner appends every
 *   job event to a Redis stream with fenced Lua appends (JobLogWriter), and each other instance
 *   follows every stream it serves with ONE blocking XREAD (StreamFollower, sharedStreamSource).
 * - **resumable-stream** (Vercel, npm 2.2.13): the producer keeps the chunks in its memory and
 *   publishes each one over pub/sub to every listener; a listener asks the producer for the
 *   backlog on attach.
 *
 * S streams of 16-character chunks at C chars/s each, followed by F readers on each of two other
 * "instances" (their own connections). Prints delivery latency (producer write → reader), CPU
 * time, Redis CPU and memory, and what a reader attaching after the producer died receives.
 * Flags: --streams 100 --seconds 8 --chars-per-second 800 --readers 1
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { Redis } from "ioredis";
import { createResumableStreamContext } from "resumable-stream/ioredis";
import { EventLog } from "../lib/cluster/redis/event-log";
import { JobLogWriter } from "../lib/cluster/redis/job-log-writer";
import { sharedStreamSource } from "../lib/cluster/redis/shared-stream-source";
import { StreamFollower } from "../lib/cluster/redis/stream-follower";
import type { DesignDocument } from "../lib/documents/types";
import type { DocumentEventSink } from "../lib/events/document-event-sink";
import { GenerationJob } from "../lib/generation/job";
import { percentile } from "./support/measure";

function flag(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
}

const STREAMS = flag("streams", 100);
const SECONDS = flag("seconds", 8);
const CHARS_PER_SECOND = flag("chars-per-second", 800);
const READERS = flag("readers", 1);
const CHUNK = 16;
const INTERVAL_MS = (CHUNK / CHARS_PER_SECOND) * 1000;
const CHUNKS = Math.round((SECONDS * 1000) / INTERVAL_MS);
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
/** Exactly CHUNK UTF-16 units; every seventh carries an emoji (a surrogate pair). */
const chunkText = (index: number) => (index % 7 === 0 ? `chunk ${String(index).padStart(7, "0")} 🦀` : `chunk ${String(index).padStart(9, "0")} `);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Result {
  name: string;
  latencies: number[];
  delivered: number;
  expected: number;
  cpuMs: number;
  redisCpuMs: number;
  redisMemoryKb: number;
  lateReader: string;
}

async function redisCpuMs(admin: Redis): Promise<number> {
  const info = await admin.info("cpu");
  const user = Number(new RegExp("used_cpu_user:([\\d.]+)").exec(info)?.[1] ?? 0);
  const system = Number(new RegExp("used_cpu_sys:([\\d.]+)").exec(info)?.[1] ?? 0);
  return (user + system) * 1000;
}

async function keyMemoryKb(admin: Redis, pattern: string): Promise<number> {
  let total = 0;
  let cursor = "0";
  do {
    const [next, keys] = await admin.scan(cursor, "MATCH", pattern, "COUNT", 1000);
    for (const key of keys) total += Number((await admin.call("MEMORY", "USAGE", key)) ?? 0);
    cursor = next;
  } while (cursor !== "0");
  return total / 1024;
}

async function deleteKeys(admin: Redis, pattern: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await admin.scan(cursor, "MATCH", pattern, "COUNT", 1000);
    if (keys.length) await admin.del(...keys);
    cursor = next;
  } while (cursor !== "0");
}

/** Emits every stream's chunks on a shared clock; `write(stream, index, text)` delivers one. */
async function produce(write: (stream: number, index: number, text: string) => void, sentAt: Map<string, number>): Promise<void> {
  const started = performance.now();
  for (let index = 0; index < CHUNKS; index += 1) {
    const due = started + index * INTERVAL_MS;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    for (let stream = 0; stream < STREAMS; stream += 1) {
      sentAt.set(`${stream}:${index}`, performance.now());
      write(stream, index, chunkText(index));
    }
  }
}

async function benchRedisStreams(admin: Redis): Promise<Result> {
  const prefix = `ddsbench:${randomBytes(3).toString("hex")}`;
  const owner = new Redis(REDIS_URL);
  const log = new EventLog(owner, prefix);
  const readerInstances = [0, 1].map(() => {
    const command = new Redis(REDIS_URL);
    return { command, follower: new StreamFollower(new Redis(REDIS_URL), command), log: new EventLog(command, prefix) };
  });
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let delivered = 0;
  const jobs: GenerationJob[] = [];
  const writers: JobLogWriter[] = [];
  for (let stream = 0; stream < STREAMS; stream += 1) {
    const id = `s${stream}`;
    await log.begin(id, `${id}.1`, 1, "");
    const job = new GenerationJob(id, { text: "", continuations: 0, version: 1 });
    jobs.push(job);
    writers.push(new JobLogWriter(log, id, 1, job, () => {}, { replay: "all", redact: (text) => text }));
  }
  const generating = { status: "generating" } as DesignDocument;
  const stops: (() => void)[] = [];
  for (const instance of readerInstances) {
    for (let stream = 0; stream < STREAMS; stream += 1) {
      for (let reader = 0; reader < READERS; reader += 1) {
        let received = 0;
        const sink: DocumentEventSink = {
          closed: false,
          text(delta, offset) {
            const now = performance.now();
            for (let index = Math.floor(received / CHUNK); index < Math.floor(offset / CHUNK); index += 1) {
              latencies.push(now - sentAt.get(`${stream}:${index}`)!);
            }
            delivered += delta.length;
            received = offset;
          },
          send() {},
          close() {},
        };
        stops.push(sharedStreamSource(instance.log, instance.follower, `s${stream}`, 0, { reload: async () => generating, version: async () => null })(sink));
      }
    }
  }
  await sleep(500);
  const cpu = process.cpuUsage();
  const redisCpu = await redisCpuMs(admin);
  await produce((stream, _index, text) => jobs[stream]!.append(text), sentAt);
  await sleep(1_000);
  const cpuUsed = process.cpuUsage(cpu);
  const redisCpuUsed = (await redisCpuMs(admin)) - redisCpu;
  const memory = await keyMemoryKb(admin, `${prefix}:*`);

  // The owner dies mid-stream: a reader that attaches afterwards, on another instance, still gets all the text so far.
  const late = await new Promise<string>((resolve) => {
    let text = "";
    const stop = sharedStreamSource(readerInstances[1]!.log, readerInstances[1]!.follower, "s0", 0, { reload: async () => generating, version: async () => null })({
      closed: false,
      text(delta) {
        text += delta;
      },
      send() {},
      close() {},
    });
    setTimeout(() => {
      stop();
      resolve(`${text.length} of ${CHUNKS * CHUNK} characters`);
    }, 1_000);
  });
  owner.disconnect();
  stops.forEach((stop) => stop());
  for (const instance of readerInstances) {
    instance.follower.close();
    instance.command.disconnect();
  }
  await deleteKeys(admin, `${prefix}:*`);
  return { name: "redis-streams", latencies, delivered, expected: STREAMS * 2 * READERS * CHUNKS * CHUNK, cpuMs: (cpuUsed.user + cpuUsed.system) / 1000, redisCpuMs: redisCpuUsed, redisMemoryKb: memory, lateReader: late };
}

async function benchResumableStream(admin: Redis): Promise<Result> {
  const keyPrefix = `ddsbench-rs-${randomBytes(3).toString("hex")}`;
  const context = () => {
    const publisher = new Redis(REDIS_URL);
    const subscriber = new Redis(REDIS_URL);
    return { publisher, subscriber, rs: createResumableStreamContext({ waitUntil: null, keyPrefix, publisher, subscriber }) };
  };
  const owner = context();
  const readerInstances = [context(), context()];
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let delivered = 0;
  const controllers: ReadableStreamDefaultController<string>[] = [];
  for (let stream = 0; stream < STREAMS; stream += 1) {
    const source = await owner.rs.resumableStream(`s${stream}`, () => new ReadableStream<string>({ start: (controller) => void controllers.push(controller) }));
    // The owner's own reader drains its copy.
    void (async () => {
      const reader = source!.getReader();
      while (!(await reader.read()).done);
    })();
  }
  const consumers: Promise<void>[] = [];
  for (const instance of readerInstances) {
    for (let stream = 0; stream < STREAMS; stream += 1) {
      for (let reader = 0; reader < READERS; reader += 1) {
        const resumed = await instance.rs.resumeExistingStream(`s${stream}`);
        if (!resumed) throw new Error(`resumable-stream: s${stream} not resumable`);
        consumers.push(
          (async () => {
            const readerStream = resumed.getReader();
            let received = 0;
            for (;;) {
              const { done, value } = await readerStream.read();
              if (done) break;
              const now = performance.now();
              const offset = received + value.length;
              for (let index = Math.floor(received / CHUNK); index < Math.floor(offset / CHUNK); index += 1) {
                const sent = sentAt.get(`${stream}:${index}`);
                if (sent !== undefined) latencies.push(now - sent);
              }
              delivered += value.length;
              received = offset;
            }
          })(),
        );
      }
    }
  }
  await sleep(500);
  const cpu = process.cpuUsage();
  const redisCpu = await redisCpuMs(admin);
  await produce((stream, _index, text) => controllers[stream]!.enqueue(text), sentAt);
  await sleep(1_000);
  const cpuUsed = process.cpuUsage(cpu);
  const redisCpuUsed = (await redisCpuMs(admin)) - redisCpu;
  const memory = await keyMemoryKb(admin, `${keyPrefix}:*`);

  // The producer dies mid-stream (its connections go): a reader attaching afterwards.
  owner.publisher.disconnect();
  owner.subscriber.disconnect();
  let late: string;
  try {
    const resumed = await readerInstances[1]!.rs.resumeExistingStream("s0");
    if (!resumed) late = "nothing (the stream is gone)";
    else {
      const reader = resumed.getReader();
      const first = await Promise.race([reader.read(), sleep(3_000).then(() => null)]);
      late = first && !first.done ? `${first.value.length} characters` : "nothing within 3 s";
    }
  } catch (error) {
    late = `an error: ${error instanceof Error ? error.message : String(error)}`;
  }
  for (const instance of readerInstances) {
    instance.publisher.disconnect();
    instance.subscriber.disconnect();
  }
  void Promise.allSettled(consumers);
  await deleteKeys(admin, `${keyPrefix}:*`);
  return { name: "resumable-stream", latencies, delivered, expected: STREAMS * 2 * READERS * CHUNKS * CHUNK, cpuMs: (cpuUsed.user + cpuUsed.system) / 1000, redisCpuMs: redisCpuUsed, redisMemoryKb: memory, lateReader: late };
}

async function main() {
  const admin = new Redis(REDIS_URL);
  console.log(
    `bench:fanout — ${STREAMS} streams × ${CHUNKS} chunks of ${CHUNK} characters at ${CHARS_PER_SECOND} chars/s (${Math.round((STREAMS * CHARS_PER_SECOND) / CHUNK)} chunks/s), ` +
      `${READERS} reader(s) per stream on each of 2 other instances, Redis ${REDIS_URL}`,
  );
  const results: Result[] = [];
  for (const bench of [benchRedisStreams, benchResumableStream]) results.push(await bench(admin));
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  for (const result of results) {
    console.log(`\n${result.name}`);
    console.log(`  delivered                  ${result.delivered} / ${result.expected} characters`);
    console.log(`  latency write → reader     p50 ${ms(percentile(result.latencies, 50))}   p99 ${ms(percentile(result.latencies, 99))}   max ${ms(Math.max(...result.latencies))}`);
    console.log(`  CPU (this process)         ${(result.cpuMs / 1000).toFixed(2)} s for ${SECONDS} s of load`);
    console.log(`  Redis CPU                  ${(result.redisCpuMs / 1000).toFixed(2)} s`);
    console.log(`  Redis memory (its keys)    ${result.redisMemoryKb.toFixed(0)} KiB at the end`);
    console.log(`  reader attaching after the producer died: ${result.lateReader}`);
  }
  const [streams, resumable] = results;
  console.log(`\nratio p99 redis-streams / resumable-stream: ${(percentile(streams!.latencies, 99) / percentile(resumable!.latencies, 99)).toFixed(2)}`);
  admin.disconnect();
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
