import { describe, expect, it } from "vitest";
import { analyzeSections } from "@/lib/sections/analyzer";
import { compliant, editSection, replaceOnce, replaceSectionBody, section, unmetRequired } from "./helpers";

/**
 * Clearly compliant text that document writers had to reword to get past the analyzer
 * (real model output writes the same way). Each case pairs the accepted wording with a
 * deficient twin in the same style, so loosening a check never makes its item unfailable.
 */
const judge = (n: number, body: string) => analyzeSections(replaceSectionBody(compliant(), n, body), { final: true });
const requirement = (n: number, body: string, id: string) => section(judge(n, body), n).requirements.find((req) => req.id === id);

describe("section 1: realistic load in the units writers use", () => {
  const scenario = (load: string) =>
    `During the Black Friday peak the checkout service handled ${load} and the card processor started answering in 4 seconds instead of 300 ms. ` +
    "Every API pod held its connections open while waiting, the pool drained, and within two minutes the whole checkout path returned 503 errors " +
    "and the on-call engineer was paged for a full outage of payments that lasted forty minutes and cost real revenue.\n\n" +
    "Without a circuit breaker every caller keeps waiting on a dependency that is already down, so the failure spreads upstream and the pool is exhausted.\n\n" +
    "The naive fix of raising the timeout fails because it only makes each caller wait longer.";

  it.each([
    "1,200 payment requests/s",
    "1,200 payment requests per second",
    "1,200 requests/s",
    "1,200 req/s",
    "12k QPS",
    "1,200 RPS",
    "a peak of 1,200/s",
    "10 million requests per day",
    "1.2M events/min",
    "30% of all checkout traffic",
    "traffic that fans out to 12 services",
    "clients that retry up to 5 times",
    "a retry budget of 3 per call",
  ])("%s counts as load", (load) => {
    const report = judge(1, scenario(load));
    expect(section(report, 1).state).toBe("satisfied");
  });

  it.each(["a lot of payment requests", "requests that took 45 ms each", "9 seconds of waiting per request", "2 GB of memory per pod", "retries with a short timeout"])(
    "%s is not a load figure: only realistic-load is unmet",
    (notLoad) => {
      const report = judge(1, scenario(notLoad));
      expect(section(report, 1).state).toBe("incomplete");
      expect(unmetRequired(report, 1)).toEqual(["realistic-load"]);
    },
  );
});

describe("section 7: a paragraph label inside a failure-mode sub-section does not split it", () => {
  const labelled = (doc: string) =>
    editSection(doc, 7, (body) => {
      let out = replaceOnce(body, "### Memory leaks\nAn entry", "### Memory leaks\nThree leak paths: a flight that never settles, a waiter list that grows, a timer never cleared. An entry");
      out = replaceOnce(out, "### Deadlocks\nA loader", "### Deadlocks\nPool self-deadlock: a loader");
      return out;
    });

  it("the sub-heading keeps its **Mitigated:** verdict", () => {
    const report = analyzeSections(labelled(compliant()), { final: true });
    expect(section(report, 7).state).toBe("satisfied");
  });

  it("a labelled sub-section without a verdict still fails mitigation, by its heading", () => {
    const doc = editSection(labelled(compliant()), 7, (body) => replaceOnce(body, " **Not mitigated:** this is a programming error; detect it with a re-entrancy check in tests.", ""));
    const report = analyzeSections(doc, { final: true });
    expect(unmetRequired(report, 7)).toEqual(["mitigation"]);
    const reason = section(report, 7).requirements.find((req) => req.id === "mitigation")?.reason ?? "";
    expect(reason).toMatch(/"Deadlocks"/);
    expect(reason).not.toMatch(/self-deadlock/);
  });

  it("without sub-headings, bold labels are the items and each needs a verdict", () => {
    const modes = ["Race conditions", "Retry storms", "Partial failures", "Memory leaks", "Deadlocks", "Timeout mismatches"];
    const body = (verdictFor: (name: string) => string) => modes.map((name) => `**${name}:** something goes wrong. ${verdictFor(name)}`).join("\n\n");
    expect(section(judge(7, body(() => "Mitigated by the deadline.")), 7).state).toBe("satisfied");
    const report = judge(7, body((name) => (name === "Deadlocks" ? "" : "Mitigated by the deadline.")));
    expect(unmetRequired(report, 7)).toEqual(["mitigation"]);
    expect(section(report, 7).requirements.find((req) => req.id === "mitigation")?.reason).toMatch(/1 of 6 .*"Deadlocks: something goes wrong/);
  });

  it("a heading that only groups deeper sub-headings is not an item of its own", () => {
    const body = [
      "### Concurrency hazards",
      "#### Race conditions\nTwo loads overlap. **Mitigated:** partially.",
      "#### Deadlocks\nA loader awaits itself. **Not mitigated:** programming error.",
      "### Retry storms\nRetries join the flight. **Mitigated:** yes.",
      "### Partial failures\nRedis down. **Not mitigated** by this alone.",
      "### Memory leaks\nStuck entries. **Mitigated:** deadline timer.",
      "### Timeout mismatches\nCaller gives up first. **Mitigated:** abort on last waiter.",
    ].join("\n\n");
    expect(section(judge(7, body), 7).state).toBe("satisfied");
  });
});

describe("section 2: approach mentions inside the symptoms part are not approaches", () => {
  const withSymptomMentions = (doc: string) =>
    editSection(doc, 2, (body) =>
      replaceOnce(
        body,
        "- Identical queries at the top of `pg_stat_activity`.",
        "- Identical queries at the top of `pg_stat_activity`.\n- Approach #2: every unrelated product page stalls behind one slow query.\n- **Approach #1:** 800 identical queries per hot key.",
      ),
    );

  it("the symptoms bullets do not open approaches without code", () => {
    const report = analyzeSections(withSymptomMentions(compliant()), { final: true });
    expect(section(report, 2).state).toBe("satisfied");
  });

  it("a real approach without code is still reported", () => {
    const doc = editSection(withSymptomMentions(compliant()), 2, (body) => replaceOnce(body, /```ts\nconst mutex[\s\S]*?\n```\n/, ""));
    const report = analyzeSections(doc, { final: true });
    expect(unmetRequired(report, 2)).toEqual(["approach-code"]);
    expect(section(report, 2).requirements.find((req) => req.id === "approach-code")?.reason).toMatch(/1 of 2 .*Incorrect Approach #2/);
  });

  it("a plain-text line led by the ✗ marker still opens an approach", () => {
    const body =
      "✗ Incorrect Approach #1: retry forever\n\nIt seems reasonable because errors are transient. It breaks when the dependency is down.\n\n" +
      "✗ Incorrect Approach #2: fixed timeout\n\n```ts\nawait fetch(url);\n```\n\nLooks fine in tests. It fails under load.\n\n**Production symptoms:** pool exhaustion.";
    const report = judge(2, body);
    expect(unmetRequired(report, 2)).toEqual(["approach-code"]);
  });
});

describe("section 10: the reason may follow the alternative without a causal word", () => {
  const situation = (useInstead: string) =>
    `### ❌ Per-user data that is never shared\nCoalescing only helps when many callers want the same key.\n${useInstead}\n\n` +
    "### ❌ Writes and non-idempotent operations\nSharing the result of a write between callers drops intents.\n**Use instead:** an idempotency key, since each caller must get its own acknowledgement.";

  it.each([
    "**Use instead:** a plain cache-aside read — the map adds bookkeeping without saving a query.",
    "**Use instead:** a plain cache-aside read – nothing is ever shared.",
    "**Use instead:** a plain cache-aside read - nothing is ever shared.",
    "**Use instead:** a plain cache-aside read: nothing is ever shared.",
    "**Use instead:** a plain cache-aside read; nothing is ever shared.",
    "**Use instead:** a plain cache-aside read, so no map is needed.",
    "**Use instead:** a plain cache-aside read, whereas the map only adds bookkeeping.",
    "**Use instead:** a plain cache-aside read, as nothing is shared.",
    "**Use instead:** a plain cache-aside read, which skips the bookkeeping.",
    "**Use instead:** a plain cache-aside read. The map never saves a query here.",
    "**Use instead:** a plain cache-aside read.\nThe map never saves a query here.",
  ])("%s", (useInstead) => {
    expect(section(judge(10, situation(useInstead)), 10).state).toBe("satisfied");
  });

  it.each([
    "**Use instead:** a queue.",
    "**Use instead:** a plain cache-aside read (e.g. Redis GET).",
    "**Use instead:** a managed queue, e.g. SQS.",
    "**Use instead:** Redis as a cache.",
    "**Use instead:** a queue. SQS.",
    "**Use instead:** a write-through cache.\n**Example:** the product catalog.",
  ])("only naming the alternative still fails instead-why: %s", (useInstead) => {
    const report = judge(10, situation(useInstead));
    expect(unmetRequired(report, 10)).toEqual(["instead-why"]);
    expect(requirement(10, situation(useInstead), "instead-why")?.reason).toMatch(/Per-user data/);
  });
});

describe("layouts GPT-4-class models write (brittleness scan)", () => {
  it("section 6: `### Pattern: …` names a scenario; a bare title does not", () => {
    const body = (heading: string) =>
      `### ${heading}\n1. 500 requests arrive for the same key.\n2. The first caller starts the load; the other 499 await it.\n3. All 500 get the response when the one query returns.\n\nThis keeps p99 latency flat while the cache warms.`;
    expect(section(judge(6, body("Pattern: homepage catalog during a deploy")), 6).state).toBe("satisfied");
    expect(unmetRequired(judge(6, body("Homepage catalog during a deploy")), 6)).toEqual(["scenario"]);
  });

  const failureModes = (retryVerdict: string) =>
    [
      "### 1. Race conditions\nTwo callers can both miss the map. **Mitigation:** partially — the window is one round trip.",
      `### 2. Retry storms\n**What happens:** clients retry while a load is in flight.${retryVerdict}`,
      "### 3. Partial failures\nRedis down, Postgres up. **Handled?** No — pair with a circuit breaker.",
      "### 4. Memory leaks\n**Scenario:** an entry never settles.\n**Design response:** the deadline timer aborts it and `finally` removes it.",
      "### 5. Deadlocks\nA loader awaits itself. ✅ **Mitigated** by a re-entrancy guard.",
      "### 6. Timeout mismatches\nCaller timeout shorter than load timeout. **Status:** partially mitigated.",
    ].join("\n\n");

  it("section 7: verdict parts labelled 'How the design handles it', 'Design response', 'Handled?' count", () => {
    expect(section(judge(7, failureModes("\n**How the design handles it:** retries join the same flight and add no load.")), 7).state).toBe("satisfied");
    const report = judge(7, failureModes("\nRetries join the same flight and add no load."));
    expect(unmetRequired(report, 7)).toEqual(["mitigation"]);
    expect(section(report, 7).requirements.find((req) => req.id === "mitigation")?.reason).toMatch(/1 of 6 .*"2\. Retry storms"/);
  });

  it("section 10: `**Instead:** X — why` names the alternative and its reason", () => {
    const body = (first: string) =>
      `### ❌ Don't use it for per-user data\nNothing is shared between callers.\n${first}\n\n` +
      "### ❌ Don't use it for writes\nSharing a write's result drops intents.\n**Better alternative:** idempotency keys — each caller needs its own acknowledgement.";
    expect(section(judge(10, body("**Instead:** a plain cache-aside read — the map saves no query.")), 10).state).toBe("satisfied");
    expect(unmetRequired(judge(10, body("**Instead:** a plain cache-aside read.")), 10)).toEqual(["instead-why"]);
    expect(unmetRequired(judge(10, body("Nothing to coordinate here.")), 10)).toEqual(["use-instead", "instead-why"]);
  });

  it("section 11: 'While …, …', 'complementary' and 'alongside' contrast concepts", () => {
    const hedging = "### Request hedging\nHedging sends a second request after a delay; it works well alongside coalescing, which keeps the hedge from multiplying load.";
    const breaker = (text: string) => `### Circuit breaker\n${text}\n\n${hedging}`;
    expect(section(judge(11, breaker("While single-flight reduces duplicate calls to a healthy dependency, a circuit breaker stops calls to a failing one.")), 11).state).toBe("satisfied");
    expect(section(judge(11, breaker("A circuit breaker stops calls to a failing dependency. The two are complementary.")), 11).state).toBe("satisfied");
    const report = judge(11, breaker("A circuit breaker stops calls to a failing dependency while it recovers."));
    expect(unmetRequired(report, 11)).toEqual(["concept-contrast"]);
    expect(section(report, 11).requirements.find((req) => req.id === "concept-contrast")?.reason).toMatch(/1 of 2 .*"Circuit breaker"/);
  });
});
