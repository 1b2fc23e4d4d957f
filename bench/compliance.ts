/**
 * npm run bench:compliance — how many sections a document satisfies after its first pass and
 * after each repair round, the 12/12 rate, and what repairing costs in tokens and seconds as a
 * share of the first pass (goal for users' runs: ≤ 40% per round).
 *
 * Without OPENAI_* it runs deterministically against the fake model server: the first passes are
 * the deficient drafts of bench/compliance/fixtures.ts, and repair requests are answered with the
 * real sections (some scripted to be worse or to stall the first time). With OPENAI_API_KEY or
 * OPENAI_BASE_URL (+ OPENAI_MODEL) set, it asks that model for the seed's three example topics.
 * Needs `npm run build` (it measures the production server, a child process).
 *
 *   npm run bench:compliance                    # fake model, every fixture
 *   OPENAI_API_KEY=sk-… npm run bench:compliance  # a real model, three topics
 *   Flags: --chars-per-second 10000 (fake model pace)  --rounds 2 (MAX_REPAIR_ROUNDS)
 */
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import type { PublicDocument } from "../lib/documents/present";
import type { DocumentVersionSummary } from "../lib/documents/versions";
import type { RepairRecord, TokenUsage } from "../lib/repair/record";
import { startAppServer, temporaryDirectory, type AppServer } from "../tests/support/app-server";
import { startFakeOpenAI, type FakeOpenAI } from "../tests/support/fake-openai/server";
import { FIXTURES, loadFixture, uncoveredDamages } from "./compliance/fixtures";

const flag = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? fallback : Number(process.argv[index + 1]);
};
const CHARS_PER_SECOND = flag("chars-per-second", 10_000);
const ROUNDS = flag("rounds", 2);
const REAL_TOPICS = ["Request Deduplication", "Circuit Breaker", "Rate Limiting"];
const GOAL_SHARE = 0.4;

const realModel = Boolean(process.env.OPENAI_API_KEY || process.env.OPENAI_BASE_URL);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

interface Measured {
  name: string;
  /** Sections satisfied after the first pass, then after each round. */
  satisfied: number[];
  firstPass: { tokens: number; outputTokens: number; ms: number };
  rounds: { tokens: number; outputTokens: number; ms: number; accepted: number; tried: number }[];
}

const total = (usage: TokenUsage) => usage.inputTokens + usage.outputTokens;

async function generate(server: AppServer, topic: string, timeoutMs: number): Promise<{ document: PublicDocument; versions: DocumentVersionSummary[] }> {
  const created = await fetch(`${server.url}/api/documents`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ topic, fresh: true }) });
  if (created.status !== 201) throw new Error(`create answered ${created.status}: ${await created.text()}`);
  const { id } = (await created.json()) as { id: string };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const document = (await (await fetch(`${server.url}/api/documents/${id}`)).json()) as PublicDocument;
    if (document.status !== "generating" && document.status !== "repairing") {
      const { versions } = (await (await fetch(`${server.url}/api/documents/${id}/versions`)).json()) as { versions: DocumentVersionSummary[] };
      return { document, versions };
    }
    if (Date.now() > deadline) throw new Error(`${topic}: still ${document.status} after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function measure(name: string, document: PublicDocument, versions: DocumentVersionSummary[]): Measured {
  if (document.status !== "complete") throw new Error(`${name}: ended ${document.status}: ${document.error ?? ""}`);
  const repair: RepairRecord | null = document.repair;
  const first = versions.find((version) => version.version === (repair?.fromVersion ?? 1));
  const satisfied = [first?.satisfied ?? document.satisfied ?? 0];
  for (const round of repair?.rounds ?? []) {
    satisfied.push(round.version === null ? (satisfied.at(-1) ?? 0) : (versions.find((version) => version.version === round.version)?.satisfied ?? 0));
  }
  const firstUsage = repair?.firstPass?.usage ?? { inputTokens: 0, outputTokens: 0 };
  return {
    name,
    satisfied,
    firstPass: { tokens: total(firstUsage), outputTokens: firstUsage.outputTokens, ms: repair?.firstPass?.ms ?? 0 },
    rounds: (repair?.rounds ?? []).map((round) => ({
      tokens: total(round.usage),
      outputTokens: round.usage.outputTokens,
      ms: round.ms,
      accepted: round.sections.filter((section) => section.state === "accepted").length,
      tried: round.sections.length,
    })),
  };
}

const pct = (value: number) => (Number.isFinite(value) ? `${Math.round(value * 100)}%` : "–");
const pad = (value: string, width: number) => value.padEnd(width);

function report(results: Measured[]) {
  console.log(`\n${pad("document", 36)} ${pad("satisfied (pass → rounds)", 26)} ${pad("repair tokens / first pass", 30)} ${pad("repair seconds / first pass", 30)}`);
  for (const result of results) {
    const perRound = result.rounds.map((round) => `${pct(round.tokens / result.firstPass.tokens)} (${round.accepted}/${round.tried})`).join(", ") || "none";
    const seconds = result.rounds.map((round) => `${(round.ms / 1000).toFixed(1)} s`).join(" + ");
    const repairMs = result.rounds.reduce((sum, round) => sum + round.ms, 0);
    console.log(
      `${pad(result.name, 36)} ${pad(result.satisfied.join(" → "), 26)} ${pad(perRound, 30)} ${pad(result.rounds.length ? `${seconds} = ${pct(repairMs / result.firstPass.ms)} of ${(result.firstPass.ms / 1000).toFixed(1)} s` : "–", 30)}`,
    );
  }
  const n = results.length;
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
  const rounds = results.flatMap((result) => result.rounds.map((round) => round.tokens / result.firstPass.tokens));
  const outputRounds = results.flatMap((result) => result.rounds.map((round) => round.outputTokens / Math.max(1, result.firstPass.outputTokens)));
  const repairTokens = results.map((result) => result.rounds.reduce((sum, round) => sum + round.tokens, 0) / result.firstPass.tokens);
  const repairSeconds = results.map((result) => result.rounds.reduce((sum, round) => sum + round.ms, 0) / Math.max(1, result.firstPass.ms));
  const worst = Math.max(...rounds, 0);
  console.log(`\n${n} documents`);
  console.log(`  sections satisfied: first pass ${mean(results.map((r) => r.satisfied[0] ?? 0)).toFixed(2)} / 12 → after repair ${mean(results.map((r) => r.satisfied.at(-1) ?? 0)).toFixed(2)} / 12`);
  for (let round = 1; round <= Math.max(0, ...results.map((result) => result.rounds.length)); round++) {
    console.log(`    after round ${round}: ${mean(results.map((r) => r.satisfied[Math.min(round, r.satisfied.length - 1)] ?? 0)).toFixed(2)} / 12`);
  }
  console.log(`  12/12: first pass ${results.filter((r) => r.satisfied[0] === 12).length}/${n} (${pct(results.filter((r) => r.satisfied[0] === 12).length / n)}) → after repair ${results.filter((r) => r.satisfied.at(-1) === 12).length}/${n} (${pct(results.filter((r) => r.satisfied.at(-1) === 12).length / n)})`);
  console.log(`  repair tokens per round (input + output) as a share of the first pass: mean ${pct(mean(rounds))}, worst ${pct(worst)} — goal ≤ ${pct(GOAL_SHARE)}: ${worst <= GOAL_SHARE ? "PASS" : "FAIL"}`);
  console.log(`  repair output tokens per round as a share of the first pass's: mean ${pct(mean(outputRounds))}, worst ${pct(Math.max(...outputRounds, 0))}`);
  console.log(`  all repair rounds of a document: tokens ${pct(mean(repairTokens))} of the first pass (worst ${pct(Math.max(...repairTokens, 0))}), seconds ${pct(mean(repairSeconds))} (worst ${pct(Math.max(...repairSeconds, 0))})`);
}

async function runFake(): Promise<Measured[]> {
  if (!existsSync(".next/BUILD_ID")) throw new Error("Run `npm run build` first: the benchmark measures the production server.");
  const missing = uncoveredDamages();
  if (missing.length) throw new Error(`fixtures miss: ${missing.join(", ")}`);
  const chunkSize = 40;
  const fake: FakeOpenAI = await startFakeOpenAI({ defaults: { chunkSize, delayMs: Math.max(1, Math.round((chunkSize / CHARS_PER_SECOND) * 1000)) } });
  const directory = temporaryDirectory("studio-compliance-");
  const server = await startAppServer({
    port: await freePort(),
    env: {
      OPENAI_BASE_URL: fake.url,
      OPENAI_MODEL: "fake-model",
      DATABASE_URL: `file:${path.join(directory.path, "studio.db")}`,
      MAX_REPAIR_ROUNDS: String(ROUNDS),
      IDLE_TIMEOUT_MS: "2000",
      FIRST_TOKEN_TIMEOUT_MS: "5000",
      RATE_LIMIT_PER_HOUR: "1000",
    },
  });
  console.log(`bench:compliance — fake model at ${CHARS_PER_SECOND} chars/s (usage: 4 characters a token), ${FIXTURES.length} deficient drafts, MAX_REPAIR_ROUNDS=${ROUNDS}, node ${process.version}`);
  try {
    const results: Measured[] = [];
    for (const fixture of FIXTURES) {
      const { topic, original, first } = loadFixture(fixture);
      fake.setScenario({ documentsByTopic: { [topic]: first }, repair: { source: original, actions: fixture.actions ?? {}, stallAtChar: fixture.stallAtChar ?? 0 } });
      const { document, versions } = await generate(server, topic, 180_000);
      results.push(measure(fixture.name, document, versions));
    }
    return results;
  } finally {
    await server.stop();
    await fake.close();
    directory.remove();
  }
}

async function runReal(): Promise<Measured[]> {
  if (!existsSync(".next/BUILD_ID")) throw new Error("Run `npm run build` first: the benchmark measures the production server.");
  const directory = temporaryDirectory("studio-compliance-");
  const env: Record<string, string> = { DATABASE_URL: `file:${path.join(directory.path, "studio.db")}`, MAX_REPAIR_ROUNDS: String(ROUNDS), RATE_LIMIT_PER_HOUR: "1000" };
  for (const name of ["OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_MODEL", "MAX_OUTPUT_TOKENS", "PROMPT_STYLE", "REPAIR_CONCURRENCY", "FIRST_TOKEN_TIMEOUT_MS", "IDLE_TIMEOUT_MS"]) {
    const value = process.env[name];
    if (value) env[name] = value;
  }
  const server = await startAppServer({ port: await freePort(), env });
  console.log(`bench:compliance — ${process.env.OPENAI_MODEL ?? "gpt-4.1"} ${process.env.OPENAI_BASE_URL ? `at ${new URL(process.env.OPENAI_BASE_URL).host}` : "(OpenAI)"}, the seed's three topics, MAX_REPAIR_ROUNDS=${ROUNDS}`);
  try {
    const results: Measured[] = [];
    for (const topic of REAL_TOPICS) {
      const { document, versions } = await generate(server, topic, 30 * 60_000);
      results.push(measure(topic, document, versions));
      console.log(`  ${topic}: done`);
    }
    return results;
  } finally {
    await server.stop();
    directory.remove();
  }
}

const results = await (realModel ? runReal() : runFake());
report(results);
