/**
 * The single machine-readable copy of the section rubric (product definition:
 * shared/RUBRIC.md). The sidebar, the analyzer, the final report and the tests all
 * read this list; a test checks that the titles appear, in order, in
 * prompts/master-prompt.txt so the prompt and the rubric cannot drift apart.
 */

export interface RequirementDef {
  id: string;
  label: string;
  required: boolean;
  /** Plain-words description of what is missing, shown when the item is unmet. */
  unmetLabel?: string;
  /**
   * Judged by a server-side check instead of the text analyzer (the TypeScript compiler,
   * lib/typecheck). Until its result is given to the analyzer the item is pending: neither met nor failed.
   */
  external?: "typecheck";
}

export interface SectionDef {
  number: number;
  id: string;
  title: string;
  /**
   * Words used to recognise reworded headings. Each entry is one word group;
   * alternatives inside a group are separated by "|" and matched as word prefixes.
   */
  keywords: readonly string[];
  requirements: readonly RequirementDef[];
}

const req = (id: string, label: string, unmetLabel: string): RequirementDef => ({ id, label, required: true, unmetLabel });
const advisory = (id: string, label: string, unmetLabel: string): RequirementDef => ({ id, label, required: false, unmetLabel });

export const SECTIONS: readonly SectionDef[] = [
  {
    number: 1,
    id: "real-problem",
    title: "The Real Problem This Exists to Solve",
    keywords: ["real|actual|core", "problem|pain", "exist|solv|purpose|motivat"],
    requirements: [
      req("failure-scenario", "Concrete production failure scenario in prose (~80+ words)", "No concrete failure scenario written as prose paragraphs (at least ~80 words, not just bullet points)"),
      req("what-breaks", "What breaks without the concept", "Does not say what breaks without this concept"),
      req("realistic-load", "Realistic load: traffic numbers, retries, fan-out or overload", "No realistic load figures (requests per second, concurrency, retries, fan-out)"),
      req("naive-fails", "Why the naive solution fails", "Does not explain why the naive solution fails"),
    ],
  },
  {
    number: 2,
    id: "incorrect-approaches",
    title: "The Naive / Incorrect Approaches",
    keywords: ["naive|naïve", "incorrect|wrong|bad|broken", "approach|implementation|attempt"],
    requirements: [
      req("labelled-approaches", "At least 2 approaches labelled \"Incorrect Approach #N\" with ✗ or ❌", "Fewer than 2 approaches labelled \"Incorrect Approach #N\" with a ✗ or ❌ marker"),
      req("approach-code", "Every approach has its own fenced code snippet", "An incorrect approach has no code snippet of its own"),
      req("approach-reasoning", "Every approach says why it seems reasonable and how it breaks", "An incorrect approach does not say why it seems reasonable and how/when it breaks"),
      req("production-symptoms", "Production symptoms described", "No labelled description of the production symptoms"),
    ],
  },
  {
    number: 3,
    id: "mental-model",
    title: "Correct Mental Model",
    keywords: ["correct|accurate|right", "mental", "model", "how it|internal|mechanic|actually works"],
    requirements: [
      req("ascii-diagram", "At least one ASCII diagram", "No ASCII diagram (a plain-text fenced block drawn with arrows, boxes or lanes)"),
      req("ordered-steps", "Step-by-step mechanics (ordered steps)", "Mechanics are not given as ordered steps (a numbered list of at least 3 steps)"),
      advisory("precise-terms", "Precise terms (locks, queues, promises, clocks, buffers, network)", "Few precise technical terms (locks, queues, promises, clocks, buffers, network)"),
    ],
  },
  {
    number: 4,
    id: "correct-design",
    title: "Correct Design & Algorithm",
    keywords: ["correct|right|proper", "design", "algorithm|control flow"],
    requirements: [
      req("control-flow", "Control flow explained", "The control flow is not explained (ordered steps or a sequenced prose walk-through)"),
      req("design-coverage", "Covers at least 4 of: concurrency, locking, timeouts, cancellation, failure handling", "Covers fewer than 4 of: concurrency, locking, timeouts, cancellation, failure handling"),
      req("contrast-incorrect", "Contrasts with the incorrect approaches of section 2", "Does not contrast the design with the incorrect approaches from section 2"),
    ],
  },
  {
    number: 5,
    id: "implementation",
    title: "Full Production-Grade Implementation",
    keywords: ["full|complete", "production|real", "implementation|code", "grade|ready"],
    requirements: [
      req("typescript-code", "Substantial TypeScript code (```ts / ```typescript, ~60 lines)", "No substantial TypeScript code block (```ts or ```typescript, about 60 lines or more)"),
      req("async-await", "Uses async/await", "The TypeScript code does not use async/await"),
      req("timeouts", "Implements timeouts", "The TypeScript code has no timeout handling"),
      req("cancellation", "Supports cancellation (AbortSignal or equivalent)", "The TypeScript code has no cancellation (AbortSignal/AbortController or equivalent)"),
      req("cleanup", "Cleans up resources (finally, clearTimeout, release…)", "The TypeScript code does no cleanup (finally, clearTimeout, removeEventListener, release…)"),
      req("error-propagation", "Propagates errors (throw / reject)", "The TypeScript code does not propagate errors (throw or reject)"),
      {
        ...req("type-checks", "The code type-checks (TypeScript compiler, real type declarations)", "The TypeScript code does not type-check"),
        external: "typecheck",
      },
      advisory("integration", "Redis / DB / HTTP integration where relevant", "No Redis, database or HTTP integration in the code"),
      advisory("parses", "Code looks syntactically complete (balanced brackets)", "A TypeScript block has unbalanced brackets, it may not parse"),
    ],
  },
  {
    number: 6,
    id: "usage-patterns",
    title: "Correct Usage Patterns",
    keywords: ["correct|good|proper", "usage|use case|using", "pattern|scenario", "shine|where"],
    requirements: [
      req("scenario", "At least one realistic, labelled usage scenario", "No labelled usage scenario (for example a \"Scenario:\" sub-heading)"),
      req("request-flow", "Request/response flow (numbered steps or a diagram)", "No request/response flow (numbered steps or a diagram)"),
      req("tail-latency", "Tied to tail latency, throughput or reliability", "Not tied back to tail latency, throughput or reliability"),
    ],
  },
  {
    number: 7,
    id: "failure-modes",
    title: "Failure Modes & Edge Cases",
    keywords: ["failure|fail", "mode", "edge", "case"],
    requirements: [
      req("race-conditions", "Race conditions named", "Race conditions are not named as a failure mode"),
      req("retry-interactions", "Retries interacting badly named", "Bad retry interactions (retry storms, amplification) are not named"),
      req("partial-failures", "Partial failures named", "Partial failures are not named"),
      req("memory-leaks", "Memory leaks named", "Memory leaks are not named"),
      req("deadlocks", "Deadlocks named", "Deadlocks are not named"),
      req("timeout-mismatches", "Timeout mismatches named", "Timeout mismatches are not named"),
      req("mitigation", "Says whether the design mitigates each one", "A failure mode does not say whether the design mitigates it"),
    ],
  },
  {
    number: 8,
    id: "performance",
    title: "Performance Characteristics & Tradeoffs",
    keywords: ["performance|perf", "characteristic|impact", "tradeoff|trade-off|trade off|cost"],
    requirements: [
      req("p50-p99", "p50 vs p99 latency", "Does not compare p50 and p99 latency"),
      req("throughput", "Throughput", "Throughput impact is not discussed"),
      req("memory", "Memory usage", "Memory usage is not discussed"),
      req("cpu", "CPU usage", "CPU usage is not discussed"),
      req("costs", "Explicit costs / compromises", "No explicit, labelled costs / compromises / tradeoffs part"),
    ],
  },
  {
    number: 9,
    id: "foot-guns",
    title: "Foot-Guns & Common Mistakes",
    keywords: ["foot-gun|footgun|foot gun", "common", "mistake|pitfall|gotcha"],
    requirements: [
      req("mistake-count", "At least 3 mistakes", "Fewer than 3 distinct mistakes"),
      req("why-engineers", "Each: why engineers do it", "A mistake does not say why engineers make it"),
      req("what-breaks", "Each: what breaks in production", "A mistake does not say what breaks in production"),
      req("detection", "Each: how to detect it early (own labelled part)", "A mistake has no labelled part on how to detect it early"),
      req("fix", "Each: how to fix or avoid it", "A mistake does not say how to fix or avoid it"),
    ],
  },
  {
    number: 10,
    id: "when-not-to-use",
    title: "When NOT to Use This",
    keywords: ["when", "not|avoid|don't|never", "use|using", "anti-pattern|antipattern|anti pattern"],
    requirements: [
      req("harmful-situations", "At least 2 harmful situations", "Fewer than 2 situations where this design causes harm"),
      req("use-instead", "Each: what to use instead", "A situation does not say what to use instead"),
      req("instead-why", "Each: why the alternative is better", "A situation does not explain why"),
    ],
  },
  {
    number: 11,
    id: "related-concepts",
    title: "Related Concepts",
    keywords: ["related|adjacent|neighbou", "concept|idea|pattern", "contrast|comparison|vs"],
    requirements: [
      req("concept-count", "At least 2 related concepts", "Fewer than 2 related concepts"),
      req("concept-contrast", "Each contrasted (difference or interaction)", "A related concept is not contrasted (no difference or interaction stated)"),
    ],
  },
  {
    number: 12,
    id: "readiness-checklist",
    title: "Production Readiness Checklist",
    keywords: ["production|launch|shipping", "readiness|ready", "checklist|check list"],
    requirements: [
      req("checklist", "A checklist of at least 5 list items", "No checklist (at least 5 list items, `- [ ]` preferred)"),
      req("metrics", "Covers metrics to monitor", "The checklist does not cover metrics to monitor"),
      req("logging", "Covers logging", "The checklist does not cover logging"),
      req("timeouts-limits", "Covers timeouts and limits", "The checklist does not cover both timeouts and limits"),
      req("load-testing", "Covers load testing", "The checklist does not cover load testing"),
      req("rollout-rollback", "Covers rollout and rollback", "The checklist does not cover both rollout and rollback"),
      advisory("checkbox-format", "Uses `- [ ]` checkboxes", "Checklist items are not `- [ ]` checkboxes"),
    ],
  },
];

export const DOCUMENT_RULES: readonly { id: string; label: string; required: boolean }[] = [
  { id: "h1-title", label: "An H1 title naming the topic", required: true },
  { id: "sections-in-order", label: "All 12 sections present, in order", required: true },
  { id: "unique-section-numbers", label: "No section number used twice", required: true },
  { id: "fenced-code-only", label: "Fenced code blocks only (no indented code blocks)", required: true },
  { id: "status-markers", label: "❌ / ✗ markers used for wrong approaches", required: true },
  { id: "no-other-emoji", label: "No emoji other than the status markers ❌ ✅ ✗ ✓", required: true },
  { id: "correct-markers", label: "✅ / ✓ markers used for correct approaches", required: false },
  { id: "no-filler", label: "No filler phrases", required: false },
  { id: "no-unexplained-buzzwords", label: "No unexplained buzzwords", required: false },
];

/** Section definition by number (1-based). */
export function sectionDef(number: number): SectionDef | undefined {
  return SECTIONS[number - 1];
}
