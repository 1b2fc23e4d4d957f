/**
 * Deterministic synthetic system-design document, shaped like what the LLM
 * writes: 12 numbered sections, ~15 fenced code blocks (mostly ```ts), ASCII
 * diagrams in ```text, GFM tables, nested / loose lists, block quotes.
 * Pure (no I/O) so tests and the browser bench can share it.
 */

/** Small seeded PRNG (mulberry32): same seed, same document. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOPICS = [
  "Requirements", "Capacity Estimates", "API Design", "Data Model", "High-Level Architecture",
  "Write Path", "Read Path", "Caching Strategy", "Consistency and Replication", "Failure Modes",
  "Observability", "Rollout Plan",
] as const;

const WORDS = (
  "shard replica quorum latency throughput partition leader follower cache eviction write-ahead log " +
  "idempotent retry backoff queue consumer producer snapshot compaction index tenant region failover " +
  "budget p99 hotspot fan-out materialized view checkpoint lease heartbeat token bucket rate limit"
).split(" ");

export interface GeneratedDoc {
  readonly markdown: string;
  readonly headings: readonly string[];
  readonly codeBlockCount: number;
}

export function generateDesignDoc(targetKb = 60, seed = 42): GeneratedDoc {
  const random = createRandom(seed);
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const sentence = (words: number) => {
    const parts = Array.from({ length: words }, () => pick(WORDS));
    const first = parts[0] ?? "the";
    parts[0] = first[0]?.toUpperCase() + first.slice(1);
    // Sprinkle inline syntax the tail completer has to handle mid-stream.
    if (random() < 0.3) parts[1] = `**${parts[1]}**`;
    if (random() < 0.3) parts[2] = `\`${parts[2]}()\``;
    if (random() < 0.15) parts[3] = `[${parts[3]}](https://example.com/${parts[3]})`;
    if (random() < 0.15) parts[4] = `_${parts[4]}_`;
    return parts.join(" ") + ".";
  };
  const sectionBudget = (targetKb * 1024) / TOPICS.length;
  // Small documents (the --quick smoke run) keep the same shape with fewer, shorter parts.
  const rich = sectionBudget >= 3000;
  const paragraph = () => Array.from({ length: (rich ? 3 : 1) + Math.floor(random() * 3) }, () => sentence(8 + Math.floor(random() * 8))).join(" ");

  const codeLines = Math.max(4, Math.round(sectionBudget / 170));
  const headings: string[] = ["Design Doc: Multi-Region Job Scheduler"];
  const out: string[] = [`# ${headings[0]}`, "", paragraph(), ""];
  let codeBlockCount = 0;

  const tsBlock = (name: string) => {
    codeBlockCount++;
    const lines = rich ? [`export interface ${name}Request {`, "  tenantId: string;", "  payload: Uint8Array;", "}", ""] : [];
    lines.push(`/* Handles ${name} with bounded retries. */`, `export async function handle${name}(req: ${name}Request): Promise<void> {`);
    for (let i = 0; lines.length < codeLines; i++) {
      lines.push(`  const ${pick(WORDS).replace(/\W/g, "")}${i} = await store.get(\`${name}:\${req.tenantId}:${i}\`); // ${pick(WORDS)}`);
      if (i % 4 === 3) lines.push("", `  if (attempt > ${i}) throw new Error("${pick(WORDS)} exhausted");`);
    }
    lines.push("}");
    return ["```ts", ...lines, "```"].join("\n");
  };
  const diagram = () => {
    codeBlockCount++;
    return [
      "```text",
      "+-----------+      +--------------+      +-------------+",
      "|  Client   | ---> |  API Gateway | ---> |  Scheduler  |",
      "+-----------+      +--------------+      +------+------+",
      "                                                |",
      "                          +---------------------+",
      "                          v",
      "                   +-------------+       +-----------+",
      "                   |  Job Queue  | <---> |  Workers  |",
      "                   +-------------+       +-----------+",
      "```",
    ].join("\n");
  };
  const table = () => {
    const rows = ["| Component | Replicas | p99 latency | Notes |", "|---|---:|---:|:---|"];
    for (let i = 0; i < 5; i++) rows.push(`| ${pick(WORDS)} | ${1 + Math.floor(random() * 9)} | ${Math.floor(random() * 200)} ms | ${sentence(5)} |`);
    return rows.join("\n");
  };
  const lists = () =>
    [
      `- ${sentence(6)}`,
      `- ${sentence(7)}`,
      `  - ${sentence(5)}`,
      `  - ${sentence(5)}`,
      `- ${sentence(6)}`,
      "",
      `1. ${sentence(6)}`,
      "",
      `2. ${sentence(6)}`,
      "",
      `   ${sentence(8)}`,
      "",
      `3. ${sentence(6)}`,
    ].join("\n");

  TOPICS.forEach((topic, index) => {
    const heading = `${index + 1}. ${topic}`;
    headings.push(heading);
    const section = [`## ${heading}`, "", paragraph(), "", index % 3 === 1 ? diagram() : tsBlock(topic.replace(/\W/g, ""))];
    if (index % 4 === 0) section.push("", tsBlock(`${topic.replace(/\W/g, "")}Worker`));
    if (rich || index % 3 === 0) section.push("", lists());
    if (rich || index % 3 === 2) section.push("", table());
    if (rich || index % 2 === 1) section.push("", `> **Note:** ${sentence(10)}`, ">", `> ${sentence(9)}`);
    let text = section.join("\n");
    while (text.length < sectionBudget - 600) text += "\n\n" + paragraph();
    out.push(text, "");
  });
  return { markdown: out.join("\n"), headings, codeBlockCount };
}
