/**
 * Built-in markdown documents served by the fake OpenAI server.
 *
 * The shape mirrors what the master prompt asks the model for (an H1 plus the
 * twelve numbered "## N. Title" sections) so the app's section-aware UI has
 * something realistic to render, while staying small enough (~3 KB) that a
 * default-speed stream finishes in well under a second.
 */

export const SECTION_TITLES = [
  "The Real Problem This Exists to Solve",
  "The Naive / Incorrect Approaches",
  "Correct Mental Model (How It Actually Works)",
  "Correct Design & Algorithm",
  "Full Production-Grade Implementation",
  "Correct Usage Patterns (Where This Shines)",
  "Failure Modes & Edge Cases",
  "Performance Characteristics & Tradeoffs",
  "Foot-Guns & Common Mistakes",
  "When NOT to Use This (Anti-Patterns)",
  "Related Concepts (With Contrast)",
  "Production Readiness Checklist",
] as const;

function sectionBody(index: number, title: string): string {
  switch (index) {
    case 2:
      return [
        "❌ Incorrect Approach #1: every caller hits the backend independently.",
        "",
        "```ts",
        "async function getUser(id: string) {",
        "  return db.query(\"select * from users where id = $1\", [id]);",
        "}",
        "```",
        "",
        "It looks harmless until a cache miss fans out into thousands of identical queries.",
      ].join("\n");
    case 3:
      return [
        "```",
        "Request A --+",
        "Request B --+--> In-flight Map --> Worker --> Result",
        "Request C --+",
        "```",
      ].join("\n");
    case 5:
      return [
        "```ts",
        "const inflight = new Map<string, Promise<string>>();",
        "",
        "export function coalesce(key: string, load: () => Promise<string>): Promise<string> {",
        "  const existing = inflight.get(key);",
        "  if (existing) return existing;",
        "  const p = load().finally(() => inflight.delete(key));",
        "  inflight.set(key, p);",
        "  return p;",
        "}",
        "```",
      ].join("\n");
    case 8:
      return [
        "| Metric | Naive | Coalesced |",
        "| --- | --- | --- |",
        "| p50 latency | 12 ms | 12 ms |",
        "| p99 latency | 900 ms | 40 ms |",
      ].join("\n");
    case 12:
      return ["- [ ] Metrics for hit ratio", "- [ ] Timeouts on every load", "- [ ] Rollback plan"].join("\n");
    default:
      return `✅ ${title}: short, dense explanation for section ${index} with \`inline code\` and **bold** text.`;
  }
}

/** Builds a small design doc: `# {title}` followed by 12 `## N. Title` sections. */
export function buildDesignDoc(title: string): string {
  const parts = [`# ${title}`, "", `A compact fake design document about ${title}.`, ""];
  SECTION_TITLES.forEach((sectionTitle, i) => {
    const n = i + 1;
    parts.push(`## ${n}. ${sectionTitle}`, "", sectionBody(n, sectionTitle), "");
  });
  return parts.join("\n");
}

export const DEFAULT_DOCUMENT = buildDesignDoc("Request Coalescing");
