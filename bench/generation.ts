/**
 * npm run bench:generation — the same topics written in `single` mode (one stream) and in
 * `parallel` mode (outline, then the sections at once), through the production server, read over
 * its event stream as a browser would.
 *
 * Against the fake model (default): it answers from the example library's documents, every stream
 * at --tokens-per-second (default 60; the fake counts 4 characters a token) after a first token
 * delay of --first-token-ms (default 800). `parallel` runs twice: with section 5 split into two
 * parts (SPLIT_IMPLEMENTATION=1, the default) and without. Tokens are reported as the provider
 * reports them (the fake: 4 characters a token) and recounted with o200k_base (GPT-4o/4.1): the
 * recorded requests' messages as input, the document (and the outline's JSON) as output.
 *
 * Against a real model when OPENAI_API_KEY or OPENAI_BASE_URL (with OPENAI_MODEL) is set: the same
 * runs, and the sections each document satisfies. That spends real tokens: --topics limits them.
 *
 * Flags: --topics 3 --tokens-per-second 60 --first-token-ms 800 --concurrency 6 --port 3392
 *        --sequential (one document at a time; default: all documents at once, one stream each).
 * Prints a table, the medians per mode, and as its last line
 * `parallel/single complete-time ratio: X` (the summed complete times of the split parallel runs
 * over those of the single runs).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { getLibrary } from "../lib/examples/library";
import { messageText, type FakeOpenAI } from "../tests/support/fake-openai/server";
import { startAppServer, temporaryDirectory, type AppServer } from "../tests/support/app-server";
import { startFakeOpenAI } from "../tests/support/fake-openai/server";
import { readDocumentEvents } from "../tests/support/sse";
import { percentile } from "./support/measure";

const argument = (name: string, fallback: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : process.argv[index + 1]!;
};
const TOPICS = Number(argument("topics", "3"));
const TOKENS_PER_SECOND = Number(argument("tokens-per-second", "60"));
const FIRST_TOKEN_MS = Number(argument("first-token-ms", "800"));
const CONCURRENCY = Number(argument("concurrency", "6"));
const PORT = Number(argument("port", "3392"));
const SEQUENTIAL = process.argv.includes("--sequential");
const REAL_MODEL = Boolean(process.env.OPENAI_API_KEY || process.env.OPENAI_BASE_URL);

/** The fake streams 4 characters a token: chunks every 50 ms at the rate asked for. */
const CHUNK_INTERVAL_MS = 50;

interface Variant {
  name: string;
  mode: "single" | "parallel";
  split: boolean;
}

const VARIANTS: Variant[] = [
  { name: "single", mode: "single", split: true },
  { name: "parallel", mode: "parallel", split: true },
  { name: "parallel, section 5 whole", mode: "parallel", split: false },
];

interface Run {
  variant: Variant;
  topic: string;
  firstTextMs: number;
  completeMs: number;
  status: string;
  inputTokens: number;
  outputTokens: number;
  /** o200k_base recount of the requests and answers (fake model only). */
  o200kInput: number | null;
  o200kOutput: number | null;
  satisfied: number | null;
  requests: number;
}

interface Studio {
  server: AppServer;
  fake: FakeOpenAI | null;
  stop(): Promise<void>;
}

async function startStudio(port: number, split: boolean, fixtures: Record<string, string>): Promise<Studio> {
  const directory = temporaryDirectory("studio-bench-generation-");
  const fake = REAL_MODEL
    ? null
    : await startFakeOpenAI({
        defaults: {
          documentsByTopic: fixtures,
          chunkSize: Math.max(1, Math.round(TOKENS_PER_SECOND * 4 * (CHUNK_INTERVAL_MS / 1000))),
          delayMs: CHUNK_INTERVAL_MS,
          firstTokenDelayMs: FIRST_TOKEN_MS,
        },
      });
  const provider = fake
    ? { OPENAI_BASE_URL: fake.url, OPENAI_MODEL: "fake-model", OPENAI_API_KEY: "" }
    : {
        OPENAI_BASE_URL: process.env.OPENAI_BASE_URL ?? "",
        OPENAI_MODEL: process.env.OPENAI_MODEL ?? "",
        OPENAI_API_KEY: process.env.OPENAI_API_KEY ?? "",
      };
  const server = await startAppServer({
    port,
    env: {
      ...provider,
      DATABASE_URL: `file:${path.join(directory.path, "studio.db")}`,
      SECTION_CONCURRENCY: String(CONCURRENCY),
      SPLIT_IMPLEMENTATION: split ? "1" : "0",
      MAX_CONCURRENT_GENERATIONS: "100",
      RATE_LIMIT_PER_HOUR: "1000",
      // A real model may take minutes per section; the fake never stalls.
      FIRST_TOKEN_TIMEOUT_MS: "120000",
      IDLE_TIMEOUT_MS: "120000",
    },
  });
  return {
    server,
    fake,
    async stop() {
      await server.stop();
      await fake?.close();
      directory.remove();
    },
  };
}

/**
 * One quick document per server before measuring, so no run pays for loading the routes or
 * starting the type-check worker (7 s cold on a busy 2-core machine). Fake model only.
 */
async function warmUp(studio: Studio): Promise<void> {
  const fake = studio.fake;
  if (!fake) return;
  fake.setScenario({ chunkSize: 500, delayMs: 0, firstTokenDelayMs: 0 });
  try {
    const created = await fetch(`${studio.server.url}/api/documents`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ topic: "Warm Up", mode: "single", fresh: true }),
    });
    const { id } = (await created.json()) as { id: string };
    for await (const event of readDocumentEvents((await fetch(`${studio.server.url}/api/documents/${id}/stream`)).body!)) if (event.type === "end") break;
  } finally {
    fake.resetScenario();
    fake.clearRequests();
  }
}

async function generate(studio: Studio, variant: Variant, topic: string): Promise<Run> {
  const base = studio.server.url;
  const started = performance.now();
  const created = await fetch(`${base}/api/documents`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ topic, mode: variant.mode, fresh: true }),
  });
  if (created.status !== 201) throw new Error(`create ${topic} (${variant.name}): ${created.status} ${await created.text()}`);
  const { id } = (await created.json()) as { id: string };
  const stream = await fetch(`${base}/api/documents/${id}/stream`);
  let firstText: number | null = null;
  let status = "";
  for await (const event of readDocumentEvents(stream.body!)) {
    if ((event.type === "text" || event.type === "section-text") && event.delta) firstText ??= performance.now();
    if (event.type === "end") status = event.status;
  }
  const completeMs = performance.now() - started;
  const document = (await (await fetch(`${base}/api/documents/${id}`)).json()) as {
    inputTokens: number;
    outputTokens: number;
    satisfied: number | null;
    markdown: string;
    outline: unknown;
  };
  const requests = studio.fake?.requests.filter((request) => messageText(request.body?.messages?.find((message) => message.role === "user")).includes(`TOPIC: ${topic}\n`)) ?? [];
  const mine = requests.filter((request) => (variant.mode === "single" ? request.planned === "single" : request.planned !== "single"));
  const recount = (texts: string[]) => texts.reduce((sum, text) => sum + countTokens(text), 0);
  return {
    variant,
    topic,
    firstTextMs: (firstText ?? performance.now()) - started,
    completeMs,
    status,
    inputTokens: document.inputTokens,
    outputTokens: document.outputTokens,
    o200kInput: studio.fake ? recount(mine.flatMap((request) => (request.body?.messages ?? []).map(messageText))) : null,
    // What the model wrote: the document, and in parallel mode the outline's JSON too.
    o200kOutput: studio.fake ? recount([document.markdown, document.outline ? JSON.stringify(document.outline) : ""]) : null,
    satisfied: document.satisfied,
    requests: mine.length,
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const count = (value: number | null) => (value === null ? "–" : value.toLocaleString("en-US"));
const pad = (text: string, width: number) => text.padEnd(width);
const padStart = (text: string, width: number) => text.padStart(width);

async function main() {
  if (!existsSync(".next/BUILD_ID")) throw new Error("Run `npm run build` first: the benchmark measures the production server.");
  const library = getLibrary().slice(0, TOPICS);
  const fixtures = Object.fromEntries(library.map((example) => [example.topic, example.markdown]));
  const topics = library.map((example) => example.topic);
  console.log(
    REAL_MODEL
      ? `bench:generation — real model ${process.env.OPENAI_MODEL ?? "(OpenAI default)"}; ${topics.length} topics: ${topics.join(", ")}; SECTION_CONCURRENCY=${CONCURRENCY}`
      : `bench:generation — fake model at ${TOKENS_PER_SECOND} tokens/s per stream, first token after ${FIRST_TOKEN_MS} ms; ${topics.length} topics (example library): ${topics.join(", ")}; SECTION_CONCURRENCY=${CONCURRENCY}${SEQUENTIAL ? "; one document at a time" : "; all documents at once"}`,
  );

  // Two servers: SPLIT_IMPLEMENTATION on (single and parallel) and off (parallel, section 5 whole).
  const split = await startStudio(PORT, true, fixtures);
  const whole = await startStudio(PORT + 1, false, fixtures);
  await Promise.all([warmUp(split), warmUp(whole)]);
  const studioFor = (variant: Variant) => (variant.split ? split : whole);
  const variants = REAL_MODEL ? VARIANTS.slice(0, 2) : VARIANTS;
  const jobs = variants.flatMap((variant) => topics.map((topic) => ({ variant, topic })));
  const runs: Run[] = [];
  try {
    if (SEQUENTIAL) {
      for (const job of jobs) runs.push(await generate(studioFor(job.variant), job.variant, job.topic));
    } else {
      runs.push(...(await Promise.all(jobs.map((job) => generate(studioFor(job.variant), job.variant, job.topic)))));
    }
  } finally {
    await split.stop();
    await whole.stop();
  }

  console.log("");
  console.log(
    `${pad("mode", 27)}${pad("topic", 36)}${padStart("first text", 11)}${padStart("complete", 10)}${padStart("requests", 9)}${padStart("input tok", 11)}${padStart("output tok", 11)}${padStart("total", 9)}${REAL_MODEL ? padStart("satisfied", 10) : padStart("o200k in", 10) + padStart("o200k out", 10)}  status`,
  );
  for (const run of runs) {
    console.log(
      `${pad(run.variant.name, 27)}${pad(run.topic, 36)}${padStart(seconds(run.firstTextMs), 11)}${padStart(seconds(run.completeMs), 10)}${padStart(String(run.requests), 9)}${padStart(count(run.inputTokens), 11)}${padStart(count(run.outputTokens), 11)}${padStart(count(run.inputTokens + run.outputTokens), 9)}${REAL_MODEL ? padStart(run.satisfied === null ? "–" : `${run.satisfied}/12`, 10) : padStart(count(run.o200kInput), 10) + padStart(count(run.o200kOutput), 10)}  ${run.status}`,
    );
  }

  const of = (variant: Variant) => runs.filter((run) => run.variant === variant);
  const median = (values: number[]) => percentile(values, 50);
  const total = (variant: Variant, pick: (run: Run) => number) => of(variant).reduce((sum, run) => sum + pick(run), 0);
  const single = variants[0]!;
  console.log("");
  for (const variant of variants) {
    const tokenRatio = total(variant, (run) => run.inputTokens + run.outputTokens) / total(single, (run) => run.inputTokens + run.outputTokens);
    const o200kRatio = REAL_MODEL ? null : total(variant, (run) => run.o200kInput! + run.o200kOutput!) / total(single, (run) => run.o200kInput! + run.o200kOutput!);
    const timeRatio = total(variant, (run) => run.completeMs) / total(single, (run) => run.completeMs);
    const satisfied = REAL_MODEL ? `, sections satisfied (median) ${median(of(variant).map((run) => run.satisfied ?? 0))}/12` : "";
    console.log(
      `${pad(variant.name, 27)} median first text ${seconds(median(of(variant).map((run) => run.firstTextMs)))}, complete ${seconds(median(of(variant).map((run) => run.completeMs)))} (${timeRatio.toFixed(2)}× single), tokens ${tokenRatio.toFixed(2)}× single${o200kRatio === null ? "" : ` (o200k recount ${o200kRatio.toFixed(2)}×)`}${satisfied}`,
    );
  }
  const failed = runs.filter((run) => run.status !== "complete");
  if (failed.length > 0) {
    console.log(`${failed.length} document(s) did not complete: ${failed.map((run) => `${run.topic} (${run.variant.name}): ${run.status}`).join("; ")}`);
    process.exitCode = 1;
  }
  const parallel = variants[1]!;
  console.log(`parallel/single complete-time ratio: ${(total(parallel, (run) => run.completeMs) / total(single, (run) => run.completeMs)).toFixed(2)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
