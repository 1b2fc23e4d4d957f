import { describe, expect, it } from "vitest";
import { SECTIONS } from "@/lib/sections/rubric";
import { analyzeFinal, compliant, editSection, replaceOnce, rule, section } from "./helpers";

/** Rewrite every `## N. Title` heading of the compliant document. */
function rewriteHeadings(rewrite: (n: number, title: string) => string): string {
  return compliant().replace(/^## (\d+)\. (.*)$/gm, (_line, n: string, title: string) => rewrite(Number(n), title));
}

function expectAllFound(doc: string) {
  const report = analyzeFinal(doc);
  expect(report.sections.map((s) => s.state)).toEqual(Array(12).fill("satisfied"));
  expect(rule(report, "sections-in-order").met).toBe(true);
  expect(rule(report, "unique-section-numbers").met).toBe(true);
  return report;
}

describe("heading variations", () => {
  it.each([
    ["## N) Title", (n: number, t: string) => `## ${n}) ${t}`],
    ["### Section N: Title", (n: number, t: string) => `### Section ${n}: ${t}`],
    ["**N. Title** alone on its line", (n: number, t: string) => `**${n}. ${t}**`],
    ["## N — Title", (n: number, t: string) => `## ${n} — ${t}`],
    ["## N - Title", (n: number, t: string) => `## ${n} - ${t}`],
    ["### N. Title (level 3)", (n: number, t: string) => `### ${n}. ${t}`],
    ["markers in the heading", (n: number, t: string) => `## ${n}. ${n % 2 ? "✅" : "✓"} ${t} ${n === 2 ? "❌ ✗" : ""}`],
    ["bold inside an ATX heading", (n: number, t: string) => `## **${n}. ${t}**`],
    ["number only, reworded titles", (n: number) => `## ${n}. Part ${"abcdefghijkl"[n - 1]}`],
  ])("finds all 12 sections with %s", (_name, rewrite) => {
    expectAllFound(rewriteHeadings(rewrite));
  });

  it("finds reworded, unnumbered level-2 headings by their title words", () => {
    const reworded: Record<number, string> = {
      1: "Why This Exists: the real problem",
      2: "Naive and Wrong Approaches",
      3: "How It Actually Works: the mental model",
      4: "The Correct Design and Algorithm",
      5: "A Complete Production-Ready Implementation",
      6: "Where This Shines: Correct Usage",
      7: "Failure Modes and Edge Cases",
      8: "Performance and Trade-offs",
      9: "Foot-guns and Common Mistakes",
      10: "When Not To Use It",
      11: "Related Concepts Compared",
      12: "Production Readiness Checklist",
    };
    const report = expectAllFound(rewriteHeadings((n) => `## ${reworded[n]}`));
    expect(section(report, 9).heading).toBe("Foot-guns and Common Mistakes");
  });

  it("keeps the visible heading text and UTF-16 ranges", () => {
    const doc = rewriteHeadings((n, t) => `## ${n}. ✅ **${t}**`);
    const report = analyzeFinal(doc);
    const first = section(report, 1);
    expect(first.heading).toBe(`1. ✅ ${SECTIONS[0]?.title}`);
    expect(doc.slice(first.start ?? -1, (first.start ?? 0) + 4)).toBe("## 1");
    expect(first.end).toBe(section(report, 2).start);
    expect(section(report, 12).end).toBe(doc.length);
  });

  it("does not take numbered sub-headings for sections (level-2 sections)", () => {
    const doc = editSection(compliant(), 9, (body) =>
      body.replace(/### Foot-Gun #(\d): /g, "### $1. ").replace(/(### 3\. )/, "### 10. Retrying non-idempotent writes\n**Why engineers do it:** it is one line.\n**What breaks:** duplicates.\n**How to detect it early:** count duplicates.\n**Fix:** idempotency keys.\n\n$1"),
    );
    const report = expectAllFound(doc);
    expect(section(report, 9).requirements.find((r) => r.id === "mistake-count")?.reason).toMatch(/^4 mistakes/);
  });

  it("does not take numbered sub-headings for sections (level-3 sections)", () => {
    let doc = rewriteHeadings((n, t) => `### Section ${n}: ${t}`);
    doc = doc.replace(/### Foot-Gun #(\d): /g, "### $1. ").replace(/### Race conditions/, "### 1. Race conditions");
    const report = expectAllFound(doc);
    expect(section(report, 9).requirements.every((r) => r.met)).toBe(true);
  });

  it("treats a level-3 numbered heading as a section only when it continues the sequence with matching words", () => {
    const doc = compliant().replace("## 10. When NOT to Use This", "### 10. When NOT to Use This");
    const report = expectAllFound(doc);
    expect(section(report, 10).heading).toBe("10. When NOT to Use This");
  });
});

describe("fenced code blocks", () => {
  it("ignores headings inside ``` and ~~~ fences, with info strings and longer fences", () => {
    const fences = [
      "```markdown\n## 5. Full Production-Grade Implementation\n## 9. Foot-Guns\n```",
      "~~~md title=\"example\"\n## 7. Failure Modes & Edge Cases\n~~~",
      "````text\n```\n## 11. Related Concepts\n```\n````",
    ].join("\n\n");
    const doc = editSection(compliant(), 3, (body) => replaceOnce(body, "1. A request misses", `${fences}\n\n1. A request misses`));
    const report = expectAllFound(doc);
    expect(section(report, 3).end).toBe(section(report, 4).start);
    expect(section(report, 5).start).toBeGreaterThan(section(report, 4).start ?? 0);
  });

  it("does not count sections whose only heading is inside an unclosed fence", () => {
    const doc = compliant().replace("## 12. Production Readiness Checklist", "```text\n## 12. Production Readiness Checklist");
    const report = analyzeFinal(doc);
    expect(section(report, 12).state).toBe("missing");
  });
});

describe("duplicates", () => {
  it("judges a repeated number on its first occurrence and reports the duplicate", () => {
    const doc = editSection(compliant(), 5, (body) => `## 5. Full Production-Grade Implementation\n\nComing below.\n\n${body}`);
    const report = analyzeFinal(doc);
    expect(section(report, 5).state).toBe("incomplete");
    const duplicate = rule(report, "unique-section-numbers");
    expect(duplicate.met).toBe(false);
    const secondHeadingLine = doc.split("\n").findIndex((line, index, lines) => line.startsWith("## 5.") && lines.slice(0, index).some((l) => l.startsWith("## 5."))) + 1;
    expect(duplicate.lines).toEqual([secondHeadingLine]);
    expect(section(report, 6).state).toBe("satisfied");
  });

  it("reports sections out of order", () => {
    const original = compliant();
    const s7 = original.slice(original.indexOf("## 7."), original.indexOf("## 8."));
    const s8 = original.slice(original.indexOf("## 8."), original.indexOf("## 9."));
    const swapped = original.replace(s7 + s8, s8 + s7);
    const report = analyzeFinal(swapped);
    expect(rule(report, "sections-in-order").met).toBe(false);
    expect(rule(report, "sections-in-order").detail).toMatch(/out of order/);
    expect(section(report, 7).state).toBe("satisfied");
    expect(section(report, 8).state).toBe("satisfied");
  });
});
