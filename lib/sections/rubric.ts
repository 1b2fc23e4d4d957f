/**
 * The single machine-readable copy of the section rubric (product definition:
 * shared/RUBRIC.md). The sidebar, the analyzer, the final report, the section contract
 * appended to the master prompt (lib/prompts/section-contract.ts) and the tests all read
 * this list; a test checks that the titles appear, in order, in
 * prompts/master-prompt.txt so the prompt and the rubric cannot drift apart.
 */

/**
 * One line of the section contract: the concrete shape that meets an item, told to the
 * model. Text in backticks is to be written as shown (`<…>` is the model's to fill). It
 * must be what the item's check accepts (tests/prompts/section-contract.test.ts builds a
 * text that follows the lines, and only them, and shows it satisfied) and a shape a reader
 * benefits from. `{ sameAs: id }`: the line of another item of the same list says it.
 */
export type ContractLine = string | { readonly sameAs: string };

export interface RequirementDef {
  id: string;
  label: string;
  required: boolean;
  /** Plain-words description of what is missing, shown when the item is unmet. */
  unmetLabel?: string;
  /** Not optional: no item can be added without telling the model how to meet it. */
  contract: ContractLine;
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

const req = (id: string, label: string, unmetLabel: string, contract: ContractLine): RequirementDef => ({ id, label, required: true, unmetLabel, contract });
const advisory = (id: string, label: string, unmetLabel: string, contract: ContractLine): RequirementDef => ({ id, label, required: false, unmetLabel, contract });
const sameAs = (id: string): ContractLine => ({ sameAs: id });

export const SECTIONS: readonly SectionDef[] = [
  {
    number: 1,
    id: "real-problem",
    title: "The Real Problem This Exists to Solve",
    keywords: ["real|actual|core", "problem|pain", "exist|solv|purpose|motivat"],
    requirements: [
      req("failure-scenario", "Concrete production failure scenario in prose (~80+ words)", "No concrete failure scenario written as prose paragraphs (at least ~80 words, not just bullet points)",
        "Prose paragraphs first (120+ words, no bullets): one concrete production incident, its traffic, what failed, what users saw."),
      req("what-breaks", "What breaks without the concept", "Does not say what breaks without this concept",
        "A paragraph \"Without <concept>, …\" saying what breaks: what is exhausted, times out or fails."),
      req("realistic-load", "Realistic load: traffic numbers, retries, fan-out or overload", "No realistic load figures (requests per second, concurrency, retries, fan-out)",
        "Load in numbers: \"12,000 requests per second\", \"800 concurrent requests\", \"retries 3 times\", \"fan-out of 6\"."),
      req("naive-fails", "Why the naive solution fails", "Does not explain why the naive solution fails",
        "A paragraph \"The naive fix (<what teams try first>) fails because …\"."),
    ],
  },
  {
    number: 2,
    id: "incorrect-approaches",
    title: "The Naive / Incorrect Approaches",
    keywords: ["naive|naïve", "incorrect|wrong|bad|broken", "approach|implementation|attempt"],
    requirements: [
      req("labelled-approaches", "At least 2 approaches labelled \"Incorrect Approach #N\" with ✗ or ❌", "Fewer than 2 approaches labelled \"Incorrect Approach #N\" with a ✗ or ❌ marker",
        "At least two approaches, each under `### ❌ Incorrect Approach #N: <name>`, with:"),
      req("approach-code", "Every approach has its own fenced code snippet", "An incorrect approach has no code snippet of its own",
        "a fenced ```ts block of the realistic wrong code;"),
      req("approach-reasoning", "Every approach says why it seems reasonable and how it breaks", "An incorrect approach does not say why it seems reasonable and how/when it breaks",
        "`**Why it seems reasonable:**` and `**How it breaks:**` (when, under what load, with what result);"),
      req("production-symptoms", "Production symptoms described", "No labelled description of the production symptoms",
        "`**Production symptoms:**` what dashboards, logs and users show."),
    ],
  },
  {
    number: 3,
    id: "mental-model",
    title: "Correct Mental Model",
    keywords: ["correct|accurate|right", "mental", "model", "how it|internal|mechanic|actually works"],
    requirements: [
      req("ascii-diagram", "At least one ASCII diagram", "No ASCII diagram (a plain-text fenced block drawn with arrows, boxes or lanes)",
        "An ASCII diagram in a ```text block, drawn with boxes and arrows (`+---+`, `-->`), no code in it."),
      req("ordered-steps", "Step-by-step mechanics (ordered steps)", "Mechanics are not given as ordered steps (a numbered list of at least 3 steps)",
        "The mechanics as a numbered list of 4+ steps in the order they happen, naming the real mechanisms (locks, queues, promises, timers, buffers, sockets)."),
      advisory("precise-terms", "Precise terms (locks, queues, promises, clocks, buffers, network)", "Few precise technical terms (locks, queues, promises, clocks, buffers, network)",
        sameAs("ordered-steps")),
    ],
  },
  {
    number: 4,
    id: "correct-design",
    title: "Correct Design & Algorithm",
    keywords: ["correct|right|proper", "design", "algorithm|control flow"],
    requirements: [
      req("control-flow", "Control flow explained", "The control flow is not explained (ordered steps or a sequenced prose walk-through)",
        "The control flow as numbered steps, from the call to its result or error."),
      req("design-coverage", "Covers at least 4 of: concurrency, locking, timeouts, cancellation, failure handling", "Covers fewer than 4 of: concurrency, locking, timeouts, cancellation, failure handling",
        "A paragraph each for `**Concurrency:**`, `**Locking:**`, `**Timeouts:**`, `**Cancellation:**`, `**Failure handling:**`."),
      req("contrast-incorrect", "Contrasts with the incorrect approaches of section 2", "Does not contrast the design with the incorrect approaches from section 2",
        "`**Contrast with Section 2:**` per Incorrect Approach #N, what it got wrong and what this design does instead."),
    ],
  },
  {
    number: 5,
    id: "implementation",
    title: "Full Production-Grade Implementation",
    keywords: ["full|complete", "production|real", "implementation|code", "grade|ready"],
    requirements: [
      req("typescript-code", "Substantial TypeScript code (```ts / ```typescript, ~60 lines)", "No substantial TypeScript code block (```ts or ```typescript, about 60 lines or more)",
        "One complete ```ts module, 80+ lines (imports, types, code, a usage example), that:"),
      req("async-await", "Uses async/await", "The TypeScript code does not use async/await",
        "uses async/await for I/O;"),
      req("timeouts", "Implements timeouts", "The TypeScript code has no timeout handling",
        "has a timeout on every I/O call (`AbortSignal.timeout(ms)` or `setTimeout`);"),
      req("cancellation", "Supports cancellation (AbortSignal or equivalent)", "The TypeScript code has no cancellation (AbortSignal/AbortController or equivalent)",
        "accepts an `AbortSignal` and passes it down;"),
      req("cleanup", "Cleans up resources (finally, clearTimeout, release…)", "The TypeScript code does no cleanup (finally, clearTimeout, removeEventListener, release…)",
        "cleans up in `finally` (timers, connections, listeners);"),
      req("error-propagation", "Propagates errors (throw / reject)", "The TypeScript code does not propagate errors (throw or reject)",
        "throws typed `Error` subclasses, never swallows an error;"),
      {
        ...req("type-checks", "The code type-checks (TypeScript compiler, real type declarations)", "The TypeScript code does not type-check",
          "type-checks in strict mode: every name declared or imported;"),
        external: "typecheck",
      },
      advisory("integration", "Redis / DB / HTTP integration where relevant", "No Redis, database or HTTP integration in the code",
        "uses the real client where relevant: Redis (ioredis), PostgreSQL (pg), HTTP (fetch);"),
      advisory("parses", "Code looks syntactically complete (balanced brackets)", "A TypeScript block has unbalanced brackets, it may not parse",
        "is complete as written: balanced brackets, nothing elided."),
    ],
  },
  {
    number: 6,
    id: "usage-patterns",
    title: "Correct Usage Patterns",
    keywords: ["correct|good|proper", "usage|use case|using", "pattern|scenario", "shine|where"],
    requirements: [
      req("scenario", "At least one realistic, labelled usage scenario", "No labelled usage scenario (for example a \"Scenario:\" sub-heading)",
        "At least two `### Scenario: <realistic use case>` sub-headings, each with:"),
      req("request-flow", "Request/response flow (numbered steps or a diagram)", "No request/response flow (numbered steps or a diagram)",
        "the request/response flow as numbered steps;"),
      req("tail-latency", "Tied to tail latency, throughput or reliability", "Not tied back to tail latency, throughput or reliability",
        "`**Why it works here:**` tied to p99 latency, throughput or reliability, with numbers."),
    ],
  },
  {
    number: 7,
    id: "failure-modes",
    title: "Failure Modes & Edge Cases",
    keywords: ["failure|fail", "mode", "edge", "case"],
    requirements: [
      req("race-conditions", "Race conditions named", "Race conditions are not named as a failure mode",
        "A `###` sub-heading for each failure class: `Race conditions`, `Retries interacting badly`, `Partial failures`, `Memory leaks`, `Deadlocks`, `Timeout mismatches`, then any others."),
      req("retry-interactions", "Retries interacting badly named", "Bad retry interactions (retry storms, amplification) are not named",
        sameAs("race-conditions")),
      req("partial-failures", "Partial failures named", "Partial failures are not named",
        sameAs("race-conditions")),
      req("memory-leaks", "Memory leaks named", "Memory leaks are not named",
        sameAs("race-conditions")),
      req("deadlocks", "Deadlocks named", "Deadlocks are not named",
        sameAs("race-conditions")),
      req("timeout-mismatches", "Timeout mismatches named", "Timeout mismatches are not named",
        sameAs("race-conditions")),
      req("mitigation", "Says whether the design mitigates each one", "A failure mode does not say whether the design mitigates it",
        "Under each: what happens, then `**Mitigated:** <yes / partially / no> — <how, or what covers it instead>`."),
    ],
  },
  {
    number: 8,
    id: "performance",
    title: "Performance Characteristics & Tradeoffs",
    keywords: ["performance|perf", "characteristic|impact", "tradeoff|trade-off|trade off|cost"],
    requirements: [
      req("p50-p99", "p50 vs p99 latency", "Does not compare p50 and p99 latency",
        "`**Latency (p50 vs p99):**` the effect on each, with numbers."),
      req("throughput", "Throughput", "Throughput impact is not discussed",
        "`**Throughput:**`, `**Memory:**`, `**CPU:**`: the effect on each, with numbers."),
      req("memory", "Memory usage", "Memory usage is not discussed",
        sameAs("throughput")),
      req("cpu", "CPU usage", "CPU usage is not discussed",
        sameAs("throughput")),
      req("costs", "Explicit costs / compromises", "No explicit, labelled costs / compromises / tradeoffs part",
        "`**Costs and compromises:**` what this design makes you pay."),
    ],
  },
  {
    number: 9,
    id: "foot-guns",
    title: "Foot-Guns & Common Mistakes",
    keywords: ["foot-gun|footgun|foot gun", "common", "mistake|pitfall|gotcha"],
    requirements: [
      req("mistake-count", "At least 3 mistakes", "Fewer than 3 distinct mistakes",
        "At least three mistakes, each under `### Foot-Gun #N: <mistake>`, with:"),
      req("why-engineers", "Each: why engineers do it", "A mistake does not say why engineers make it",
        "`**Why engineers do it:**`"),
      req("what-breaks", "Each: what breaks in production", "A mistake does not say what breaks in production",
        "`**What breaks in production:**`"),
      req("detection", "Each: how to detect it early (own labelled part)", "A mistake has no labelled part on how to detect it early",
        "`**How to detect it early:**` (a metric, alert, log or test)"),
      req("fix", "Each: how to fix or avoid it", "A mistake does not say how to fix or avoid it",
        "`**How to fix or avoid it:**`"),
    ],
  },
  {
    number: 10,
    id: "when-not-to-use",
    title: "When NOT to Use This",
    keywords: ["when", "not|avoid|don't|never", "use|using", "anti-pattern|antipattern|anti pattern"],
    requirements: [
      req("harmful-situations", "At least 2 harmful situations", "Fewer than 2 situations where this design causes harm",
        "At least two situations, each under `### ❌ <situation where this design does harm>`, with the harm it does and:"),
      req("use-instead", "Each: what to use instead", "A situation does not say what to use instead",
        "`**Use instead:** <alternative> — because <why it fits better>`."),
      req("instead-why", "Each: why the alternative is better", "A situation does not explain why",
        sameAs("use-instead")),
    ],
  },
  {
    number: 11,
    id: "related-concepts",
    title: "Related Concepts",
    keywords: ["related|adjacent|neighbou", "concept|idea|pattern", "contrast|comparison|vs"],
    requirements: [
      req("concept-count", "At least 2 related concepts", "Fewer than 2 related concepts",
        "At least three concepts, each under `### <Concept>`:"),
      req("concept-contrast", "Each contrasted (difference or interaction)", "A related concept is not contrasted (no difference or interaction stated)",
        "\"Unlike <this design>, …\" (the difference), then how the two interact; no full re-explanation."),
    ],
  },
  {
    number: 12,
    id: "readiness-checklist",
    title: "Production Readiness Checklist",
    keywords: ["production|launch|shipping", "readiness|ready", "checklist|check list"],
    requirements: [
      req("checklist", "A checklist of at least 5 list items", "No checklist (at least 5 list items, `- [ ]` preferred)",
        "At least eight concrete `- [ ] <item>` lines, including:"),
      req("metrics", "Covers metrics to monitor", "The checklist does not cover metrics to monitor",
        "`- [ ] **Metrics:** <what to watch, alert thresholds>`"),
      req("logging", "Covers logging", "The checklist does not cover logging",
        "`- [ ] **Logging:** <fields of each log line>`"),
      req("timeouts-limits", "Covers timeouts and limits", "The checklist does not cover both timeouts and limits",
        "`- [ ] **Timeouts and limits:** <each, with its value>`"),
      req("load-testing", "Covers load testing", "The checklist does not cover load testing",
        "`- [ ] **Load testing:** <scenario, pass criterion>`"),
      req("rollout-rollback", "Covers rollout and rollback", "The checklist does not cover both rollout and rollback",
        "`- [ ] **Rollout and rollback:** <canary or flag; rollback trigger>`"),
      advisory("checkbox-format", "Uses `- [ ]` checkboxes", "Checklist items are not `- [ ]` checkboxes",
        sameAs("checklist")),
    ],
  },
];

export interface DocumentRuleDef {
  id: string;
  label: string;
  required: boolean;
  /** The contract's whole-document lines, like RequirementDef.contract. */
  contract: ContractLine;
}

export const DOCUMENT_RULES: readonly DocumentRuleDef[] = [
  { id: "h1-title", label: "An H1 title naming the topic", required: true, contract: "Title line `# <TOPIC NAME>`." },
  {
    id: "sections-in-order",
    label: "All 12 sections present, in order",
    required: true,
    contract: "The 12 sections as `## N. <Section title>`, in order, each once; their parts as `###` sub-headings.",
  },
  { id: "unique-section-numbers", label: "No section number used twice", required: true, contract: sameAs("sections-in-order") },
  {
    id: "fenced-code-only",
    label: "Fenced code blocks only (no indented code blocks)",
    required: true,
    contract: "Code and diagrams only in fenced blocks tagged ts or text, never indented.",
  },
  { id: "status-markers", label: "❌ / ✗ markers used for wrong approaches", required: true, contract: "❌ marks what is wrong, ✅ what is correct; no other emoji." },
  { id: "no-other-emoji", label: "No emoji other than the status markers ❌ ✅ ✗ ✓", required: true, contract: sameAs("status-markers") },
  { id: "correct-markers", label: "✅ / ✓ markers used for correct approaches", required: false, contract: sameAs("status-markers") },
  { id: "no-filler", label: "No filler phrases", required: false, contract: "No filler phrases; define any buzzword you use." },
  { id: "no-unexplained-buzzwords", label: "No unexplained buzzwords", required: false, contract: sameAs("no-filler") },
];

/** Section definition by number (1-based). */
export function sectionDef(number: number): SectionDef | undefined {
  return SECTIONS[number - 1];
}
