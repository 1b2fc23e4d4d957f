/**
 * One deficient variant of the compliant fixture per required rubric item. Each edit
 * removes only the evidence for that item (edits throw if their target text is gone),
 * and the test asserts that exactly that item turns unmet in that section.
 */
import { editSection, replaceOnce, replaceSectionBody } from "./helpers";

export interface Variant {
  section: number;
  requirement: string;
  /** What the deficient document looks like, in words. */
  description: string;
  make: (doc: string) => string;
  /** "compiler": the item is judged from the real type checker's result for the variant. */
  typecheck?: "compiler";
}

const codeOnly = (body: string, edit: (code: string) => string): string =>
  body.replace(/```ts\n[\s\S]*?\n```/g, (block) => edit(block));

export const VARIANTS: readonly Variant[] = [
  // 1 — The Real Problem
  {
    section: 1, requirement: "failure-scenario", description: "the scenario is only bullet points",
    make: (doc) => editSection(doc, 1, (body) => body.replace(/^(?=[A-Z])/gm, "- ")),
  },
  {
    section: 1, requirement: "what-breaks", description: "never says what breaks without the concept",
    make: (doc) => editSection(doc, 1, (body) => replaceOnce(body, /^Without request coalescing.*$/m, "Request coalescing changes the unit of work from one query per waiting request to one query per key.")),
  },
  {
    section: 1, requirement: "realistic-load", description: "no traffic numbers",
    make: (doc) =>
      editSection(doc, 1, (body) => {
        let out = replaceOnce(body, "The API tier serves 12,000 requests per second, and about 800 of them arrive", "The API tier is busy, and many requests arrive");
        out = replaceOnce(out, "(50 connections per pod, 30 pods) ", "");
        out = replaceOnce(out, "the mobile app retries 3 times with a 1 second timeout, so every slow response becomes four requests, and the fan-out service calls 6 downstream shards per page view", "the mobile app retries with a short timeout, so every slow response becomes several requests");
        return out;
      }),
  },
  {
    section: 1, requirement: "naive-fails", description: "does not explain why the naive fix fails",
    make: (doc) => editSection(doc, 1, (body) => replaceOnce(body, /^The naive fix.*$/m, "Teams usually react by adding a bigger connection pool or a longer TTL.")),
  },
  // 2 — Incorrect approaches
  {
    section: 2, requirement: "labelled-approaches", description: "approach headings lack the ✗/❌ marker",
    make: (doc) => editSection(doc, 2, (body) => body.replace(/### ❌ Incorrect/g, "### Incorrect")),
  },
  {
    section: 2, requirement: "approach-code", description: "approach #2 has no code snippet",
    make: (doc) => editSection(doc, 2, (body) => replaceOnce(body, /```ts\nconst mutex[\s\S]*?\n```\n/, "")),
  },
  {
    section: 2, requirement: "approach-reasoning", description: "approach #2 never says how it breaks",
    make: (doc) => editSection(doc, 2, (body) => replaceOnce(body, /^\*\*How it breaks:\*\* the lock.*$/m, "**Where teams use it:** small internal tools with a handful of users.")),
  },
  {
    section: 2, requirement: "production-symptoms", description: "no production symptoms part",
    make: (doc) => editSection(doc, 2, (body) => replaceOnce(body, "### Production symptoms", "### What operators see")),
  },
  // 3 — Mental model
  {
    section: 3, requirement: "ascii-diagram", description: "the text block is pseudo-code, not a drawing",
    make: (doc) =>
      editSection(doc, 3, (body) =>
        replaceOnce(body, /```text\n[\s\S]*?\n```/, "```text\nif (map.has(key)) return map.get(key);\nconst p = load(key);\nmap.set(key, p);\nreturn p;\n```"),
      ),
  },
  {
    section: 3, requirement: "ordered-steps", description: "mechanics are an unordered list",
    make: (doc) => editSection(doc, 3, (body) => body.replace(/^\d\. /gm, "- ")),
  },
  // 4 — Correct design
  {
    section: 4, requirement: "control-flow", description: "no ordered steps and no sequenced walk-through",
    make: (doc) => editSection(doc, 4, (body) => replaceOnce(body, /The control flow for one call:\n\n(?:\d\..*\n)+/, "Callers share one promise per key; the map holds a deadline timer, an AbortController and a waiter count per entry.\n")),
  },
  {
    section: 4, requirement: "design-coverage", description: "mentions none of concurrency/locking/timeouts/cancellation/failures",
    make: (doc) =>
      replaceSectionBody(
        doc, 4,
        "1. Derive the key and look it up in the map.\n2. If absent, create the shared promise and store it.\n3. Every caller awaits the shared promise.\n4. On settle, delete the map entry and return the value.\n\nContrast with the incorrect approaches: Incorrect Approach #1 lets every reader run the query, whereas the map collapses them to one.",
      ),
  },
  {
    section: 4, requirement: "contrast-incorrect", description: "never refers back to section 2",
    make: (doc) => editSection(doc, 4, (body) => replaceOnce(body, /^Contrast with the incorrect approaches.*\n/m, "")),
  },
  // 5 — Implementation
  {
    section: 5, requirement: "typescript-code", description: "only a short TypeScript fragment",
    make: (doc) =>
      replaceSectionBody(
        doc, 5,
        "```ts\nexport async function load(signal: AbortSignal): Promise<string> {\n  const timer = setTimeout(() => undefined, 1000);\n  try {\n    const res = await fetch(\"https://example.test\", { signal });\n    if (!res.ok) throw new Error(\"bad status\");\n    return await res.text();\n  } finally {\n    clearTimeout(timer);\n  }\n}\n```",
      ),
  },
  {
    section: 5, requirement: "async-await", description: "the code never uses async/await",
    make: (doc) => editSection(doc, 5, (body) => codeOnly(body, (code) => code.replace(/\basync\s*/g, "").replace(/\bawait\s+/g, ""))),
  },
  {
    section: 5, requirement: "timeouts", description: "the code has no timeout",
    make: (doc) => editSection(doc, 5, (body) => codeOnly(body, (code) => code.replace(/timeout/gi, "Budget").replace(/deadline/gi, "budget"))),
  },
  {
    section: 5, requirement: "cancellation", description: "the code has no cancellation",
    make: (doc) => editSection(doc, 5, (body) => codeOnly(body, (code) => code.replace(/abort(?:signal|controller)?|signal|cancel/gi, "token"))),
  },
  {
    section: 5, requirement: "cleanup", description: "the code never cleans up",
    make: (doc) =>
      editSection(doc, 5, (body) =>
        codeOnly(body, (code) =>
          code
            .replace(/\bfinally\b/g, "then")
            .replace(/clearTimeout/g, "noteTimeout")
            .replace(/removeEventListener/g, "noteEventListener")
            .replace(/\.release\(/g, ".touch(")
            .replace(/\.delete\(/g, ".touch("),
        ),
      ),
  },
  {
    section: 5, requirement: "error-propagation", description: "errors are never thrown or rejected",
    make: (doc) => editSection(doc, 5, (body) => codeOnly(body, (code) => code.replace(/\bthrow\b/g, "void").replace(/reject/gi, "settleFailure"))),
  },
  {
    section: 5, requirement: "type-checks", description: "a function returns a string where its signature promises a Product",
    typecheck: "compiler",
    make: (doc) => editSection(doc, 5, (body) => replaceOnce(body, "if (cached) return JSON.parse(cached) as Product;", "if (cached) return cached;")),
  },
  // 6 — Usage patterns
  {
    section: 6, requirement: "scenario", description: "no labelled scenario",
    make: (doc) => editSection(doc, 6, (body) => replaceOnce(body, "### Scenario: homepage catalog", "### Homepage catalog")),
  },
  {
    section: 6, requirement: "request-flow", description: "no request/response flow",
    make: (doc) => editSection(doc, 6, (body) => replaceOnce(body, /^(?:\d\. .*\n)+/m, "Hundreds of readers share one database query after a deploy flushes the cache.\n")),
  },
  {
    section: 6, requirement: "tail-latency", description: "not tied to latency, throughput or reliability",
    make: (doc) => editSection(doc, 6, (body) => replaceOnce(body, /^This keeps p99.*$/m, "This keeps the database calm during expiries because the query count per key no longer scales with concurrent readers.")),
  },
  // 7 — Failure modes
  { section: 7, requirement: "race-conditions", description: "race conditions not named", make: (doc) => editSection(doc, 7, (b) => replaceOnce(b, "### Race conditions between delete and set", "### Delete and set overlapping")) },
  { section: 7, requirement: "retry-interactions", description: "bad retry interactions not named", make: (doc) => editSection(doc, 7, (b) => replaceOnce(b, "### Retry storms", "### Client storms")) },
  { section: 7, requirement: "partial-failures", description: "partial failures not named", make: (doc) => editSection(doc, 7, (b) => replaceOnce(b, "### Partial failures", "### Redis down, Postgres up")) },
  { section: 7, requirement: "memory-leaks", description: "memory leaks not named", make: (doc) => editSection(doc, 7, (b) => replaceOnce(b, "### Memory leaks", "### Entries that never settle")) },
  { section: 7, requirement: "deadlocks", description: "deadlocks not named", make: (doc) => editSection(doc, 7, (b) => replaceOnce(b, "### Deadlocks", "### Re-entrant loads")) },
  { section: 7, requirement: "timeout-mismatches", description: "timeout mismatches not named", make: (doc) => editSection(doc, 7, (b) => replaceOnce(b, "### Timeout mismatches", "### Caller gives up early")) },
  {
    section: 7, requirement: "mitigation", description: "retry storms has no mitigation verdict",
    make: (doc) => editSection(doc, 7, (b) => replaceOnce(b, /\*\*Mitigated:\*\* yes, retries amplify nothing while the flight lasts; a/, "A")),
  },
  // 8 — Performance
  { section: 8, requirement: "p50-p99", description: "no p50", make: (doc) => editSection(doc, 8, (b) => replaceOnce(b, "- p50 latency is unchanged", "- Latency is unchanged")) },
  { section: 8, requirement: "throughput", description: "no throughput", make: (doc) => editSection(doc, 8, (b) => replaceOnce(b, "Throughput of the database", "Query count at the database")) },
  { section: 8, requirement: "memory", description: "no memory", make: (doc) => editSection(doc, 8, (b) => replaceOnce(b, "- Memory:", "- Footprint:")) },
  { section: 8, requirement: "cpu", description: "no CPU", make: (doc) => editSection(doc, 8, (b) => replaceOnce(b, "- CPU:", "- Compute:")) },
  { section: 8, requirement: "costs", description: "no explicit costs part", make: (doc) => editSection(doc, 8, (b) => replaceOnce(b, "**Costs and compromises:** waiters", "Waiters")) },
  // 9 — Foot-guns
  { section: 9, requirement: "mistake-count", description: "only 2 mistakes", make: (doc) => editSection(doc, 9, (b) => replaceOnce(b, /### Foot-Gun #3[\s\S]*$/, "")) },
  { section: 9, requirement: "why-engineers", description: "foot-gun #2 lacks why", make: (doc) => editSection(doc, 9, (b) => replaceOnce(b, /^\*\*Why engineers do it:\*\* passing.*\n/m, "")) },
  { section: 9, requirement: "what-breaks", description: "foot-gun #2 lacks what breaks", make: (doc) => editSection(doc, 9, (b) => replaceOnce(b, /^\*\*What breaks:\*\* when the first caller.*\n/m, "")) },
  {
    section: 9, requirement: "detection", description: "foot-gun #2 mentions detection only inside its fix",
    make: (doc) =>
      editSection(doc, 9, (b) =>
        replaceOnce(
          b,
          /^\*\*How to detect it early:\*\* a spike.*\n\*\*Fix:\*\* give.*$/m,
          "**Fix:** give the shared load its own AbortController; you can detect the problem early by watching for AbortError spikes.",
        ),
      ),
  },
  { section: 9, requirement: "fix", description: "foot-gun #2 lacks a fix", make: (doc) => editSection(doc, 9, (b) => replaceOnce(b, /^\*\*Fix:\*\* give the shared load.*\n/m, "")) },
  // 10 — When not to use
  { section: 10, requirement: "harmful-situations", description: "only one situation", make: (doc) => editSection(doc, 10, (b) => replaceOnce(b, /### ❌ Writes[\s\S]*$/, "")) },
  {
    section: 10, requirement: "use-instead", description: "first situation has no alternative",
    make: (doc) => editSection(doc, 10, (b) => replaceOnce(b, "**Use instead:** a plain cache-aside read, because the map adds", "**Why it hurts:** it costs something, because the map adds")),
  },
  {
    section: 10, requirement: "instead-why", description: "first situation says what to use but not why",
    make: (doc) => editSection(doc, 10, (b) => replaceOnce(b, "a plain cache-aside read, because the map adds bookkeeping without ever saving a query.", "a plain cache-aside read.")),
  },
  // 11 — Related concepts
  { section: 11, requirement: "concept-count", description: "only one concept", make: (doc) => editSection(doc, 11, (b) => replaceOnce(b, /### Circuit breaker[\s\S]*$/, "")) },
  {
    section: 11, requirement: "concept-contrast", description: "first concept is not contrasted",
    make: (doc) => editSection(doc, 11, (b) => replaceOnce(b, /^Refreshes entries before.*$/m, "Refreshes entries shortly before they expire, using a random early refresh.")),
  },
  // 12 — Checklist
  {
    section: 12, requirement: "checklist", description: "only 4 list items",
    make: (doc) =>
      replaceSectionBody(
        doc, 12,
        "- [ ] Metrics and logging: map size histogram and one structured log line per load failure.\n- [ ] Timeouts and limits: load deadline below the caller timeout; map size capped.\n- [ ] Load testing: replay a synchronized expiry at 2x peak.\n- [ ] Rollout behind a feature flag, rollback by turning it off.",
      ),
  },
  { section: 12, requirement: "metrics", description: "no metrics item", make: (doc) => editSection(doc, 12, (b) => replaceOnce(b, /^- \[ \] Metrics:.*$/m, "- [ ] Watch the in-flight map size and waiters per flight.")) },
  { section: 12, requirement: "logging", description: "no logging item", make: (doc) => editSection(doc, 12, (b) => replaceOnce(b, /^- \[ \] Logging:.*$/m, "- [ ] Failure records: one structured record per load failure with key and duration.")) },
  { section: 12, requirement: "timeouts-limits", description: "limits but no timeouts", make: (doc) => editSection(doc, 12, (b) => replaceOnce(b, /^- \[ \] Timeouts and limits:.*$/m, "- [ ] Map size capped at 10,000 entries.")) },
  { section: 12, requirement: "load-testing", description: "no load testing item", make: (doc) => editSection(doc, 12, (b) => replaceOnce(b, "- [ ] Load testing: replay", "- [ ] Replay")) },
  { section: 12, requirement: "rollout-rollback", description: "rollout without rollback", make: (doc) => editSection(doc, 12, (b) => replaceOnce(b, ", with rollback by turning the flag off.", ".")) },
];
